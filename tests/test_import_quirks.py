"""Registry data quirks found in public issue trackers (/work/plan/quirks_found.md, sections 2-4), on the
API v2 import path: a JSON type the API never sends for a stored number is refused with file and JSON path;
an enum value the registry adds is kept as posted and flagged; the same study twice in one file is one
trial, the latest copy kept and the dropped copy named. On the session's engine (SQLite, or PostgreSQL under
TRIALDB_TEST_URL): each test imports into an empty database of its own."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.results_db import fresh_url
from trialdb import flags
from trialdb import models as m
from trialdb.check import check
from trialdb.db import make_engine
from trialdb.errors import SourceError
from trialdb.export import export
from trialdb.importer import import_files

CTGOV = Path(__file__).parent / "fixtures" / "ctgov"
NCT = "NCT03418623"  # a real record without results: enrolment 24 (ACTUAL), status COMPLETED
RESULTS = "NCT00763412"  # a real record with posted results (adverse events with counts)


def record(nct: str = NCT) -> dict:
    return json.loads((CTGOV / f"{nct}.json").read_text(encoding="utf-8"))


def write(folder: Path, name: str, data: object) -> Path:
    path = folder / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


@pytest.fixture
def fresh(tmp_path, request):
    eng = make_engine(fresh_url(tmp_path, "trials_quirks_" + request.node.name.split("[")[0][-30:].lower()))
    yield eng
    eng.dispose()


# --- Section 4: a JSON type the API never sends for a number or boolean the model stores -------------------

COUNT = "$.protocolSection.designModule.enrollmentInfo.count"


@pytest.mark.parametrize("posted", ["24x", "24", 24.5, 24.0, True, -3, [24], {"n": 24}])
def test_an_enrolment_count_of_another_json_type_is_refused_with_file_and_path(tmp_path, fresh, posted):
    rec = record()
    rec["protocolSection"]["designModule"]["enrollmentInfo"]["count"] = posted
    bad = write(tmp_path, "bad.json", rec)
    with pytest.raises(SourceError) as err:
        import_files(fresh, [CTGOV / "NCT03475563.json", bad])  # the good file is not written either
    assert err.value.file.startswith("bad.json#") and err.value.field == COUNT and err.value.value == posted
    assert "not a whole number" in str(err.value)
    with Session(fresh) as s:
        assert s.scalar(select(m.Study.nct_id)) is None


def test_an_integer_enrolment_count_is_stored_as_an_integer(fresh):
    import_files(fresh, [CTGOV / f"{NCT}.json"])
    with Session(fresh) as s:
        st = s.get(m.Study, NCT)
        assert (st.enrollment, type(st.enrollment)) == (24, int)


@pytest.mark.parametrize(("where", "posted"), [
    ("$.hasResults", "false"), ("$.hasResults", 0),
    ("$.protocolSection.eligibilityModule.healthyVolunteers", "No"),
    ("$.protocolSection.eligibilityModule.healthyVolunteers", 1),
])
def test_a_stored_boolean_of_another_json_type_is_refused(tmp_path, fresh, where, posted):
    rec = record()
    if where == "$.hasResults":
        rec["hasResults"] = posted
    else:
        rec["protocolSection"]["eligibilityModule"]["healthyVolunteers"] = posted
    with pytest.raises(SourceError) as err:
        import_files(fresh, [write(tmp_path, "bad.json", rec)])
    assert err.value.field == where and err.value.value == posted


EVENTS = "$.resultsSection.adverseEventsModule"


@pytest.mark.parametrize("where", ["eventGroups[0].seriousNumAffected", "eventGroups[0].otherNumAtRisk",
                                   "otherEvents[0].stats[0].numEvents", "otherEvents[0].stats[0].numAffected",
                                   "otherEvents[0].stats[0].numAtRisk"])
@pytest.mark.parametrize("posted", ["3", 3.5, True])
def test_a_results_count_of_another_json_type_is_refused(tmp_path, fresh, where, posted):
    # Already checked by trialdb.results.SCHEMA before this change (the audit of section 4): kept so.
    rec = record("NCT05594173")
    node = rec["resultsSection"]["adverseEventsModule"]
    *parents, leaf = where.replace("[", ".").replace("]", "").split(".")
    for key in parents:
        node = node[int(key)] if key.isdigit() else node[key]
    node[leaf] = posted
    with pytest.raises(SourceError) as err:
        import_files(fresh, [write(tmp_path, "bad.json", rec)])
    assert err.value.field == f"{EVENTS}.{where}" and err.value.value == posted


def test_posted_result_values_the_api_sends_as_strings_stay_strings(fresh):
    import_files(fresh, [CTGOV / f"{RESULTS}.json"])
    src = record(RESULTS)["resultsSection"]
    out = next(s for s in export(fresh)["studies"] if s["protocolSection"]["identificationModule"]["nctId"] == RESULTS)
    om, om_src = (x["outcomeMeasuresModule"]["outcomeMeasures"][0] for x in (out["resultsSection"], src))
    assert om["classes"][0]["categories"][0]["measurements"] == om_src["classes"][0]["categories"][0]["measurements"]
    assert all(isinstance(c["value"], str) for d in om["denoms"] for c in d["counts"])
    flow = out["resultsSection"]["participantFlowModule"]["periods"][0]["milestones"][0]["achievements"]
    assert flow == src["participantFlowModule"]["periods"][0]["milestones"][0]["achievements"]
    assert all(isinstance(a["numSubjects"], str) for a in flow)


def test_the_overview_table_shows_a_non_integer_count_a_database_already_holds():
    # A database imported before the check may hold '24x' in the INTEGER column: the table shows it as
    # stored, never raises, and nothing computed uses it.
    assert flags.enrollment_label("24x", "ACTUAL", "-") == "24x (as stored: not a whole number)"
    assert flags.enrollment_label(24.5, None, "-") == "24.5 (as stored: not a whole number)"
    assert flags.enrollment_label(24.0, "ACTUAL", "-") == "24 (actual)"
    assert flags.enrollment_stated("24x") is None and flags.enrollment_stated(24.5) is None
    assert flags.enrollment_stated(24) == 24
