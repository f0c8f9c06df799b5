"""Dosing schedules: from a regimen's phases to administration days and cumulative dose.

A phase gives a dose every `every_days` for `for_days`, then `rest_days` off, repeated `cycles` times;
phases follow one another. Day 0 is the first dose.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

IL2 = re.compile(r"IL-?2\b|interleukine?-?2|aldesleukin", re.I)


@dataclass(frozen=True)
class Phase:
    every_days: int
    for_days: int
    rest_days: int = 0
    cycles: int = 1

    def __post_init__(self) -> None:
        if self.every_days < 1 or self.for_days < 1 or self.rest_days < 0 or self.cycles < 1:
            raise ValueError(f"impossible schedule phase: {self}")


def phases_from_json(text: str | None) -> list[Phase]:
    # pandas hands a missing value over as NaN, not None
    return [Phase(**p) for p in json.loads(text)] if isinstance(text, str) and text else []


def administration_days(phases: list[Phase]) -> list[int]:
    days: list[int] = []
    cursor = 0
    for ph in phases:
        for _ in range(ph.cycles):
            days.extend(range(cursor, cursor + ph.for_days, ph.every_days))
            cursor += ph.for_days + ph.rest_days
    return days


def treatment_days(phases: list[Phase]) -> int:
    """Length of the treatment period: every cycle with its rest (3 cycles of 14 + 14 days = 84)."""
    return sum(ph.cycles * (ph.for_days + ph.rest_days) for ph in phases)


def periods(phases: list[Phase]) -> list[tuple[str, int, int]]:
    """(kind, first day, length) for each dosing and rest period, to draw cycles and rests."""
    out, cursor = [], 0
    for ph in phases:
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
