"""The Outcomes page in AppTest over a database holding the seeds and real registry records: a trial with
registry results, one with a publication only (the seed SLE trial) and one with neither, each opened by
link for every indication filter; the measure chart, posted analyses, tables and the cross-trial chart."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from tests import portfolio_support, vega
from tests.results_db import NEITHER, PUBLICATION_ONLY, WITH_RESULTS, build_results_database
from tests.test_app import APP, app_database, md_tables, text_of
from trialdb.queries import filter_options
from trialdb.store.db import make_engine


@pytest.fixture(scope="module")
def results_app_url(tmp_path_factory):
    return build_results_database(tmp_path_factory.mktemp("results_app"), "trials_results_app")


def selections(url: str) -> dict[str, list[str]]:
    engine = make_engine(url, readonly=True)
    codes = [c for c, _, _ in filter_options(engine)["indications"]]
    engine.dispose()
    return {"all": codes, **{c: [c] for c in codes}, "none": []}


def outcomes_page(indications: list[str], nct: str, **params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["outcomes_nct"] = nct  # as the trial record's link opens it
    at.query_params["study_type"] = ""  # every study type: some records with posted results are observational
    for name, value in params.items():  # e.g. the section or the registry results' tab, as a shared link has them
        at.query_params[name] = value
    at.run()
    at.multiselect(key="indication").set_value(indications).run()
    at.switch_page("app_pages/outcomes.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def charts(at) -> list[dict]:
    return vega.app_charts(at)


def test_every_filter_and_every_kind_of_trial(results_app_url):
    with app_database(results_app_url):
        sels = selections(results_app_url)
        assert {"SLE", "RA", "pSS"} <= set(sels) and len(sels) >= 7
        for name, inds in sels.items():
            for nct in (WITH_RESULTS[0], PUBLICATION_ONLY, NEITHER):
                at = outcomes_page(inds, nct)
                assert at.selectbox(key="outcomes_trial").value == nct, (name, nct)
                txt = text_of(at)
                tables = "\n".join(",".join(r) for t in md_tables(at) for r in t)
                titles = [vega.chart_title(c) for c in charts(at)]
                if nct == WITH_RESULTS[0]:  # its registry results shown first: it has no publication
                    assert f"No publication with outcomes for {nct}" in txt
                    assert "As posted on ClinicalTrials.gov on 2017-06-05" in txt
                    assert f"https://clinicaltrials.gov/study/{nct}?tab=results" in txt
                    assert "BMI" in titles[0] and "19.63" in tables and "15.56 to 22.64" in tables
                    assert "Placebo,0 of 8" not in tables  # adverse events are a tab of their own, not drawn
                elif nct == PUBLICATION_ONLY:
                    assert f"No results posted on ClinicalTrials.gov for {nct}" in txt
                    assert "As published in" in txt and "SRI-4 response, IL-2 vs placebo" in titles
                    at.session_state["outcomes_part"] = "The numbers"  # as a click on the tab does
                    at.run()
                    assert "55.17" in "\n".join(",".join(r) for t in md_tables(at) for r in t)
                else:
                    assert f"No publication with outcomes for {nct}" in txt
                    assert f"No results posted on ClinicalTrials.gov for {nct}" in txt
                    assert not any("BMI" in t or "SRI-4" in t for t in titles)
                assert not any("across trials" in t for t in titles)  # drawn only when asked for
            # Adverse events compared across the filtered trials, when two or more posted them.
            at.radio(key="outcomes_show").set_value("Across trials").run()
            assert not at.exception
            across = [vega.chart_title(c) for c in charts(at)]
            # NCT05594173's "Dysphagia" is the registry's MeSH descriptor "Deglutition Disorders" (#11), and no
            # indication chosen means every one (#15).
            both = not inds or {"Cystic Fibrosis Related Diabetes", "Deglutition Disorders"} <= set(inds)
            assert len(across) == (1 if both else 0) and all("across trials" in t for t in across), (name, across)
            if not both:
                assert "Fewer than two trials that match the filter posted serious adverse events" in text_of(at)


def table_text(at) -> str:
    return "\n".join(",".join(r) for t in md_tables(at) for r in t)


def test_measure_choice_other_measures_and_adverse_events(results_app_url):
    with app_database(results_app_url):
        at = outcomes_page(selections(results_app_url)["all"], WITH_RESULTS[1])
        measures = at.selectbox(key=f"measure_{WITH_RESULTS[1]}")
        assert [o.split(" · ")[0] for o in measures.options] == ["Primary", "Primary"]
        assert "Number of Chewing Cycles Per Bolus" in vega.chart_title(charts(at)[0])
        measures.select_index(1).run()
        assert not at.exception
        assert "Total Chewing Duration Per Bolus" in vega.chart_title(charts(at)[0])
        assert len(charts(at)) == 1  # the other tabs' charts are not drawn
        # Every measure in a table, made when its expander opens (a trial may post hundreds).
        n_tables = len(md_tables(at))
        at.session_state["all_measures_open"] = True
        at.run()
        assert not at.exception and len(md_tables(at)) == n_tables + 1
        every = "\n".join(",".join(r) for r in md_tables(at)[-1])
        assert "Number of Chewing Cycles Per Bolus" in every and "Total Chewing Duration Per Bolus" in every
        at.session_state["results_part"] = "Participant flow"  # as a click on the tab does
        at.run()
        assert not at.exception and not charts(at)
        assert "Participants, as posted." in text_of(at) and "STARTED" in table_text(at)
        at.session_state["results_part"] = "Adverse events"
        at.run()
        assert not at.exception
        tables = table_text(at)
        assert "Other,Digestive complaints,Gastrointestinal disorders,1 of 18" in tables
        other = [c for c in charts(at) if "Other adverse events" in vega.chart_title(c)]
        assert len(other) == 1 and other[0]["data"][0]["text"] == ["1 of 18"]
        at.selectbox(key=f"ae_sort_{WITH_RESULTS[1]}").set_value("Term").run()
        assert not at.exception
        # Opened by a shared link to the tab: deaths, serious, other, each affected of at risk.
        at = outcomes_page(selections(results_app_url)["all"], WITH_RESULTS[0], results_part="Adverse events")
        assert "Placebo,0 of 8,0 of 8,0 of 8" in table_text(at)


def test_a_shared_link_opens_its_section_and_a_new_trial_opens_on_what_it_has(results_app_url):
    with app_database(results_app_url):
        at = outcomes_page(selections(results_app_url)["all"], PUBLICATION_ONLY, outcomes_show="Across trials")
        assert at.radio(key="outcomes_show").value == "Across trials"
        assert at.selectbox(key="across_compare").value == "Serious adverse events"
        at.selectbox(key="outcomes_trial").set_value(WITH_RESULTS[0]).run()  # registry results only
        assert at.radio(key="outcomes_show").value == "Results posted on ClinicalTrials.gov"
        assert "As posted on ClinicalTrials.gov on 2017-06-05" in text_of(at)
        at.selectbox(key="outcomes_trial").set_value(PUBLICATION_ONLY).run()
        assert at.radio(key="outcomes_show").value == "Published outcomes"
        assert "As published in" in text_of(at)
        assert not at.exception
        # Values the page does not know are ignored, and the page says so.
        at = outcomes_page([], WITH_RESULTS[0], outcomes_show="Everything", results_part="<b>x</b>")
        warnings = " ".join(w.value for w in at.warning)
        assert "section “Everything”" in warnings and "tab “\\<b\\>x\\</b\\>”" in warnings, warnings
        assert at.radio(key="outcomes_show").value == "Results posted on ClinicalTrials.gov"
        assert "BMI" in vega.chart_title(charts(at)[0])  # the first tab


def test_the_trial_record_links_to_posted_results(results_app_url):
    with app_database(results_app_url):
        at = AppTest.from_file(APP, default_timeout=60)
        at.run()
        at.switch_page("app_pages/trial_record.py").run()
        at.selectbox(key="nct").set_value(WITH_RESULTS[0]).run()
        txt = text_of(at)
        assert "Results posted on ClinicalTrials.gov on 2017-06-05" in txt
        assert f"clinicaltrials.gov/study/{WITH_RESULTS[0]}?tab=results" in txt
        assert f"outcomes?outcomes_nct={WITH_RESULTS[0]}" in txt
        at.selectbox(key="nct").set_value(NEITHER).run()
        assert "No results posted on ClinicalTrials.gov are in the database for this trial" in text_of(at)


def test_a_synthetic_portfolio_with_posted_results(tmp_path):
    """300 synthetic trials, some with posted results (one with 300 measures, one with 1,500 event terms):
    the page runs, offers the measures primary first, pages the events, and compares a shared count."""
    from sqlalchemy import func, select
    from sqlalchemy.orm import Session

    from tests.results_db import fresh_url
    from trialdb.results import models as r
    from trialdb.synthetic import generate

    url = fresh_url(tmp_path, "trials_results_synthetic")
    generate(url, 300)
    engine = make_engine(url, readonly=True)
    with Session(engine) as s:
        most = s.execute(select(r.OutcomeMeasure.nct_id, func.count()).group_by(r.OutcomeMeasure.nct_id)
                         .order_by(func.count().desc()).limit(1)).one()
        terms = s.execute(select(r.ReportedEvent.nct_id, func.count(func.distinct(r.ReportedEvent.position)))
                          .group_by(r.ReportedEvent.nct_id).order_by(func.count().desc()).limit(1)).one()
    engine.dispose()
    assert most[1] == 300 and terms[1] == 1500
    with app_database(url):
        codes = selections(url)["all"]
        at = outcomes_page(codes, most[0])
        options = at.selectbox(key=f"measure_{most[0]}").options
        assert len(options) == 300 and options[0].startswith("Primary") and options[2].startswith("Secondary")
        at = outcomes_page(codes, terms[0], results_part="Adverse events")
        assert "Rows 1–25 of 1,500" in text_of(at)  # the table of event terms, a page at a time
        at.radio(key="outcomes_show").set_value("Across trials").run()
        compare = at.selectbox(key="across_compare")
        shared = [o for o in compare.options if o.startswith("Participants with SRI-4 response")]
        assert shared, compare.options[:5]
        compare.set_value(shared[0]).run()
        assert not at.exception, [e.value for e in at.exception]
        titles = [vega.chart_title(c) for c in charts(at)]
        assert len(titles) == 1 and "participants counted per group, across trials" in titles[0]
        assert "Wilson" in text_of(at)


def test_a_record_that_does_not_say_when_results_were_first_posted(tmp_path):
    """The real record NCT00763412 with its resultsFirstPostDateStruct taken out, and a copy under another id
    without its lastUpdatePostDateStruct either: the Outcomes page and the trial record say in words that the
    record does not say when results were first posted, and nowhere read "on not stated in source"."""
    from tests.results_db import CTGOV, fresh_url
    from trialdb.build import build
    from trialdb.registry.importer import import_files

    record = json.loads((CTGOV / "NCT00763412.json").read_text())
    del record["protocolSection"]["statusModule"]["resultsFirstPostDateStruct"]
    (tmp_path / "no_first_post.json").write_text(json.dumps(record))
    del record["protocolSection"]["statusModule"]["lastUpdatePostDateStruct"]
    (tmp_path / "no_dates.json").write_text(json.dumps(record).replace("NCT00763412", "NCT00763499"))
    url = fresh_url(tmp_path, "trials_no_results_date")
    build(url)
    engine = make_engine(url)
    import_files(engine, [tmp_path / "no_first_post.json", tmp_path / "no_dates.json"], portfolio_support.inputs())
    engine.dispose()
    with app_database(url):
        codes = selections(url)["all"]
        at = outcomes_page(codes, "NCT00763412", outcomes_show="Results posted on ClinicalTrials.gov")
        txt = text_of(at)
        assert "**Registry results:** posted on ClinicalTrials.gov; the record does not say when results were " \
               "first posted." in txt
        assert "As posted on ClinicalTrials.gov; the record does not say when results were first posted (the " \
               "record was last updated on 2017-06-05) · [the results tab]" in txt
        assert "on not stated" not in txt and "on *not stated" not in txt and "update, not stated" not in txt
        at = outcomes_page(codes, "NCT00763499", outcomes_show="Results posted on ClinicalTrials.gov")
        txt = text_of(at)
        assert "As posted on ClinicalTrials.gov; the record does not say when results were first posted, nor when " \
               "the record was last updated · [the results tab]" in txt
        assert "on not stated" not in txt and "on *not stated" not in txt and "update, not stated" not in txt
        at = AppTest.from_file(APP, default_timeout=60)
        at.query_params["nct"] = "NCT00763412"
        at.run()
        at.switch_page("app_pages/trial_record.py").run()
        at.selectbox(key="nct").set_value("NCT00763412").run()
        assert not at.exception, [e.value for e in at.exception]
        txt = text_of(at)
        assert "Results posted on ClinicalTrials.gov (the record does not say when they were first posted): " \
               "[the registry's results tab]" in txt
        assert "ClinicalTrials.gov on not stated" not in txt and "on *not stated" not in txt


def test_two_groups_posted_under_one_title_keep_their_own_numbers(tmp_path):
    """The real record NCT00763412 with its two groups retitled alike in every module (registries hold such
    records: cyanheads/clinicaltrialsgov-mcp-server#128): the participant flow keeps a column per group, the
    adverse-event totals and the measure table a row per group, each named with its place in the list."""
    from tests.results_db import CTGOV, fresh_url
    from trialdb.build import build
    from trialdb.registry.importer import import_files

    record = json.loads((CTGOV / "NCT00763412.json").read_text())
    rs = record["resultsSection"]
    for groups in (rs["participantFlowModule"]["groups"], rs["baselineCharacteristicsModule"]["groups"],
                   rs["adverseEventsModule"]["eventGroups"],
                   *(om.get("groups", []) for om in rs["outcomeMeasuresModule"]["outcomeMeasures"])):
        for g in groups[:2]:
            g["title"] = "Repaglinide"
    (tmp_path / "same_titles.json").write_text(json.dumps(record))
    url = fresh_url(tmp_path, "trials_same_group_titles")
    build(url)
    engine = make_engine(url)
    import_files(engine, [tmp_path / "same_titles.json"], portfolio_support.inputs())
    engine.dispose()
    with app_database(url):
        codes = selections(url)["all"]
        at = outcomes_page(codes, "NCT00763412", outcomes_show="Results posted on ClinicalTrials.gov",
                           results_part="Participant flow")
        flow = md_tables(at)[0]
        assert flow[0] == ["Period", "Milestone", "Repaglinide (group 1)", "Repaglinide (group 2)"], flow[0]
        assert flow[1] == ["Overall Study", "STARTED", "8", "8"]
        at = outcomes_page(codes, "NCT00763412", outcomes_show="Results posted on ClinicalTrials.gov",
                           results_part="Adverse events")
        totals = md_tables(at)[0]
        assert [r[0] for r in totals[1:]] == ["Repaglinide (group 1)", "Repaglinide (group 2)"], totals
        at = outcomes_page(codes, "NCT00763412", outcomes_show="Results posted on ClinicalTrials.gov")
        rows = [r for t in md_tables(at) for r in t if r[0].startswith("Repaglinide")]
        assert rows[0][:2] == ["Repaglinide (group 1)", "19.63"] and rows[1][:2] == ["Repaglinide (group 2)", "21.19"]
        drawn = [vega.series_colours(c) for c in charts(at)]
        assert len(drawn) == 1 and sorted(drawn[0]) == ["Repaglinide (group 1)", "Repaglinide (group 2)"], drawn
