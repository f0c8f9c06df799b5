"""Registered outcomes (`design_outcomes`, the record's outcomesModule): imported from real registry records as
posted, each field with its provenance at its JSON path and proved by `check`, exported as posted (and back), found
by search, shown on the Trial record page; a record without outcomesModule (every seed document) has none, and
the page says so. The fixture records are tests/fixtures/ctgov/ (byte-for-byte copies of ../shared/fixtures/ctgov/)
and the Markdown quirk of tests/fixtures/quirks/."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from streamlit.testing.v1 import AppTest

from tests import portfolio_support
from tests.conftest import REPO
from tests.test_app import APP, app_database, md_tables, text_of
from trialdb import queries
from trialdb.check import check
from trialdb.errors import SourceError
from trialdb.export import export
from trialdb.registry.importer import import_files
from trialdb.store import models as m
from trialdb.store.db import make_engine

# Every test here makes and reads SQLite databases of its own, whatever the engine: run once, in the SQLite
# pass (scripts/test.sh).
pytestmark = pytest.mark.sqlite_only

CTGOV = REPO / "tests" / "fixtures" / "ctgov"
QUIRK = REPO / "tests" / "fixtures" / "quirks" / "markdown-escaped-text.json"
# The real single-study records: each registers primary outcomes, three of them secondary ones too.
RECORDS = ["NCT00763412", "NCT03418623", "NCT03475563", "NCT05594173"]
LISTS = {"primary": "primaryOutcomes", "secondary": "secondaryOutcomes", "other": "otherOutcomes"}


def record(nct: str) -> dict:
    return json.loads((CTGOV / f"{nct}.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def imported(tmp_path_factory, db_path) -> Path:
    """The seed database with the four real records, the Phelan search page (no outcomesModule) and the Markdown
    quirk imported, all kept in the portfolio (a reviewed decision, as tests/portfolio_support explains)."""
    db = tmp_path_factory.mktemp("outcomes") / "outcomes.sqlite3"
    shutil.copy(db_path, db)
    engine = make_engine(f"sqlite:///{db}")
    ncts = [*portfolio_support.fixture_ncts(), "NCT90000013"]
    import_files(engine, [*(CTGOV / f"{n}.json" for n in RECORDS), CTGOV / "search_page_phelan.json", QUIRK],
                 portfolio_support.inputs(ncts))
    engine.dispose()
    return db


@pytest.fixture(scope="module")
def engine(imported):
    eng = make_engine(f"sqlite:///{imported}", readonly=True)
    yield eng
    eng.dispose()


def stored(engine, nct: str) -> list[tuple[str, int, str | None, str | None, str | None]]:
    with Session(engine) as s:
        return [(o.outcome_type, o.position, o.measure, o.time_frame, o.description)
                for o in s.get_one(m.Study, nct).design_outcomes]


@pytest.mark.parametrize("nct", RECORDS)
def test_each_registered_outcome_is_stored_as_posted(engine, nct):
    module = record(nct)["protocolSection"]["outcomesModule"]
    expected = [(kind, i, o.get("measure"), o.get("timeFrame"), o.get("description"))
                for kind, key in LISTS.items() for i, o in enumerate(module.get(key, []))]
    assert stored(engine, nct) == expected and expected


def test_text_is_kept_as_posted_with_its_markdown(engine):
    angioplasty = stored(engine, "NCT03475563")[0]
    assert angioplasty[:4] == ("primary", 0, "Successful angioplasty", "1 day")
    assert "residual stenosis\\> 30% or\\> 50%" in angioplasty[4]  # CommonMark escapes, as the registry posts them
    assert stored(engine, "NCT00763412")[0] == ("primary", 0, "BMI", "2 year/end of study", None)  # no description
    assert stored(engine, "NCT90000013") == [("primary", 0, "Participants With a Response (≥2-Fold Increase in Treg "
                                              "Frequency)", "Week 8", "Response was assessed only in participants "
                                              "with baseline Treg frequency \\<5%.")]


def test_each_field_has_its_provenance_and_check_proves_it(engine):
    with Session(engine) as s:
        prov = {p.path: p.quote for p in s.scalars(select(m.Provenance).where(m.Provenance.subject == "NCT00763412"))}
    assert prov["outcomesModule.primaryOutcomes[0].measure"] == '"BMI"'
    assert prov["outcomesModule.primaryOutcomes[0].timeFrame"] == '"2 year/end of study"'
    assert prov["outcomesModule.primaryOutcomes[1].description"] == '"Reporting % of Fat and Lean body mass"'
    assert prov["outcomesModule.secondaryOutcomes[5].measure"] == '"C-Peptide"'
    assert "outcomesModule.primaryOutcomes[0].description" not in prov  # not stated: no fact, no quote
    report = check(engine)
    assert report.ok, report.summary()
    outcome_fields = [u for u in report.uncovered if "outcomesModule" in u]
    assert outcome_fields == []  # every exported outcome field traces to its quote


def test_check_catches_an_outcome_quote_the_record_does_not_state(imported, tmp_path):
    db = tmp_path / "tampered.sqlite3"
    shutil.copy(imported, db)
    con = sqlite3.connect(db)
    con.execute("UPDATE provenance SET quote = '\"Weight\"' WHERE subject = 'NCT00763412' "
                "AND path = 'outcomesModule.primaryOutcomes[0].measure'")
    con.commit()
    con.close()
    eng = make_engine(f"sqlite:///{db}", readonly=True)
    report = check(eng, coverage=False)
    eng.dispose()
    assert [f[1] for f in report.failures] == ["outcomesModule.primaryOutcomes[0].measure"]


def test_export_gives_the_outcomes_module_as_posted_and_imports_back(engine, tmp_path):
    studies = {s["protocolSection"]["identificationModule"]["nctId"]: s for s in export(engine)["studies"]}
    for nct in RECORDS:
        assert studies[nct]["protocolSection"]["outcomesModule"] == record(nct)["protocolSection"]["outcomesModule"]
    dump = tmp_path / "export.json"
    dump.write_text(json.dumps({"studies": [studies[n] for n in RECORDS]}), encoding="utf-8")
    empty = make_engine(f"sqlite:///{tmp_path / 'empty.sqlite3'}")
    import_files(empty, [dump], portfolio_support.inputs(RECORDS))
    again = {s["protocolSection"]["identificationModule"]["nctId"]: s for s in export(empty)["studies"]}
    empty.dispose()
    assert [again[n]["protocolSection"]["outcomesModule"] for n in RECORDS] == \
        [studies[n]["protocolSection"]["outcomesModule"] for n in RECORDS]


def test_a_record_without_outcomes_has_none(engine):
    phelan = json.loads((CTGOV / "search_page_phelan.json").read_text(encoding="utf-8"))["studies"][0]
    assert "outcomesModule" not in phelan["protocolSection"]
    nct = phelan["protocolSection"]["identificationModule"]["nctId"]
    seeds = ["NCT02465580", "NCT05262686", "NCT02467504", "NCT02464319"]  # no seed document states outcome measures
    for n in [nct, *seeds]:
        assert stored(engine, n) == []
    exported = {s["protocolSection"]["identificationModule"]["nctId"]: s for s in export(engine)["studies"]}
    assert not any("outcomesModule" in exported[n]["protocolSection"] for n in [nct, *seeds])


BAD = {
    "a list that is not a list": ({"primaryOutcomes": {"measure": "x"}}, "outcomesModule.primaryOutcomes"),
    "an entry that is not an object": ({"secondaryOutcomes": ["x"]}, "outcomesModule.secondaryOutcomes[0]"),
    "a measure that is not text": ({"primaryOutcomes": [{"measure": "x"}, {"measure": 5}]},
                                   "outcomesModule.primaryOutcomes[1].measure"),
}


@pytest.mark.parametrize("case", list(BAD))
def test_an_outcomes_module_the_api_never_sends_is_refused_with_its_path(imported, tmp_path, case):
    module, where = BAD[case]
    study = record("NCT05594173")
    study["protocolSection"]["outcomesModule"] = module
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(study), encoding="utf-8")
    db = tmp_path / "copy.sqlite3"
    shutil.copy(imported, db)
    eng = make_engine(f"sqlite:///{db}")
    with pytest.raises(SourceError) as err:
        import_files(eng, [bad])
    with Session(eng) as s:  # nothing written: the record stored before is the one posted
        assert [o.measure for o in s.get_one(m.Study, "NCT05594173").design_outcomes] == [
            "Number of Chewing Cycles Per Bolus", "Total Chewing Duration Per Bolus"]
    eng.dispose()
    assert err.value.file.startswith("bad.json") and err.value.field == f"$.protocolSection.{where}"


def _outside_outcomes(nct: str) -> str:
    study = record(nct)
    del study["protocolSection"]["outcomesModule"]
    study.pop("resultsSection", None)
    return json.dumps(study).lower()


@pytest.mark.parametrize(("text", "nct"), [
    ("Tanner", "NCT00763412"),  # a secondary outcome's measure
    ("masseter", "NCT05594173"),  # a primary outcome's description
    ("malposition", "NCT03475563"),
])
def test_search_finds_a_word_of_a_registered_outcome(engine, text, nct):
    assert text.lower() not in _outside_outcomes(nct)  # found by its registered outcome, nothing else
    inds = tuple(c for c, _, _ in queries.filter_options(engine)["indications"])
    assert set(queries.studies(engine, queries.Filters(inds, query=text)).nct_id) == {nct}


def test_search_reads_an_outcome_description_as_the_registry_means_it(engine):
    inds = tuple(c for c, _, _ in queries.filter_options(engine)["indications"])
    found = set(queries.studies(engine, queries.Filters(inds, query="Treg frequency <5")).nct_id)
    assert found == {"NCT90000013"}


def test_synthetic_trials_register_outcomes(tmp_path):
    from trialdb.synthetic import generate

    url = f"sqlite:///{tmp_path / 's.sqlite3'}"
    generate(url, n=40)
    eng = make_engine(url, readonly=True)
    with Session(eng) as s:
        by_trial = {st.nct_id: [(o.outcome_type, o.position) for o in st.design_outcomes]
                    for st in s.scalars(select(m.Study))}
    inds = tuple(c for c, _, _ in queries.filter_options(eng)["indications"])
    essdai = set(queries.studies(eng, queries.Filters(inds, query="ESSDAI")).nct_id)
    exported = export(eng)["studies"]
    eng.dispose()
    assert by_trial["NCT90000010"] == []  # one in eleven registers none
    assert by_trial["NCT90000003"] == [("primary", 0), ("secondary", 0), ("other", 0)]
    assert sum(bool(v) for v in by_trial.values()) > 0.8 * len(by_trial)
    assert essdai == {n for n in by_trial if int(n[4:]) % 5 == 4 and int(n[4:]) % 11 != 10 and int(n[4:]) < 40}
    assert "outcomesModule" in exported[0]["protocolSection"]


# --- the Trial record page ----------------------------------------------------------------------------------


def record_page(nct: str, sources: bool = False) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["nct"] = nct
    at.run()
    at.switch_page("app_pages/trial_record.py").run()
    if sources:
        at.toggle(key="show_sources").set_value(True).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_trial_record_page_lists_the_registered_outcomes(imported):
    with app_database(f"sqlite:///{imported}"):
        at = record_page("NCT03475563")
        txt = text_of(at)
        assert "Registered outcomes" in [h.value for h in at.subheader]
        assert "Primary outcomes (3)" in txt and "Secondary outcomes (4)" in txt and "Other outcomes" not in txt
        assert "**1. Successful angioplasty**  \n*Time frame:* 1 day  \n*Description:* After angiography: TIMI" in txt
        # The description as the registry means it: its escapes undone.
        assert "has a residual stenosis> 30% or> 50% in those not treated with stent." in txt
        assert "**3. MACE**  \n*Time frame:* 1 year" in txt
        assert not any("Successful angioplasty" in cell for t in md_tables(at) for r in t for cell in r)  # text, no table
        at = record_page("NCT00763412", sources=True)
        txt = text_of(at)
        assert "**1. BMI**  \n*Time frame:* 2 year/end of study  \n*Description:* *not stated in source*" in txt
        assert "Secondary outcomes (6)" in txt
        captions = [c.value.replace("\\", "") for c in at.caption]
        # One caption an outcome: each stated field's quote at its JSON path, then the record's file.
        assert any(c.startswith('Measure “"BMI"”; time frame “"2 year/end of study"” — NCT00763412.json#')
                   for c in captions)
        assert any(c.startswith('Measure “"Body Composition"”; time frame “"2 year/end of study"”; description '
                                '“"Reporting % of Fat and Lean body mass"” — NCT00763412.json#') for c in captions)


def test_trial_record_page_says_a_record_states_no_outcomes(imported):
    phelan = json.loads((CTGOV / "search_page_phelan.json").read_text(encoding="utf-8"))["studies"][0]
    with app_database(f"sqlite:///{imported}"):
        for nct in (phelan["protocolSection"]["identificationModule"]["nctId"], "NCT02465580"):
            txt = text_of(record_page(nct))
            assert "Outcome measures: *not stated in source*" in txt and "Primary outcomes" not in txt


def test_an_outcome_reads_as_text_its_description_as_the_registry_means_it():
    from dashboard.frames import RegisteredOutcome, registered_outcomes
    from dashboard.record import outcome_markdown

    listed = RegisteredOutcome(2, None, None, "* SLEDAI-2K \\<4\n* no new BILAG A", "outcomesModule.otherOutcomes[1]")
    assert outcome_markdown(listed) == ("**2. *not stated in source***  \n*Time frame:* *not stated in source*  \n"
                                        "*Description:*\n\n- SLEDAI\\-2K \\<4\n- no new BILAG A")
    rows = [m.DesignOutcome(outcome_type=t, position=p, measure=f"{t} {p}") for t, p in
            [("other", 0), ("secondary", 1), ("primary", 0), ("secondary", 0)]]
    groups = registered_outcomes(rows)
    assert [(h, [(o.number, o.measure, o.path) for o in items]) for h, items in groups] == [
        ("Primary outcomes", [(1, "primary 0", "outcomesModule.primaryOutcomes[0]")]),
        ("Secondary outcomes", [(1, "secondary 0", "outcomesModule.secondaryOutcomes[0]"),
                                (2, "secondary 1", "outcomesModule.secondaryOutcomes[1]")]),
        ("Other outcomes", [(1, "other 0", "outcomesModule.otherOutcomes[0]")])]
    assert registered_outcomes([]) == []
