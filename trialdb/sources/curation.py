"""The curation file: regimens and outcomes read by a person, each with the verbatim quote it rests on.

A regimen entry whose `document` names a registry record file of seed_data/registry/ ("registry/NCT....json")
is a person's reading of a registry trial: its quote is verbatim from that file's text, and it replaces
every regimen the reader read for that trial (trialdb.readings, applied when the file is imported)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from trialdb.dosing.schedules import Phase
from trialdb.errors import SourceError
from trialdb.sources.documents import Quote, SourceDocument
from trialdb.store.db import REGISTRY

ROLES = ("active", "placebo", "background")
REGISTRY_PREFIX = f"{REGISTRY}/"


@dataclass
class Curation:
    regimens: list[dict[str, Any]] = field(default_factory=list)
    outcomes: list[dict[str, Any]] = field(default_factory=list)
    # Entries for registry trials, by NCT id: checked in shape here, their quotes when the file is imported.
    registry_regimens: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


def _need(entry: dict, key: str, kind: type, file: str, where: str) -> Any:
    value = entry.get(key)
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
        raise SourceError(file, f"{where}.{key}", value, f"missing or not {kind.__name__}")
    return value


def load_curation(path: Path, documents: dict[str, SourceDocument]) -> Curation:
    file = path.name
    try:
        data = tomllib.loads(SourceDocument.read(path).text)
    except tomllib.TOMLDecodeError as exc:
        raise SourceError(file, "toml", str(exc), "not valid TOML") from None
    cur = Curation()
    for i, r in enumerate(data.get("regimen", [])):
        where = f"regimen[{i}]"
        r = _regimen_entry(r, file, where)
        if r["document"].startswith(REGISTRY_PREFIX):
            cur.registry_regimens.setdefault(r["nct_id"], []).append(r)
            continue
        r = dict(r, quotes={"regimen": _quote(r, "quote", documents, file, where)})
        cur.regimens.append(r)
    for i, o in enumerate(data.get("outcome", [])):
        where = f"outcome[{i}]"
        for key in ("pmid", "measure", "document", "quote"):
            _need(o, key, str, file, where)
        groups = _need(o, "groups", list, file, where)
        quotes = {"outcome": _quote(o, "quote", documents, file, where)}
        for key in ("primary_quote", "note", "randomised_quote"):
            if key in o:
                quotes[key] = _quote(o, key, documents, file, where)
        quoted = quotes["outcome"].text
        for k, g in enumerate(groups):
            _need(g, "group", str, file, f"{where}.groups[{k}]")
            # A published number must be in the sentence it is said to come from.
            for key in ("percent", "responders", "n"):
                if key in g and ((key == "percent" and f"{g[key]}%" not in quoted)
                                 or (key != "percent" and not isinstance(g[key], int))):
                    raise SourceError(file, f"{where}.groups[{k}].{key}", g[key], "not as published in the quote")
        if "p_value" in o and f"p={o['p_value']}" not in quoted:
            raise SourceError(file, f"{where}.p_value", o["p_value"], "not as published in the quote")
        cur.outcomes.append(dict(o, quotes=quotes))
    return cur


def _regimen_entry(r: Any, file: str, where: str) -> dict[str, Any]:
    """A regimen entry checked in shape, its phases as Phase objects and its place in the file (`where`)."""
    if not isinstance(r, dict):
        raise SourceError(file, where, r, "not a table")
    for key in ("nct_id", "arm", "drug", "role", "document", "quote"):
        _need(r, key, str, file, where)
    if r["role"] not in ROLES:
        raise SourceError(file, f"{where}.role", r["role"], f"not one of {ROLES}")
    if "dose" in r and not isinstance(r["dose"], int | float):
        raise SourceError(file, f"{where}.dose", r["dose"], "not a number")
    try:
        phases = [Phase(**p) for p in r.get("phases", [])]
    except (TypeError, ValueError) as exc:
        raise SourceError(file, f"{where}.phases", r.get("phases"), str(exc)) from None
    return dict(r, phases=phases, where=where)


def registry_curation(path: Path) -> dict[str, list[dict[str, Any]]]:
    """The curated regimens of registry trials in curation file `path` ({} when there is no file), by NCT
    id; each entry as in the file plus `phases` (Phase objects) and `where` ("regimen[i]"). Raises
    SourceError for a malformed entry. Their quotes are found when the registry file is imported."""
    if not path.exists():
        return {}
    try:
        data = tomllib.loads(SourceDocument.read(path).text)
    except tomllib.TOMLDecodeError as exc:
        raise SourceError(path.name, "toml", str(exc), "not valid TOML") from None
    out: dict[str, list[dict[str, Any]]] = {}
    for i, r in enumerate(data.get("regimen", [])):
        if isinstance(r, dict) and str(r.get("document", "")).startswith(REGISTRY_PREFIX):
            entry = _regimen_entry(r, path.name, f"regimen[{i}]")
            out.setdefault(entry["nct_id"], []).append(entry)
    return out


def _quote(entry: dict, key: str, documents: dict[str, SourceDocument], file: str, where: str) -> Quote:
    name = entry["document"]
    if name not in documents:
        raise SourceError(file, f"{where}.document", name, "no such source document")
    text = _need(entry, key, str, file, where)
    at = documents[name].text.find(text)
    if at < 0:
        raise SourceError(file, f"{where}.{key}", text, f"quote not found verbatim in {name}")
    return Quote(name, text, at)
