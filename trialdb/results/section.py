"""The registry's posted results (API v2 `resultsSection`): which keys are modelled, their checks, the rows
they become (trialdb/results/models.py) and the same keys given back in the API's shape.

One schema (`SCHEMA`) names every modelled key and its JSON type. It decides what an import reads and
quotes (each modelled leaf gets provenance: file and JSON path, checked by `python -m trialdb check`),
and what `export` gives back: a test compares the two. A record is refused only for what cannot be stored
safely (a JSON type the API never sends, a group without an id or with one given twice, a required key
missing). A posted value that breaks the API's own rules (a group id its module or measure does not list,
a count of participants above its denominator, a p-value that is neither a number from 0 to 1 nor an
inequality such as `<0.001`) is kept as posted and flagged (trialdb/flags.py)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from trialdb import flags
from trialdb.errors import SourceError
from trialdb.results import models as r
from trialdb.sources.documents import leaves
from trialdb.sources.parsers.common import iso_date
from trialdb.store.bulk import add_rows
from trialdb.store.ids import reserve_ids

S, N, B = str, int, bool  # JSON leaf types of the schema: string, number (integer), boolean

_MEASUREMENT = {"groupId": S, "value": S, "spread": S, "lowerLimit": S, "upperLimit": S, "comment": S}
_GROUP = {"id": S, "title": S, "description": S}
_DENOM = {"units": S, "counts": [{"groupId": S, "value": S}]}

# API key -> column, for the flat parts of each object (lists are handled by the code below).
MEASURE_COLUMNS = {"type": "outcome_type", "title": "title", "description": "description",
                   "populationDescription": "population_description", "reportingStatus": "reporting_status",
                   "anticipatedPostingDate": "anticipated_posting_date", "paramType": "param_type",
                   "dispersionType": "dispersion_type", "unitOfMeasure": "unit_of_measure",
                   "calculatePct": "calculate_pct", "timeFrame": "time_frame",
                   "typeUnitsAnalyzed": "type_units_analyzed", "denomUnitsSelected": "denom_units_selected"}
MEASUREMENT_COLUMNS = {"value": "param_value", "spread": "spread", "lowerLimit": "lower_limit",
                       "upperLimit": "upper_limit", "comment": "comment"}
ANALYSIS_COLUMNS = {"groupDescription": "groups_description", "nonInferiorityType": "non_inferiority_type",
                    "nonInferiorityComment": "non_inferiority_description",
                    "testedNonInferiority": "tested_non_inferiority", "pValue": "p_value",
                    "pValueComment": "p_value_description", "statisticalMethod": "method",
                    "statisticalComment": "method_description", "paramType": "param_type",
                    "paramValue": "param_value", "dispersionType": "dispersion_type",
                    "dispersionValue": "dispersion_value", "ciPctValue": "ci_percent", "ciNumSides": "ci_n_sides",
                    "ciLowerLimit": "ci_lower_limit", "ciUpperLimit": "ci_upper_limit",
                    "ciUpperLimitComment": "ci_upper_limit_na_comment", "estimateComment": "estimate_description",
                    "otherAnalysisDescription": "other_analysis_description", "otherMethodName": "other_method_name"}
BASELINE_COLUMNS = {"title": "title", "description": "description", "populationDescription": "population_description",
                    "paramType": "param_type", "dispersionType": "dispersion_type", "unitOfMeasure": "unit_of_measure"}
EVENT_KINDS = ("deaths", "serious", "other")

SCHEMA: dict[str, Any] = {
    "participantFlowModule": {
        "recruitmentDetails": S, "preAssignmentDetails": S, "typeUnitsAnalyzed": S, "groups": [_GROUP],
        "periods": [{"title": S,
                     "milestones": [{"type": S, "comment": S,
                                     "achievements": [{"groupId": S, "comment": S, "numSubjects": S, "numUnits": S}]}],
                     "dropWithdraws": [{"type": S, "reasons": [{"groupId": S, "comment": S, "numSubjects": S}]}]}],
    },
    "baselineCharacteristicsModule": {
        "populationDescription": S, "typeUnitsAnalyzed": S, "groups": [_GROUP], "denoms": [_DENOM],
        "measures": [{**dict.fromkeys(BASELINE_COLUMNS, S),
                      "classes": [{"title": S, "categories": [{"title": S, "measurements": [_MEASUREMENT]}]}]}],
    },
    "outcomeMeasuresModule": {"outcomeMeasures": [{
        **dict.fromkeys(MEASURE_COLUMNS, S), "calculatePct": B, "groups": [_GROUP], "denoms": [_DENOM],
        "classes": [{"title": S, "denoms": [_DENOM], "categories": [{"title": S, "measurements": [_MEASUREMENT]}]}],
        "analyses": [{**dict.fromkeys(ANALYSIS_COLUMNS, S), "testedNonInferiority": B, "groupIds": [S]}],
    }]},
    "adverseEventsModule": {
        "frequencyThreshold": S, "timeFrame": S, "description": S,
        "eventGroups": [{**_GROUP, **{f"{k}Num{w}": N for k in EVENT_KINDS for w in ("Affected", "AtRisk")}}],
        **{f"{kind}Events": [{"term": S, "organSystem": S, "sourceVocabulary": S, "assessmentType": S, "notes": S,
                              "stats": [{"groupId": S, "numEvents": N, "numAffected": N, "numAtRisk": N}]}]
           for kind in ("serious", "other")},
    },
    "moreInfoModule": {"limitationsAndCaveats": {"description": S}},
}

COUNT_PARAMS = ("COUNT_OF_PARTICIPANTS", "COUNT_OF_UNITS")


def drop_empty(d: Any) -> Any:
    """Drop NULLs and empty containers: the registry leaves out what is not stated (export uses it too)."""
    if isinstance(d, dict):
        out = {k: drop_empty(v) for k, v in d.items()}
        return {k: v for k, v in out.items() if v not in (None, {}, [])}
    if isinstance(d, list):
        return [x for x in (drop_empty(v) for v in d) if x not in (None, {}, [])]
    return d


def pick(node: Any, schema: Any, file: str, path: str) -> Any:
    """The modelled part of `node`, its JSON types checked against the schema (SourceError otherwise)."""
    if isinstance(schema, dict):
        if not isinstance(node, dict):
            raise SourceError(file, path, node, "not an object as the API writes it")
        return {k: pick(node[k], sub, file, f"{path}.{k}") for k, sub in schema.items() if node.get(k) is not None}
    if isinstance(schema, list):
        if not isinstance(node, list):
            raise SourceError(file, path, node, "not a list as the API writes it")
        return [pick(x, schema[0], file, f"{path}[{i}]") for i, x in enumerate(node)]
    ok = isinstance(node, schema) and (schema is B or not isinstance(node, bool))
    if not ok:
        raise SourceError(file, path, node, f"not a {schema.__name__} as the API writes it")
    return node


def modelled(section: Any, file: str = "", where: str = "resultsSection") -> dict:
    """The modelled keys of a `resultsSection`, checked (types and the API's rules); {} for none."""
    out = drop_empty(pick(section, SCHEMA, file, where))
    validate(out, file, where)  # refuses only what cannot be stored; flags are stored with the rows
    return out


def section_of(study: dict, file: str, where: str) -> dict:
    """What the importer adds to a parsed record: {"resultsSection": modelled part}, or {}."""
    if study.get("resultsSection") is None:
        return {}
    section = modelled(study["resultsSection"], file, f"{where}.resultsSection")
    posted = (study.get("protocolSection", {}).get("statusModule") or {}).get("resultsFirstPostDateStruct")
    if isinstance(posted, dict) and isinstance(posted.get("date"), str):
        iso_date(posted["date"], file, f"{where}.protocolSection.statusModule.resultsFirstPostDateStruct.date")
    return {"resultsSection": section} if section else {}


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def _ids(groups: list[dict], file: str, path: str) -> set[str]:
    ids: set[str] = set()
    for i, g in enumerate(groups):
        if "id" not in g:
            raise SourceError(file, f"{path}[{i}].id", None, "a group without its id")
        if g["id"] in ids:
            raise SourceError(file, f"{path}[{i}].id", g["id"], "a group id given twice")
        ids.add(g["id"])
    return ids


def _known(gid: Any, ids: set[str], path: str, out: list[flags.Flagged]) -> None:
    if gid not in ids:
        out.append((path, "unknown_group", gid))


def _denoms(denoms: list[dict], ids: set[str], path: str, out: list[flags.Flagged]) -> dict[str, float]:
    """Flag denominators; the first one's whole counts per group (the API's own denominator, in participants)."""
    first: dict[str, float] = {}
    for d, den in enumerate(denoms):
        for c, cnt in enumerate(den.get("counts", [])):
            where = f"{path}[{d}].counts[{c}]"
            _known(cnt.get("groupId"), ids, f"{where}.groupId", out)
            value = cnt.get("value")
            if not flags.whole_number(value):
                out.append((f"{where}.value", "denominator_not_whole", value))
            elif d == 0:
                first[cnt.get("groupId")] = float(value)
    return first


def validate(section: dict, file: str, where: str) -> list[flags.Flagged]:
    """Refuse (SourceError) what cannot be stored safely: a group without an id or with one given twice,
    a required key missing. Return the flags (trialdb/flags.py) of posted values that break an expectation:
    (path relative to `where`'s parent, kind, value as posted)."""
    out: list[flags.Flagged] = []
    flow = section.get("participantFlowModule")
    if flow:
        ids = _ids(flow.get("groups", []), file, f"{where}.participantFlowModule.groups")
        for p, period in enumerate(flow.get("periods", [])):
            for key, inner in (("milestones", "achievements"), ("dropWithdraws", "reasons")):
                for k, ms in enumerate(period.get(key, [])):
                    if not ms.get("type"):
                        raise SourceError(file, f"{where}.participantFlowModule.periods[{p}].{key}[{k}].type", None,
                                          "missing")
                    for a, ach in enumerate(ms.get(inner, [])):
                        _known(ach.get("groupId"), ids,
                               f"{where}.participantFlowModule.periods[{p}].{key}[{k}].{inner}[{a}].groupId", out)
    base = section.get("baselineCharacteristicsModule")
    if base:
        path = f"{where}.baselineCharacteristicsModule"
        ids = _ids(base.get("groups", []), file, f"{path}.groups")
        _denoms(base.get("denoms", []), ids, f"{path}.denoms", out)
        for i, ms in enumerate(base.get("measures", [])):
            if not ms.get("title"):
                raise SourceError(file, f"{path}.measures[{i}].title", None, "missing")
            _measurements(ms, ids, {}, f"{path}.measures[{i}]", out, counts=False)
    for i, om in enumerate((section.get("outcomeMeasuresModule") or {}).get("outcomeMeasures", [])):
        path = f"{where}.outcomeMeasuresModule.outcomeMeasures[{i}]"
        for key in ("type", "title"):
            if not om.get(key):
                raise SourceError(file, f"{path}.{key}", None, "missing")
        ids = _ids(om.get("groups", []), file, f"{path}.groups")
        denom = _denoms(om.get("denoms", []), ids, f"{path}.denoms", out)
        _measurements(om, ids, denom, path, out, counts=om.get("paramType") in COUNT_PARAMS)
        for a, an in enumerate(om.get("analyses", [])):
            for g, gid in enumerate(an.get("groupIds", [])):
                _known(gid, ids, f"{path}.analyses[{a}].groupIds[{g}]", out)
            pv = an.get("pValue")
            if pv is not None and (kind := flags.p_value_kind(pv)):
                out.append((f"{path}.analyses[{a}].pValue", kind, pv))
    ae = section.get("adverseEventsModule")
    if ae:
        path = f"{where}.adverseEventsModule"
        ids = _ids(ae.get("eventGroups", []), file, f"{path}.eventGroups")
        for i, g in enumerate(ae.get("eventGroups", [])):
            for kind in EVENT_KINDS:
                _not_above(g.get(f"{kind}NumAffected"), g.get(f"{kind}NumAtRisk"),
                           f"{path}.eventGroups[{i}].{kind}NumAffected", out)
        for kind in ("serious", "other"):
            for e, ev in enumerate(ae.get(f"{kind}Events", [])):
                if not ev.get("term"):
                    raise SourceError(file, f"{path}.{kind}Events[{e}].term", None, "missing")
                for s, st in enumerate(ev.get("stats", [])):
                    _known(st.get("groupId"), ids, f"{path}.{kind}Events[{e}].stats[{s}].groupId", out)
                    _not_above(st.get("numAffected"), st.get("numAtRisk"),
                               f"{path}.{kind}Events[{e}].stats[{s}].numAffected", out)
    return out


def _not_above(count: float | None, denominator: float | None, path: str, out: list[flags.Flagged],
               posted: Any = None) -> None:
    if flags.count_above(count, denominator):
        out.append((path, "count_above_denominator", count if posted is None else posted))


def _measurements(ms: dict, ids: set[str], denom: dict[str, float], path: str, out: list[flags.Flagged],
                  counts: bool) -> None:
    for c, cls in enumerate(ms.get("classes", [])):
        own = _denoms(cls.get("denoms", []), ids, f"{path}.classes[{c}].denoms", out) or denom
        for k, cat in enumerate(cls.get("categories", [])):
            for j, mt in enumerate(cat.get("measurements", [])):
                where = f"{path}.classes[{c}].categories[{k}].measurements[{j}]"
                _known(mt.get("groupId"), ids, f"{where}.groupId", out)
                value = _number(mt.get("value", "")) if counts else None
                _not_above(value, own.get(mt.get("groupId", "")), f"{where}.value", out, mt.get("value"))


def flags_of(section: dict) -> list[flags.Flagged]:
    """The flags of a modelled `resultsSection` (as `modelled` gives it), paths as `provenance.path` has them
    ("resultsSection.outcomeMeasuresModule.outcomeMeasures[0].analyses[1].pValue")."""
    return validate(section, "", "resultsSection")


# --- rows -----------------------------------------------------------------------------------------------

RESULT_TABLES = (r.OutcomeAnalysisGroup, r.OutcomeAnalysis, r.OutcomeMeasurement, r.OutcomeCount, r.ReportedEvent,
                 r.ReportedEventTotal, r.BaselineMeasurement, r.BaselineCount, r.DropWithdrawal, r.Milestone,
                 r.ResultGroup, r.OutcomeMeasure, r.ResultDetail)


def delete_results(session: Session, nct: str) -> None:
    """A re-imported study's old results, children first (whether or not the database cascades)."""
    for table in RESULT_TABLES:
        session.execute(delete(table).where(table.nct_id == nct))


def _cols(obj: dict, columns: dict[str, str]) -> dict[str, Any]:
    return {col: obj.get(key) for key, col in columns.items()}


class _Rows:
    """One record's result rows, table by table, as column dicts, handed to `bulk.add_rows` (written after
    the session's next flush, one executemany a table for a whole import): tens of thousands of rows at
    1,000 synced records, which as ORM objects made most of a build's time. Rows that others point at get
    their ids ahead (`reserve_ids`); the others get theirs from the database, in the order added."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.rows: dict[Any, list[dict[str, Any]]] = {}

    def ids(self, model: Any, n: int) -> list[int]:
        return reserve_ids(self.session, model.__table__, n)

    def add(self, model: Any, **values: Any) -> None:
        self.rows.setdefault(model, []).append(values)

    def write(self) -> None:
        for model, rows in self.rows.items():
            add_rows(self.session, model.__table__, rows)


class _Groups(dict):
    """A module's (or measure's) group ids by group code; an id a value names but the module does not list
    (flagged `unknown_group`) gets a group row of its own, `listed` False, so the value is kept as posted
    and `export` gives back only the listed groups."""

    def __init__(self, rows: _Rows, nct: str, kind: str, measure_id: int | None, items: list[dict]) -> None:
        super().__init__()
        self.out, self.nct, self.kind, self.measure_id = rows, nct, kind, measure_id
        for i, (g, gid) in enumerate(zip(items, rows.ids(r.ResultGroup, len(items)), strict=True)):
            self._row(gid, i, g["id"], g.get("title"), g.get("description"), True)

    def _row(self, gid: int, position: int, code: str, title: str | None, description: str | None,
             listed: bool) -> None:
        self.out.add(r.ResultGroup, id=gid, nct_id=self.nct, result_type=self.kind, position=position,
                     ctgov_group_code=code, title=title, description=description,
                     outcome_measure_id=self.measure_id, listed=listed)
        self[code] = gid

    def __missing__(self, code: str) -> int:
        self._row(self.out.ids(r.ResultGroup, 1)[0], len(self), code, None, None, False)
        return self[code]


def add_results(session: Session, nct: str, record: dict) -> None:
    """Rows for a parsed record's modelled `resultsSection` (already checked by `section_of`), for a study
    that has none stored (a replaced study's are deleted first: `delete_results`), written after the
    session's next flush with the study's row (`_Rows`, trialdb/store/bulk.py)."""
    section = record.get("resultsSection")
    if not section:
        return
    out = _Rows(session)
    flow = section.get("participantFlowModule") or {}
    base = section.get("baselineCharacteristicsModule") or {}
    oms = (section.get("outcomeMeasuresModule") or {}).get("outcomeMeasures", [])
    ae = section.get("adverseEventsModule") or {}
    posted = (record.get("statusModule") or {}).get("resultsFirstPostDateStruct") or {}
    out.add(r.ResultDetail,
        nct_id=nct, results_first_posted_date=posted.get("date"), results_first_posted_date_type=posted.get("type"),
        flow_recruitment_details=flow.get("recruitmentDetails"),
        flow_pre_assignment_details=flow.get("preAssignmentDetails"),
        flow_type_units_analyzed=flow.get("typeUnitsAnalyzed"),
        baseline_population_description=base.get("populationDescription"),
        baseline_type_units_analyzed=base.get("typeUnitsAnalyzed"),
        events_frequency_threshold=ae.get("frequencyThreshold"), events_time_frame=ae.get("timeFrame"),
        events_description=ae.get("description"),
        limitations_and_caveats=(section.get("moreInfoModule") or {}).get("limitationsAndCaveats", {}).get("description"),
        has_flow=bool(flow), has_baseline=bool(base), has_outcome_measures=bool(oms), has_adverse_events=bool(ae))

    ids: _Groups
    if flow:
        ids = _Groups(out, nct, r.FLOW, None, flow.get("groups", []))
        for p, period in enumerate(flow.get("periods", [])):
            for k, ms in enumerate(period.get("milestones", [])):
                for a in ms.get("achievements", []):
                    out.add(r.Milestone, nct_id=nct, result_group_id=ids[a["groupId"]], period_position=p,
                            period=period.get("title"), position=k, title=ms["type"], count=a.get("numSubjects"),
                            count_units=a.get("numUnits"), comment=a.get("comment"),
                            milestone_comment=ms.get("comment"))
            for k, dw in enumerate(period.get("dropWithdraws", [])):
                for a in dw.get("reasons", []):
                    out.add(r.DropWithdrawal, nct_id=nct, result_group_id=ids[a["groupId"]], period_position=p,
                            period=period.get("title"), position=k, reason=dw["type"], count=a.get("numSubjects"),
                            comment=a.get("comment"))
    if base:
        ids = _Groups(out, nct, r.BASELINE, None, base.get("groups", []))
        for d, den in enumerate(base.get("denoms", [])):
            for c in den.get("counts", []):
                out.add(r.BaselineCount, nct_id=nct, result_group_id=ids[c["groupId"]], denom_position=d,
                        units=den.get("units"), count=c["value"])
        for i, ms in enumerate(base.get("measures", [])):
            head = {"nct_id": nct, "measure_position": i, **_cols(ms, BASELINE_COLUMNS)}
            found = False
            for c, cls in enumerate(ms.get("classes", [])):
                for k, cat in enumerate(cls.get("categories", [])):
                    for j, mt in enumerate(cat.get("measurements", [])):
                        found = True
                        out.add(r.BaselineMeasurement, **head, class_position=c, classification=cls.get("title"),
                                category_position=k, category=cat.get("title"), position=j,
                                result_group_id=ids[mt["groupId"]], **_cols(mt, MEASUREMENT_COLUMNS))
            if not found:  # a measure without values: its row alone, the value columns empty
                out.add(r.BaselineMeasurement, **head, class_position=None, classification=None,
                        category_position=None, category=None, position=None, result_group_id=None,
                        **dict.fromkeys(MEASUREMENT_COLUMNS.values()))
    for i, (om, mid) in enumerate(zip(oms, out.ids(r.OutcomeMeasure, len(oms)), strict=True)):
        out.add(r.OutcomeMeasure, id=mid, nct_id=nct, position=i, **_cols(om, MEASURE_COLUMNS))
        ids = _Groups(out, nct, r.OUTCOME, mid, om.get("groups", []))
        dens = [(None, om.get("denoms", []))] + [(c, cls.get("denoms", [])) for c, cls in enumerate(om.get("classes", []))]
        for cpos, denoms in dens:
            for d, den in enumerate(denoms):
                for j, c in enumerate(den.get("counts", [])):
                    out.add(r.OutcomeCount, nct_id=nct, outcome_measure_id=mid, result_group_id=ids[c["groupId"]],
                            class_position=cpos, denom_position=d, position=j, units=den.get("units"),
                            count=c["value"])
        for c, cls in enumerate(om.get("classes", [])):
            for k, cat in enumerate(cls.get("categories", [])):
                for j, mt in enumerate(cat.get("measurements", [])):
                    out.add(r.OutcomeMeasurement, nct_id=nct, outcome_measure_id=mid,
                            result_group_id=ids[mt["groupId"]], class_position=c, classification=cls.get("title"),
                            category_position=k, category=cat.get("title"), position=j,
                            **_cols(mt, MEASUREMENT_COLUMNS))
        analyses = om.get("analyses", [])
        for a, (an, aid) in enumerate(zip(analyses, out.ids(r.OutcomeAnalysis, len(analyses)), strict=True)):
            out.add(r.OutcomeAnalysis, id=aid, nct_id=nct, outcome_measure_id=mid, position=a,
                    **_cols(an, ANALYSIS_COLUMNS))
            for j, g in enumerate(an.get("groupIds", [])):
                out.add(r.OutcomeAnalysisGroup, nct_id=nct, outcome_analysis_id=aid, result_group_id=ids[g],
                        position=j)
    if ae:
        ids = _Groups(out, nct, r.EVENTS, None, ae.get("eventGroups", []))
        for g in ae.get("eventGroups", []):
            for kind in EVENT_KINDS:
                if g.get(f"{kind}NumAffected") is not None or g.get(f"{kind}NumAtRisk") is not None:
                    out.add(r.ReportedEventTotal, nct_id=nct, result_group_id=ids[g["id"]], event_type=kind,
                            subjects_affected=g.get(f"{kind}NumAffected"), subjects_at_risk=g.get(f"{kind}NumAtRisk"))
        for kind in ("serious", "other"):
            for e, ev in enumerate(ae.get(f"{kind}Events", [])):
                for s, st in enumerate(ev.get("stats", [])):
                    out.add(r.ReportedEvent, nct_id=nct, result_group_id=ids[st["groupId"]], event_type=kind,
                            position=e, stat_position=s, adverse_event_term=ev["term"],
                            organ_system=ev.get("organSystem"), source_vocabulary=ev.get("sourceVocabulary"),
                            assessment=ev.get("assessmentType"), notes=ev.get("notes"),
                            event_count=st.get("numEvents"), subjects_affected=st.get("numAffected"),
                            subjects_at_risk=st.get("numAtRisk"))
    out.write()


# --- back to the API's shape ----------------------------------------------------------------------------

def _api(row: Any, columns: dict[str, str]) -> dict[str, Any]:
    return {key: getattr(row, col) for key, col in columns.items()}


def _group_api(g: r.ResultGroup) -> dict:
    return {"id": g.ctgov_group_code, "title": g.title, "description": g.description}


def _nest(rows: list, keys: list[tuple[str, str]]) -> list[tuple[tuple, list]]:
    """Rows (already sorted) split into runs sharing the attributes `keys` [(position attr, title attr)]."""
    out: list[tuple[tuple, list]] = []
    for row in rows:
        k = tuple(getattr(row, a) for a, _ in keys)
        if not out or out[-1][0] != k:
            out.append((k, []))
        out[-1][1].append(row)
    return out


RESULTS_PREFIX = "resultsSection."


def stored_results_differ(session: Session, nct: str, quotes: dict[str, str]) -> list[tuple[str, str]]:
    """(path, quote) of each quoted result whose stored value is no longer the quoted one, and of each
    stored value without a quote: what `check` reports when a results row was changed after import."""
    import json

    stored = dict(leaves({"resultsSection": section_record(session, nct)}))
    out = [(path, quote) for path, quote in quotes.items()
           if path not in stored or json.dumps(stored[path], ensure_ascii=False) != quote]
    out += [(path, f"stored {stored[path]!r}, quoted nowhere") for path in stored if path not in quotes]
    return out


def results_posted(session: Session, nct: str) -> tuple[str | None, str | None] | None:
    """(date, type) of the first posting of results, None when the study has none in the database."""
    d = session.get(r.ResultDetail, nct)
    return None if d is None else (d.results_first_posted_date, d.results_first_posted_date_type)


def section_record(session: Session, nct: str) -> dict:
    """A study's modelled `resultsSection` in the API v2 shape ({} when it has none)."""
    detail = session.get(r.ResultDetail, nct)
    if detail is None:
        return {}
    groups = session.scalars(select(r.ResultGroup).where(r.ResultGroup.nct_id == nct)
                             .order_by(r.ResultGroup.result_type, r.ResultGroup.outcome_measure_id,
                                       r.ResultGroup.position)).all()
    by_id = {g.id: g for g in groups}

    def code(gid: int | None) -> str | None:
        return by_id[gid].ctgov_group_code if gid is not None else None

    def of(kind: str, measure: int | None = None) -> list[dict]:
        return [_group_api(g) for g in groups if g.result_type == kind and g.outcome_measure_id == measure and g.listed]

    def rows(model: Any, *order: Any) -> list:
        return list(session.scalars(select(model).where(model.nct_id == nct).order_by(*order, model.id)))

    out: dict[str, Any] = {}
    if detail.has_flow:
        periods: dict[int, dict] = {}
        mrows = rows(r.Milestone, r.Milestone.period_position, r.Milestone.position)
        for (pp, _), run in _nest(mrows, [("period_position", ""), ("position", "")]):
            p = periods.setdefault(pp, {"title": run[0].period, "milestones": [], "dropWithdraws": []})
            p["milestones"].append({"type": run[0].title, "comment": run[0].milestone_comment, "achievements": [
                {"groupId": code(x.result_group_id), "comment": x.comment, "numSubjects": x.count,
                 "numUnits": x.count_units} for x in run]})
        drows = rows(r.DropWithdrawal, r.DropWithdrawal.period_position, r.DropWithdrawal.position)
        for (pp, _), run in _nest(drows, [("period_position", ""), ("position", "")]):
            p = periods.setdefault(pp, {"title": run[0].period, "milestones": [], "dropWithdraws": []})
            p["dropWithdraws"].append({"type": run[0].reason, "reasons": [
                {"groupId": code(x.result_group_id), "comment": x.comment, "numSubjects": x.count} for x in run]})
        out["participantFlowModule"] = {
            "recruitmentDetails": detail.flow_recruitment_details,
            "preAssignmentDetails": detail.flow_pre_assignment_details,
            "typeUnitsAnalyzed": detail.flow_type_units_analyzed, "groups": of(r.FLOW),
            "periods": [periods[k] for k in sorted(periods)]}
    if detail.has_baseline:
        denoms = [{"units": run[0].units, "counts": [{"groupId": code(x.result_group_id), "value": x.count} for x in run]}
                  for _, run in _nest(rows(r.BaselineCount, r.BaselineCount.denom_position), [("denom_position", "")])]
        measures = []
        bms = rows(r.BaselineMeasurement, r.BaselineMeasurement.measure_position, r.BaselineMeasurement.class_position,
                   r.BaselineMeasurement.category_position, r.BaselineMeasurement.position)
        for _, mrows in _nest(bms, [("measure_position", "")]):
            measures.append({**_api(mrows[0], BASELINE_COLUMNS), "classes": _classes(mrows, code, {})})
        out["baselineCharacteristicsModule"] = {
            "populationDescription": detail.baseline_population_description,
            "typeUnitsAnalyzed": detail.baseline_type_units_analyzed, "groups": of(r.BASELINE), "denoms": denoms,
            "measures": measures}
    if detail.has_outcome_measures:
        counts = _nest(rows(r.OutcomeCount, r.OutcomeCount.outcome_measure_id, r.OutcomeCount.class_position,
                            r.OutcomeCount.denom_position, r.OutcomeCount.position),
                       [("outcome_measure_id", ""), ("class_position", ""), ("denom_position", "")])
        dens: dict[tuple, list[dict]] = {}
        for (mid, cpos, _), crows in counts:
            dens.setdefault((mid, cpos), []).append(
                {"units": crows[0].units, "counts": [{"groupId": code(c.result_group_id), "value": c.count} for c in crows]})
        mts: dict[int, list] = {}
        for mt in rows(r.OutcomeMeasurement, r.OutcomeMeasurement.outcome_measure_id,
                       r.OutcomeMeasurement.class_position, r.OutcomeMeasurement.category_position,
                       r.OutcomeMeasurement.position):
            mts.setdefault(mt.outcome_measure_id, []).append(mt)
        analyses: dict[int, list[dict]] = {}
        agroups: dict[int, list[str | None]] = {}
        for ag in rows(r.OutcomeAnalysisGroup, r.OutcomeAnalysisGroup.outcome_analysis_id, r.OutcomeAnalysisGroup.position):
            agroups.setdefault(ag.outcome_analysis_id, []).append(code(ag.result_group_id))
        for an in rows(r.OutcomeAnalysis, r.OutcomeAnalysis.outcome_measure_id, r.OutcomeAnalysis.position):
            analyses.setdefault(an.outcome_measure_id, []).append(
                {"groupIds": agroups.get(an.id, []), **_api(an, ANALYSIS_COLUMNS)})
        out["outcomeMeasuresModule"] = {"outcomeMeasures": [
            {**_api(om, MEASURE_COLUMNS), "groups": of(r.OUTCOME, om.id), "denoms": dens.get((om.id, None), []),
             "classes": _classes(mts.get(om.id, []), code, {c: v for (mid, c), v in dens.items() if mid == om.id}),
             "analyses": analyses.get(om.id, [])}
            for om in rows(r.OutcomeMeasure, r.OutcomeMeasure.position)]}
    if detail.has_adverse_events:
        totals = {(t.result_group_id, t.event_type): t for t in rows(r.ReportedEventTotal)}
        event_groups = []
        for g in (g for g in groups if g.result_type == r.EVENTS):
            eg = _group_api(g)
            for kind in EVENT_KINDS:
                t = totals.get((g.id, kind))
                eg[f"{kind}NumAffected"] = t and t.subjects_affected
                eg[f"{kind}NumAtRisk"] = t and t.subjects_at_risk
            event_groups.append(eg)
        ae: dict[str, Any] = {"frequencyThreshold": detail.events_frequency_threshold,
                              "timeFrame": detail.events_time_frame, "description": detail.events_description,
                              "eventGroups": event_groups}
        events = rows(r.ReportedEvent, r.ReportedEvent.event_type, r.ReportedEvent.position,
                      r.ReportedEvent.stat_position)
        for (kind, _), erows in _nest(events, [("event_type", ""), ("position", "")]):
            e = erows[0]
            ae.setdefault(f"{kind}Events", []).append({
                "term": e.adverse_event_term, "organSystem": e.organ_system, "sourceVocabulary": e.source_vocabulary,
                "assessmentType": e.assessment, "notes": e.notes,
                "stats": [{"groupId": code(x.result_group_id), "numEvents": x.event_count,
                           "numAffected": x.subjects_affected, "numAtRisk": x.subjects_at_risk} for x in erows]})
        out["adverseEventsModule"] = ae
    if detail.limitations_and_caveats is not None:
        out["moreInfoModule"] = {"limitationsAndCaveats": {"description": detail.limitations_and_caveats}}
    return drop_empty(out)


def _classes(mrows: list, code: Any, class_denoms: dict[Any, list[dict]]) -> list[dict]:
    classes = []
    for (cpos,), crows in _nest([x for x in mrows if x.class_position is not None], [("class_position", "")]):
        cats = []
        for _, krows in _nest(crows, [("category_position", "")]):
            cats.append({"title": krows[0].category, "measurements": [
                {"groupId": code(x.result_group_id), **_api(x, MEASUREMENT_COLUMNS)} for x in krows]})
        classes.append({"title": crows[0].classification, "denoms": class_denoms.get(cpos, []), "categories": cats})
    return classes
