"""STAND-IN for the READER helper's trialdb/dosing/reader.py (issue 20 interface section 1).

Only here so the storage side can be built and tested before the real reader is merged: it reads ONE
pattern, "<n> million IU ... subcutaneously ... daily for <n> days", from an arm's description. The
integrator drops this whole commit when merging the real module."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

_IL2 = re.compile(r"IL-?2\b|interleukin-?2|aldesleukin", re.I)


@dataclass(frozen=True)
class Phase:  # the interface's Phase (stand-in; the real one lives in trialdb/dosing/schedules.py)
    every_days: int | None
    for_days: int | None
    rest_days: int = 0
    cycles: int | None = 1
    dose: float | None = None
    times_per_week: int | None = None


@dataclass(frozen=True)
class Fact:
    field: str
    quote: str
    path: str


@dataclass(frozen=True)
class NotRead:
    field: str
    reason: str
    quote: str | None = None
    path: str | None = None


@dataclass(frozen=True)
class Reading:
    arm: str
    drug: str
    role: str
    dose: float | None
    unit: str | None
    unit_as_written: str | None
    route: str | None
    phases: tuple[Phase, ...]
    quote: str
    path: str
    facts: tuple[Fact, ...]
    not_read: tuple[NotRead, ...]
    flags: tuple[str, ...]


_PATTERN = re.compile(r"(?P<dose>\d+(?:\.\d+)?) (?P<unit>million IU)\b.*?subcutaneous(?:ly)?.*?daily for (?P<days>\d+) days")


def read_regimens(study: dict) -> list[Reading]:
    """STAND-IN: one Reading per (arm, IL-2 or placebo intervention) for the one pattern above."""
    ps = study.get("protocolSection") or {}
    arms_mod = ps.get("armsInterventionsModule") or {}
    ivs = arms_mod.get("interventions") or []
    out: list[Reading] = []
    for i, arm in enumerate(arms_mod.get("armGroups") or []):
        label = arm.get("label") or ""
        names = [n.split(": ", 1)[-1] for n in arm.get("interventionNames") or []]
        desc = arm.get("description") or ""
        path = f"armsInterventionsModule.armGroups[{i}].description"
        mt = _PATTERN.search(desc)
        for iv in ivs:
            name = iv.get("name") or ""
            if name not in names:
                continue
            placebo = "placebo" in name.lower()
            if not placebo and not _IL2.search(name):
                continue
            if mt is None:
                out.append(Reading(label, name, "placebo" if placebo else "active", None, None, None, None, (),
                                   desc or label, path if desc else f"armsInterventionsModule.armGroups[{i}].label",
                                   (), (NotRead("dose", "not stated"),), ()))
                continue
            quote = mt.group(0)
            dose = None if placebo else float(mt.group("dose"))
            out.append(Reading(label, name, "placebo" if placebo else "active", dose,
                               None if placebo else "million IU", None if placebo else mt.group("unit"),
                               "subcutaneous", (Phase(every_days=1, for_days=int(mt.group("days"))),), quote, path,
                               (Fact("dose", mt.group("dose"), path),), (), ()))
    return out


def reading_to_json(r: Reading) -> dict:
    return asdict(r)


def reading_from_json(d: dict) -> Reading:
    return Reading(**{**d, "phases": tuple(Phase(**p) for p in d["phases"]),
                      "facts": tuple(Fact(**f) for f in d["facts"]),
                      "not_read": tuple(NotRead(**n) for n in d["not_read"]), "flags": tuple(d["flags"])})
