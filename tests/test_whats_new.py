"""The "What's new" page and the registry's currency on the pages, over a database with changes made by
syncing from the protocol test server (tests/ctgov_server.py): AppTest for every indication filter, and
the page's pure functions on their data."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tests.sync_support import synced_for_app
from tests.test_app import APP, app_database, md_tables, text_of
from trialdb.registry.changes import list_changes
from trialdb.store.db import make_engine


@pytest.fixture(scope="module")
def synced(tmp_path_factory):
    """A database synced twice from the test server: 9 new real records, then NCT03418623 terminated and
    the registry record of seed trial NCT02465580 with another enrolment."""
    with synced_for_app(tmp_path_factory.mktemp("whats_new")) as url:
        engine = make_engine(url, readonly=True)
        try:
            changes = list_changes(engine)
        finally:
            engine.dispose()
        yield url, changes


def open_whats_new(indications: list[str] | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["study_type"] = ""  # every study type: the synced records include observational studies
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    if indications is not None:
        at.multiselect(key="indication").set_value(indications).run()
    at.switch_page("app_pages/whats_new.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_every_indication_filter(synced):
    url, changes = synced
    with app_database(url):
        options = list(AppTest.from_file(APP, default_timeout=60).run().multiselect(key="indication").options)
        assert {"SLE", "RA", "pSS", "Alcoholism", "CAD"} <= set(options)
        changed_trials = {c["nct_id"] for c in changes}
        for sel in [[o] for o in options] + [options, []]:
            at = open_whats_new(sel)  # [] is no indication chosen: every one (#15)
            txt = text_of(at)
            shown = {n for n in changed_trials if f"#### {n}" in txt.replace("\\", "")}
            if shown:
                assert len(at.get("plotly_chart")) == 1
                assert at.metric[1].value == str(len(shown))
            else:
                assert any("No change recorded for the trials that match the filter" in i.value for i in at.info)
                assert not at.get("plotly_chart")
            if sel in (options, []):
                assert shown == changed_trials


def test_newest_first_grouped_with_links_and_values(synced):
    url, _ = synced
    with app_database(url):
        at = open_whats_new()
        txt = text_of(at)
        # The second sync's changes come first: the terminated trial and the seed trial's new enrolment.
        first, second = txt.index("#### NCT"), txt.index("#### NCT", txt.index("#### NCT") + 1)
        assert {txt[first + 5 : first + 16], txt[second + 5 : second + 16]} == {"NCT03418623", "NCT02465580"}
        assert "Registry data as of" in txt and "last successful sync" in txt
        tables = md_tables(at)
        rows = {tuple(r[:3]) for t in tables for r in t[1:]}
        assert ("Overall status", "Completed", "Terminated") in rows
        assert ("Why stopped", "—", "Sponsor decision") in rows
        assert ("Enrolment", "10", "100") in rows or any(r[0] == "Enrolment" and r[2] == "100" for r in rows)
        assert any("[open record](trial_record?nct=NCT03418623)" in m.value for m in at.markdown)
        fig = json.loads(at.get("plotly_chart")[0].proto.spec)
        assert {t["name"] for t in fig["data"]} >= {"New trial", "Status"}
        assert at.get("download_button")


def test_trial_record_shows_where_the_registry_differs_from_the_seed(synced):
    url, _ = synced
    with app_database(url):
        at = AppTest.from_file(APP, default_timeout=60)
        at.run()
        at.switch_page("app_pages/trial_record.py").run()
        at.selectbox(key="nct").set_value("NCT02465580").run()
        assert not at.exception
        assert any(s.value == "Registry record differs from the seed document" for s in at.subheader)
        table = next(t for t in md_tables(at) if t[0] == ["Field", "Seed document", "Registry record"])
        enrol = next(r for r in table if r[0] == "Enrolment")
        assert enrol[2] == "100" and enrol[1] != "100"
        at.selectbox(key="nct").set_value("NCT02467504").run()  # no registry record: no such section
        assert not any(s.value == "Registry record differs from the seed document" for s in at.subheader)


def test_seed_only_database_says_what_the_page_will_show():
    at = open_whats_new()  # the session's database: the seeds, never synced
    info = " ".join(i.value for i in at.info)
    assert "not been synced" in info and "python -m trialdb sync" in info and "grouped by trial" in info
    assert not at.get("plotly_chart") and not at.metric
    assert any("has not been synced" in c.value for c in at.caption)


# The page's pure functions, on their data.
def _changes() -> pd.DataFrame:
    return pd.DataFrame({
        "nct_id": ["NCT1", "NCT1", "NCT2", "NCT3"],
        "brief_title": ["A", "A", "B", "C"], "indication": ["SLE", "SLE", "RA", "RA"],
        "field": ["protocolSection.statusModule.overallStatus", "protocolSection.designModule.phases", "study",
                  "hasResults"],
        "old": ['"RECRUITING"', '["PHASE1"]', None, "false"], "new": ['"COMPLETED"', '["PHASE1", "PHASE2"]', '"B"', "true"],
        "last_update": ["2024-03-01", "2024-03-01", "2023-11-20", None],
        "detected": ["2026-01-02T00:00:00.000Z", "2026-01-02T00:00:00.000Z", "2026-01-09T00:00:00.000Z",
                     "2026-01-02T00:00:00.000Z"],
    })


def test_trials_newest_first_with_readable_values():
    from dashboard.changes import trial_order, trial_table

    order = trial_order(_changes())
    assert list(order.nct_id) == ["NCT2", "NCT1", "NCT3"]
    assert list(order.new) == [True, False, False] and list(order.last_update[:2]) == ["2023-11-20", "2024-03-01"]
    t = trial_table(_changes(), "NCT1").values.tolist()
    assert t[0] == ["Overall status", "Recruiting", "Completed", "2026-01-02"]
    assert t[1][:3] == ["Phases", "Phase 1", "Phase 1, Phase 2"]
    assert trial_table(_changes(), "NCT3").values.tolist()[0][:3] == ["Results posted", "no", "yes"]
    assert trial_table(_changes(), "NCT2").values.tolist()[0][:3] == ["Trial", "—", "added to the portfolio"]
    assert trial_order(_changes().iloc[0:0]).empty


def test_a_missing_last_update_reads_as_a_sentence():
    from dashboard.changes import last_update_phrase, trial_order

    phrases = [last_update_phrase(u) for u in trial_order(_changes()).last_update]
    assert phrases == ["record last updated 2023-11-20", "record last updated 2024-03-01",
                       "the record does not say when it was last updated"]


def test_changes_over_time_figure():
    from dashboard.changes import by_month_and_kind, changes_over_time, undated

    by_month = pd.DataFrame({"month": ["2024-03", "2024-03", "2023-11", None],
                             "field": ["protocolSection.statusModule.overallStatus",
                                       "protocolSection.designModule.phases", "study", "hasResults"],
                             "changes": [2, 1, 5, 4]})
    frame = by_month_and_kind(by_month)
    assert undated(by_month) == 4  # no stated month: counted apart, not drawn at a made-up date
    fig = changes_over_time(frame)
    bars = {t.name: (list(t.y), [str(x)[:7] for x in t.x]) for t in fig.data}
    assert bars == {"New trial": ([5], ["2023-11"]), "Status": ([2], ["2024-03"]),
                    "Design and other": ([1], ["2024-03"])}
    assert fig.layout.barmode == "stack" and "last update" in fig.layout.title.text
    assert "lastUpdatePostDate" in fig.data[0].hovertemplate or fig.layout.xaxis.title.text.startswith("Month")
    assert fig.layout.xaxis.title.text and fig.layout.yaxis.title.text == "Changes"
    assert len({t.marker.color for t in fig.data}) == 3
