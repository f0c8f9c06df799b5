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
from trialdb.check import check
from trialdb.errors import SourceError
from trialdb.export import export
from trialdb.registry.importer import import_files
from trialdb.store import models as m
from trialdb.store.db import make_engine

CTGOV = Path(__file__).parent / "fixtures" / "ctgov"
QUIRKS = Path(__file__).parent / "fixtures" / "quirks"
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
    # Already checked by trialdb.results.section.SCHEMA before this change (the audit of section 4): kept so.
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


# --- Section 2: an enum value the registry adds ------------------------------------------------------------

LEAD_CLASS = "sponsorCollaboratorsModule.leadSponsor.class"
ADDED = {"statusModule.overallStatus": "RESULTS_PENDING_QC", "armsInterventionsModule.interventions[0].type": "NOVEL_TYPE",
         LEAD_CLASS: "NEW_CLASS", "designModule.designInfo.primaryPurpose": "DEVICE_TRIAL_2"}
ENROLLED = NCT


def _set(rec: dict, path: str, value: object) -> None:
    node = rec["protocolSection"]
    *parents, leaf = path.replace("[", ".").replace("]", "").split(".")
    for key in parents:
        node = node[int(key)] if key.isdigit() else node[key]
    node[int(leaf) if leaf.isdigit() else leaf] = value


def test_an_enum_value_the_registry_adds_is_kept_as_posted_flagged_and_shown(tmp_path, fresh):
    from trialdb import queries
    from trialdb.enums import label

    rec = record(ENROLLED)
    for path, value in ADDED.items():
        _set(rec, path, value)
    # A record of the portfolio (a quirk fixture the portfolio includes) with the same new status.
    kept = json.loads((QUIRKS / "enrollment-sentinel-99999999.json").read_text(encoding="utf-8"))
    kept["protocolSection"]["statusModule"]["overallStatus"] = "RESULTS_PENDING_QC"
    report = import_files(fresh, [write(tmp_path, f"{ENROLLED}.json", rec), write(tmp_path, "kept.json", kept)])
    assert report.added == [ENROLLED, "NCT90000001"] and report.categories["NCT90000001"][1]
    with Session(fresh) as s:
        st = s.get(m.Study, ENROLLED)
        assert st.overall_status == "RESULTS_PENDING_QC" and st.interventions[0].intervention_type == "NOVEL_TYPE"
        assert st.sponsors[0].agency_class == "NEW_CLASS" and st.design.primary_purpose == "DEVICE_TRIAL_2"
        # (The arm still names "Drug: GET73": an intervention of another type now, so that name is flagged too.)
        assert sorted(flags.for_study(s, ENROLLED)) == sorted(
            [(p, "enum_value_unknown", v) for p, v in ADDED.items()]
            + [("armsInterventionsModule.armGroups[0].interventionNames[0]", "arm_names_unknown_intervention",
                "Drug: GET73")])
    # Export gives it back as posted, and `check` finds every stored fact in the file.
    ps = next(x for x in export(fresh)["studies"] if x["protocolSection"]["identificationModule"]["nctId"] == NCT)[
        "protocolSection"]
    assert ps["statusModule"]["overallStatus"] == "RESULTS_PENDING_QC"
    assert ps["sponsorCollaboratorsModule"]["leadSponsor"]["class"] == "NEW_CLASS"
    assert ps["armsInterventionsModule"]["interventions"][0]["type"] == "NOVEL_TYPE"
    assert check(fresh).ok
    # The sidebar offers it (values come from the database), its label title-cased, and it filters.
    assert ("RESULTS_PENDING_QC", "RESULTS_PENDING_QC", 1) in queries.filter_options(fresh)["statuses"]
    assert label("RESULTS_PENDING_QC") == "Results pending qc"
    chosen = queries.studies(fresh, queries.Filters(None, statuses=("RESULTS_PENDING_QC",)))
    assert list(chosen.nct_id) == ["NCT90000001"]
    aside = queries.studies(fresh, queries.Filters(None, statuses=("RESULTS_PENDING_QC",), portfolio="set-aside"))
    assert list(aside.nct_id) == [ENROLLED]
    # The trial record lists the flag beside the value.
    found = queries.study_record(fresh, ENROLLED)
    assert found is not None and ("statusModule.overallStatus", "enum_value_unknown", "RESULTS_PENDING_QC") in found.flags
    assert flags.sentence("enum_value_unknown") == ("a value this version of the dashboard does not know "
                                                    "(the registry may have added it): kept as posted")


@pytest.mark.parametrize(("path", "posted"), [
    ("statusModule.overallStatus", 7), ("statusModule.overallStatus", "Paused"),
    ("statusModule.overallStatus", "PAUSED; DROP TABLE studies"), ("statusModule.overallStatus", ["COMPLETED"]),
    ("armsInterventionsModule.interventions[1].type", "drug"), (LEAD_CLASS, 3), (LEAD_CLASS, "_NEW"),
    ("sponsorCollaboratorsModule.collaborators[0].class", "x" * 10), ("designModule.phases[0]", "PHASE" + "2" * 70),
])
def test_a_non_string_or_a_string_not_shaped_like_an_api_token_is_refused_with_its_path(tmp_path, fresh, path, posted):
    rec = record(ENROLLED)
    _set(rec, path, posted)
    with pytest.raises(SourceError) as err:
        import_files(fresh, [write(tmp_path, "bad.json", rec)])
    assert err.value.file.startswith("bad.json#") and err.value.field == f"$.protocolSection.{path}"
    assert err.value.value == posted and "not a ClinicalTrials.gov" in err.value.problem


def test_a_seed_document_value_not_in_the_list_is_still_refused():
    from trialdb.enums import normalise
    from trialdb.load import Checks

    with pytest.raises(SourceError, match="overallStatus"):
        Checks("seed.txt").enum("statusModule.overallStatus", "overallStatus", "RESULTS_PENDING_QC")
    with pytest.raises(SourceError, match="phase"):
        normalise("phase", "Phase 5", file="seed.txt", field="phase")
    checks = Checks("x.json", "$")
    assert checks.enum("statusModule.overallStatus", "overallStatus", "RESULTS_PENDING_QC") == "RESULTS_PENDING_QC"
    assert checks.flagged == [("statusModule.overallStatus", "enum_value_unknown", "RESULTS_PENDING_QC")]


# --- Section 3: the same study twice in one import ---------------------------------------------------------

def _version(date: str, count: int) -> dict:
    rec = record()
    rec["protocolSection"]["statusModule"]["lastUpdatePostDateStruct"]["date"] = date
    rec["protocolSection"]["designModule"]["enrollmentInfo"]["count"] = count
    return rec


def _stored(engine) -> tuple[int, str, int]:
    with Session(engine) as s:
        st = s.get(m.Study, NCT)
        n = len(s.scalars(select(m.Study.nct_id)).all())
        return st.enrollment, st.last_update_posted_date, n


def test_identical_repeats_in_one_file_collapse_silently(tmp_path, fresh):
    page = write(tmp_path, "page.json", {"studies": [record(), record()]})
    report = import_files(fresh, [page])
    assert report.added == [NCT] and report.repeats == []
    assert report.summary() == "imported 1 studies from 1 file(s): 1 new, 0 updated"
    assert _stored(fresh)[::2] == (24, 1) and check(fresh).ok


def test_differing_repeats_keep_the_latest_update_and_name_the_dropped_copy(tmp_path, fresh):
    newer, older = _version("2024-02-01", 30), _version("2023-05-01", 24)
    page = write(tmp_path, "page.json", {"studies": [newer, older]})  # the newer first: the date decides
    report = import_files(fresh, [page])
    assert report.added == [NCT]
    name = next(iter(report.repeats)).split(" of ")[1].split(" ")[0]
    assert name.startswith("page.json#")
    assert report.repeats == [f"{NCT} given twice with different content: kept $.studies[0] of {name} (last updated "
                              f"2024-02-01), dropped $.studies[1] of {name} (last updated 2023-05-01)"]
    assert report.repeats[0] in report.summary()
    assert _stored(fresh) == (30, "2024-02-01", 1)
    # `check` and export read the kept copy from the stored file.
    assert check(fresh).ok
    assert export(fresh)["studies"][0]["protocolSection"]["designModule"]["enrollmentInfo"]["count"] == 30


def test_differing_repeats_of_one_date_keep_the_later_in_the_file(tmp_path, fresh):
    first, second = _version("2024-02-01", 30), _version("2024-02-01", 31)
    report = import_files(fresh, [write(tmp_path, "page.json", [first, second])])
    assert len(report.repeats) == 1 and "kept $[1] of page.json#" in report.repeats[0]
    assert "dropped $[0] of page.json#" in report.repeats[0]
    assert _stored(fresh) == (31, "2024-02-01", 1) and check(fresh).ok


def test_a_repeat_across_two_files_of_one_import_follows_the_same_rule(tmp_path, fresh):
    a = write(tmp_path, "a.json", {"studies": [_version("2024-02-01", 30)]})
    b = write(tmp_path, "b.json", {"studies": [_version("2023-05-01", 24)]})
    report = import_files(fresh, [a, b])
    assert report.added == [NCT] and "dropped $.studies[0] of b.json#" in report.repeats[0]
    assert _stored(fresh) == (30, "2024-02-01", 1) and check(fresh).ok


def test_sync_keeps_a_repeated_record_by_the_same_rule(tmp_path):
    from trialdb.registry.sync import SyncReport, validate

    newer, older = _version("2024-02-01", 30), _version("2023-05-01", 24)
    report = SyncReport(query="q", mode="records")
    accepted = validate([("2024-03-01T00:00:00Z", newer), ("2024-03-01T00:00:00Z", older)], report, tmp_path)
    assert [(a.nct, a.last_update) for a in accepted] == [(NCT, "2024-02-01")]
    assert accepted[0].study["protocolSection"]["designModule"]["enrollmentInfo"]["count"] == 30
    assert report.repeats == [f"{NCT} given twice with different content: kept record 1 of 2 (last updated "
                              "2024-02-01), dropped record 2 of 2 (last updated 2023-05-01)"]
    assert report.repeats[0] in report.summary() and report.ok
    same = SyncReport(query="q", mode="records")
    assert len(validate([("t", record()), ("t", record())], same, tmp_path)) == 1 and same.repeats == []
