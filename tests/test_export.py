"""`export` reads like the registry: API v2 key names and enum spellings, checked against real records."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from trialdb.enums import ENUMS
from trialdb.export import export

FIXTURES = Path(__file__).parent / "fixtures" / "ctgov"


def _paths(node, prefix=""):
    if isinstance(node, dict):
        for k, v in node.items():
            p = f"{prefix}.{k}" if prefix else k
            yield p
            yield from _paths(v, p)
    elif isinstance(node, list):
        for v in node:
            yield from _paths(v, prefix + "[]")


@pytest.fixture(scope="module")
def registry_paths() -> set[str]:
    paths: set[str] = set()
    for f in FIXTURES.glob("*.json"):
        data = json.loads(f.read_text())
        for study in data.get("studies", [data]):
            paths |= set(_paths(study))
    # API v2 keys the fixtures happen not to use (from the registry's data structure).
    paths |= {"protocolSection.statusModule.lastKnownStatus", "protocolSection.identificationModule.secondaryIdInfos[].id",
              "protocolSection.identificationModule.secondaryIdInfos[].type",
              "protocolSection.sponsorCollaboratorsModule.responsibleParty.investigatorTitle",
              "protocolSection.sponsorCollaboratorsModule.responsibleParty.investigatorFullName",
              "protocolSection.sponsorCollaboratorsModule.responsibleParty.investigatorAffiliation",
              "protocolSection.contactsLocationsModule.locations[].contacts[].phone",
              "protocolSection.contactsLocationsModule.centralContacts[].phone",
              "protocolSection.armsInterventionsModule.interventions[].otherNames"}
    return paths


@pytest.fixture(scope="module")
def exported(engine):
    return export(engine)


def test_top_level(exported):
    assert set(exported) == {"studies", "publications", "schedules", "portfolio", "reporting"}
    assert len(exported["studies"]) == 4 and len(exported["publications"]) == 1


def test_every_key_is_an_api_v2_key(exported, registry_paths):
    for study in exported["studies"]:
        unknown = {p for p in _paths(study) if p not in registry_paths}
        assert not unknown, unknown


ENUM_FIELDS = {
    r"statusModule\.overallStatus$": "overallStatus", r"designModule\.phases\[\]$": "phase",
    r"designModule\.studyType$": "studyType", r"designInfo\.allocation$": "allocation",
    r"designInfo\.interventionModel$": "interventionModel", r"designInfo\.primaryPurpose$": "primaryPurpose",
    r"maskingInfo\.masking$": "masking", r"maskingInfo\.whoMasked\[\]$": "whoMasked", r"armGroups\[\]\.type$": "armGroupType",
    r"interventions\[\]\.type$": "interventionType", r"eligibilityModule\.sex$": "sex",
    r"enrollmentInfo\.type$": "enrollmentType", r"(leadSponsor|collaborators\[\])\.class$": "agencyClass",
    r"responsibleParty\.type$": "responsiblePartyType", r"overallOfficials\[\]\.role$": "officialRole",
    r"(centralContacts|contacts)\[\]\.role$": "contactRole", r"references\[\]\.type$": "referenceType",
    r"locations\[\]\.status$": "recruitmentStatus",
}


def _values(node, prefix=""):
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _values(v, f"{prefix}.{k}" if prefix else k)
    elif isinstance(node, list):
        for v in node:
            yield from _values(v, prefix + "[]")
    else:
        yield prefix, node


def test_enum_values_are_api_spellings(exported):
    checked = 0
    for study in exported["studies"]:
        for path, value in _values(study):
            for rx, kind in ENUM_FIELDS.items():
                if re.search(rx, path):
                    assert value in ENUMS[kind], (path, value)
                    checked += 1
    assert checked > 60


def test_shapes(exported):
    s = next(x for x in exported["studies"] if x["protocolSection"]["identificationModule"]["nctId"] == "NCT02465580")
    ps = s["protocolSection"]
    assert ps["statusModule"]["startDateStruct"] == {"date": "2015-06-30"}
    assert ps["designModule"]["enrollmentInfo"] == {"count": 60}
    assert ps["designModule"]["phases"] == ["PHASE2"]
    assert ps["eligibilityModule"]["minimumAge"] == "18 Years"
    assert ps["eligibilityModule"]["eligibilityCriteria"].startswith("Inclusion Criteria:\n\n* Meet the American College")
    assert ps["armsInterventionsModule"]["interventions"][0]["armGroupLabels"] == ["hrIL-2 active"]
    b = next(x for x in exported["studies"] if x["protocolSection"]["identificationModule"]["nctId"] == "NCT05262686")
    assert "startDateStruct" not in b["protocolSection"]["statusModule"]  # not stated: left out, never guessed
    assert b["protocolSection"]["designModule"]["enrollmentInfo"] == {"count": 10, "type": "ESTIMATED"}


def test_publication_and_schedules(exported):
    pub = exported["publications"][0]
    assert pub["nct_ids"] == ["NCT02465580", "NCT02932137"]
    wk12 = next(o for o in pub["outcomes"] if o.get("timepoint_weeks") == 12)
    assert wk12["p_value"] == "0.052" and wk12["primary"] is True
    assert wk12["groups"][0] == {"group": "IL-2", "percent": "55.17", "responders": 16, "n": 29, "derived": True}
    sched = {(x["nct_id"], x["arm"], x["drug"]): x for x in exported["schedules"]}
    sle = sched[("NCT02465580", "hrIL-2 active", "hrIL-2 active")]
    assert sle["dose"] == 1.0 and sle["unit"] == "million IU" and sle["route"] == "subcutaneous" and len(sle["days"]) == 21
    assert sched[("NCT02467504", "Experimental", "MTX")]["days"] == []


def test_sites_geopoints_round_trip(tmp_path, registry_paths):
    """Every real record with sites: each location's geoPoint exported at its API v2 path as posted (a site
    without one exported without one), and export then import gives back the same studies."""
    from trialdb.registry.importer import import_files
    from trialdb.store.db import make_engine

    files = [FIXTURES / f"{n}.json" for n in ("NCT03475563", "NCT03418623", "NCT00763412", "NCT05594173")]
    engine = make_engine(f"sqlite:///{tmp_path / 'sites.sqlite3'}")
    import_files(engine, files)
    studies = {s["protocolSection"]["identificationModule"]["nctId"]: s for s in export(engine)["studies"]}
    n_points = 0
    for f in files:
        posted = json.loads(f.read_text())["protocolSection"]
        got = studies[posted["identificationModule"]["nctId"]]
        for a, b in zip(posted["contactsLocationsModule"]["locations"],
                        got["protocolSection"]["contactsLocationsModule"]["locations"], strict=True):
            assert b.get("geoPoint") == a.get("geoPoint") and (b["city"], b["country"]) == (a["city"], a["country"])
            n_points += "geoPoint" in b
        assert not {p for p in _paths(got) if p not in registry_paths}
    assert n_points == 6
    dump = tmp_path / "export.json"
    dump.write_text(json.dumps(export(engine)), encoding="utf-8")
    again = make_engine(f"sqlite:///{tmp_path / 'again.sqlite3'}")
    import_files(again, [dump])
    assert export(again)["studies"] == export(engine)["studies"]
    engine.dispose()
    again.dispose()
