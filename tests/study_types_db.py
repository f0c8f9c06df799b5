"""A database holding the seeds beside studies of the other two study types (designModule.studyType) the IL-2
registry query also matches: the two real OBSERVATIONAL records of tests/fixtures/ctgov/ (NCT03475563, a
patient registry; NCT05594173, a cohort with posted results) and one EXPANDED_ACCESS record. The project has no
real expanded access record (none in tests/fixtures/ctgov/ nor in the shared fixtures): EXPANDED_ACCESS below is
BUILT here, not registry data, from the real record NCT03418623 given another NCT id, an expanded access
designModule as the API v2 spells it (studyType and expandedAccessTypes, no phases, no designInfo, no
enrollmentInfo), the status AVAILABLE, and no arm groups or outcomes, which such a record does not have. A SQLite
file, or under TRIALDB_TEST_URL a PostgreSQL database of its own, so both runs of the suite use it."""

from __future__ import annotations

import copy
import json
from pathlib import Path

from tests import portfolio_support
from tests.results_db import fresh_url

CTGOV = portfolio_support.CTGOV
OBSERVATIONAL = ("NCT03475563", "NCT05594173")
EXPANDED_ACCESS = "NCT09900001"  # built (above): an id no real record has, in the synthetic range's neighbourhood
SEEDS = ("NCT02465580", "NCT05262686", "NCT02467504", "NCT02464319")


def expanded_access_record() -> dict:
    """The built expanded access record (module docstring): not registry data."""
    study = copy.deepcopy(json.loads((CTGOV / "NCT03418623.json").read_text(encoding="utf-8")))
    p = study["protocolSection"]
    p["identificationModule"]["nctId"] = EXPANDED_ACCESS
    p["identificationModule"]["briefTitle"] = "Expanded Access to GET73 (built test record, not registry data)"
    p["identificationModule"].pop("officialTitle", None)
    p["statusModule"]["overallStatus"] = "AVAILABLE"
    p["designModule"] = {"studyType": "EXPANDED_ACCESS", "expandedAccessTypes": {"individual": True}}
    p["armsInterventionsModule"].pop("armGroups", None)
    for iv in p["armsInterventionsModule"].get("interventions", []):
        iv.pop("armGroupLabels", None)
    p.pop("outcomesModule", None)
    study.pop("resultsSection", None)
    study["hasResults"] = False
    return study


def build_study_types_database(folder: Path, name: str = "trials_study_types") -> str:
    """Seeds, then the two observational records and the built expanded access record imported as a user would,
    kept in the portfolio by a reviewed decision (tests/portfolio_support.py: they give no IL-2). Returns its URL."""
    from trialdb.build import build
    from trialdb.registry.importer import import_files
    from trialdb.store.db import make_engine

    url = fresh_url(folder, name)
    build(url)
    built = folder / f"{EXPANDED_ACCESS}.json"
    built.write_text(json.dumps(expanded_access_record()), encoding="utf-8")
    engine = make_engine(url)
    try:
        import_files(engine, [*(CTGOV / f"{n}.json" for n in OBSERVATIONAL), built],
                     portfolio_support.inputs([*OBSERVATIONAL, EXPANDED_ACCESS]))
    finally:
        engine.dispose()
    return url
