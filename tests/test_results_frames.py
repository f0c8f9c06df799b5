"""The registry-results frames and figures on their data: posted strings stay as posted, error bars come
from the posted dispersion or limits, the kind of chart fits the measure, adverse events sort and count,
and the cross-trial Wilson intervals are the ones trialdb.statistics computes."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.results import figures as rf
from dashboard.results import frames as fr
from tests import vega
from tests.results_db import build_results_database
from trialdb.queries import Filters
from trialdb.results import queries as q
from trialdb.statistics import wilson
from trialdb.store.db import make_engine


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    eng = make_engine(build_results_database(tmp_path_factory.mktemp("frames"), "trials_results_frames"), readonly=True)
    yield eng
    eng.dispose()


def _measure(engine, nct, title):
    ms = q.outcome_measures(engine, nct)
    row = ms[ms.title == title].iloc[0]
    return row, q.measure_data(engine, int(row.id))


def test_measures_primary_first(engine):
    ms = q.outcome_measures(engine, "NCT00763412")
    assert list(ms.outcome_type) == ["PRIMARY"] * 3 + ["SECONDARY"] * 6
    assert list(ms.title[:3]) == ["BMI", "Body Composition", "CRP"]


def test_range_measure_bars_with_posted_limits(engine):
    row, data = _measure(engine, "NCT00763412", "BMI")
    long = fr.measure_long(data)
    assert list(long.value) == ["19.63", "21.19"] and list(long.group) == ["1 Placebo", "2. Repaglinide"]
    assert long.err_minus.round(2).tolist() == [round(19.63 - 15.56, 2), round(21.19 - 20.78, 2)]
    assert long.err_plus.round(2).tolist() == [round(22.64 - 19.63, 2), round(21.8 - 21.19, 2)]
    assert list(long.denominator) == ["4", "4"]
    assert fr.measure_kind(long) == "bars"
    chart = rf.measure_figure(long, "bars", row.title, row.unit_of_measure, fr.error_label(row.dispersion_type))
    bars, whisker, low, high, halo, labels = vega.layers(chart)
    assert [layer["mark"] for layer in (bars, whisker, low, high, halo, labels)] == [
        "bar", "rule", "tick", "tick", "text", "text"]
    assert labels["encoding"]["text"]["field"] == halo["encoding"]["text"]["field"] == "value"
    assert [r["value"] for r in labels["rows"]] == ["19.63", "21.19"]  # labels are the posted strings
    assert (low["encoding"]["y"]["field"], high["encoding"]["y"]["field"]) == ("low", "high")
    assert [(r["low"], r["high"]) for r in whisker["rows"]] == [pytest.approx((15.56, 22.64)), pytest.approx((20.78, 21.8))]
    assert [r["spread"] for r in bars["rows"]] == ["15.56 to 22.64", "20.78 to 21.8"]  # the tooltip's, as posted
    subtitle = " ".join(vega.spec(chart)["title"]["subtitle"])
    assert "error bars: Full Range (as posted)" in subtitle  # the title's lines wrapped for a phone
    assert vega.series_colours(chart) == {"1 Placebo": "#0072B2", "2. Repaglinide": "#D55E00"}
    table = fr.measure_table(long, row.dispersion_type, row.unit_of_measure)
    assert table.to_dict("list") == {"Group": ["1 Placebo", "2. Repaglinide"], "Value (Kg/m^2)": ["19.63", "21.19"],
                                     "Full Range": ["15.56 to 22.64", "20.78 to 21.8"],
                                     "Participants analysed": ["4", "4"]}


def test_classes_become_bar_categories(engine):
    _, data = _measure(engine, "NCT00763412", "Body Composition")
    long = fr.measure_long(data)
    assert list(dict.fromkeys(long.x)) == ["Fat", "Lean"]
    assert fr.measure_kind(long) == "bars"  # "Fat" and "Lean" are not time points


def test_standard_deviation_is_a_symmetric_error(engine):
    row, data = _measure(engine, "NCT05594173", "Number of Chewing Cycles Per Bolus")
    long = fr.measure_long(data)
    assert list(long.spread) == ["11", "6", "4", "13", "3", "4"]
    assert list(long.err_minus) == list(long.err_plus) == [11.0, 6.0, 4.0, 13.0, 3.0, 4.0]
    assert fr.measure_table(long, row.dispersion_type, row.unit_of_measure).columns.tolist() == [
        "Group", "Value (number of chewing cycles)", "Standard Deviation", "Participants analysed"]


def _long(classes, values):
    n = len(classes)
    data = {"groups": pd.DataFrame({"group_id": [1], "group_position": [0], "ctgov_group_code": ["OG000"],
                                    "group": ["IL-2"], "group_description": [None]}),
            "measurements": pd.DataFrame({"group_id": [1] * n, "class_position": range(n), "classification": classes,
                                          "category_position": [0] * n, "category": [None] * n, "param_value": values,
                                          "spread": [None] * n, "lower_limit": [None] * n, "upper_limit": [None] * n,
                                          "comment": [None] * n}),
            "counts": pd.DataFrame({"group_id": [1], "class_position": [None], "denom_position": [0],
                                    "units": ["Participants"], "count": ["10"]})}
    return fr.measure_long(data)


def test_a_measure_over_time_is_drawn_as_lines_and_na_is_not_drawn():
    long = _long(["Baseline", "Week 4", "Week 12"], ["3.1", "NA", "2.4"])
    assert fr.measure_kind(long) == "lines"
    line, = vega.layers(rf.measure_figure(long, "lines", "Score", "points", None))  # no whiskers: none posted
    assert line["mark"] == "line" and [r["y"] for r in line["rows"]] == [3.1, 2.4]
    assert list(long.value) == ["3.1", "NA", "2.4"]  # the table keeps what was posted
    assert fr.measure_kind(_long(["NA"], ["NA"])) == "none"


def test_posted_analyses_as_posted():
    data = {"groups": pd.DataFrame({"group_id": [1, 2], "group": ["IL-2", "Placebo"]}),
            "analyses": pd.DataFrame([{"analysis_id": 7, "position": 0, "groups_description": None, "p_value": "<0.001",
                                       "p_value_description": None, "method": "ANCOVA", "param_type": "Mean Difference",
                                       "param_value": "-1.2", "dispersion_type": None, "dispersion_value": None,
                                       "ci_percent": "95", "ci_n_sides": "TWO_SIDED", "ci_lower_limit": "-2.0",
                                       "ci_upper_limit": "-0.4", "non_inferiority_type": None,
                                       "estimate_description": None}]),
            "analysis_groups": pd.DataFrame({"analysis_id": [7, 7], "group_id": [1, 2]})}
    t = fr.analyses_table(data)
    assert t.iloc[0].to_dict() == {"Groups compared": "IL-2 vs Placebo", "p-value (as posted)": "<0.001",
                                   "Method": "ANCOVA", "Estimate": "Mean Difference -1.2",
                                   "Confidence interval": "95% CI -2.0 to -0.4 (two sided)",
                                   "Non-inferiority or equivalence": ""}


EVENTS = pd.DataFrame([
    # event_type, position, term, organ system, group position, group, affected, at risk
    ("serious", 0, "Pneumonia", "Infections", 0, "IL-2", 2, 30), ("serious", 0, "Pneumonia", "Infections", 1, "Placebo", 0, 29),
    ("other", 0, "Injection site reaction", "General disorders", 0, "IL-2", 20, 30),
    ("other", 0, "Injection site reaction", "General disorders", 1, "Placebo", 3, 29),
    ("other", 1, "Anaemia", "Blood disorders", 0, "IL-2", 1, 30), ("other", 1, "Anaemia", "Blood disorders", 1, "Placebo", 2, 29),
], columns=["event_type", "position", "term", "organ_system", "group_position", "group", "subjects_affected",
            "subjects_at_risk"]).assign(source_vocabulary=None, assessment=None, event_count=None)


def test_events_table_sorts_by_term_organ_system_and_count():
    by_organ = fr.events_table(EVENTS)
    assert list(by_organ.Term) == ["Anaemia", "Injection site reaction", "Pneumonia"]
    assert list(by_organ.columns) == ["Type", "Term", "Organ system", "IL-2", "Placebo"]
    assert by_organ.iloc[2][["IL-2", "Placebo"]].tolist() == ["2 of 30", "0 of 29"]
    assert list(fr.events_table(EVENTS, sort="Participants affected (most first)").Term) == [
        "Injection site reaction", "Anaemia", "Pneumonia"]
    assert list(fr.events_table(EVENTS, ("serious",)).Term) == ["Pneumonia"]


def test_events_chart_frame_and_figure():
    frame, total = fr.events_chart_frame(EVENTS, "other", top=1)
    assert total == 2 and set(frame.term) == {"Injection site reaction"}
    assert frame.percent.round(2).tolist() == [round(2000 / 30, 2), round(300 / 29, 2)]
    fig = rf.events_figure(frame, "other", 1, total)
    assert [list(t.text) for t in fig.data] == [["20 of 30"], ["3 of 29"]]
    assert "the 1 most frequent of 2 terms" in fig.layout.title.text.replace("<br>", " ") and "computed here" in fig.layout.title.text.replace("<br>", " ")


def test_forest_of_serious_events_across_real_trials(engine):
    totals = q.event_totals(engine, Filters(indications=("Cystic Fibrosis Related Diabetes", "Deglutition Disorders")), "serious")
    forest, n = fr.forest_frame(totals)
    assert n == 2 and list(forest.label) == ["NCT00763412 · Placebo", "NCT00763412 · Repaglinide",
                                              "NCT05594173 · Healthy Participants"]
    assert (forest.affected.tolist(), forest.at_risk.tolist()) == ([0, 0, 0], [8, 8, 18])
    assert forest.high.tolist() == [wilson(0, 8)[1], wilson(0, 8)[1], wilson(0, 18)[1]]
    fig = rf.forest_figure(forest, "Serious adverse events")
    assert "Wilson 95% intervals computed here" in fig.layout.title.text.replace("<br>", " ")
    table = fr.forest_table(forest)
    assert table.iloc[2].to_dict() == {"Trial": "NCT05594173", "Group": "Healthy Participants",
                                       "Affected of at risk (posted)": "0 of 18", "% (computed)": 0.0,
                                       "Wilson 95% CI % (computed)": f"0.0 to {100 * wilson(0, 18)[1]:.1f}"}
    capped, n_all = fr.forest_frame(totals, max_trials=1)
    assert n_all == 2 and set(capped.nct_id) == {"NCT05594173"}  # the most recently posted


def test_counts_of_participants_shared_across_trials():
    """Only simple whole-number counts not above their denominator are compared; the rest are counted."""
    rows = [  # nct, measure, group position, group, class, category, value, denominator
        ("NCT1", 1, 0, "IL-2", 0, 0, "12", "30"), ("NCT1", 1, 1, "Placebo", 0, 0, "7", "29"),
        ("NCT2", 2, 0, "IL-2", 0, 0, "5", "10"), ("NCT2", 2, 1, "Placebo", 0, 0, "NA", "10"),  # NA: left out
        ("NCT3", 3, 0, "IL-2", 0, 0, "4", "8"), ("NCT3", 3, 0, "IL-2", 1, 0, "2", "8"),  # per class: left out
        ("NCT4", 4, 0, "Arm A", 0, 0, "9", "12"), ("NCT4", 5, 0, "Arm A", 0, 0, "1", "12"),  # second measure
    ]
    values = pd.DataFrame(rows, columns=["nct_id", "measure_id", "group_position", "group", "class_position",
                                         "category_position", "param_value", "denominator"]).assign(
        brief_title="t", indication="SLE", results_first_posted_date="2024-01-01", time_frame="Week 24")
    totals, dropped = fr.count_totals(values)
    assert list(zip(totals.nct_id, totals.group, totals.subjects_affected, totals.subjects_at_risk, strict=True)) == [
        ("NCT1", "IL-2", 12, 30), ("NCT1", "Placebo", 7, 29), ("NCT4", "Arm A", 9, 12)]
    assert dropped == 3
    forest, n = fr.forest_frame(totals)
    assert n == 2 and forest.low.iloc[0] == wilson(12, 30)[0]
    fig = rf.forest_figure(forest, "Participants with SRI-4 response", counted="counted")
    assert "participants counted per group" in fig.layout.title.text.replace("<br>", " ")


def test_record_text_is_shown_literally_in_figures():
    """Group names and values from a record ("<=18 years", "%{x}") are text, not Plotly markup."""
    long = _long(["<=18 years", "%{x} & more"], ["<5", "3"])
    long["group"] = "IL-2 <b>bold</b>"
    chart = rf.measure_figure(long, "bars", "A <i>title</i>", "u", None)
    bars, _halo, labels = vega.layers(chart)
    # Vega-Lite draws text as text: the record's strings go in unchanged, and no template field is read.
    assert [(r["x"], r["group"]) for r in bars["rows"]] == [("%{x} & more", "IL-2 <b>bold</b>")]
    assert [r["value"] for r in labels["rows"]] == ["3"]  # "<5" (at "<=18 years") is not a number: not drawn
    assert vega.title(chart) == "A <i>title</i>" and "expr" not in str(bars["encoding"]["tooltip"])
    assert list(fr.measure_table(long, None, "u")["Value (u)"]) == ["<5", "3"]


def test_participant_flow_as_posted(engine):
    flow = q.participant_flow(engine, "NCT05594173")
    table = fr.flow_table(flow)
    assert table.to_dict("list") == {
        "Period": ["Overall Study"] * 5,
        "Milestone": ["STARTED", "COMPLETED", "NOT COMPLETED", "Not completed because: Adverse Event",
                      "Not completed because: COVID-19 Pandemic"],
        "Healthy Participants": ["20", "17", "3", "1", "2"]}
    assert q.participant_flow(engine, "NCT00763412")["limitations"] == "A limitation of the study was the very small sample size."


def test_groups_posted_under_one_title_stay_distinct():
    """Two groups of one list posted under the same title (a real kind of record: cyanheads/clinicaltrialsgov-mcp-
    server#128) each get their place in the list; titles that do not repeat, and the same title in another
    trial, stay as posted."""
    frame = pd.DataFrame({"nct_id": ["NCT1", "NCT1", "NCT1", "NCT2"], "group_position": [0, 1, 2, 0],
                          "group": ["Repaglinide", "Repaglinide", "Placebo", "Repaglinide"]})
    assert list(fr.distinct_groups(frame, ("nct_id",)).group) == [
        "Repaglinide (group 1)", "Repaglinide (group 2)", "Placebo", "Repaglinide"]
    assert list(frame.group) == ["Repaglinide", "Repaglinide", "Placebo", "Repaglinide"]  # the input is untouched
    # One group listed on several rows (milestones) is one group: its title stays as posted.
    flow = pd.DataFrame({"group_position": [0, 0, 1, 1], "group": ["Placebo", "Placebo", "IL-2", "IL-2"]})
    assert fr.distinct_groups(flow).equals(flow)
