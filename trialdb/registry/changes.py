"""What changed: the fields of a registry record that a sync compares, field by field, with the stored
record; the difference between a seed trial and its registry record; and the queries that list changes.

Fields are API v2 paths. `[]` projects a list: `armGroups[].label` is the list of arm labels, so an arm
added, removed or renamed is one change of that field, not one per shifted index.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from trialdb.enums import label
from trialdb.store import models as m
from trialdb.store.freshness import META_API, META_AT, META_QUERY

PS = "protocolSection"
# At least what the issue names: status (and why stopped), phases, enrolment (count and type), the three
# dates, arms and interventions, conditions, lead sponsor, results first posted; plus the title.
TRACKED: tuple[str, ...] = (
    f"{PS}.identificationModule.briefTitle",
    f"{PS}.statusModule.overallStatus",
    f"{PS}.statusModule.whyStopped",
    f"{PS}.designModule.phases",
    f"{PS}.designModule.enrollmentInfo.count",
    f"{PS}.designModule.enrollmentInfo.type",
    f"{PS}.statusModule.startDateStruct",
    f"{PS}.statusModule.primaryCompletionDateStruct",
    f"{PS}.statusModule.completionDateStruct",
    f"{PS}.armsInterventionsModule.armGroups[].label",
    f"{PS}.armsInterventionsModule.interventions[].name",
    f"{PS}.conditionsModule.conditions",
    f"{PS}.sponsorCollaboratorsModule.leadSponsor.name",
    f"{PS}.statusModule.resultsFirstPostDateStruct.date",
    "hasResults",
)
NEW_TRIAL = "study"  # the field of the change "a trial new to the database"

# How each field reads on the page (the JSON and CLI keep the path).
FIELD_LABELS: dict[str, str] = {
    NEW_TRIAL: "Trial",
    f"{PS}.identificationModule.briefTitle": "Title",
    f"{PS}.statusModule.overallStatus": "Overall status",
    f"{PS}.statusModule.whyStopped": "Why stopped",
    f"{PS}.designModule.phases": "Phases",
    f"{PS}.designModule.enrollmentInfo.count": "Enrolment",
    f"{PS}.designModule.enrollmentInfo.type": "Enrolment type",
    f"{PS}.statusModule.startDateStruct": "Start date",
    f"{PS}.statusModule.primaryCompletionDateStruct": "Primary completion date",
    f"{PS}.statusModule.completionDateStruct": "Completion date",
    f"{PS}.armsInterventionsModule.armGroups[].label": "Arms",
    f"{PS}.armsInterventionsModule.interventions[].name": "Interventions",
    f"{PS}.conditionsModule.conditions": "Conditions",
    f"{PS}.sponsorCollaboratorsModule.leadSponsor.name": "Lead sponsor",
    f"{PS}.statusModule.resultsFirstPostDateStruct.date": "Results first posted",
    "hasResults": "Results posted",
}
# The chart groups fields into a few kinds.
KINDS: dict[str, str] = {NEW_TRIAL: "new trial", "hasResults": "results"}
for _f in TRACKED:
    KINDS.setdefault(_f, "status" if ".statusModule.overallStatus" in _f or "whyStopped" in _f else
                     "dates" if "DateStruct" in _f and "resultsFirst" not in _f else
                     "results" if "resultsFirst" in _f else
                     "enrolment" if "enrollment" in _f else "design and other")
KIND_ORDER = ("new trial", "status", "results", "dates", "enrolment", "design and other")


def value_at(record: Any, path: str) -> Any:
    """The value at an API v2 path of a study (None where absent; empty lists and objects count as absent,
    as the registry leaves out what is not stated)."""
    node: Any = record
    parts = path.split(".")
    for i, part in enumerate(parts):
        if part.endswith("[]"):
            items = node.get(part[:-2]) if isinstance(node, dict) else None
            if not isinstance(items, list):
                return None
            rest = ".".join(parts[i + 1 :])
            out = [value_at(x, rest) if rest else x for x in items]
            return [x for x in out if x is not None] or None
        node = node.get(part) if isinstance(node, dict) else None
        if node is None:
            return None
    return None if node in ([], {}, "") else node


@dataclass(frozen=True)
class Difference:
    field: str
    old: Any
    new: Any


def compare(old: dict | None, new: dict) -> list[Difference]:
    """The tracked fields whose values differ between two records of one study (old None: a new trial)."""
    if old is None:
        return [Difference(NEW_TRIAL, None, value_at(new, f"{PS}.identificationModule.briefTitle"))]
    out = []
    for path in TRACKED:
        a, b = value_at(old, path), value_at(new, path)
        if a != b:
            out.append(Difference(path, a, b))
    return out


def as_text(value: Any) -> str | None:
    """A value as the page shows it: dates with their type, lists joined; None stays None."""
    if value is None:
        return None
    if isinstance(value, dict) and "date" in value:
        return f"{value['date']} ({str(value['type']).lower()})" if value.get("type") else str(value["date"])
    if isinstance(value, list):
        return "; ".join(str(as_text(v)) for v in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def field_label(field: str) -> str:
    return FIELD_LABELS.get(field, field)


_ENUM_FIELDS = (f"{PS}.statusModule.overallStatus", f"{PS}.designModule.enrollmentInfo.type", f"{PS}.designModule.phases")


def display(field: str, value: Any) -> str | None:
    """A value as the pages show it: API enum spellings as labels ("TERMINATED" -> "Terminated")."""
    if field == NEW_TRIAL:  # its value is the title, which the page shows above the changes anyway
        return "added to the portfolio" if value is not None else None
    if field in _ENUM_FIELDS and value is not None:
        return ", ".join(label(v) for v in value) if isinstance(value, list) else label(str(value))
    return as_text(value)


@dataclass(frozen=True)
class SeedDifference:
    field: str  # as the page names it
    path: str  # API v2 path
    seed: str | None
    registry: str | None


def seed_registry_differences(engine: Engine, nct_id: str) -> list[SeedDifference]:
    """Where the registry record kept beside a seed trial differs from the seed documents' facts (the
    tracked fields; the seed's facts are exported in the registry's shape to compare like with like)."""
    from trialdb.export import study_record
    from trialdb.registry.importer import studies_by_nct

    with Session(engine) as session:
        link = session.get(m.SeedRegistryRecord, nct_id)
        study = session.get(m.Study, nct_id)
        if link is None or study is None:
            return []
        doc = session.get(m.Document, link.document_id)
        registry = studies_by_nct(doc.text).get(nct_id) if doc is not None else None
        seed = study_record(study)
    if registry is None:
        return []
    return [SeedDifference(field_label(d.field), d.field, display(d.field, d.old), display(d.field, d.new))
            for d in compare(seed, registry)]


def to_json(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


def from_json(text: object) -> Any:
    # Not text (None, or pandas' NaN for a missing value in a frame): no value.
    return json.loads(text) if isinstance(text, str) else None


def list_changes(engine: Engine, since: str | None = None) -> list[dict]:
    """Every recorded change (newest first), as `changes --json` prints it."""
    C = m.StudyChange
    stmt = select(C).order_by(C.detected.desc(), C.nct_id, C.id)
    if since:
        stmt = stmt.where(C.detected >= since)
    with engine.connect() as conn:
        rows = conn.execute(stmt).all()
    return [{"nct_id": r.nct_id, "field": r.field, "old": from_json(r.old), "new": from_json(r.new),
             "last_update": r.last_update, "detected": r.detected} for r in rows]


def changes_frame(engine: Engine, where, limit: int = 500) -> tuple[pd.DataFrame, int]:
    """Changes to trials that match the filter (`where`: a Filters.where() clause), newest first: the
    first `limit`, and how many there are in all."""
    C, S = m.StudyChange, m.Study
    base = (select(C.nct_id, S.brief_title, S.indication_code.label("indication"), C.field, C.old, C.new,
                   C.last_update, C.detected).join(S, S.nct_id == C.nct_id).where(where))
    with engine.connect() as conn:
        total = conn.execute(select(func.count()).select_from(base.subquery())).scalar_one()
        result = conn.execute(base.order_by(C.detected.desc(), C.last_update.desc(), C.nct_id, C.id).limit(limit))
        df = pd.DataFrame(result.fetchall(), columns=list(result.keys()))
    return df, total


def changes_by_month(engine: Engine, where) -> pd.DataFrame:
    """Changes per month of the records' own last-update date and per field, for the chart (in SQL)."""
    C, S = m.StudyChange, m.Study
    month = func.substr(C.last_update, 1, 7).label("month")
    stmt = (select(month, C.field, func.count().label("changes")).join(S, S.nct_id == C.nct_id)
            .where(where).group_by(month, C.field).order_by(month))
    with engine.connect() as conn:
        result = conn.execute(stmt)
        return pd.DataFrame(result.fetchall(), columns=list(result.keys()))


def registry_status(engine: Engine) -> dict[str, str] | None:
    """The last successful sync (its time, query and API), or None when the database was never synced."""

    with engine.connect() as conn:
        rows = {k: v for k, v in conn.execute(
            select(m.Meta.key, m.Meta.value).where(m.Meta.key.in_((META_AT, META_QUERY, META_API))))}
    if META_AT not in rows:
        return None
    return {"at": rows[META_AT], "query": rows.get(META_QUERY, ""), "api": rows.get(META_API, "")}
