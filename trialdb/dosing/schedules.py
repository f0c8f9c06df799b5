"""Dosing schedules: from a regimen's phases to administration days and cumulative dose.

A phase gives a dose every `every_days` for `for_days`, then `rest_days` off, repeated `cycles` times;
phases follow one another. Day 0 is the first dose.

A phase read from free text may be incomplete: `every_days` None (the frequency has no whole-day interval,
e.g. "three times a week", or was not read), `for_days` None (duration not stated), `cycles` None (number
of cycles not stated). Only a complete regimen (`is_complete`) has a calendar and a cumulative dose; an
incomplete one is never completed here by a guess.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

IL2 = re.compile(r"IL-?2\b|interleukine?-?2|aldesleukin", re.I)


@dataclass(frozen=True)
class Phase:
    """One dosing phase.

    every_days: days between administrations (1 daily, 2 every other day, 14 fortnightly); None = not read.
    for_days: length of the dosing period in days; None = duration not stated.
    rest_days: days off after the dosing period (before the next cycle or phase).
    cycles: how many times the dosing period and its rest repeat; None = number of cycles not stated.
    dose: this phase's own dose where it differs from the regimen's first dose (in the regimen's unit).
    times_per_week: administrations per week where the record gives a count per week and no day pattern
        ("x3 per week"); every_days is then None.
    for_months: the dosing period as written in calendar months ("for 6 months"; a year is 12); `for_days` is
        then computed here from it (`days_in_months`), not stated in the record.
    period_months: the cycle period as written in calendar months ("monthly five-day courses"); `rest_days` is
        then computed here (`days_in_months(period_months) - for_days`).
    Raises ValueError for an impossible phase (every_days or for_days < 1, rest_days < 0, cycles < 1, months < 1).
    """

    every_days: int | None
    for_days: int | None
    rest_days: int = 0
    cycles: int | None = 1
    dose: float | None = None
    times_per_week: int | None = None
    for_months: int | None = None
    period_months: int | None = None

    def __post_init__(self) -> None:
        if ((self.every_days is not None and self.every_days < 1) or (self.for_days is not None and self.for_days < 1)
                or self.rest_days < 0 or (self.cycles is not None and self.cycles < 1)
                or (self.times_per_week is not None and not 1 <= self.times_per_week <= 7)
                or (self.dose is not None and self.dose < 0)
                or (self.for_months is not None and self.for_months < 1)
                or (self.period_months is not None and self.period_months < 1)):
            raise ValueError(f"impossible schedule phase: {self}")


DAYS_PER_MONTH = 365.25 / 12  # the mean Gregorian month: 30.4375 days


def days_in_months(months: int) -> int:
    """The days `months` calendar months span, computed here at 365.25/12 days a month and rounded: 1 -> 30,
    3 -> 91, 6 -> 183, 12 -> 365, 18 -> 548. A month is 28 to 31 days, so a calendar drawn from it is within a
    day or two of any real one; the pages say the figure is computed."""
    return round(months * DAYS_PER_MONTH)


_KEYS = ("every_days", "for_days", "rest_days", "cycles", "dose", "times_per_week", "for_months", "period_months")


def phases_to_json(phases: list[Phase] | tuple[Phase, ...]) -> str:
    """JSON text of a list of phases: objects whose keys are the field names. `every_days`, `for_days`,
    `rest_days` and `cycles` are always written (a null cycles means "not stated", not the default 1);
    `dose`, `times_per_week`, `for_months` and `period_months` only when set."""
    out: list[dict[str, Any]] = []
    for ph in phases:
        d: dict[str, Any] = {"every_days": ph.every_days, "for_days": ph.for_days, "rest_days": ph.rest_days,
                             "cycles": ph.cycles}
        if ph.dose is not None:
            d["dose"] = ph.dose
        if ph.times_per_week is not None:
            d["times_per_week"] = ph.times_per_week
        if ph.for_months is not None:
            d["for_months"] = ph.for_months
        if ph.period_months is not None:
            d["period_months"] = ph.period_months
        out.append(d)
    return json.dumps(out)


def phases_from_json(text: str | None) -> list[Phase]:
    """Phases from the JSON text `phases_to_json` writes (or curation's plain objects); [] for None, NaN or "".
    A missing `every_days` or `for_days` is None (not stated); missing optional keys take their defaults.
    Raises ValueError for unknown keys or an impossible phase."""
    # pandas hands a missing value over as NaN, not None
    if not isinstance(text, str) or not text:
        return []
    out = []
    for p in json.loads(text):
        unknown = set(p) - set(_KEYS)
        if unknown:
            raise ValueError(f"unknown phase keys: {sorted(unknown)}")
        out.append(Phase(**{"every_days": None, "for_days": None, **p}))
    return out


def is_complete(phases: list[Phase] | tuple[Phase, ...]) -> bool:
    """Whether the calendar and the cumulative dose can be computed: at least one phase, and every phase has
    `every_days`, `for_days` and `cycles`."""
    return bool(phases) and all(ph.every_days is not None and ph.for_days is not None and ph.cycles is not None
                                for ph in phases)


def _require_complete(phases: list[Phase] | tuple[Phase, ...]) -> None:
    if phases and not is_complete(phases):
        raise ValueError(f"schedule not complete (frequency, duration or cycles not stated): {list(phases)}")


def administration_days(phases: list[Phase] | tuple[Phase, ...]) -> list[int]:
    """Day numbers (day 0 = first dose) of every administration. [] for no phases.
    Raises ValueError when the phases are not complete (`is_complete`)."""
    _require_complete(phases)
    days: list[int] = []
    cursor = 0
    for ph in phases:
        assert ph.every_days is not None and ph.for_days is not None and ph.cycles is not None
        for _ in range(ph.cycles):
            days.extend(range(cursor, cursor + ph.for_days, ph.every_days))
            cursor += ph.for_days + ph.rest_days
    return days


def administrations_per_week(phases: list[Phase] | tuple[Phase, ...]) -> float | None:
    """Administrations per week while dosing, of the FIRST phase (computed here): its `times_per_week`; else,
    for a weekly cycle (dosing and rest days adding up to 7, "5 consecutive days per week"), the
    administrations in one cycle (5.0); else 7 / every_days (daily 7.0, every other day 3.5, fortnightly 0.5).
    None when the frequency was not read. Rests between longer cycles are not averaged in: the measure is
    the pace of dosing, and the calendar shows the rests."""
    if not phases:
        return None
    first = phases[0]
    if first.times_per_week is not None:
        return float(first.times_per_week)
    if first.every_days is None:
        return None
    if first.for_days and first.rest_days and first.for_days + first.rest_days == 7:
        return float(len(range(0, first.for_days, first.every_days)))
    return 7 / first.every_days


def treatment_days(phases: list[Phase] | tuple[Phase, ...]) -> int | None:
    """Length of the treatment period: every cycle with its rest (3 cycles of 14 + 14 days = 84).
    0 for no phases; None when the phases are not complete."""
    if phases and not is_complete(phases):
        return None
    return sum((ph.cycles or 0) * ((ph.for_days or 0) + ph.rest_days) for ph in phases)


def periods(phases: list[Phase] | tuple[Phase, ...]) -> list[tuple[str, int, int]]:
    """(kind, first day, length) for each dosing and rest period, to draw cycles and rests.
    Raises ValueError when the phases are not complete."""
    _require_complete(phases)
    out, cursor = [], 0
    for ph in phases:
        assert ph.for_days is not None and ph.cycles is not None
        for _ in range(ph.cycles):
            out.append(("dosing", cursor, ph.for_days))
            if ph.rest_days:
                out.append(("rest", cursor + ph.for_days, ph.rest_days))
            cursor += ph.for_days + ph.rest_days
    return out


def cumulative_dose(days: list[int], dose: float) -> list[tuple[int, float]]:
    """(day, total given up to and including that day) after each administration."""
    return [(d, dose * (i + 1)) for i, d in enumerate(days)]


def is_il2(drug: str) -> bool:
    """Whether a drug is interleukin-2, active or placebo ('hrIL-2 active', 'Interleukin-2')."""
    return bool(IL2.search(drug))
