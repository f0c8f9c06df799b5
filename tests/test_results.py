"""Registry results (resultsSection): real records imported, every modelled key exported as in the source,
a round trip, provenance checked (a tampered value is caught), values breaking the API's rules kept as posted
and flagged (trialdb/flags.py), and records that cannot be represented refused with the file and JSON path
named and nothing written. Runs on SQLite and, under TRIALDB_TEST_URL, PostgreSQL."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from tests.results_db import CTGOV, WITH_RESULTS, build_results_database, fresh_url
from trialdb import flags, schema
from trialdb.check import check
from trialdb.errors import SourceError
from trialdb.export import export, export_json
from trialdb.registry.importer import import_files
from trialdb.results import models as r
from trialdb.results.section import SCHEMA, modelled
from trialdb.store import models as m
from trialdb.store.db import make_engine

ISSUE_KEYS = {  # the keys the issue names, each of which must come back as in the source
    "outcomeMeasures": ["type", "title", "description", "timeFrame", "paramType", "dispersionType", "unitOfMeasure",
                        "groups", "denoms", "classes"],
    "eventGroups": [f"{k}Num{w}" for k in ("deaths", "serious", "other") for w in ("Affected", "AtRisk")],
}


def source(nct: str) -> dict:
    return json.loads((CTGOV / f"{nct}.json").read_text())


@pytest.fixture(scope="module")
def results_url(tmp_path_factory) -> str:
    return build_results_database(tmp_path_factory.mktemp("results"))


@pytest.fixture(scope="module")
def exported(results_url) -> dict[str, dict]:
    engine = make_engine(results_url, readonly=True)
    try:
        return {s["protocolSection"]["identificationModule"]["nctId"]: s for s in export(engine)["studies"]}
    finally:
        engine.dispose()


def with_analyses() -> dict:
    """NCT05594173 as posted, plus what neither real fixture has: analyses (one p-value an inequality),
    class denominators, a serious event and a second group. Built here from the real record, for tests only."""
    rec = source("NCT05594173")
    om = rec["resultsSection"]["outcomeMeasuresModule"]["outcomeMeasures"][0]
    om["analyses"] = [
        {"groupIds": ["OG000", "OG003"], "groupDescription": "carrot vs gummy", "pValue": "<0.001",
         "statisticalMethod": "t-test, 2 sided", "paramType": "Mean Difference (Net)", "paramValue": "-6",
         "ciPctValue": "95", "ciNumSides": "TWO_SIDED", "ciLowerLimit": "-9.1", "ciUpperLimit": "-2.9",
         "testedNonInferiority": False},
        {"groupIds": ["OG001", "OG002"], "pValue": "0.81", "statisticalMethod": "ANOVA"}]
    om["classes"][0]["denoms"] = [{"units": "Participants", "counts": [
        {"groupId": g["id"], "value": "14"} for g in om["groups"]]}]
    ae = rec["resultsSection"]["adverseEventsModule"]
    ae["eventGroups"].append({"id": "EG001", "title": "Second group", "seriousNumAffected": 1, "seriousNumAtRisk": 5})
    ae["seriousEvents"] = [{"term": "Choking", "organSystem": "Respiratory disorders", "sourceVocabulary": "MedDRA",
                            "assessmentType": "SYSTEMATIC_ASSESSMENT",
                            "stats": [{"groupId": "EG000", "numEvents": 0, "numAffected": 0, "numAtRisk": 18},
                                      {"groupId": "EG001", "numEvents": 2, "numAffected": 1, "numAtRisk": 5}]}]
    return rec


@pytest.mark.parametrize("nct", WITH_RESULTS)
def test_export_gives_every_modelled_key_as_in_the_source(exported, nct):
    src = source(nct)
    got = exported[nct]["resultsSection"]
    assert got == modelled(src["resultsSection"])
    assert exported[nct]["protocolSection"]["statusModule"]["resultsFirstPostDateStruct"] == \
        src["protocolSection"]["statusModule"]["resultsFirstPostDateStruct"]
    # The keys the issue names are there, with the source's values (not only equal after both were trimmed).
    for i, om in enumerate(src["resultsSection"]["outcomeMeasuresModule"]["outcomeMeasures"]):
        for key in ISSUE_KEYS["outcomeMeasures"]:
            if key in om:
                assert got["outcomeMeasuresModule"]["outcomeMeasures"][i][key] == om[key], key
    for i, g in enumerate(src["resultsSection"]["adverseEventsModule"]["eventGroups"]):
        for key in ISSUE_KEYS["eventGroups"]:
            assert got["adverseEventsModule"]["eventGroups"][i][key] == g[key]
    assert got["adverseEventsModule"].get("otherEvents") == src["resultsSection"]["adverseEventsModule"].get("otherEvents")
    assert got["participantFlowModule"] == src["resultsSection"]["participantFlowModule"]


def test_posted_values_are_stored_as_the_strings_posted(results_url):
    engine = make_engine(results_url, readonly=True)
    with Session(engine) as s:
        bmi = s.scalars(select(r.OutcomeMeasurement).join(r.OutcomeMeasure).where(
            r.OutcomeMeasure.nct_id == "NCT00763412", r.OutcomeMeasure.title == "BMI")
            .order_by(r.OutcomeMeasurement.position)).all()
        assert [(x.param_value, x.lower_limit, x.upper_limit) for x in bmi] == [
            ("19.63", "15.56", "22.64"), ("21.19", "20.78", "21.8")]
        path = "resultsSection.outcomeMeasuresModule.outcomeMeasures[0].classes[0].categories[0].measurements[1].value"
        quote = s.scalar(select(m.Provenance.quote).where(m.Provenance.subject == "NCT00763412",
                                                          m.Provenance.path == path))
        assert quote == '"21.19"'
        assert s.scalar(select(func.count()).select_from(r.ResultDetail)) == 2  # the record with neither has none
        other = s.scalars(select(r.ReportedEvent).where(r.ReportedEvent.nct_id == "NCT05594173")).one()
        assert (other.adverse_event_term, other.subjects_affected, other.subjects_at_risk) == ("Digestive complaints", 1, 18)
    engine.dispose()


def test_check_verifies_every_result_fact(results_url):
    engine = make_engine(results_url, readonly=True)
    report = check(engine)
    engine.dispose()
    assert report.ok, report.failures[:3]
    assert report.covered == report.fields


def test_analyses_serious_events_and_class_denominators_round_trip(tmp_path):
    rec = with_analyses()
    f = tmp_path / "NCT05594173.json"
    f.write_text(json.dumps(rec))
    engine = make_engine(fresh_url(tmp_path, "trials_results_analyses"))
    import_files(engine, [f])
    study = export(engine)["studies"][0]
    assert study["resultsSection"] == modelled(rec["resultsSection"])
    analyses = study["resultsSection"]["outcomeMeasuresModule"]["outcomeMeasures"][0]["analyses"]
    assert [a["pValue"] for a in analyses] == ["<0.001", "0.81"]  # the inequality kept as posted
    assert analyses[0]["groupIds"] == ["OG000", "OG003"] and analyses[0]["ciLowerLimit"] == "-9.1"
    assert check(engine).ok
    engine.dispose()


def test_round_trip_export_then_import_into_an_empty_database(results_url, tmp_path):
    source_engine = make_engine(results_url, readonly=True)
    first = export_json(source_engine)
    source_engine.dispose()
    f = tmp_path / "export.json"
    f.write_text(first)
    engine = make_engine(fresh_url(tmp_path, "trials_results_round_trip"))
    import_files(engine, [f])
    again = {s["protocolSection"]["identificationModule"]["nctId"]: s for s in export(engine)["studies"]}
    before = {s["protocolSection"]["identificationModule"]["nctId"]: s for s in json.loads(first)["studies"]}
    for nct in WITH_RESULTS:
        assert again[nct]["resultsSection"] == before[nct]["resultsSection"]
        assert again[nct]["resultsSection"] == modelled(source(nct)["resultsSection"])
    assert check(engine).ok
    engine.dispose()


def test_reimport_replaces_results(tmp_path):
    engine = make_engine(fresh_url(tmp_path, "trials_results_reimport"))
    files = [CTGOV / "NCT00763412.json"]
    import_files(engine, files)
    with Session(engine) as s:
        before = {t.__tablename__: s.scalar(select(func.count()).select_from(t)) for t in
                  (r.OutcomeMeasure, r.OutcomeMeasurement, r.ResultGroup, r.Milestone, r.BaselineMeasurement)}
    report = import_files(engine, files)
    assert report.updated == ["NCT00763412"]
    with Session(engine) as s:
        after = {t.__tablename__: s.scalar(select(func.count()).select_from(t)) for t in
                 (r.OutcomeMeasure, r.OutcomeMeasurement, r.ResultGroup, r.Milestone, r.BaselineMeasurement)}
    assert after == before and before["outcome_measurements"] > 0
    engine.dispose()


def test_check_catches_a_tampered_result_value(tmp_path):
    engine = make_engine(fresh_url(tmp_path, "trials_results_tamper"))
    import_files(engine, [CTGOV / "NCT00763412.json"])
    assert check(engine).ok
    with Session(engine) as s, s.begin():
        s.execute(update(r.OutcomeMeasurement).where(r.OutcomeMeasurement.param_value == "21.19")
                  .values(param_value="21.20"))
    report = check(engine)
    engine.dispose()
    path = "resultsSection.outcomeMeasuresModule.outcomeMeasures[0].classes[0].categories[0].measurements[1].value"
    assert not report.ok and [(f[1], f[2]) for f in report.failures] == [(path, '"21.19"')]


def _set(rec: dict, path: str, value) -> None:
    node = rec["resultsSection"]
    parts = path.replace("]", "").replace("[", ".").split(".")
    for p in parts[:-1]:
        node = node[int(p)] if p.isdigit() else node[p]
    node[int(parts[-1]) if parts[-1].isdigit() else parts[-1]] = value


OM = "outcomeMeasuresModule.outcomeMeasures[0]"
FLAGGED = {  # a posted value breaking an expectation: (path, value, flag kind); kept as posted, never refused
    "unknown group": (f"{OM}.classes[0].categories[0].measurements[1].groupId", "OG009", "unknown_group"),
    "unknown analysis group": (f"{OM}.analyses[0].groupIds[1]", "OG042", "unknown_group"),
    "count above denominator": (f"{OM}.classes[0].categories[0].measurements[0].value", "15",
                                "count_above_denominator"),
    "affected above at risk": ("adverseEventsModule.seriousEvents[0].stats[1].numAffected", 6,
                               "count_above_denominator"),
    "group total above at risk": ("adverseEventsModule.eventGroups[0].otherNumAffected", 19, "count_above_denominator"),
    "p-value as text": (f"{OM}.analyses[1].pValue", "significant", "p_value_not_a_number"),
    "p-value with a prefix": (f"{OM}.analyses[1].pValue", "p=0.04", "p_value_with_sign"),
    "p-value with an equals sign": (f"{OM}.analyses[1].pValue", "=0.247", "p_value_with_sign"),
    "p-value above one": (f"{OM}.analyses[1].pValue", "1.7", "p_value_out_of_range"),
    "denominator not a whole number": (f"{OM}.denoms[0].counts[0].value", "NA", "denominator_not_whole"),
    "flow group unknown": ("participantFlowModule.periods[0].milestones[0].achievements[0].groupId", "FG007",
                           "unknown_group"),
}


@pytest.mark.parametrize("case", list(FLAGGED))
def test_a_value_breaking_the_api_rules_is_kept_as_posted_and_flagged(tmp_path, case):
    path, value, kind = FLAGGED[case]
    rec = with_analyses()
    if case == "count above denominator":  # a count of participants (each of 14), so the value must fit it
        om = rec["resultsSection"]["outcomeMeasuresModule"]["outcomeMeasures"][0]
        om["paramType"] = "COUNT_OF_PARTICIPANTS"
        for cat in om["classes"][0]["categories"]:
            for mt in cat["measurements"]:
                mt["value"] = "3"
    _set(rec, path, value)
    f = tmp_path / "NCT05594173.json"
    f.write_text(json.dumps(rec))
    good = CTGOV / "NCT00763412.json"  # imported in the same run
    engine = make_engine(fresh_url(tmp_path, "trials_results_flagged"))
    report = import_files(engine, [good, f])
    assert sorted(report.added) == ["NCT00763412", "NCT05594173"]
    studies = {s["protocolSection"]["identificationModule"]["nctId"]: s for s in export(engine)["studies"]}
    assert studies["NCT05594173"]["resultsSection"] == modelled(rec["resultsSection"])  # export equals source
    got = studies["NCT05594173"]["resultsSection"]
    for part in path.replace("]", "").replace("[", ".").split("."):
        got = got[int(part)] if part.isdigit() else got[part]
    assert got == value  # the value as posted
    with Session(engine) as s:
        assert flags.for_study(s, "NCT05594173") == [(f"resultsSection.{path}", kind, str(value))]
        assert flags.for_study(s, "NCT00763412") == []
    assert check(engine).ok  # its provenance holds: the value is the posted one
    engine.dispose()


REFUSED = {  # what cannot be represented safely: a JSON type the API never sends, an ambiguous group id
    "value not a string": (f"{OM}.classes[0].categories[0].measurements[0].value", 22),
    "group id given twice": (f"{OM}.groups[1].id", "OG000"),
}


@pytest.mark.parametrize("case", list(REFUSED))
def test_a_record_that_cannot_be_represented_is_refused_and_nothing_is_written(tmp_path, case):
    path, value = REFUSED[case]
    rec = with_analyses()
    _set(rec, path, value)
    f = tmp_path / "NCT05594173.json"
    f.write_text(json.dumps(rec))
    good = CTGOV / "NCT00763412.json"  # imported in the same run: it must not be written either
    engine = make_engine(fresh_url(tmp_path, "trials_results_bad"))
    schema.metadata.create_all(engine)
    with pytest.raises(SourceError) as err:
        import_files(engine, [good, f])
    assert err.value.file.startswith("NCT05594173.json")
    assert err.value.field == f"$.resultsSection.{path}", err.value
    assert f"$.resultsSection.{path}" in str(err.value)
    with Session(engine) as s:
        assert s.scalar(select(func.count()).select_from(m.Study)) == 0
        assert s.scalar(select(func.count()).select_from(r.OutcomeMeasure)) == 0
        assert s.scalar(select(func.count()).select_from(m.Document)) == 0
    engine.dispose()


def test_valid_inequality_p_values_are_accepted():
    rec = with_analyses()
    for pv in ("<0.001", "< .05", "<=0.05", "≥0.99", "0.0001", "1", "1e-5"):
        rec["resultsSection"]["outcomeMeasuresModule"]["outcomeMeasures"][0]["analyses"][0]["pValue"] = pv
        assert modelled(rec["resultsSection"])["outcomeMeasuresModule"]["outcomeMeasures"][0]["analyses"][0]["pValue"] == pv


def test_schema_names_only_api_v2_keys():
    """Every key the schema models is a key of the real records or of the API's results definitions."""
    seen: set[str] = set()

    def keys(node):
        if isinstance(node, dict):
            for k, v in node.items():
                seen.add(k)
                keys(v)
        elif isinstance(node, list):
            for v in node:
                keys(v)

    for f in Path(CTGOV).glob("*.json"):
        keys(json.loads(f.read_text()).get("resultsSection", {}))
    keys(with_analyses()["resultsSection"])
    modelled_keys: set[str] = set()

    def walk(s):
        if isinstance(s, dict):
            for k, v in s.items():
                modelled_keys.add(k)
                walk(v)
        elif isinstance(s, list):
            walk(s[0])

    walk(copy.deepcopy(SCHEMA))
    # The real records use a subset of what is modelled; what they use is all modelled, except what the
    # model leaves out on purpose (contact details and agreements of moreInfoModule, mostly).
    unmodelled = seen - modelled_keys
    assert unmodelled <= {"certainAgreement", "piSponsorEmployee", "restrictiveAgreement", "pointOfContact", "title",
                          "organization", "email", "phone", "phoneExt"}, unmodelled
