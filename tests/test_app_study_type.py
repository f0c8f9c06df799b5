"""Study type (designModule.studyType) as a filter on every page, with real observational records and a built
expanded access record imported beside the seeds (tests/study_types_db.py): the interventional trials by default and
what is left out said; counts, headline numbers and tables obey the choice; "studies" where a count holds several
types; "not applicable" where the registry has no such field for a study type. And the line "N of M trials match"
stands under each page's title."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import frames
from tests.pages import registered_pages
from tests.study_types_db import EXPANDED_ACCESS, OBSERVATIONAL, SEEDS, build_study_types_database
from tests.test_app import APP, app_database, opened_with, table_text, text_of
from trialdb import queries
from trialdb.enums import NOT_APPLICABLE, applies
from trialdb.queries import NOT_STATED

ALL = {*SEEDS, *OBSERVATIONAL, EXPANDED_ACCESS}
CHOICES = {"default": (None, set(SEEDS)), "observational": (["OBSERVATIONAL"], set(OBSERVATIONAL)),
           "expanded access": (["EXPANDED_ACCESS"], {EXPANDED_ACCESS}), "every type": ([], ALL)}


def in_order(at: AppTest) -> list:
    """The main area's elements in the order drawn (blocks walked depth first)."""
    def walk(node):
        children = getattr(node, "children", None)
        if children is None:
            yield node
            return
        for k in sorted(children):
            yield from walk(children[k])
    return list(walk(at.main))


@pytest.mark.parametrize("page", registered_pages())
def test_the_matches_line_stands_under_the_title(page):
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page(f"app_pages/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    elements = in_order(at)
    kinds = [getattr(e, "type", None) for e in elements]
    assert kinds.count("title") == 1, kinds
    first, second = elements[kinds.index("title")], elements[kinds.index("title") + 1]
    assert first is elements[0]  # nothing above the title (no URL notice here)
    assert second.type == "caption" and "of 4 trials match" in second.value, second


@pytest.fixture(scope="module")
def types_url(tmp_path_factory) -> str:
    return build_study_types_database(tmp_path_factory.mktemp("study_types"))


@pytest.fixture
def types_app(types_url):
    with app_database(types_url):
        yield


def test_queries_obey_the_study_type(types_url):
    from trialdb.store.db import make_engine

    engine = make_engine(types_url, readonly=True)
    try:
        opts = queries.filter_options(engine)
        assert opts["study_types"] == [("INTERVENTIONAL", "INTERVENTIONAL", 4), ("OBSERVATIONAL", "OBSERVATIONAL", 2),
                                       ("EXPANDED_ACCESS", "EXPANDED_ACCESS", 1)]
        trials = queries.Filters(None, study_types=("INTERVENTIONAL",))
        h = queries.headline(engine, trials)
        # the seeds' stated enrolments (60 + 10 + 47 + 60): the registry's 100 and the cohort's 20 not summed in
        assert (h["trials"], h["participants"], h["only_interventional"]) == (4, 177, True)
        observational = queries.Filters(None, study_types=("OBSERVATIONAL",))
        h = queries.headline(engine, observational)
        assert (h["trials"], h["participants"], h["only_interventional"]) == (2, 120, False)
        assert queries.study_types(engine, trials) == {"INTERVENTIONAL": 4, "OBSERVATIONAL": 2, "EXPANDED_ACCESS": 1}
        assert set(queries.counts_by(engine, observational).phase) == {NOT_APPLICABLE}
        assert set(queries.studies(engine, queries.Filters(None)).nct_id) == ALL  # None: every type
        assert set(queries.evidence(engine, observational, __import__("datetime").date(2026, 1, 1)).nct_id) == set(OBSERVATIONAL)
        assert set(queries.timeline(engine, trials)[0].nct_id) <= set(SEEDS)
        # the phase "not applicable" is a phase choice of its own, apart from a phase not stated
        na = queries.Filters(None, phases=(NOT_APPLICABLE,))
        assert set(queries.studies(engine, na).nct_id) == {*OBSERVATIONAL, EXPANDED_ACCESS}
    finally:
        engine.dispose()


def test_design_facts_not_applicable_by_study_type():
    assert frames.design_fact(None, "OBSERVATIONAL", "masking") == NOT_APPLICABLE
    assert frames.design_fact(None, "INTERVENTIONAL", "masking") == NOT_STATED
    assert frames.design_fact(None, None, "masking") == NOT_STATED  # a type not stated: missing, not inapplicable
    assert frames.design_fact("DOUBLE", "INTERVENTIONAL", "masking") == "Double"
    assert applies("OBSERVATIONAL", "arms") and not applies("EXPANDED_ACCESS", "arms")
    assert frames.phase_label(NOT_APPLICABLE) == NOT_APPLICABLE and frames.phase_label(None) == NOT_STATED


def matches_line(at: AppTest) -> str:
    return next(c.value for c in at.caption if " match " in c.value)


@pytest.mark.parametrize("page", registered_pages())
def test_study_type_filter_on_every_page(types_app, page):
    """Each page under each choice of study type, in one session (a choice, then the next, as a reader makes them:
    one session a page rather than one a choice, which cost CI four openings of every page on each engine)."""
    at = opened_with(page)
    assert at.multiselect(key="study_type").value == ["INTERVENTIONAL"]  # the trials by default
    for choice, (chosen, expected) in CHOICES.items():
        if chosen is not None:
            at.multiselect(key="study_type").set_value(chosen).run()
            assert not at.exception, (choice, [e.value for e in at.exception])
        f = at.session_state["_filters"]
        assert f.study_types == (None if chosen == [] else tuple(chosen or ["INTERVENTIONAL"])), choice
        line = matches_line(at)
        assert f"**{len(expected)}** of 7 studies match the filter." in line, (choice, line)
        if chosen is None:
            assert ("Showing interventional trials; 2 observational studies and 1 expanded access programme are one "
                    "click away") in line
        if page == "overview":
            metric = at.metric[0]
            assert (metric.label, metric.value) == ("Trials" if chosen is None else "Studies", str(len(expected)))
            tables = table_text(at)
            assert {n for n in ALL if n in tables} == expected, choice
        if page == "trial_record":
            assert at.selectbox(key="nct").value in expected, choice


def test_not_applicable_on_the_records(types_app):
    at = opened_with("trial_record", nct=OBSERVATIONAL[0], study_type=["Observational"])
    txt = text_of(at)
    for fact in ("Phase", "Masking", "Allocation"):
        assert f"**{fact}:** not applicable" in txt, fact
    assert "Arms: *not applicable*" not in txt  # an observational study has groups (its arm groups)
    at = opened_with("trial_record", nct=EXPANDED_ACCESS, study_type=["Expanded access"])
    txt = text_of(at)
    assert "**Phase:** not applicable" in txt and "Arms: *not applicable*" in txt
    assert "Expanded access" in txt
    at = opened_with("trial_record", nct=SEEDS[0])
    assert "**Phase:** Phase 2" in text_of(at) and "not applicable" not in text_of(at)
    at = opened_with("overview", study_type=["Observational", "Interventional"])
    rows = [r for r in table_text(at).splitlines() if OBSERVATIONAL[0] in r]
    assert rows and "Observational" in rows[0] and rows[0].count("not applicable") == 2  # phase and masking


def test_a_link_chooses_the_study_type_and_a_bad_value_is_named(types_app):
    at = opened_with("overview", study_type=["Observational"])
    assert at.session_state["_filters"].study_types == ("OBSERVATIONAL",)
    assert "**2** of 7 studies match the filter." in matches_line(at)
    at = opened_with("timeline", study_type=["Clinical<b>trial</b>"])
    notices = [w.value for w in at.warning]
    assert any("The link asked for study type “Clinical\\<b\\>trial\\<" in w and "ignored" in w for w in notices), notices
    assert at.session_state["_filters"].study_types == ("INTERVENTIONAL",)


def test_phase_and_status_and_the_overviews_charts_count_studies_when_several_types_are_chosen(types_app):
    from tests import vega

    def y_titles(at: AppTest) -> list[str]:
        return [vega.layers(c)[0]["encoding"]["y"]["title"] for c in at.get("vega_lite_chart")]

    assert y_titles(opened_with("phase_status")) == ["Trials", "Participants planned"]
    assert "All trials" in table_text(opened_with("phase_status"))
    at = opened_with("phase_status", study_type=["Observational", "Interventional"])
    assert y_titles(at) == ["Studies", "Participants planned"]
    assert "No phase (observational, expanded access)" in at.multiselect(key="phase").options
    header = table_text(at).splitlines()[0]
    assert "All studies" in header and "Studies stating enrolment" in header and "trials" not in header.lower()
    # The overview's charts at a glance count studies too, and name each bar's count so.
    from tests.test_app import glance

    drawn = glance(opened_with("overview", study_type=""))
    assert sorted(drawn) == ["Studies by indication", "Studies by status", "Studies by year of stated start"]
    assert sum(drawn["Studies by status"].values()) == len(ALL)
    assert "Trials by status" in glance(opened_with("overview"))


def test_compare_writes_not_applicable(types_url):
    from dashboard import compare
    from trialdb.store.db import make_engine

    engine = make_engine(types_url, readonly=True)
    try:
        records = [queries.study_record(engine, n) for n in (SEEDS[0], OBSERVATIONAL[0], EXPANDED_ACCESS)]
        table = compare.side_by_side([r for r in records if r is not None], queries.outcomes(engine, queries.Filters(None)))
        facts = table.set_index("Fact")
        assert list(facts.loc["Study type"]) == ["Interventional", "Observational", "Expanded access"]
        assert list(facts.loc["Phase"]) == ["Phase 2", NOT_APPLICABLE, NOT_APPLICABLE]
        assert list(facts.loc["Masking"]) == ["Double", NOT_APPLICABLE, NOT_APPLICABLE]
        assert facts.loc["Arms"].iloc[1].startswith("Patients with coronary artery disease")  # its group
        assert facts.loc["Arms"].iloc[2] == NOT_APPLICABLE
    finally:
        engine.dispose()
