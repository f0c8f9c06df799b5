"""STAND-IN for the CLASSIFIER helper's trialdb/portfolio.py (issue 20 interface section 2).

The simplest classifier that lets the storage side be built and tested: intervention names only. The
integrator drops this whole commit when merging the real module."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from trialdb.errors import SourceError

CATEGORIES: dict[str, str] = {
    "low-dose": "Low-dose IL-2", "high-dose": "High-dose IL-2", "engineered": "Engineered IL-2",
    "receptor-antibody": "IL-2 receptor antibody", "fusion-toxin": "IL-2 fusion toxin",
    "cell-therapy": "Cell therapy without IL-2 given", "not-given": "IL-2 not given"}


@dataclass(frozen=True)
class Decision:
    nct_id: str
    included: bool
    category: str
    reason: str
    quote: str | None
    path: str | None
    source: str


_RULES = ((re.compile(r"basiliximab|daclizumab|inolimomab", re.I), "receptor-antibody"),
          (re.compile(r"denileukin", re.I), "fusion-toxin"),
          (re.compile(r"efavaleukin|mutein|peg", re.I), "engineered"),
          (re.compile(r"IL-?2\b|interleukin-?2|aldesleukin|proleukin", re.I), "low-dose"))


def classify(study: dict) -> Decision:
    """STAND-IN: the first intervention name matching a rule decides."""
    ps = study.get("protocolSection") or {}
    nct = (ps.get("identificationModule") or {}).get("nctId", "")
    for j, iv in enumerate((ps.get("armsInterventionsModule") or {}).get("interventions") or []):
        name = iv.get("name") or ""
        for rx, cat in _RULES:
            found = rx.search(name)
            if found:
                return Decision(nct, cat == "low-dose", cat, f"intervention named {found.group(0)!r}", found.group(0),
                                f"armsInterventionsModule.interventions[{j}].name", "classifier")
    return Decision(nct, False, "not-given", "no IL-2 intervention named", None, None, "classifier")


def load_reviewed(path: Path) -> dict[str, dict]:
    """STAND-IN: [[decision]] entries of portfolio.toml by nct_id."""
    if not path.exists():
        return {}
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    out = {}
    for i, d in enumerate(data.get("decision", [])):
        if d.get("category") not in CATEGORIES or not isinstance(d.get("include"), bool):
            raise SourceError(path.name, f"decision[{i}]", d, "not a reviewed decision")
        out[d["nct_id"]] = d
    return out


def decide(study: dict, reviewed: dict[str, dict]) -> Decision:
    ps = study.get("protocolSection") or {}
    nct = (ps.get("identificationModule") or {}).get("nctId", "")
    r = reviewed.get(nct)
    if r is not None:
        return Decision(nct, r["include"], r["category"], r["reason"], r.get("quote"), None, "reviewed")
    return classify(study)


def seed_decision(nct_id: str) -> Decision:
    return Decision(nct_id, True, "low-dose", "a seed trial of the portfolio", None, None, "seed")
