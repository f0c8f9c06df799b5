"""Every page in AppTest, from the entrypoint, for every indication, for all of them and for none
chosen (which means all): no exception, and the content the filter asks for."""

from __future__ import annotations

import contextlib
import json
import os

import pytest
from streamlit.testing.v1 import AppTest

from tests import vega
from tests.conftest import REPO
from tests.tables import glance_bars, page_tables, tables_text

APP = str(REPO / "app.py")
PAGES = ["overview", "timeline", "phase_status", "dosing", "outcomes", "evidence", "trial_record", "whats_new",
         "also_matched", "where_who"]
SELECTIONS = {"all": ["SLE", "RA", "pSS"], "SLE": ["SLE"], "RA": ["RA"], "pSS": ["pSS"], "none": []}
TRIALS = {"SLE": {"NCT02465580", "NCT05262686"}, "RA": {"NCT02467504"}, "pSS": {"NCT02464319"}}


@contextlib.contextmanager
def app_database(url: str):
    """Point the app (in this process) at another database for the block, with its caches cleared."""
    import streamlit as st

    previous = os.environ["TRIALDB_URL"]
    os.environ["TRIALDB_URL"] = url
    st.cache_resource.clear()
    st.cache_data.clear()
    try:
        yield
    finally:
        os.environ["TRIALDB_URL"] = previous
        st.cache_resource.clear()
        st.cache_data.clear()


def open_page(page: str, indications: list[str]) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    at.multiselect(key="indication").set_value(indications).run()
    if page != "overview":
        at.switch_page(f"app_pages/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.multiselect(key="indication").value == indications  # kept across the page switch
    return at


def opened_with(page: str, **params: str | list[str]) -> AppTest:
    """`page` opened from a shared link carrying the URL parameters `params` (a fresh session, as a link starts)."""
    at = AppTest.from_file(APP, default_timeout=60)
    for name, value in params.items():
        at.query_params[name] = value
    at.run()
    at.switch_page(f"app_pages/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def outcomes_part(at: AppTest, part: str) -> AppTest:
    """Open a tab of a publication on the Outcomes page (the URL keeps it as ?outcomes_part=)."""
    at.session_state["outcomes_part"] = part
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


DOSING_PARTS = ["Every IL-2 arm", "Calendar", "Cumulative dose", "Comparison", "What could not be read"]


def dosing_part(at: AppTest, part: str) -> AppTest:
    """Open a tab of the Dosing schedules page (as a click on it does; the URL keeps it as ?dosing_show=)."""
    at.session_state["dosing_show"] = part
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def expected_trials(indications):
    """An empty choice means every indication."""
    return set().union(*(TRIALS[i] for i in (indications or TRIALS)))


def text_of(at) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [i.value for i in at.info]
    parts += [w.value for w in at.warning] + [t.value for t in at.title] + [h.value for h in at.subheader]
    return "\n".join(str(x) for x in parts).replace("\\", "") + "\n" + tables_text(at)  # as rendered: no escapes


def md_tables(at) -> list[list[list[str]]]:
    """The page's tables (HTML from dashboard.ui.table, or Markdown inside a Markdown element): each a list of
    rows of cells as rendered (escapes removed, a link as "[text](target)"), the header row first."""
    return page_tables(at)


def table_text(at) -> str:
    """Every table's cells as plain text."""
    return "\n".join(",".join(r) for t in md_tables(at) for r in t)


def breakdown(at) -> str:
    """The Phase and status page's breakdown as its charts draw it (the x axis of the second, the first has
    none), after checking that the tab draws its two Vega-Lite charts: trials, then participants."""
    assert not at.get("plotly_chart")
    trials, participants = (vega.layers(c)[0]["encoding"] for c in at.get("vega_lite_chart"))
    assert (trials["y"]["title"], participants["y"]["title"]) == ("Trials", "Participants planned")
    assert trials["x"]["title"] is None
    return participants["x"]["title"]


@pytest.mark.parametrize("sel", list(SELECTIONS))
@pytest.mark.parametrize("page", PAGES)
def test_page_runs_for_every_filter(page, sel):
    at = open_page(page, SELECTIONS[sel])
    inds = SELECTIONS[sel] or list(TRIALS)  # none chosen: every indication
    tables = table_text(at)
    if page == "overview":
        assert {int(m.value) if str(m.value).isdigit() else m.value for m in at.metric[:1]} == {len(expected_trials(inds))}
        for nct in expected_trials(inds):
            assert nct in tables
        for nct in expected_trials(list(TRIALS)) - expected_trials(inds):
            assert nct not in tables
    if page == "phase_status":  # one breakdown at a time (a tab each): by phase first, then by status
        for by in ("Phase", "Status"):
            assert breakdown(at) == by and md_tables(at)[0][0][0] == by
            at.session_state["phase_status_by"] = "By status"
            at.run()
            assert not at.exception
    if page == "timeline":
        txt = text_of(at)
        assert "Dates not stated in source" in txt
        if "SLE" in inds:
            assert [vega.chart_title(c) for c in vega.app_charts(at)] == [
                "Trial periods, from stated start to stated completion"] and "NCT02465580" in tables
        else:
            assert not vega.app_charts(at) and "No trial in this selection states a start date" in txt
    if page == "dosing":  # the landscape first, one chart; the calendar and cumulative dose a tab away
        assert [vega.chart_title(c)[:15] for c in vega.app_charts(at)] == ["Every IL-2 arm:"]
        dosing_part(at, "Calendar")
        assert at.selectbox(key="dosing_trial").value in expected_trials(inds)
    if page == "outcomes":
        if "SLE" in inds:  # a publication's parts a tab each: the primary endpoint as published first
            titles = [vega.chart_title(c) for c in vega.app_charts(at)]  # a chart per measure, in Vega-Lite
            assert titles == ["SRI-4 response, IL-2 vs placebo"] and not at.get("plotly_chart")
            assert "The primary endpoint was not met at week 12." in text_of(at) and not md_tables(at)
            assert ("other outcomes, on the *Other outcomes* tab: Complete remission in lupus nephritis; Serious "
                    "infections (safety).") in text_of(at)
            outcomes_part(at, "Other outcomes")
            assert [vega.chart_title(c) for c in vega.app_charts(at)] == [
                "Complete remission in lupus nephritis, IL-2 vs placebo", "Serious infections (safety), IL-2 vs placebo"]
            assert "the paper states the number of events only" in text_of(at)
            outcomes_part(at, "Risk differences (computed here)")
            assert len(at.get("plotly_chart")) == 1 and "Newcombe" in text_of(at)
            assert md_tables(at)[0][0][:2] == ["Outcome", "Comparison"]
            outcomes_part(at, "The numbers")
            assert not vega.app_charts(at) and "55.17" in str(md_tables(at))
            outcomes_part(at, "Citation")
            assert "CC BY" in text_of(at) and "outcomes[" in text_of(at)  # the source sentences, by path
        else:
            assert any("No published outcomes match the filter" in i.value for i in at.info)
    if page == "trial_record":
        assert at.selectbox(key="nct").value in expected_trials(inds)
        assert "Reporting status:" in text_of(at)
    if page == "evidence":  # every trial of the selection in the reporting table, no other
        rows = md_tables(at)[0]
        assert rows[0][:2] == ["NCT id", "Title"]
        assert {r[0] for r in rows[1:]} == expected_trials(inds)
        assert [vega.chart_title(c) for c in vega.app_charts(at)] == [
            "Trials by year of primary completion, coloured by reporting status"]
    if page == "where_who":  # the map first (the seed SLE trial's Beijing site has no geoPoint: China shaded, no
        # circle); countries and sponsors a tab each, only the selection's
        [chart] = at.get("vega_lite_chart")
        assert vega.chart_title(vega.spec(chart)).startswith("Where the selection's trials run")
        [rows] = vega.lookup_rows(chart)
        shaded = {r["atlas"]: r["trials"] for r in rows}
        assert shaded == ({"China": 1} if "SLE" in inds else {})
        assert ("0 of 1 sites are on the map" if "SLE" in inds else "0 of 0 sites are on the map") in text_of(at)
        at.session_state["where_who_show"] = "Countries"
        at.run()
        assert not at.exception
        assert ("China" in table_text(at)) == ("SLE" in inds)
        at.session_state["where_who_show"] = "Sponsors"
        at.run()
        assert not at.exception
        sponsors = {r[0].partition("](")[0].lstrip("[") for r in md_tables(at)[0][1:]}
        assert ("Monash University" in sponsors) == ("SLE" in inds) and "Peking University" in sponsors


@pytest.mark.parametrize("page", PAGES)
def test_a_filter_no_trial_matches_is_an_empty_state(page):
    at = open_page(page, [])
    at.multiselect(key="phase").set_value(["PHASE3"]).run()  # the one Phase 3 trial is not completed
    at.multiselect(key="status").set_value(["COMPLETED"]).run()
    assert not at.exception, [e.value for e in at.exception]
    if page == "outcomes":
        assert any("No published outcomes match the filter" in i.value for i in at.info)
    else:
        assert any("No trials match the current filter" in i.value and "none chosen means every one" in i.value
                   for i in at.info)
    assert not vega.app_charts(at)
    # Nothing but what a page asks Streamlit to show: with Streamlit's "magic" on, the Outcomes page's empty
    # state (a conditional expression of two calls returning None) also showed a stray "None".
    assert not [m.value for m in at.markdown if m.value.strip("`") == "None"]


def trials_metric(at) -> str:
    return next(m.value for m in at.metric if m.label == "Trials")


def test_the_four_filters_start_empty_meaning_every_one():
    """Disease area, indication, phase and status alike: nothing chosen, a placeholder saying "All ...", every
    trial; choosing every phase again is every phase, and clearing the choice is every phase too."""
    at = open_page("overview", [])
    placeholders = {k: at.multiselect(key=k).proto.placeholder for k in ("area", "indication", "phase", "status")}
    assert placeholders == {"area": "All areas", "indication": "All indications", "phase": "All phases",
                            "status": "All statuses"}
    assert all(at.multiselect(key=k).value == [] for k in placeholders)
    f = at.session_state["_filters"]
    assert (f.indications, f.phases, f.statuses) == (None, None, None) and trials_metric(at) == "4"
    assert "phase" not in at.query_params and "status" not in at.query_params
    at.multiselect(key="phase").set_value(["PHASE3"]).run()
    assert at.session_state["_filters"].phases == ("PHASE3",) and trials_metric(at) == "1"
    at.multiselect(key="phase").set_value(["PHASE3", "PHASE2"]).run()  # every phase there is: every phase
    assert at.session_state["_filters"].phases is None and trials_metric(at) == "4"
    at.multiselect(key="phase").set_value([]).run()
    assert at.session_state["_filters"].phases is None and trials_metric(at) == "4"
    assert not at.exception


def open_link(**params: list[str]) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for name, values in params.items():
        at.query_params[name] = values
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_old_links_choosing_phases_and_statuses_still_open_their_view():
    """Links made when Phase and Status started with every value chosen: the values a link lists are chosen
    (labels as the URL holds them); a link listing every value means every value; an unknown value is
    ignored with a visible notice, the rest of the link kept."""
    at = open_link(phase=["Phase 3"])
    assert at.multiselect(key="phase").value == ["PHASE3"] and at.multiselect(key="status").value == []
    assert at.session_state["_filters"].phases == ("PHASE3",) and trials_metric(at) == "1"
    assert "NCT05262686" in table_text(at) and "NCT02465580" not in table_text(at)

    at = open_link(phase=["Phase 2", "Phase 3"], status=["Completed", "Unknown"])
    assert sorted(at.multiselect(key="phase").value) == ["PHASE2", "PHASE3"]
    f = at.session_state["_filters"]
    assert (f.phases, f.statuses) == (None, None) and trials_metric(at) == "4"

    at = open_link(phase=["Phase 9"], status=["Completed"])
    notices = [w.value for w in at.warning]
    assert any("The link asked for phase “Phase 9”" in w and "ignored" in w for w in notices), notices
    assert at.multiselect(key="phase").value == [] and at.multiselect(key="status").value == ["COMPLETED"]
    f = at.session_state["_filters"]
    assert (f.phases, f.statuses) == (None, ("COMPLETED",)) and trials_metric(at) == "2"


def test_overview_headline_numbers():
    at = open_page("overview", SELECTIONS["all"])
    metrics = {m.label: m.value for m in at.metric}
    assert metrics == {"Trials": "4", "Indications": "3", "Participants planned": "177", "Completed, of 4": "2"}
    assert "55.17% (IL-2) vs 30.00% (Placebo), p=0.052" in text_of(at)
    assert any(b.label == "Download CSV" for b in at.get("download_button")) or at.get("download_button")


def test_sri4_figure_carries_published_numbers():
    at = open_page("outcomes", ["SLE"])
    chart = at.get("vega_lite_chart")[0]
    assert vega.title(chart) == "SRI-4 response, IL-2 vs placebo"
    layers = vega.layers(chart)
    assert [layer["mark"] for layer in layers] == ["bar", "rule", "tick", "tick", "text", "text", "text"]
    # Whisker and caps, the labels (a halo, then the text), the p-values: the numbers as the browser gets them.
    assert [r["label"] for r in layers[5]["rows"]] == ["55.17%", "30.00%", "65.52%", "36.67%"]
    assert [r["text"] for r in layers[6]["rows"]] == ["p=0.052 (published)\nprimary endpoint", "p=0.027 (published)"]


def test_trial_record_shows_sources_and_document():
    at = open_page("trial_record", ["SLE"])
    at.selectbox(key="nct").set_value("NCT05262686").run()
    at.toggle(key="show_sources").set_value(True).run()
    assert not at.exception
    txt = text_of(at)
    assert "Peking2021SLE" in txt and "not stated in source" in txt
    assert any("10 estimated patients" in c.value.replace("\\", "") for c in at.caption)  # the enrolment's source sentence
    # The source document is drawn only when its expander is opened (issue 21: it cost a fifth of a second of
    # every load's drawing), and then in full.
    assert not at.get("code")
    at.session_state["record_document"] = True
    at.run()
    assert not at.exception
    assert any("ClinicalTrials.Veeva" in c.value for c in at.get("code"))


def calendar_layers(at) -> list[dict]:
    """The layers of the dosing page's calendar chart, with the rows the browser gets."""
    return vega.layers(next(c for c in at.get("vega_lite_chart") if "Administration calendar" in vega.title(c)))


def test_dosing_placebo_and_background(engine):
    at = dosing_part(open_page("dosing", ["RA"]), "Calendar")
    notes = [r["text"] for layer in calendar_layers(at) if layer["mark"] == "text" for r in layer["rows"]]
    assert notes.count("dose and schedule\nnot stated in source") == 3
    at.selectbox(key="dosing_arm_NCT02467504").set_value("Placebo Comparator").run()
    marks = [layer for layer in calendar_layers(at) if layer["mark"] == "point"]
    placebo = [layer for layer in marks if any(r["name"].endswith("(placebo)") for r in layer["rows"])]
    assert len(placebo) == 1 and len(placebo[0]["rows"]) == 21
    assert placebo[0]["style"]["filled"] is False  # hollow marks: no active dose


def test_the_app_opens_the_database_read_only():
    import pytest
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    from dashboard import data

    open_page("overview", SELECTIONS["all"])
    eng = data.engine()
    with eng.connect() as conn:
        if eng.dialect.name == "sqlite":
            assert "mode=ro" in str(eng.url) and conn.execute(text("PRAGMA query_only")).scalar() == 1
        else:
            assert conn.execute(text("SHOW default_transaction_read_only")).scalar() == "on"
    with pytest.raises(DBAPIError), eng.begin() as conn:
        conn.execute(text("UPDATE studies SET brief_title = 'x'"))


@pytest.mark.sqlite_only
def test_imported_trials_appear_and_pages_say_what_they_lack(tmp_path, db_path):
    """A low-dose IL-2 trial imported from the registry shows on every page like the seeded ones, its regimen
    read from its record; the real records of a search page that give no IL-2 (Phelan-McDermid syndrome) are
    set aside: listed on Also matched with why, counted nowhere else, their record still open by link."""
    import shutil

    from trialdb.registry.importer import import_files
    from trialdb.store.db import make_engine

    db = tmp_path / "imported.sqlite3"
    shutil.copy(db_path, db)
    engine = make_engine(f"sqlite:///{db}")
    import_files(engine, [REPO / "tests" / "fixtures" / "ctgov" / "search_page_phelan.json",
                          REPO / "tests" / "fixtures" / "dosing_records" / "NCT95000001.json"])
    engine.dispose()
    with app_database(f"sqlite:///{db}"):
        at = AppTest.from_file(APP, default_timeout=60)
        at.run()
        assert not at.exception
        options = at.multiselect(key="indication").options
        assert "T1D" in options and "Phelan-McDermid Syndrome" not in options
        assert {m.label: m.value for m in at.metric}["Trials"] == "5"  # four seeds and the IL-2 trial
        for page in PAGES[1:]:
            at.switch_page(f"app_pages/{page}.py").run()
            assert not at.exception, (page, [e.value for e in at.exception])
        at.switch_page("app_pages/also_matched.py").run()
        assert "5 of 5 studies set aside" in text_of(at) and "IL-2 not given" in text_of(at)
        dosing_part(at.switch_page("app_pages/dosing.py"), "Comparison")
        assert "read from the registry record" in text_of(at)
        at.switch_page("app_pages/outcomes.py").run()
        assert "have no published outcomes in the database" in text_of(at)
        page = json.loads((REPO / "tests" / "fixtures" / "ctgov" / "search_page_phelan.json").read_text())
        at = AppTest.from_file(APP, default_timeout=60)  # a link to a set-aside trial's record
        at.query_params["nct"] = page["studies"][0]["protocolSection"]["identificationModule"]["nctId"]
        at.run()
        at.switch_page("app_pages/trial_record.py").run()
        assert not at.exception
        assert "No structured dosing regimen for this trial" in text_of(at)
        assert "not in the low-dose IL-2 portfolio" in text_of(at)


@pytest.mark.sqlite_only
def test_a_large_portfolio_is_paged_and_aggregated(tmp_path):
    """300 synthetic trials: every page runs; long tables show 25 rows a page and the page widget moves
    through them; the phase table has one row per phase; colours stay one per indication."""
    from dashboard.ui import PAGE_ROWS
    from trialdb.synthetic import generate

    db = tmp_path / "synthetic.sqlite3"
    generate(f"sqlite:///{db}", n=300)
    with app_database(f"sqlite:///{db}"):
        at = AppTest.from_file(APP, default_timeout=60)
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        first = md_tables(at)[0][1:]
        assert len(first) == PAGE_ROWS and not at.dataframe and not at.table
        assert any("Rows 1–25 of 300" in c.value for c in at.caption)
        at.number_input(key="overview_trials_page").set_value(12).run()
        last = md_tables(at)[0][1:]
        assert len(last) == 300 - 11 * PAGE_ROWS and {r[0] for r in last}.isdisjoint(r[0] for r in first)
        assert any("Rows 276–300 of 300" in c.value for c in at.caption)
        at.multiselect(key="indication").set_value(["SLE"]).run()  # fewer pages now: back within range
        assert not at.exception and at.number_input(key="overview_trials_page").value <= at.number_input(
            key="overview_trials_page").proto.max
        for page in PAGES[1:]:
            at.switch_page(f"app_pages/{page}.py").run()
            assert not at.exception, (page, [e.value for e in at.exception])
        at.multiselect(key="indication").set_value(list(at.multiselect(key="indication").options)).run()
        at.switch_page("app_pages/phase_status.py").run()
        header, *phases = md_tables(at)[0]
        assert header[0] == "Phase" and len({r[0] for r in phases}) == len(phases) <= 8
        colours = vega.series_colours(at.get("vega_lite_chart")[0])
        assert len(set(colours.values())) == len(colours) > 3


def test_a_table_cut_short_by_its_query_says_so():
    def script():
        import pandas as pd

        from dashboard import ui

        ui.table(pd.DataFrame({"NCT id": [f"NCT{i:08d}" for i in range(30)]}), "cut", "cut.csv", matching=2035)

    at = AppTest.from_function(script, default_timeout=30).run()
    assert not at.exception, [e.value for e in at.exception]
    captions = [c.value for c in at.caption]
    assert "2,035 match the filter; this table and its CSV hold the first 30. Narrow the filter to reach the others." in captions
    assert any("Rows 1–25 of 30" in c and "the CSV download has all 30." in c for c in captions)


@pytest.mark.sqlite_only
def test_limited_queries_count_every_match(tmp_path):
    from trialdb import queries
    from trialdb.store.db import make_engine
    from trialdb.synthetic import generate

    generate(f"sqlite:///{tmp_path / 'synthetic.sqlite3'}", n=200)
    engine = make_engine(f"sqlite:///{tmp_path / 'synthetic.sqlite3'}", readonly=True)
    f = queries.Filters(tuple(c for c, _, _ in queries.filter_options(engine)["indications"]))
    for query in (queries.undated, queries.trials_without_regimen, queries.timeline):
        rows, total = query(engine, f, limit=1)
        assert len(rows) == 1 and total > 1, (query.__name__, total)
    engine.dispose()


def test_phase_and_status_tab_is_kept_in_the_url():
    """A shared link opens the breakdown it names (?phase_status_by=By+status); a value the page does not have
    is ignored with a notice, and the first tab shows."""
    for value, by, notice in (("By status", "Status", False), ("By sponsor", "Phase", True)):
        at = opened_with("phase_status", phase_status_by=value)
        assert breakdown(at) == by and md_tables(at)[0][0][0] == by
        warned = " ".join(w.value for w in at.warning)
        assert ("tab “By sponsor”" in warned) is notice, warned


def test_a_publications_part_is_kept_in_the_url():
    """A shared link opens the part of a publication it names (?outcomes_part=The+numbers); a value the page does
    not have is ignored with a notice, and the publication opens as published."""
    for value, notice in (("The numbers", False), ("Everything", True)):
        at = opened_with("outcomes", outcomes_part=value)
        warned = " ".join(w.value for w in at.warning)
        assert ("tab “Everything”" in warned) is notice, warned
        charts = [vega.chart_title(c) for c in vega.app_charts(at)]
        if notice:
            assert charts[0] == "SRI-4 response, IL-2 vs placebo" and not md_tables(at)
        else:
            assert not charts and "55.17" in str(md_tables(at))


def test_timeline_tables_a_tab_each_kept_in_the_url():
    """The dates, the milestones and the trials without dates a tab each: a shared link opens the one it names
    (?timeline_table=Milestones); a value the page does not have is ignored with a notice, and the dates show."""
    seen = {}
    for value in ("Dates as stated", "Milestones", "Dates not stated in source", "Sponsors"):
        at = opened_with("timeline", timeline_table=value)
        assert len(vega.app_charts(at)) == 1  # the chart above the tabs, whichever is open
        warned = " ".join(w.value for w in at.warning)
        assert ("tab “Sponsors”" in warned) is (value == "Sponsors"), warned
        seen[value] = md_tables(at)[0]
    assert seen["Dates as stated"] == seen["Sponsors"] and seen["Dates as stated"][0][:3] == ["NCT id", "Indication",
                                                                                                "Status"]
    assert seen["Milestones"][0] == ["Trial", "Milestone", "Date", "Detail"] and len(seen["Milestones"]) > 1
    undated = seen["Dates not stated in source"]
    assert undated[0] == seen["Dates as stated"][0] and len(undated) > 1
    assert all("not stated in source" in (r[3], r[4]) for r in undated[1:])
    assert {r[0] for r in undated[1:]}.isdisjoint(r[0] for r in seen["Dates as stated"][1:] if r[3] != "not stated in source")


COMPARED = ["NCT02465580", "NCT05262686", "NCT02467504"]


def test_compare_three_trials_a_part_at_a_time_kept_in_the_url():
    """Compare with three trials from a shared link: the facts side by side first; the dosing calendar and the
    published outcomes a tab each (?compare_show=); a value the page does not have is ignored with a notice."""
    def opened(show: str | None) -> AppTest:
        at = opened_with("compare", nct=COMPARED, **({"compare_show": show} if show else {}))
        assert at.multiselect(key="nct").value == COMPARED
        return at

    at = opened(None)
    facts = md_tables(at)[0]
    assert facts[0][1:] == COMPARED and not vega.app_charts(at)
    assert [p.label for p in at.get("page_link")][-3:] == [f"Full record of {n}" for n in COMPARED]
    at = opened("Dosing on one time axis")
    charts = [vega.chart_title(c) for c in vega.app_charts(at)]
    assert charts == ["Dosing calendars of the chosen trials"]
    assert not md_tables(at)  # the regimens in numbers: under an expander, made when it opens
    at.session_state["compare_dosing_open"] = True
    at.run()
    assert {r[0].split(" · ")[0] for r in md_tables(at)[0][1:]} <= set(COMPARED) and len(md_tables(at)[0]) > 3
    # each regimen with its source, schedule in words and verbatim quote, as the Dosing page's comparison (issue 32)
    header = md_tables(at)[0][0]
    assert {"Source", "Schedule", "Quote (verbatim)", "Not stated or not read"} <= set(header)
    rows = md_tables(at)[0][1:]
    assert {r[header.index("Source")] for r in rows} <= {"curated", "read from the registry record"}
    assert any("1 million" in r[header.index("Quote (verbatim)")] for r in rows)
    at = opened("Published outcomes")
    outcomes = md_tables(at)[0]
    assert outcomes[0][0] == "NCT id" and "55.17" in str(outcomes) and not vega.app_charts(at)
    at = opened("Everything")
    assert any("tab “Everything”" in w.value for w in at.warning)
    assert md_tables(at)[0] == facts


def test_the_filter_guide_is_made_when_opened_and_counts_what_the_filter_offers():
    """The sidebar's "How the search and filter work" (the widgets' former help tooltips): closed, nothing of it
    is sent; opened, it says how the search and the filter work and how many trials each value has, from the
    same counts the filter offers."""
    at = open_page("overview", [])
    assert "Finds trials by NCT id" not in text_of(at)
    at.session_state["filter_guide_open"] = True
    at.run()
    assert not at.exception
    guide = "\n".join(m.value for m in at.sidebar.markdown)
    assert "a word matches the start of a word (“belim” finds belimumab)" in guide
    assert "Choosing a disease area chooses all its indications" in guide
    assert "- SLE: Systemic lupus erythematosus, 2 trial(s)" in guide and "- RA: Rheumatoid arthritis, 1 trial(s)" in guide
    assert "- rheumatology: Rheumatology, 3 indication(s), 4 trial(s)" in guide
    assert "- Phase 2: 3 trial(s)\n- Phase 3: 1 trial(s)" in guide and "- Completed: 2 trial(s)\n- Unknown: 2 trial(s)" in guide
    at.session_state["filter_guide_open"] = False
    at.run()
    assert "Finds trials by NCT id" not in text_of(at)


def glance(at) -> dict[str, dict[str, int]]:
    """The overview's three charts at a glance (issue 33) as drawn: each chart's title -> its bars' label -> trials."""
    (charts,) = [c for h in at.html if (c := glance_bars(str(h.value)))]
    assert len(charts) == 3
    return {title: {b.label: b.trials for b in bars} for title, bars in charts.items()}


def click_bar(at, title: str, label: str) -> AppTest:
    """A click on the bar `label` of the overview's chart `title`, as the browser follows its link: a new session
    opened at the link's URL (its relative target, "./?status=Completed&...", read as the query parameters)."""
    from urllib.parse import parse_qs, urlsplit

    (charts,) = [c for h in at.html if (c := glance_bars(str(h.value)))]
    (href,) = [b.href for b in charts[title] if b.label == label]
    assert href and href.startswith("./?")
    return open_link(**parse_qs(urlsplit(href).query, keep_blank_values=True))


def url_values(at, param: str) -> list[str]:
    """The values the page's URL holds for `param` (AppTest keeps one value as a string)."""
    value = at.query_params.get(param, [])
    return [value] if isinstance(value, str) else list(value)


def test_the_overview_at_a_glance_counts_the_selection():
    """Trials by indication, status and year of stated start, above the table: each chart's bars add up to the
    trials that match; a trial whose sources state no start date is counted under "not stated", and said so."""
    at = open_page("overview", [])
    assert glance(at) == {"Trials by indication": {"SLE": 2, "RA": 1, "pSS": 1},
                          "Trials by status": {"Completed": 2, "Unknown": 2},
                          "Trials by year of stated start": {"2015": 1, "not stated": 3}}
    text = text_of(at)
    assert "3 trials of the selection state no start date: counted under “not stated”, never given a year" in text
    assert "reach it with Tab and press Enter" in text
    at.multiselect(key="indication").set_value(["RA"]).run()
    assert glance(at) == {"Trials by indication": {"RA": 1}, "Trials by status": {"Completed": 1},
                          "Trials by year of stated start": {"not stated": 1}}
    assert "1 trial of the selection states no start date" in text_of(at)


def test_a_click_on_a_bar_filters_as_the_sidebar_does_and_the_url_keeps_it():
    at = click_bar(open_page("overview", []), "Trials by status", "Completed")
    assert at.multiselect(key="status").value == ["COMPLETED"] and url_values(at, "status") == ["Completed"]
    assert at.session_state["_filters"].statuses == ("COMPLETED",) and trials_metric(at) == "2"
    assert glance(at)["Trials by status"] == {"Completed": 2}
    # An indication: the area chosen is cleared (an area and an indication together mean both); the status kept.
    at.multiselect(key="area").set_value(["rheumatology"]).run()
    at = click_bar(at, "Trials by indication", "pSS")
    assert at.multiselect(key="indication").value == ["pSS"] and at.multiselect(key="area").value == []
    assert url_values(at, "indication") == ["pSS"] and "area" not in at.query_params
    assert at.multiselect(key="status").value == ["COMPLETED"]
    assert trials_metric(at) == "1" and "NCT02464319" in table_text(at)
    # A year, and the trials whose sources state none: the sidebar's Year of start shows it, the URL keeps it.
    at = click_bar(open_page("overview", []), "Trials by year of stated start", "2015")
    assert at.multiselect(key="start_year").value == ["2015"] and url_values(at, "start_year") == ["2015"]
    assert trials_metric(at) == "1" and "NCT02465580" in table_text(at)
    at.multiselect(key="start_year").set_value([]).run()
    at = click_bar(at, "Trials by year of stated start", "not stated")
    assert url_values(at, "start_year") == ["not stated"] and trials_metric(at) == "3"
    assert "NCT02465580" not in table_text(at)
    # The search and every study type are kept by a click.
    at = opened_with("overview", q="lupus", study_type="")
    at = click_bar(at, "Trials by status", "Unknown")
    assert at.text_input(key="q").value == "lupus" and at.multiselect(key="study_type").value == []
    assert at.multiselect(key="status").value == ["UNKNOWN"] and trials_metric(at) == "2"


def test_a_year_of_start_link_filters_every_page_and_a_bad_one_is_a_notice():
    at = open_link(start_year=["2015"])
    assert at.multiselect(key="start_year").value == ["2015"] and trials_metric(at) == "1"
    at.switch_page("app_pages/timeline.py").run()
    assert not at.exception and at.session_state["_filters"].start_years == ("2015",)
    at = open_link(start_year=["1850", "not stated"])
    notices = [w.value for w in at.warning]
    assert any("The link asked for year of start “1850”" in w and "ignored" in w for w in notices), notices
    assert at.multiselect(key="start_year").value == ["not stated in source"] and trials_metric(at) == "3"
