"""The Dosing schedules page (landscape, calendar, comparison with source and quote) for every filter, and the
"Also matched by the registry query" page with its category filter, search and engineered-IL-2 toggle, in
AppTest from the entrypoint."""

from __future__ import annotations

import json
import re
import tomllib

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tests import vega
from tests.conftest import SEED
from tests.test_app import APP, SELECTIONS, dosing_part, md_tables, open_page, opened_with, text_of
from trialdb.dosing.schedules import is_il2


def curated_il2_arms() -> dict[tuple[str, str], float]:
    """(NCT id, arm) -> dose of every active IL-2 regimen curated in seed_data/curation.toml."""
    entries = tomllib.loads((SEED / "curation.toml").read_text())["regimen"]
    return {(e["nct_id"], e["arm"]): e["dose"] for e in entries
            if e["role"] == "active" and is_il2(e["drug"]) and "dose" in e}


def landscape_charts(at) -> list[dict]:
    """The landscape's charts an AppTest run drew (a panel each, the first titled), their marker rows sent beside
    each spec: {"spec", "rows"}; [] when it drew none (no arm with a dose and a frequency)."""
    charts = at.get("vega_lite_chart")
    specs = [json.loads(c.proto.spec) for c in charts]
    first = next((i for i, s in enumerate(specs) if vega.title(s).startswith("Every IL-2 arm:")), len(specs))
    return [{"spec": s, "rows": vega.layers(c)[0]["rows"]} for s, c in zip(specs[first:], charts[first:], strict=True)
            if s.get("params")]


def landscape_arms(at) -> tuple[set[str], int]:
    """The trials the landscape's markers name (each marker's `trials`; a marker names at most ten) and how many
    arms its markers count."""
    rows = [r for c in landscape_charts(at) for r in c["rows"]]
    assert all(r["n_trials"] == len(r["trials"].split(";")) for r in rows)  # no marker of more than ten here
    return {n for r in rows for n in r["trials"].split(";")}, sum(r["arms"] for r in rows)


def listed(rows: list[list[str]]) -> set[str]:
    """The NCT ids of a table's rows (its first column, a registry link)."""
    return {re.search(r"NCT\d{8}", r[0]).group() for r in rows[1:]}  # type: ignore[union-attr]


def table_with(at, header: str) -> list[list[str]]:
    return next(t for t in md_tables(at) if header in t[0])


@pytest.mark.parametrize("sel", list(SELECTIONS))
def test_dosing_page_landscape_and_comparison_for_every_filter(sel):
    at = open_page("dosing", SELECTIONS[sel])
    inds = set(SELECTIONS[sel]) or {"SLE", "RA", "pSS"}
    studies = {n for n, i in (("NCT02465580", "SLE"), ("NCT05262686", "SLE"), ("NCT02467504", "RA"),
                              ("NCT02464319", "pSS")) if i in inds}
    want = {k: v for k, v in curated_il2_arms().items() if k[0] in studies}
    charts = landscape_charts(at)
    assert landscape_arms(at) == ({n for n, _ in want}, len(want))
    # Every seed dose is a flat dose in million IU: one panel, in IU, log scale, converted and saying so.
    (chart,) = charts
    y = chart["spec"]["encoding"]["y"]
    assert y["scale"]["type"] == "log" and "converted to IU here" in " ".join(y["title"])
    assert sorted(r["y"] for r in chart["rows"] for _ in range(r["arms"])) == sorted(v * 1e6 for v in want.values())
    assert "computed here from the schedule" in " ".join(chart["spec"]["encoding"]["x"]["title"])
    assert (f"All {len(want)} active IL-2 arms are drawn." if len(want) > 1 else
            "The one active IL-2 arm is drawn.") in text_of(at)
    # The chart's table, made when its expander opens: one row per arm, each with a link to its trial's record.
    assert not md_tables(at)
    at.session_state["landscape_table_open"] = True
    at.run()
    links = table_with(at, "On the chart")
    assert {r[0] for r in links[1:]} == {n for n, _ in want}
    assert all(r[1] == f"[open record](trial_record?nct={r[0]})" for r in links[1:])
    comparison = table_with(dosing_part(at, "Comparison"), "Quote (verbatim)")
    assert not at.get("vega_lite_chart")  # one part at a time
    header = comparison[0]
    assert header[1] == "Source" and {r[1] for r in comparison[1:]} == {"curated"}
    quotes = {r[header.index("Quote (verbatim)")] for r in comparison[1:]}
    assert all(q != "not stated in source" for q in quotes)
    if "SLE" in inds:
        assert any("1 million units every other day subcutaneously" in q for q in quotes)


def test_a_click_on_a_point_opens_its_trial_record():
    at = open_page("dosing", [])
    at.session_state["_landscape_open"] = "NCT02464319"  # what the chart's on_select callback leaves
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.selectbox(key="nct").value == "NCT02464319"


def test_the_cumulative_chart_is_in_iu_and_says_it_converts():
    at = dosing_part(open_page("dosing", ["SLE"]), "Cumulative dose")
    charts = at.get("vega_lite_chart")
    # the one chart (the landscape and the calendar are tabs of their own)
    assert [vega.title(c) for c in charts] == ["Cumulative IL-2 dose over time (computed here from the stated schedule)"]
    lines = vega.layers(charts[0])[0]
    assert lines["encoding"]["y"]["title"] == "Cumulative IL-2 dose (IU)"
    # hrIL-2 1 million IU every other day for 14 days, 14 days' rest, 3 cycles: 21 doses, 21,000,000 IU
    ends = {r["arm"]: r["total"] for r in lines["rows"]}
    assert ends["NCT02465580 · hrIL-2 active"] == 21_000_000
    assert "converted to IU here" in text_of(at)


def test_the_chosen_trial_and_arm_carry_from_the_calendar_to_the_cumulative_dose():
    at = dosing_part(open_page("dosing", ["SLE"]), "Calendar")
    at.selectbox(key="dosing_trial").set_value("NCT05262686").run()
    arm = at.selectbox(key="dosing_arm_NCT05262686").options[-1]
    at.selectbox(key="dosing_arm_NCT05262686").set_value(arm).run()
    titles = [vega.chart_title(c) for c in vega.app_charts(at)]
    assert len(titles) == 1 and "NCT05262686" in titles[0] and arm in titles[0]
    dosing_part(at, "Cumulative dose")
    assert at.selectbox(key="dosing_trial").value == "NCT05262686"
    assert at.selectbox(key="dosing_arm_NCT05262686").value == arm
    rows = vega.layers(at.get("vega_lite_chart")[0])[0]["rows"]
    thickest = {r["arm"] for r in rows if r["chosen"]}  # drawn thicker (the chart's strokeWidth scale)
    assert len(thickest) == 1 and next(iter(thickest)).startswith(f"NCT05262686 · {arm}")


ALSO = pd.DataFrame([
    {"nct_id": "NCT00000101", "brief_title": "Basiliximab induction in kidney transplantation", "indication": "RA",
     "category": "receptor-antibody", "reason": "anti-IL-2 receptor antibody", "quote": "basiliximab",
     "path": "armsInterventionsModule.interventions[0].name", "source": "classifier"},
    {"nct_id": "NCT00000102", "brief_title": "Efavaleukin alfa in lupus", "indication": "SLE",
     "category": "engineered", "reason": "IL-2 mutein", "quote": "efavaleukin alfa, an IL-2 mutein",
     "path": "descriptionModule.briefSummary", "source": "classifier"},
    {"nct_id": "NCT00000103", "brief_title": "Denileukin diftitox", "indication": "SLE",
     "category": "fusion-toxin", "reason": "IL-2 fusion toxin", "quote": "denileukin diftitox", "path": None,
     "source": "reviewed"},
])


@pytest.fixture
def set_aside(monkeypatch):
    """The also-matched and engineered studies the data integration will give (until then TEMP gives none)."""
    from dashboard import data

    def also_matched(f):
        return ALSO if f.indications is None else ALSO[ALSO.indication.isin(f.indications)]

    def engineered_studies(f):
        return data.studies(f).head(1)  # a studies-shaped frame

    monkeypatch.setattr(data, "also_matched", also_matched)
    monkeypatch.setattr(data, "engineered_studies", engineered_studies)


@pytest.mark.parametrize("sel", list(SELECTIONS))
def test_also_matched_today_says_none_is_set_aside(sel):
    at = open_page("also_matched", SELECTIONS[sel])
    assert any("No study the registry query matched is set aside" in i.value for i in at.info)
    at.toggle(key="beside_engineered").set_value(True).run()
    assert not at.exception
    assert {m.label for m in at.metric} == {"Portfolio: low-dose IL-2 trials", "Engineered IL-2 trials"}


@pytest.mark.parametrize("sel", list(SELECTIONS))
def test_also_matched_lists_filters_and_searches(set_aside, sel):
    at = open_page("also_matched", SELECTIONS[sel])
    inds = set(SELECTIONS[sel]) or {"SLE", "RA", "pSS"}
    want = set(ALSO[ALSO.indication.isin(inds)].nct_id)
    if not want:
        assert any("No study the registry query matched is set aside" in i.value for i in at.info)
        return
    assert listed(table_with(at, "Quote (verbatim)")) == want
    labels = {"NCT00000101": "IL-2 receptor antibody", "NCT00000102": "Engineered IL-2",
              "NCT00000103": "IL-2 fusion toxin"}
    assert at.multiselect(key="also_category").options == [labels[n] for n in ALSO.nct_id if n in want]
    if "NCT00000102" in want:
        at.multiselect(key="also_category").set_value(["Engineered IL-2"]).run()
        assert listed(table_with(at, "Quote (verbatim)")) == {"NCT00000102"}
        at.text_input(key="also_q").set_value("basiliximab").run()
        assert any("No study set aside matches" in i.value for i in at.info)
        at.multiselect(key="also_category").set_value([]).run()
        at.text_input(key="also_q").set_value("MUTEIN").run()
        assert listed(table_with(at, "Quote (verbatim)")) == {"NCT00000102"}
    at.toggle(key="beside_engineered").set_value(True).run()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Engineered IL-2 trials"] == "1"
    assert any("never added to the portfolio" in c.value for c in at.caption)


def test_also_matched_keeps_its_choice_in_the_url(set_aside):
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["also_category"] = ["IL-2 fusion toxin", "Nonsense"]
    at.query_params["beside_engineered"] = "true"
    at.run()
    at.switch_page("app_pages/also_matched.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.multiselect(key="also_category").value == ["IL-2 fusion toxin"]
    assert at.toggle(key="beside_engineered").value is True
    assert any("category “Nonsense”" in w.value.replace("\\", "") for w in at.warning)
    assert listed(table_with(at, "Quote (verbatim)")) == {"NCT00000103"}


def test_dosing_part_is_kept_in_the_url():
    """A shared link opens the part it names (?dosing_show=Comparison); a value the page does not have is ignored
    with a notice, and the landscape shows."""
    for value, notice in (("Comparison", False), ("Everything", True)):
        at = opened_with("dosing", dosing_show=value)
        warned = " ".join(w.value for w in at.warning)
        assert ("tab “Everything”" in warned) is notice, warned
        if notice:
            assert landscape_charts(at) and not md_tables(at)
        else:
            assert not at.get("vega_lite_chart") and table_with(at, "Quote (verbatim)")
