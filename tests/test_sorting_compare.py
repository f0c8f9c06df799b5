"""dashboard.sorting on the values behind a table's text, and dashboard.compare's side-by-side table,
on real records from the session's database."""

from __future__ import annotations

import pandas as pd

from dashboard import compare, frames
from dashboard.sorting import is_missing, sort_rows
from tests import vega
from trialdb import queries

NS = queries.NOT_STATED


def test_numbers_in_text_sort_as_numbers_missing_last_both_ways():
    df = pd.DataFrame({"Enrolment": ["47", NS, "100 (estimated)", "9", "1,200 (actual)"], "i": range(5)})
    assert list(sort_rows(df, "Enrolment").Enrolment) == ["9", "47", "100 (estimated)", "1,200 (actual)", NS]
    assert list(sort_rows(df, "Enrolment", descending=True).Enrolment) == [
        "1,200 (actual)", "100 (estimated)", "47", "9", NS]


def test_partial_dates_words_links_and_numbers():
    dates = pd.DataFrame({"Start": ["2015-06-30", "2014", NS, "2015-06", None]})
    assert list(sort_rows(dates, "Start").Start)[:3] == ["2014", "2015-06", "2015-06-30"]
    assert list(sort_rows(dates, "Start", True).Start)[:3] == ["2015-06-30", "2015-06", "2014"]
    assert all(is_missing(v) for v in list(sort_rows(dates, "Start", True).Start)[3:])
    words = pd.DataFrame({"Status": ["unknown", "Completed", "active", ""]})
    assert list(sort_rows(words, "Status").Status) == ["active", "Completed", "unknown", ""]
    links = pd.DataFrame({"NCT id": [frames.REGISTRY + "NCT2", frames.REGISTRY + "NCT1"]})
    assert list(sort_rows(links, "NCT id").index) == [1, 0]
    nums = pd.DataFrame({"n": [3.0, None, 1.0, 2.0]})
    assert list(sort_rows(nums, "n", True).n)[:3] == [3.0, 2.0, 1.0] and pd.isna(sort_rows(nums, "n", True).n.iloc[-1])
    assert sort_rows(nums, "no such column").equals(nums)  # a stale column name from a link: as listed


def test_side_by_side_states_facts_and_missing_ones(engine):
    recs = [queries.study_record(engine, n) for n in ("NCT02465580", "NCT05262686")]
    inds = tuple(c for c, _, _ in queries.filter_options(engine)["indications"])
    table = compare.side_by_side([r for r in recs if r], queries.outcomes(engine, queries.Filters(inds)))
    facts = table.set_index("Fact")
    assert list(table.columns) == ["Fact", "NCT02465580", "NCT05262686"]
    assert facts.loc["Enrolment", "NCT02465580"] == "60"
    assert facts.loc["Start", "NCT05262686"] == NS  # the Veeva page states no date
    assert facts.loc["Collaborators", "NCT02465580"] == "Monash University; Beijing ShuangLu Pharmaceutical Co., Ltd."
    assert facts.loc["Published outcomes in this database", "NCT02465580"].endswith("PMID 31537547")
    assert facts.loc["Published outcomes in this database", "NCT05262686"] == "none in this database"
    assert "Belimumab" in facts.loc["Interventions", "NCT05262686"]


def test_compare_calendar_shares_one_day_axis(engine):
    from dashboard import figures, vl

    inds = tuple(c for c, _, _ in queries.filter_options(engine)["indications"])
    reg = queries.regimens(engine, queries.Filters(inds))
    reg = reg[reg.nct_id.isin(["NCT02465580", "NCT05262686"])]
    chart = figures.dosing_calendar(reg, "Dosing calendars of the chosen trials", labels=compare.arm_labels(reg))
    layers = vega.layers(chart)
    names = [r["text"] for r in layers[-1]["rows"]]  # each row named above its band
    assert names == compare.arm_labels(reg) and all(n.startswith("NCT") for n in names)
    marks = [layer for layer in layers if layer["mark"] == "point"]
    x_end = marks[0]["encoding"]["x"]["scale"]["domain"][1]
    assert x_end >= max(max(d) for d in reg.days if len(d))  # every trial's last dose fits
    assert all(layer["encoding"]["color"]["legend"] is None for layer in marks)  # rows named: no legend on a phone
    assert all(len(line) <= vl.TITLE_LINE for line in vega.spec(chart)["title"]["text"])
