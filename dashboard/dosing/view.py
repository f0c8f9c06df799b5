"""The Dosing schedules page's frames: regimens read from the registry record or curated, shown with their
source and quote, what could not be read, and the units they are compared in. Pure pandas, no Streamlit.

The regimens frame (data.regimens) has one row per arm and drug with, besides the curated columns: source
("curated" | "read"), quote, path (JSON path of the quote in the registry record), not_read (list of
{field, reason, quote, path}), flags (list of str), basis ("flat" | "per m²" | "per kg" | None), per_week
(administrations per week of the first phase, computed; None where the frequency was not read) and complete
(every phase has every_days, for_days and cycles). Phases are JSON text of dicts with every_days, for_days,
rest_days, cycles and optionally dose, times_per_week, for_months and period_months (a duration or a cycle
period written in calendar months: for_days or rest_days is then computed here); every_days, for_days and cycles
may be null (not stated, or not read).
"""

from __future__ import annotations

import dataclasses
import json
import math
from typing import Any

import pandas as pd

from trialdb.dosing import units
from trialdb.dosing.schedules import phases_from_json
from trialdb.queries import NOT_STATED

SOURCE_LABELS = {"curated": "curated", "read": "read from the registry record"}
PATTERN_WEEKS = 4  # a schedule whose duration is not stated: its pattern is drawn this long, and says so

def basis(unit: object) -> str | None:
    """"flat", "per m²" or "per kg" for a unit of the vocabulary (trialdb.dosing.units); None for a missing or
    unknown unit."""
    try:
        return units.basis(unit) if isinstance(unit, str) else None
    except ValueError:
        return None


def to_iu(dose: object, unit: object) -> float | None:
    """A dose in IU on its unit's basis (1.5 million IU/m² -> 1,500,000 IU/m²; trialdb.dosing.units.to_iu);
    None for mass units, a missing dose or an unknown unit."""
    if not isinstance(unit, str) or not _number(dose):
        return None
    try:
        return units.to_iu(float(dose), unit)  # type: ignore[arg-type]
    except ValueError:
        return None


def phase_dicts(text: object) -> list[dict[str, Any]]:
    """The phases of a regimen as dicts with every key present (None where not stated), for the words of a
    schedule; the computing is trialdb.dosing.schedules'."""
    return [dataclasses.asdict(p) for p in phases_from_json(text if isinstance(text, str) else None)]




def _number(x: object) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool) and not math.isnan(x)


def axis_unit(unit: object) -> str | None:
    """The unit a dose is compared in: IU units converted to IU on their basis ("IU", "IU/m²", "IU/kg"),
    mass units as they are; None when the unit is not stated. Doses of different axis units are never
    drawn on one axis or summed."""
    if not isinstance(unit, str):
        return None
    b = basis(unit)
    if b is not None and to_iu(1.0, unit) is not None:
        return {"flat": "IU", "per m²": "IU/m²", "per kg": "IU/kg"}[b]
    return unit


def axis_dose(dose: object, unit: object) -> float | None:
    """The dose in its axis unit (IU for IU units, else as written); None when not stated."""
    if not _number(dose) or not isinstance(unit, str):
        return None
    iu = to_iu(dose, unit)
    return iu if iu is not None else float(dose)  # type: ignore[arg-type]


def not_read_list(value: object) -> list[dict[str, Any]]:
    """The not-read notes of a regimen row: a list of {field, reason, quote, path}, from a list or JSON text."""
    if isinstance(value, str):
        value = json.loads(value) if value else []
    if isinstance(value, list | tuple):
        return [dict(v) for v in value]
    return []


def flags_list(value: object) -> list[str]:
    if isinstance(value, str):
        value = json.loads(value) if value else []
    return [str(v) for v in value] if isinstance(value, list | tuple) else []


def not_read_text(value: object) -> str:
    """What was not stated or could not be read, one "field: reason" per note, "; "-separated."""
    return "; ".join(f"{n.get('field', '?')}: {n.get('reason', '')}" for n in not_read_list(value))


def source_label(source: object) -> str:
    return SOURCE_LABELS.get(source, NOT_STATED) if isinstance(source, str) else NOT_STATED


def _days_word(n: int) -> str:
    return "daily" if n == 1 else f"every {n} days"


def schedule_text(phases: list[dict[str, Any]]) -> str:
    """A schedule in words, from its phases ("every 2 days for 14 days, then 14 days' rest; 3 cycles"),
    naming what is not stated."""
    if not phases:
        return "schedule not stated in source"
    parts = []
    for p in phases:
        if p["every_days"]:
            how = _days_word(p["every_days"])
        elif p["times_per_week"]:
            how = f"{p['times_per_week']} times a week (days not stated)"
        else:
            how = "frequency not read"
        if p.get("for_months"):  # as written, with the days it spans computed here
            months = p["for_months"]
            how += f" for {months} month{'s' if months != 1 else ''} (about {p['for_days']} days, computed here)"
        else:
            how += f" for {p['for_days']} days" if p["for_days"] else ", duration not stated"
        if p.get("period_months"):
            months = p["period_months"]
            every = "every month" if months == 1 else f"every {months} months"
            how += f", {every} (about {p['rest_days']} days' rest, computed here)"
        elif p["rest_days"]:
            how += f", then {p['rest_days']} days' rest"
        if p["cycles"] is None:
            how += "; number of cycles not stated"
        elif p["cycles"] > 1:
            how += f"; {p['cycles']} cycles"
        parts.append(how)
    return "; then ".join(parts)


def pattern_days(phase: dict[str, Any], weeks: int = PATTERN_WEEKS) -> list[int]:
    """Administration days of a phase whose duration is not stated, over its first `weeks` weeks only (the
    calendar says so); [] when the interval between doses is not known."""
    return list(range(0, 7 * weeks, phase["every_days"])) if phase["every_days"] else []


def dose_text(r: Any) -> str:
    if r.role == "placebo":
        return "placebo (no active dose)"
    if not _number(r.dose):
        return NOT_STATED
    return f"{r.dose:g} {r.unit}" if isinstance(r.unit, str) else f"{r.dose:g} (unit not stated)"


def comparison(reg: pd.DataFrame, base: pd.DataFrame) -> pd.DataFrame:
    """The comparison table: `base` (frames.dose_comparison of `reg`, row for row) with each row's source, its
    schedule in words (`schedule_text`), its verbatim quote (one click away: the table's cell, and the CSV) and
    what was not stated or read. The Dosing page's comparison and Compare's regimens in numbers."""
    out = base.copy()
    out.insert(1, "Source", [source_label(s) for s in reg["source"]])
    # the schedule in words, months as written with the days computed here ("for 6 months (about 183 days, ...)")
    out.insert(out.columns.get_loc("Route"), "Schedule", [schedule_text(phase_dicts(p)) for p in reg["phases"]])
    out["Not stated or not read"] = [not_read_text(v) for v in reg["not_read"]]
    out["Flags (kept as written)"] = ["; ".join(flags_list(v)) for v in reg["flags"]]
    out["Quote (verbatim)"] = [q if isinstance(q, str) else NOT_STATED for q in reg["quote"]]
    return out


def unread(reg: pd.DataFrame) -> pd.DataFrame:
    """Regimen rows with something not stated or not read: one row per arm and drug, with what is missing
    and why, and the words the reason rests on where there are any."""
    rows = []
    for r in reg.itertuples():
        notes = not_read_list(r.not_read)
        if not notes:
            continue
        rows.append({"NCT id": r.nct_id, "Record": f"trial_record?nct={r.nct_id}", "Arm": r.arm, "Drug": r.drug,
                     "Source": source_label(r.source),
                     "What is missing": "; ".join(f"{n.get('field', '?')}: {n.get('reason', '')}" for n in notes),
                     "Words it rests on": " · ".join(str(n["quote"]) for n in notes if n.get("quote"))})
    return pd.DataFrame(rows, columns=["NCT id", "Record", "Arm", "Drug", "Source", "What is missing",
                                       "Words it rests on"])


def cumulative_groups(reg: pd.DataFrame) -> list[tuple[str, pd.DataFrame]]:
    """The IL-2 arms whose cumulative dose can be computed (dose, unit and a complete schedule), one frame per
    axis unit (flat IU, IU/m², IU/kg, µg, ...: never summed or drawn together), doses converted to it
    (dose and unit columns replaced; total_dose recomputed). A trial's placebo arms go with its active arms'
    first group. Groups in order of size, largest first."""
    if reg.empty:
        return []
    il2 = reg[reg.is_il2 & reg["complete"].astype(bool)]
    known = pd.Series([axis_dose(d, u) is not None for d, u in zip(il2.dose, il2.unit, strict=True)], index=il2.index,
                      dtype=bool)
    active = il2[(il2.role == "active") & known]
    active = active.assign(axis=[axis_unit(u) for u in active.unit])
    groups: dict[str, list[pd.DataFrame]] = {}
    trial_axis: dict[str, str] = {}
    for axis, g in active.groupby("axis", sort=False):
        g = g.assign(dose=[axis_dose(d, u) for d, u in zip(g.dose, g.unit, strict=True)], unit=axis)
        g = g.assign(total_dose=[d * len(days) for d, days in zip(g.dose, g.days, strict=True)])
        groups[str(axis)] = [g.drop(columns="axis")]
        for n in g.nct_id:
            trial_axis.setdefault(n, str(axis))
    placebo = il2[(il2.role == "placebo") & il2.nct_id.isin(trial_axis)]
    for n, g in placebo.groupby("nct_id", sort=False):
        groups[trial_axis[str(n)]].append(g)
    out = [(axis, pd.concat(parts).sort_index()) for axis, parts in groups.items()]  # in the frame's order
    return sorted(out, key=lambda x: -len(x[1]))
