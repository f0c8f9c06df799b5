"""Read regimens and portfolio decisions through import, build, export, check and the queries (issue 20).

One end-to-end record whose wording any careful reader reads the same way ("1 million IU injected
subcutaneously once daily for 5 days"); the storage, export and check of everything else with readings
made here (the reader replaced by one returning them), so the expectations do not depend on the reader."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from tests.sync_support import own_database, seed_copy
from trialdb import queries as q
from trialdb.build import build
from trialdb.check import check
from trialdb.dosing.reader import Fact, NotRead, Reading, read_regimens
from trialdb.dosing.units import numbers_in
from trialdb.errors import SourceError
from trialdb.export import export
from trialdb.readings import dose_in_quote, string_at
from trialdb.registry.importer import import_files
from trialdb.store import models as m
from trialdb.store.db import make_engine

try:  # the interface's Phase (trialdb/dosing/schedules.py); before the reader is merged, its stand-in's
    from trialdb.dosing.schedules import Phase
except ImportError:
    from trialdb.dosing.reader import Phase  # type: ignore[assignment]

CTGOV = Path(__file__).parent / "fixtures" / "ctgov"
NCT = "NCT99000001"
ACTIVE_DESC = "Aldesleukin 1 million IU injected subcutaneously once daily for 5 days."
PHRASE = "1 million IU injected subcutaneously once daily for 5 days"


def record(nct: str = NCT, drug: str = "Aldesleukin", desc: str = ACTIVE_DESC) -> dict:
    """A registry-shaped record (a real record's modules, its arms rewritten) of a low-dose IL-2 trial."""
    s = copy.deepcopy(json.loads((CTGOV / "NCT03418623.json").read_text(encoding="utf-8")))
    s.pop("derivedSection", None)
    ps = s["protocolSection"]
    ps["identificationModule"]["nctId"] = nct
    ps["identificationModule"]["briefTitle"] = f"{drug} in systemic lupus erythematosus"
    ps["conditionsModule"] = {"conditions": ["Systemic Lupus Erythematosus"]}
    ps["armsInterventionsModule"] = {
        "armGroups": [
            {"label": "Low-dose IL-2", "type": "EXPERIMENTAL", "description": desc,
             "interventionNames": [f"Drug: {drug}"]},
            {"label": "Placebo", "type": "PLACEBO_COMPARATOR",
             "description": "Placebo injected subcutaneously once daily for 5 days.",
             "interventionNames": ["Drug: Placebo"]}],
        "interventions": [
            {"type": "DRUG", "name": drug, "description": f"{drug} for injection", "armGroupLabels": ["Low-dose IL-2"]},
            {"type": "DRUG", "name": "Placebo", "description": "Matching placebo", "armGroupLabels": ["Placebo"]}]}
    return s


def write(path: Path, study: dict, sync_shape: bool = False) -> Path:
    data = {"fetchedAt": "2026-01-05T05:00:00.000Z", "study": study} if sync_shape else study
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def db(tmp_path):
    """A database built from a copy of seed_data/ (SQLite, or PostgreSQL under TRIALDB_TEST_URL)."""
    seed = seed_copy(tmp_path)
    with own_database(tmp_path) as url:
        build(url, seed)
        engine = make_engine(url)
        yield url, seed, engine
        engine.dispose()


def _schedules(engine, nct: str) -> dict[tuple[str, str], dict]:
    return {(x["arm"], x["drug"]): x for x in export(engine)["schedules"] if x["nct_id"] == nct}


def test_import_reads_decides_exports_and_checks(db, tmp_path):
    _, _, engine = db
    study = record()
    import_files(engine, [write(tmp_path / "lupus.json", study)])
    sched = _schedules(engine, NCT)
    active = sched[("Low-dose IL-2", "Aldesleukin")]
    assert (active["dose"], active["unit"], active["route"], active["source"]) == (1.0, "million IU", "subcutaneous", "read")
    assert active["phases"][0]["every_days"] == 1 and active["phases"][0]["for_days"] == 5
    assert active["days"] == [0, 1, 2, 3, 4]
    assert active["quote"] and active["quote"] in string_at(study, active["path"])
    assert "1" in active["quote"] and "million" in active["quote"]
    assert sched[("Placebo", "Placebo")]["role"] == "placebo" and sched[("Placebo", "Placebo")]["dose"] is None
    portfolio = {p["nct_id"]: p for p in export(engine)["portfolio"]}
    assert portfolio[NCT]["included"] is True and portfolio[NCT]["category"] == "low-dose"
    assert portfolio["NCT02465580"] == {"nct_id": "NCT02465580", "included": True, "category": "low-dose",
                                        "reason": portfolio["NCT02465580"]["reason"], "quote": None}
    with Session(engine) as s:
        prov = s.scalars(select(m.Provenance).where(m.Provenance.subject == NCT,
                                                    m.Provenance.path == "regimens[Low-dose IL-2|Aldesleukin]")).one()
        assert prov.quote == active["quote"]
        assert s.get(m.PortfolioDecision, NCT).source == "classifier"
    report = check(engine)
    assert report.ok, report.failures[:3]
    # The dashboard's frame: the new columns, computed where they can be.
    df = q.regimens(engine, q.Filters(None), (NCT,))
    row = df[df.drug == "Aldesleukin"].iloc[0]
    assert (row.source, row.basis, row.per_week, bool(row.complete)) == ("read", "flat", 7.0, True)
    assert row.quote == active["quote"] and row.path == active["path"] and row.total_dose == 5.0
    # The export imports again (its `studies` as a search page), the schedules and portfolio beside.
    again = tmp_path / "export.json"
    again.write_text(json.dumps(export(engine)), encoding="utf-8")
    import_files(engine, [again])
    assert check(engine).ok


def _fake_reader(readings):
    return lambda study: [r for r in readings
                          if study["protocolSection"]["identificationModule"]["nctId"] == NCT]


UNREAD = Reading(
    arm="Low-dose IL-2", drug="Aldesleukin", role="active", dose=None, unit=None, unit_as_written=None,
    route="subcutaneous", phases=(Phase(every_days=None, for_days=None, times_per_week=3),),
    quote="100,000–200,000 IU/m2 ×3 per week",
    path="armsInterventionsModule.armGroups[0].description",
    facts=(Fact("route", "subcutaneously", "armsInterventionsModule.armGroups[0].description"),),
    not_read=(NotRead("dose", "a range: 100,000–200,000 IU/m2", "100,000–200,000 IU/m2",
                      "armsInterventionsModule.armGroups[0].description"),
              NotRead("phases.for_days", "duration not stated")),
    flags=("a test flag",))


def test_constructed_readings_stored_as_read_and_noted(db, tmp_path, monkeypatch):
    _, _, engine = db
    desc = "Aldesleukin 100,000–200,000 IU/m2 ×3 per week, given subcutaneously."
    monkeypatch.setattr("trialdb.readings.read_regimens", _fake_reader([UNREAD]))
    import_files(engine, [write(tmp_path / "range.json", record(desc=desc))])
    sched = _schedules(engine, NCT)
    assert list(sched) == [("Low-dose IL-2", "Aldesleukin")]
    x = sched[("Low-dose IL-2", "Aldesleukin")]
    assert (x["dose"], x["unit"], x["days"], x["source"]) == (None, None, None, "read")
    assert x["phases"] == [{"every_days": None, "for_days": None, "rest_days": 0, "cycles": 1, "times_per_week": 3}]
    assert x["not_read"] == [
        {"field": "dose", "reason": "a range: 100,000–200,000 IU/m2", "quote": "100,000–200,000 IU/m2",
         "path": "armsInterventionsModule.armGroups[0].description"},
        {"field": "phases.for_days", "reason": "duration not stated", "quote": None, "path": None}]
    assert x["flags"] == ["a test flag"]  # export carries the reading's flags
    df = q.regimens(engine, q.Filters(None), (NCT,))
    row = df.iloc[0]
    assert row["flags"] == ["a test flag"] and row["not_read"][1]["reason"] == "duration not stated"
    assert (row.basis, row.per_week, bool(row.complete), row.total_dose, row.days) == (None, 3.0, False, None, [])
    assert check(engine).ok


def test_tampered_quote_dose_or_decision_fails_check(db, tmp_path):
    _, _, engine = db
    import_files(engine, [write(tmp_path / "lupus.json", record())])
    assert check(engine).ok
    key = "regimens[Low-dose IL-2|Aldesleukin]"
    original = _schedules(engine, NCT)[("Low-dose IL-2", "Aldesleukin")]["quote"]
    with Session(engine) as s, s.begin():
        s.execute(update(m.Regimen).where(m.Regimen.nct_id == NCT, m.Regimen.drug == "Aldesleukin").values(dose=3.0))
    bad = check(engine)
    assert not bad.ok and any(p.startswith(key + ".dose") for _, p, _ in bad.failures)
    with Session(engine) as s, s.begin():
        s.execute(update(m.Regimen).where(m.Regimen.nct_id == NCT, m.Regimen.drug == "Aldesleukin").values(dose=1.0))
        s.execute(update(m.Provenance).where(m.Provenance.subject == NCT, m.Provenance.path == key)
                  .values(quote="10 million IU injected subcutaneously"))
    bad = check(engine)
    assert not bad.ok and any(p.startswith(key + " at ") for _, p, _ in bad.failures)
    with Session(engine) as s, s.begin():
        s.execute(update(m.Provenance).where(m.Provenance.subject == NCT, m.Provenance.path == key)
                  .values(quote=original))
    assert check(engine).ok
    with Session(engine) as s, s.begin():
        s.execute(update(m.PortfolioDecision).where(m.PortfolioDecision.nct_id == NCT).values(quote="Basiliximab"))
    bad = check(engine)
    assert not bad.ok and [p for _, p, _ in bad.failures] == [f"portfolio at {_decision_path(engine)}"]


def _decision_path(engine) -> str | None:
    with Session(engine) as s:
        return s.get_one(m.PortfolioDecision, NCT).path


def _curate(seed: Path, entry: str) -> None:
    with open(seed / "curation.toml", "a", encoding="utf-8") as fh:
        fh.write("\n" + entry)


CURATED = f'''[[regimen]]
nct_id = "{NCT}"
arm = "Low-dose IL-2"
drug = "Aldesleukin"
role = "active"
dose = 1.0
unit = "million IU"
unit_as_written = "1 million IU"
route = "subcutaneous"
document = "registry/{NCT}.json"
quote = "{PHRASE}"
phases = [{{ every_days = 1, for_days = 5, rest_days = 23, cycles = 6 }}]
'''


def test_curated_entry_for_a_registry_trial_wins_and_a_rebuild_keeps_everything(tmp_path):
    seed = seed_copy(tmp_path)
    (seed / "registry").mkdir(exist_ok=True)
    write(seed / "registry" / f"{NCT}.json", record(), sync_shape=True)
    other = "NCT99000002"
    write(seed / "registry" / f"{other}.json", record(other), sync_shape=True)
    _curate(seed, CURATED)
    with own_database(tmp_path) as url:
        build(url, seed)
        engine = make_engine(url)
        try:
            imported = record("NCT99000003")
            import_files(engine, [write(tmp_path / "imported.json", imported)])

            def state() -> dict:
                sched = export(engine)["schedules"]
                return {(x["nct_id"], x["arm"], x["drug"]): (x["source"], x["dose"], x["quote"], len(x["days"] or []))
                        for x in sched if x["nct_id"].startswith("NCT99")}

            first = state()
            # The person's reading replaces every read regimen of the trial (the placebo's too).
            assert [k for k in first if k[0] == NCT] == [(NCT, "Low-dose IL-2", "Aldesleukin")]
            assert first[(NCT, "Low-dose IL-2", "Aldesleukin")] == ("curated", 1.0, PHRASE, 30)
            assert first[(other, "Low-dose IL-2", "Aldesleukin")][0] == "read"
            assert first[("NCT99000003", "Low-dose IL-2", "Aldesleukin")][0] == "read"
            assert check(engine).ok
            engine.dispose()
            build(url, seed)  # the registry folder read again, the imported file carried over
            assert state() == first
            assert check(engine).ok
            with Session(engine) as s:
                assert {d.nct_id for d in s.scalars(select(m.PortfolioDecision))} >= {NCT, other, "NCT99000003"}
        finally:
            engine.dispose()


def test_a_curated_quote_not_in_the_registry_file_fails_the_build(tmp_path):
    seed = seed_copy(tmp_path)
    (seed / "registry").mkdir(exist_ok=True)
    write(seed / "registry" / f"{NCT}.json", record(), sync_shape=True)
    _curate(seed, CURATED.replace(PHRASE, "2 million IU injected subcutaneously"))
    with own_database(tmp_path) as url, pytest.raises(SourceError, match="quote not found verbatim"):
        build(url, seed)


def test_portfolio_filter_keeps_low_dose_and_lists_the_others(db, tmp_path):
    _, _, engine = db
    files = [write(tmp_path / "a.json", record()),
             write(tmp_path / "b.json", record("NCT99000004", "Basiliximab", "Basiliximab 20 mg intravenously")),
             write(tmp_path / "c.json", record("NCT99000005", "Efavaleukin alfa", "Efavaleukin alfa subcutaneously"))]
    import_files(engine, files)
    low = set(q.studies(engine, q.Filters(None)).nct_id)
    assert NCT in low and "NCT99000004" not in low and "NCT99000005" not in low and "NCT02465580" in low
    assert set(q.studies(engine, q.Filters(None, portfolio="engineered")).nct_id) == {"NCT99000005"}
    also = q.also_matched(engine, q.Filters(None))
    assert list(also.columns) == ["nct_id", "brief_title", "indication", "category", "reason", "quote", "path",
                                  "source"]
    rows = {r.nct_id: r for r in also.itertuples()}
    assert set(rows) == {"NCT99000004", "NCT99000005"}
    assert rows["NCT99000004"].category == "receptor-antibody" and "Basiliximab" in rows["NCT99000004"].quote
    assert rows["NCT99000005"].category == "engineered"
    assert check(engine).ok
    # A database without decisions (built before them): every study counts as included.
    with Session(engine) as s, s.begin():
        s.execute(delete(m.PortfolioDecision))
    assert {NCT, "NCT99000004", "NCT99000005"} <= set(q.studies(engine, q.Filters(None)).nct_id)


def test_a_dose_read_in_the_high_dose_range_decides_high_dose_with_its_words(db, tmp_path):
    """Issue 32: the arm is called "Low-dose IL-2", but the reader reads 600,000 IU/kg (the high dose of cancer
    immunotherapy): the trial is high-dose, left out, with the dose's own words as the quote; check verifies it.
    A reviewed decision still wins."""
    from trialdb.portfolio.classifier import classify, decide

    desc = "Aldesleukin 600,000 IU/kg by intravenous bolus every 8 hours for up to 14 doses."
    study = record(nct="NCT99000011", desc=desc)
    d = decide(study, {}, read_regimens(study))
    assert (d.category, d.included, d.quote) == ("high-dose", False, "600,000 IU/kg")
    assert d.path == "armsInterventionsModule.armGroups[0].description" and "high-dose range" in d.reason
    assert classify(study).category == "low-dose"  # the words alone ("Low-dose IL-2") said low
    reviewed = {"NCT99000011": {"nct_id": "NCT99000011", "include": True, "category": "low-dose",
                                "reason": "reviewed", "quote": None}}
    assert decide(study, reviewed, []).category == "low-dose"
    _, _, engine = db
    import_files(engine, [write(tmp_path / "high.json", study)])
    portfolio = {p["nct_id"]: p for p in export(engine)["portfolio"]}
    assert portfolio["NCT99000011"]["category"] == "high-dose" and portfolio["NCT99000011"]["quote"] == "600,000 IU/kg"
    assert check(engine).ok
    # a low dose read beside the same words stays low-dose
    low = record(nct="NCT99000012", desc="Aldesleukin 1 million IU subcutaneously once daily for 5 days.")
    assert decide(low, {}, read_regimens(low)).category == "low-dose"


def test_numbers_of_a_dose_in_its_quote():
    assert numbers_in("0·33 MIU/day, 1 MIU/day") == [0.33, 1.0]
    assert numbers_in("100,000–200,000 IU/m2") == [100000.0, 200000.0]
    assert numbers_in("IL-2 1 × 10^6 IU") == [1.0, 10.0]
    assert dose_in_quote(0.5, "half million IU") and dose_in_quote(1.0, "1,000,000 IU")
    assert dose_in_quote(1.5, "1.5 MIU") and not dose_in_quote(3.0, "1.5 MIU") and not dose_in_quote(15.0, "1.5 MIU")
    # one reader of a quote's numbers (issue 32): the exponent after a power sign, a decimal comma and the digits of
    # a name are no number; a superscript flattened with a space ("10 6") cannot be told from a number here (the
    # reader refuses it as a fragment of a power: tests/test_dosing_units.py)
    assert numbers_in("0.2 x 10 6 IU/m 2") == [0.2, 10.0, 6.0, 2.0] and not dose_in_quote(6.0, "1 x 10\\~6 IU")
    assert numbers_in("7,5 MUI") == [] and not dose_in_quote(5.0, "7,5 MUI") and numbers_in("D1-D5 IL2") == []
