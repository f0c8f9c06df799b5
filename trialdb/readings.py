"""Storing what the regimen reader read (trialdb.dosing.reader) and how the portfolio classifier decided
(trialdb.portfolio.classifier) for each registry study, and checking both against the stored record.

Rows: one `regimens` row per Reading (`source` "read", `path` the JSON path of its quote relative to
protocolSection, `facts`/`not_read`/`flags` JSON), one `portfolio_decisions` row per study. Provenance: the
reading's quote under "regimens[<arm>|<drug>]" (the key the Dosing page looks up) and the decision's quote
under "portfolio", both resting on the imported file. `check` (trialdb.check) calls `reading_failures`: every
quote must be a verbatim substring of the string at its JSON path in the stored file, and every number of a
stored dose must appear in its quote, so a tampered quote or dose fails.

A person's reading in seed_data/curation.toml for a registry trial (its `document` the record's file
"registry/NCT....json", its quote verbatim from that file's text) replaces every read regimen of the trial.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from trialdb.dosing.reader import Reading, read_regimens
from trialdb.dosing.schedules import Phase, phases_to_json
from trialdb.dosing.units import numbers_in
from trialdb.errors import SourceError
from trialdb.load import add_regimen, regimen_path
from trialdb.portfolio.classifier import Decision, decide, load_reviewed, seed_decision
from trialdb.sources.curation import registry_curation
from trialdb.store import models as m

CURATION = "curation.toml"
PORTFOLIO = "portfolio.toml"
DECISION_PATH = "portfolio"  # provenance path of a decision's quote
READ, CURATED = "read", "curated"


@dataclasses.dataclass
class PortfolioInputs:
    """What a person reviewed: per-trial portfolio decisions (portfolio.toml [[decision]]) and curated
    regimens of registry trials (curation.toml entries naming a registry/ file), both by NCT id."""

    reviewed: dict[str, dict] = dataclasses.field(default_factory=dict)
    curated: dict[str, list[dict[str, Any]]] = dataclasses.field(default_factory=dict)

    @classmethod
    def load(cls, seed_dir: Path) -> PortfolioInputs:
        """From seed_dir/portfolio.toml and seed_dir/curation.toml (either may be missing); SourceError on
        a malformed entry."""
        return cls(load_reviewed(seed_dir / PORTFOLIO), registry_curation(seed_dir / CURATION))


def _json(items: Iterable[Any]) -> str | None:
    out = [dataclasses.asdict(x) if dataclasses.is_dataclass(x) and not isinstance(x, type) else x for x in items]
    return json.dumps(out, ensure_ascii=False) if out else None


def phases_json(phases: Iterable[Phase]) -> str | None:
    """Phases as stored (schedules.phases_to_json), NULL for none."""
    phases = list(phases)
    return phases_to_json(phases) if phases else None


def reading_row(nct: str, r: Reading) -> m.Regimen:
    """The `regimens` row of one Reading (not added to a session)."""
    return m.Regimen(nct_id=nct, arm=r.arm, drug=r.drug, role=r.role, dose=r.dose, unit=r.unit,
                     unit_as_written=r.unit_as_written, route=r.route, phases=phases_json(r.phases),
                     interpretation=None, source=READ, path=r.path, facts=_json(r.facts),
                     not_read=_json(r.not_read), flags=json.dumps(list(r.flags)) if r.flags else None)


def decision_row(d: Decision) -> m.PortfolioDecision:
    return m.PortfolioDecision(nct_id=d.nct_id, included=d.included, category=d.category, reason=d.reason,
                               quote=d.quote, path=d.path, source=d.source)


def store_registry_study(session: Session, row: m.Study, study: dict, inputs: PortfolioInputs,
                         document: m.Document | None) -> tuple[list[m.Regimen], Decision]:
    """Read and decide one registry study just added as `row` (from `study`, its API v2 dict, in
    `document`): the portfolio decision (reviewed over classifier), and either the curated regimens
    of curation.toml naming this very file, or the reader's readings. With a `document`, each quote gets
    its provenance row; without (the synthetic portfolio) none. Returns the regimen rows and the decision.
    Raises SourceError when a curated entry's arm, drug or quote is not in the record."""
    nct = row.nct_id
    base = document.name.split("#", 1)[0] if document is not None else None
    curated = [c for c in inputs.curated.get(nct, []) if c["document"] == base]
    readings = [] if curated and document is not None else read_regimens(study)
    decision = decide(study, inputs.reviewed, readings)  # a dose read in the high-dose range decides too
    row.decision = decision_row(decision)
    if document is not None and decision.quote:
        session.add(m.Provenance(subject=nct, path=DECISION_PATH, document_id=document.id, quote=decision.quote,
                                 offset=None))
    rows: list[m.Regimen] = []
    if curated and document is not None:
        for c in curated:
            at = document.text.find(c["quote"])
            if at < 0:
                raise SourceError(CURATION, f"{c['where']}.quote", c["quote"], f"quote not found verbatim in {base}")
            reg = add_regimen(session, c, row, CURATION, c["where"])
            reg.source = CURATED
            rows.append(reg)
            session.add(m.Provenance(subject=nct, path=regimen_path(reg), document_id=document.id, quote=c["quote"],
                                     offset=at))
        return rows, decision
    for r in readings:
        reg = reading_row(nct, r)
        row.regimens.append(reg)
        rows.append(reg)
        if document is not None and r.quote:
            session.add(m.Provenance(subject=nct, path=regimen_path(reg), document_id=document.id, quote=r.quote,
                                     offset=None))
    return rows, decision


def store_seed_decision(row: m.Study) -> None:
    """A seed trial stays in the portfolio (portfolio.seed_decision); its regimens are the curated ones."""
    row.decision = decision_row(seed_decision(row.nct_id))


# --- checking ---------------------------------------------------------------------------------------------

def string_at(study: dict, path: str) -> Any:
    """The value at `path` (relative to protocolSection, "armsInterventionsModule.armGroups[1].description")
    in an API v2 study dict; None when the path leads nowhere."""
    node: Any = study.get("protocolSection")
    for part in re.findall(r"[^.\[\]]+|\[\d+\]", path):
        try:
            node = node[int(part[1:-1])] if part.startswith("[") else node[part]
        except (KeyError, IndexError, TypeError, ValueError):
            return None
    return node


def _strings(node: Any) -> Iterable[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for v in node.values():
            yield from _strings(v)
    elif isinstance(node, list):
        for v in node:
            yield from _strings(v)


def quote_holds(study: dict, path: str | None, quote: str | None) -> bool:
    """Whether `quote` is a verbatim substring of the string at `path` (with no path: of any string of
    the record's protocolSection)."""
    if not quote:
        return False
    if path is None:
        return any(quote in s for s in _strings(study.get("protocolSection")))
    node = string_at(study, path)
    return isinstance(node, str) and quote in node


_SCALES = (1.0, 1e3, 1e4, 1e6)  # a dose stored in a unit the quote writes with a multiplier (million, wan)


def dose_in_quote(dose: float, text: str) -> bool:
    """Whether the number `dose` is written in `text` (as itself, or scaled by a thousand, ten thousand
    or a million, for a unit whose multiplier the quote writes as a word or a power). The quote's numbers are
    read by `trialdb.dosing.units.numbers_in`, the regimen reader's own, so `check` and the reader agree."""
    for n in numbers_in(text):
        for k in _SCALES:
            if abs(n * k - dose) <= 1e-9 * max(1.0, abs(dose)) or abs(dose * k - n) <= 1e-9 * max(1.0, abs(n)):
                return True
    return False


def reading_failures(session: Session, nct: str, study: dict | None, doc_name: str) -> list[tuple[str, str, str]]:
    """(document, path, quote) of every read fact of trial `nct` that its stored record (`study`) does not
    bear out: the regimen's quote at its path, each fact's and each not-read note's quote at its path, the
    numbers of the stored dose (and of each phase's own dose) in the regimen's quotes, the decision's
    quote at its path. Curated regimens are checked as every curated quote is (Provenance offsets)."""
    fails: list[tuple[str, str, str]] = []
    regs = session.scalars(select(m.Regimen).where(m.Regimen.nct_id == nct, m.Regimen.source == READ)).all()
    for r in regs:
        key = regimen_path(r)
        if study is None:
            fails.append((doc_name, key, "record not found"))
            continue
        prov = session.scalars(select(m.Provenance).where(m.Provenance.subject == nct, m.Provenance.path == key)).all()
        quotes = [p.quote for p in prov]
        if not quotes or not all(quote_holds(study, r.path, q) for q in quotes):
            fails.append((doc_name, f"{key} at {r.path}", " | ".join(quotes)))
        facts = json.loads(r.facts) if r.facts else []
        for f in facts:
            if not quote_holds(study, f.get("path"), f.get("quote")):
                fails.append((doc_name, f"{key}.{f.get('field')} at {f.get('path')}", str(f.get("quote"))))
        for n in json.loads(r.not_read) if r.not_read else []:
            if n.get("quote") is not None and not quote_holds(study, n.get("path"), n["quote"]):
                fails.append((doc_name, f"{key}.not_read.{n.get('field')} at {n.get('path')}", n["quote"]))
        said = " ".join(quotes + [f.get("quote") or "" for f in facts])
        doses = [r.dose] + [p.get("dose") for p in (json.loads(r.phases) if r.phases else [])]
        for d in doses:
            if d is not None and not dose_in_quote(float(d), said):
                fails.append((doc_name, f"{key}.dose", f"{d} not in {said[:60]!r}"))
    dec = session.get(m.PortfolioDecision, nct)
    if (dec is not None and dec.quote and dec.source != "seed"
            and (study is None or not quote_holds(study, dec.path, dec.quote))):
        fails.append((doc_name, f"{DECISION_PATH} at {dec.path}", dec.quote))
    return fails


def phase_dicts(text: Any) -> list[dict]:
    """The stored phases JSON as dicts, as exported ([] for NULL; pandas hands a missing value over as NaN)."""
    return json.loads(text) if isinstance(text, str) and text else []
