"""Trials side by side: one column per trial, one row per fact, every missing fact spelled out.
Pure functions from the trials' records (trialdb.queries.StudyRecord) to a table; no Streamlit."""

from __future__ import annotations

import pandas as pd

from dashboard.frames import design_fact, phase_label, stated
from trialdb import flags
from trialdb.enums import NOT_APPLICABLE, applies, label
from trialdb.queries import NOT_STATED, StudyRecord

MAX_TRIALS = 4


def _enum(value: str | None) -> str:
    return label(value) if value else NOT_STATED


def _joined(items: list[str]) -> str:
    return "; ".join(items) if items else NOT_STATED


def _date(date: str | None, kind: str | None) -> str:
    return NOT_STATED if not date else date + (f" ({kind.lower()})" if kind else "")


def facts(rec: StudyRecord, outcomes: pd.DataFrame) -> dict[str, str]:
    """One trial's facts for the comparison, in the order of the table's rows."""
    s, d = rec.study, rec.study.design
    lead = [sp.name for sp in s.sponsors if sp.lead_or_collaborator == "lead"]
    collab = [sp.name for sp in s.sponsors if sp.lead_or_collaborator != "lead"]
    arms = [f"{g.title} ({label(g.group_type) if g.group_type else 'type not stated'}): "
            + (", ".join(iv.name for iv in g.interventions) or "no intervention named") for g in s.design_groups]
    mine = outcomes[outcomes.nct_id == s.nct_id] if not outcomes.empty else outcomes
    n_outcomes = mine.outcome_id.nunique() if not mine.empty else 0
    pubs = sorted({str(p) for p in mine.pmid}) if not mine.empty else []
    enrol = flags.enrollment_label(s.enrollment, s.enrollment_type, NOT_STATED)
    return {
        "Title": s.brief_title,
        "Acronym": str(stated(s.acronym)),
        "Indication": f"{s.indication_code} ({rec.indication_name})",
        "Conditions": _joined([c.name for c in s.conditions]),
        "Phase": phase_label(s.phase) if s.phase or applies(s.study_type, "phase") else NOT_APPLICABLE,
        "Overall status": label(s.overall_status),
        "Study type": _enum(s.study_type),
        "Allocation": design_fact(d.allocation if d else None, s.study_type, "allocation"),
        "Intervention model": design_fact(d.intervention_model if d else None, s.study_type, "intervention_model"),
        "Masking": design_fact(d.masking if d else None, s.study_type, "masking"),
        "Primary purpose": design_fact(d.primary_purpose if d else None, s.study_type, "primary_purpose"),
        "Arms": _joined(arms) if arms or applies(s.study_type, "arms") else NOT_APPLICABLE,
        "Interventions": _joined([f"{label(iv.intervention_type)}: {iv.name}" for iv in s.interventions]),
        "Enrolment": enrol,
        "Start": _date(s.start_date, s.start_date_type),
        "Primary completion": _date(s.primary_completion_date, s.primary_completion_date_type),
        "Completion": _date(s.completion_date, s.completion_date_type),
        "Last update posted": str(stated(s.last_update_posted_date)),
        "Lead sponsor": _joined(lead),
        "Collaborators": _joined(collab),
        "Published outcomes in this database": (f"{n_outcomes} outcome(s) from PMID {', '.join(pubs)}" if n_outcomes
                                                else "none in this database"),
    }


def side_by_side(records: list[StudyRecord], outcomes: pd.DataFrame) -> pd.DataFrame:
    """Rows: facts; columns: the trials (by NCT id), in the order chosen."""
    cols = {r.study.nct_id: facts(r, outcomes) for r in records}
    first = next(iter(cols.values()), {})
    return pd.DataFrame({"Fact": list(first), **{n: [f[k] for k in first] for n, f in cols.items()}})


def arm_labels(reg: pd.DataFrame) -> list[str]:
    """Row names for a calendar of several trials: trial, arm and drug, short enough for a phone."""
    def short(text: str, n: int) -> str:
        return text if len(text) <= n else text[: n - 1] + "…"

    return [f"{r.nct_id} · {short(r.arm, 22)} · {short(r.drug, 16)}" for r in reg.itertuples()]
