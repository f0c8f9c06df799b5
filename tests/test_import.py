"""Importing ClinicalTrials.gov API v2 JSON: real records, every shape, re-import, round trip, bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.conftest import REPO, file_hash
from trialdb.build import build
from trialdb.check import check
from trialdb.errors import SourceError
from trialdb.export import export, study_record
from trialdb.registry.importer import import_files
from trialdb.store import models as m
from trialdb.store.db import make_engine

# Every test here makes and reads SQLite databases of its own, whatever the engine: run once, in the SQLite
# pass (scripts/test.sh).
pytestmark = pytest.mark.sqlite_only

CTGOV = Path(__file__).parent / "fixtures" / "ctgov"


@pytest.fixture
def seeded(tmp_path):
    db = tmp_path / "t.sqlite3"
    build(f"sqlite:///{db}")
    engine = make_engine(f"sqlite:///{db}")
    yield db, engine
    engine.dispose()


def _study(engine, nct):
    with Session(engine) as s:
        return s.get(m.Study, nct), s


def test_one_study_with_full_dates(seeded):
    _, engine = seeded
    report = import_files(engine, [CTGOV / "NCT03418623.json"])
    assert report.added == ["NCT03418623"] and report.updated == []
    with Session(engine) as s:
        st = s.get(m.Study, "NCT03418623")
        assert (st.overall_status, st.phase, st.enrollment, st.enrollment_type) == ("COMPLETED", "PHASE2", 24, "ACTUAL")
        assert (st.start_date, st.start_date_type) == ("2018-03-08", "ACTUAL")
        assert st.design.masking == "QUADRUPLE"
        # Not in the indication table: its own indication, named by the MeSH descriptor the registry mapped
        # "Alcohol Use Disorder" to (derivedSection.conditionBrowseModule), and quoted from that entry.
        assert st.indication_code == "Alcoholism"
        assert s.get(m.IndicationRow, "Alcoholism").name == "Alcoholism"
        prov = {p.path: p.quote for p in s.scalars(select(m.Provenance).where(m.Provenance.subject == "NCT03418623"))}
        assert prov["indication.derivedSection.conditionBrowseModule.meshes[0].term"] == '"Alcoholism"'
        assert "indication" not in prov
        assert {g.title: [i.name for i in g.interventions] for g in st.design_groups} == {
            "GET73": ["GET73"], "Placebo": ["Placebo"]}
        assert st.references[0].pmid == "23032071"
        assert s.scalar(select(func.count()).select_from(m.Study)) == 5
    report = check(engine)
    assert report.ok and report.fields > 0 and report.covered == report.fields, report.uncovered[:5]


def test_unknown_status_partial_dates_and_results(seeded):
    _, engine = seeded
    import_files(engine, [CTGOV / "NCT03475563.json", CTGOV / "NCT00763412.json"])
    with Session(engine) as s:
        a = s.get(m.Study, "NCT03475563")
        assert a.last_known_status == "RECRUITING" and a.phase is None
        b = s.get(m.Study, "NCT00763412")
        assert (b.start_date, b.start_date_type) == ("2006-11", None)  # month only, no type: kept as is
        assert b.phase == "NA" and b.has_results is True
        assert sorted(b.design_groups[0].interventions[0].name for _ in [0]) == ["placebo"]


def test_search_page_and_reimport_updates(seeded):
    _, engine = seeded
    first = import_files(engine, [CTGOV / "search_page_phelan.json"])
    assert len(first.added) == 5
    again = import_files(engine, [CTGOV / "search_page_phelan.json"])
    assert again.added == [] and len(again.updated) == 5
    with Session(engine) as s:
        assert s.scalar(select(func.count()).select_from(m.Study)) == 9
        multi = [st for st in s.scalars(select(m.Study)) if st.phase == "PHASE1/PHASE2"]
        assert len(multi) == 1
        docs = s.scalars(select(m.Document).where(m.Document.format.like("%JSON"))).all()
        assert len(docs) == 1
    assert check(engine).ok


def test_round_trip_export_then_import(seeded, tmp_path):
    _, engine = seeded
    import_files(engine, [CTGOV / "NCT03418623.json"])
    original = export(engine)["studies"]
    dump = tmp_path / "export.json"
    dump.write_text(json.dumps(export(engine)), encoding="utf-8")
    empty = make_engine(f"sqlite:///{tmp_path / 'empty.sqlite3'}")
    import_files(empty, [dump])
    assert export(empty)["studies"] == original
    empty.dispose()


BROKEN = {
    "broken JSON": ('{"protocolSection": {', "line 1 column"),
    "not a study": ('{"hello": 1}', "$"),
    "no status module": (json.dumps({"protocolSection": {"identificationModule": {"nctId": "NCT01234567", "briefTitle": "x"},
                                                         "conditionsModule": {"conditions": ["SLE"]}}}),
                         "$.protocolSection.statusModule"),
    "second study broken": (json.dumps({"studies": [json.loads((CTGOV / "NCT03418623.json").read_text()),
                                                    {"protocolSection": {"identificationModule": {}}}]}),
                            "$.studies[1].protocolSection.statusModule"),
    "bad date": (json.dumps({"protocolSection": {"identificationModule": {"nctId": "NCT01234567", "briefTitle": "x"},
                                                 "statusModule": {"overallStatus": "COMPLETED",
                                                                  "startDateStruct": {"date": "2020-13"}},
                                                 "conditionsModule": {"conditions": ["SLE"]}}}),
                 "startDateStruct.date"),
    # An unknown value shaped like an API token ("PAUSED") is kept and flagged (tests/test_import_quirks.py);
    # one of another shape is not an enum value at all.
    "enum value not an API token": (json.dumps({"protocolSection": {
        "identificationModule": {"nctId": "NCT01234567", "briefTitle": "x"}, "statusModule": {"overallStatus": "Paused"},
        "conditionsModule": {"conditions": ["SLE"]}}}), "$.protocolSection.statusModule.overallStatus"),
}


@pytest.mark.parametrize("case", list(BROKEN))
def test_bad_input_names_file_and_path_and_writes_nothing(seeded, tmp_path, case):
    db, engine = seeded
    text, where = BROKEN[case]
    bad = tmp_path / "bad.json"
    bad.write_text(text, encoding="utf-8")
    before = file_hash(db)
    with pytest.raises(SourceError) as err:
        import_files(engine, [CTGOV / "NCT03475563.json", bad])  # the good file is not written either
    assert err.value.file.startswith("bad.json") and where in err.value.field
    engine.dispose()
    assert file_hash(db) == before


def test_cli_import_and_imports_survive_a_rebuild(tmp_path):
    db = tmp_path / "cli.sqlite3"
    def run(*a: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "trialdb", *a], cwd=REPO, capture_output=True, text=True)
    assert run("build", "--db", str(db)).returncode == 0
    out = run("import", str(CTGOV / "NCT03418623.json"), "--db", str(db))
    assert out.returncode == 0 and "1 new" in out.stdout
    bad = tmp_path / "broken.json"
    bad.write_text("[{", encoding="utf-8")
    out = run("import", str(bad), "--db", str(db))
    assert out.returncode == 2 and "broken.json" in out.stderr and "Traceback" not in out.stderr
    assert run("build", "--db", str(db)).returncode == 0  # a rebuild from the seeds keeps imported trials
    engine = make_engine(f"sqlite:///{db}", readonly=True)
    with Session(engine) as s:
        assert s.get(m.Study, "NCT03418623") is not None
        assert study_record(s.get(m.Study, "NCT03418623"))["protocolSection"]["statusModule"]["overallStatus"] == "COMPLETED"
    engine.dispose()


def test_check_catches_an_imported_fact_the_file_does_not_state(seeded):
    import sqlite3

    db, engine = seeded
    import_files(engine, [CTGOV / "search_page_phelan.json"])
    engine.dispose()
    con = sqlite3.connect(db)
    con.execute("UPDATE provenance SET quote = '\"WITHDRAWN\"' WHERE path = 'statusModule.overallStatus' "
                "AND subject = (SELECT nct_id FROM studies WHERE document_id = "
                "(SELECT id FROM documents WHERE format LIKE '%JSON') LIMIT 1)")
    con.commit()
    con.close()
    report = check(make_engine(f"sqlite:///{db}", readonly=True))
    assert not report.ok and [f[1] for f in report.failures] == ["statusModule.overallStatus"]


def _locations(path: Path) -> list[dict]:
    return json.loads(path.read_text())["protocolSection"]["contactsLocationsModule"]["locations"]


def test_sites_keep_their_geopoint_as_latitude_and_longitude(seeded):
    """A real record's three Spanish sites: each geoPoint {lat, lon} stored as the facility's latitude and
    longitude as posted, quoted at its path, and exported at the same path; the seed trial's site (its
    document names a city, no point) has none."""
    _, engine = seeded
    import_files(engine, [CTGOV / "NCT03475563.json"])
    posted = _locations(CTGOV / "NCT03475563.json")
    with Session(engine) as s:
        sites = s.get(m.Study, "NCT03475563").facilities
        assert [(f.city, f.latitude, f.longitude) for f in sites] == [
            (loc["city"], loc["geoPoint"]["lat"], loc["geoPoint"]["lon"]) for loc in posted]
        assert sites[0].latitude == 41.54329 and sites[0].longitude == 2.10942
        prov = {p.path: p.quote for p in s.scalars(select(m.Provenance).where(m.Provenance.subject == "NCT03475563"))}
        assert prov["contactsLocationsModule.locations[2].geoPoint.lon"] == "-5.57032"
        seed_site = s.get(m.Study, "NCT02465580").facilities[0]
        assert seed_site.city == "Beijing" and (seed_site.latitude, seed_site.longitude) == (None, None)
        exported = study_record(s.get(m.Study, "NCT03475563"))
    assert [loc["geoPoint"] for loc in exported["protocolSection"]["contactsLocationsModule"]["locations"]] == [
        loc["geoPoint"] for loc in posted]
    assert check(engine).ok


def _with_locations(tmp_path, change) -> Path:
    """NCT03475563 (a real record) with its locations changed by `change`, written to a file."""
    record = json.loads((CTGOV / "NCT03475563.json").read_text())
    change(record["protocolSection"]["contactsLocationsModule"]["locations"])
    out = tmp_path / "NCT03475563.json"
    out.write_text(json.dumps(record), encoding="utf-8")
    return out


def test_a_site_without_geopoint_is_kept_without_a_point(seeded, tmp_path):
    _, engine = seeded
    import_files(engine, [_with_locations(tmp_path, lambda locs: locs[1].pop("geoPoint"))])
    with Session(engine) as s:
        sites = s.get(m.Study, "NCT03475563").facilities
        assert [(f.latitude, f.longitude) for f in sites] == [(41.54329, 2.10942), (None, None), (42.60003, -5.57032)]
        assert sites[1].country == "Spain"  # counted under its country
        assert "geoPoint" not in study_record(s.get(m.Study, "NCT03475563"))[
            "protocolSection"]["contactsLocationsModule"]["locations"][1]


@pytest.mark.parametrize(("value", "where"), [("41.54", "lat"), (True, "lon"), ([41.5], "lat"), ({"deg": 2}, "lon")])
def test_a_geopoint_that_is_not_a_number_is_refused_with_its_path(seeded, tmp_path, value, where):
    db, engine = seeded
    bad = _with_locations(tmp_path, lambda locs: locs[2]["geoPoint"].update({where: value}))
    before = file_hash(db)
    with pytest.raises(SourceError) as err:
        import_files(engine, [bad])
    assert err.value.file.startswith("NCT03475563.json")
    assert err.value.field == f"$.protocolSection.contactsLocationsModule.locations[2].geoPoint.{where}"
    assert "not a number" in str(err.value)
    engine.dispose()
    assert file_hash(db) == before


def test_a_geopoint_off_the_globe_is_kept_as_posted_and_flagged(seeded, tmp_path):
    """The registry is the authority: a latitude of 95 can be stored and exported as posted, so it is kept,
    flagged, and never placed on a map (trialdb.flags.on_the_map)."""
    _, engine = seeded
    import_files(engine, [_with_locations(tmp_path, lambda locs: locs[0]["geoPoint"].update({"lat": 95.5}))])
    with Session(engine) as s:
        site = s.get(m.Study, "NCT03475563").facilities[0]
        assert (site.latitude, site.longitude) == (95.5, 2.10942)
        found = s.execute(select(m.Flag.path, m.Flag.kind, m.Flag.value).where(m.Flag.nct_id == "NCT03475563")).all()
        assert [tuple(r) for r in found] == [
            ("contactsLocationsModule.locations[0].geoPoint.lat", "geo_point_out_of_range", "95.5")]
        assert study_record(s.get(m.Study, "NCT03475563"))["protocolSection"]["contactsLocationsModule"][
            "locations"][0]["geoPoint"] == {"lat": 95.5, "lon": 2.10942}
