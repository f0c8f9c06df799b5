"""`python -m trialdb sync`: fetch the portfolio from the ClinicalTrials.gov API v2, keep each record as a
file in seed_data/registry/, import it through the import path, and record what changed.

In order, and why:
1. Fetch every page (or every --nct record). Nothing is written before the registry has answered in
   full: a fault (trialdb.registry.client.RegistryError) ends the sync here, the database untouched.
2. Validate each record with every check the import makes. A record with an invalid NCT id or a value
   that cannot be stored safely (a JSON type the API never sends) is refused: named in the summary, never
   written; the others go on. An enum value this version does not know is kept and flagged (trialdb/load.py).
3. In one transaction: compare each record with the stored one (trialdb.registry.changes), import it (a seed
   trial's registry record is kept beside the seed facts, never over them), add the changes, the sync's
   meta keys, and write the record files and changes.json (each tmp + os.replace) before the commit.
   SQLite: on a copy of the database made aside, swapped in with os.replace, as `build` does, so a sync
   killed at any moment leaves the previous file whole (and the read-only app never meets a hot
   journal). PostgreSQL: one transaction under the build's advisory lock.
A file written before a failed commit is a valid record; the next sync compares against the database,
so it finds the same changes again, and changes.json is rewritten whole from the database each time.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import sqlite3
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from trialdb import schema
from trialdb.build import build_lock, ensure_database
from trialdb.errors import SourceError
from trialdb.portfolio.classifier import CATEGORIES
from trialdb.readings import PortfolioInputs
from trialdb.registry import changes as ch
from trialdb.registry.client import DEFAULT_API, NCT_ID, Client, RegistryError
from trialdb.registry.folder import (
    CHANGES_FILE,
    PORTFOLIO,
    changes_document,
    update_manifest,
    write_atomically,
)
from trialdb.registry.importer import (
    document_from_text,
    import_documents,
    one_copy_each,
    repeat_sentence,
    stored_record,
    validate_study,
)
from trialdb.store import models as m
from trialdb.store.db import REGISTRY, SEED_DIR, database_url, make_engine, sqlite_path
from trialdb.store.freshness import META_API, META_AT, META_ID, META_QUERY, fingerprint

OVERLAP = dt.timedelta(days=1)  # an incremental sync asks again for the last day before the previous one


def portfolio_term(seed_dir: Path = SEED_DIR) -> str:
    """The default query.term, from seed_data/portfolio.toml (see the reasons there)."""
    cfg = tomllib.loads((seed_dir / PORTFOLIO).read_text(encoding="utf-8"))

    def any_of(words: list[str]) -> str:
        return " OR ".join(f'"{w}"' if " " in w or "-" in w else w for w in words)

    return (f"AREA[InterventionSearch]({any_of(cfg['interventions'])}) AND "
            f"AREA[ConditionSearch]({any_of(cfg['conditions'])})")


@dataclass
class SyncReport:
    query: str
    mode: str  # "full", "incremental since DATE", "records"
    fetched: int = 0
    total: int | None = None
    new: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    seed_kept: list[str] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)  # (record, why)
    repeats: list[str] = field(default_factory=list)  # a record sent twice with different content: which was kept
    changes: int = 0
    sync_id: str = ""
    # Each imported record's portfolio category (trialdb.portfolio.classifier.CATEGORIES key) and whether it is kept.
    portfolio: dict[str, tuple[str, bool]] = field(default_factory=dict)

    @property
    def kept(self) -> list[str]:
        """Records kept in the low-dose IL-2 portfolio (seed trials' records included)."""
        return sorted(n for n, (_, inc) in self.portfolio.items() if inc)

    @property
    def set_aside(self) -> dict[str, list[str]]:
        """Records set aside from the portfolio, by category key (CATEGORIES order)."""
        out: dict[str, list[str]] = {}
        for nct, (cat, inc) in sorted(self.portfolio.items()):
            if not inc:
                out.setdefault(cat, []).append(nct)
        order = list(CATEGORIES)
        return dict(sorted(out.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else len(order)))

    @property
    def ok(self) -> bool:
        return not self.refused

    def summary(self) -> str:
        lines = [f"sync {self.sync_id} ({self.mode}): fetched {self.fetched} record(s)"
                 + (f" of {self.total} the registry counts" if self.total is not None else ""),
                 f"{len(self.new)} new, {len(self.changed)} changed, {len(self.unchanged)} unchanged, "
                 f"{len(self.refused)} refused; {self.changes} change(s) recorded"]
        if self.portfolio:
            aside = self.set_aside
            lines.append(f"portfolio: {len(self.kept)} kept as low-dose IL-2, {sum(map(len, aside.values()))} set aside"
                         + ("" if not aside else " (" + ", ".join(
                             f"{CATEGORIES.get(c, c)}: {len(v)}" for c, v in aside.items()) + ")"))
        if self.seed_kept:
            lines.append(f"{len(self.seed_kept)} registry record(s) of seed trials kept beside the seed documents "
                         f"(the seed facts stay): {', '.join(self.seed_kept)}")
        lines += self.repeats
        lines += [f"REFUSED {name}: {why}" for name, why in self.refused]
        return "\n".join(lines)


def _now() -> str:
    # Milliseconds: two syncs within a second (tests, a retry by hand) still get ids of their own.
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def read_meta(url: str) -> dict[str, str]:
    engine = make_engine(url, readonly=True)
    try:
        with Session(engine) as session:
            return {r.key: r.value for r in session.scalars(select(m.Meta))}
    finally:
        engine.dispose()


def fetch(client: Client, term: str | None, advanced: str | None, ncts: list[str] | None,
          progress: Callable[[int, int | None], None] | None = None) -> tuple[list[tuple[str, Any]], int | None]:
    """(fetchedAt, study) for every record the registry returns, and its totalCount."""
    out: list[tuple[str, Any]] = []
    if ncts:
        for nct in ncts:
            out.append((_now(), client.study(nct)))
            if progress:
                progress(len(out), len(ncts))
        return out, len(ncts)
    total = None
    for page in client.search(term, advanced):
        total = page.total if page.total is not None else total
        at = _now()
        out.extend((at, s) for s in page.studies)
        if progress:
            progress(len(out), total)
    return out, total


@dataclass
class Accepted:
    nct: str
    text: str  # the file's content, exactly as it will be written
    docs: list  # [(SourceDocument, [(path, study)])] for import_documents
    study: dict
    last_update: str | None


def _nct_of(study: Any) -> Any:
    try:
        return study["protocolSection"]["identificationModule"]["nctId"]
    except (KeyError, TypeError):
        return None


def _kept_text(folder: Path, nct: str, study: Any) -> str | None:
    """The record file already on disk when it holds this very study: kept as it is, so a weekly sync
    that finds nothing new rewrites no record (its fetchedAt: when this version was first fetched)."""
    path = folder / f"{nct}.json"
    try:
        old = path.read_text(encoding="utf-8")
        return old if json.loads(old).get("study") == study else None
    except (OSError, ValueError, AttributeError):
        return None


def validate(fetched: list[tuple[str, Any]], report: SyncReport, folder: Path) -> list[Accepted]:
    """Records that pass every import check; the others are refused (named, with the reason). A record the
    registry sent twice is kept once, by the import's rule (trialdb.registry.importer.one_copy_each): the copy with the
    latest lastUpdatePostDate, on a tie the later; a dropped copy that differs is named in the summary."""
    accepted: list[Accepted] = []
    studies = [study for _, study in fetched]
    keep, repeats = one_copy_each(studies)
    report.repeats = [repeat_sentence(r, lambda i: f"record {i + 1} of {len(fetched)}", studies)
                      for r in repeats if not r.identical]
    for i in keep:
        at, study = fetched[i]
        nct = _nct_of(study)
        if not isinstance(nct, str) or not NCT_ID.fullmatch(nct):
            report.refused.append((f"record {i + 1} of {len(fetched)} (nctId {nct!r})",
                                   f"protocolSection.identificationModule.nctId: not an NCT id: {nct!r}"))
            continue
        text_ = (_kept_text(folder, nct, study)
                 or json.dumps({"fetchedAt": at, "study": study}, ensure_ascii=False, indent=2) + "\n")
        try:
            doc, parsed = document_from_text(f"{REGISTRY}/{nct}.json", text_)
            validate_study(parsed[0][1], parsed[0][0], doc)
        except SourceError as exc:
            report.refused.append((nct, str(exc)))
            continue
        except (KeyError, TypeError, AttributeError, ValueError) as exc:  # a shape the checks did not foresee
            report.refused.append((nct, f"malformed record ({exc.__class__.__name__}: {exc})"))
            continue
        last = ((study.get("protocolSection") or {}).get("statusModule") or {}).get("lastUpdatePostDateStruct") or {}
        accepted.append(Accepted(nct, text_, [(doc, parsed)], study, last.get("date")))
    return accepted


def _apply(session: Session, accepted: list[Accepted], report: SyncReport, seed_dir: Path, detected: str,
           api: str) -> None:
    old = {a.nct: (session.get(m.Study, a.nct) is not None, stored_record(session, a.nct)) for a in accepted}
    imported = import_documents(session, [d for a in accepted for d in a.docs], PortfolioInputs.load(seed_dir))
    report.seed_kept = imported.seed_kept
    report.portfolio = dict(imported.categories)
    for a in accepted:
        exists, before = old[a.nct]
        if exists and before is None:  # a seed trial's first registry record: differences on its page
            report.unchanged.append(a.nct)
            continue
        diffs = ch.compare(before, a.study)
        (report.changed if diffs and exists else report.new if not exists else report.unchanged).append(a.nct)
        for d in diffs:
            session.add(m.StudyChange(nct_id=a.nct, field=d.field, old=ch.to_json(d.old), new=ch.to_json(d.new),
                                      last_update=a.last_update, detected=detected, sync_id=report.sync_id))
        report.changes += len(diffs)
    for key, value in ((META_AT, detected), (META_QUERY, report.query), (META_API, api), (META_ID, report.sync_id)):
        session.merge(m.Meta(key=key, value=value))
    session.flush()
    folder = seed_dir / REGISTRY
    for a in accepted:
        if not (folder / f"{a.nct}.json").exists() or (folder / f"{a.nct}.json").read_text(encoding="utf-8") != a.text:
            write_atomically(folder / f"{a.nct}.json", a.text)
    if accepted:  # each record validated above, as written (or kept: the same study): the build trusts its hash
        update_manifest(folder, {f"{a.nct}.json": a.text for a in accepted})
    write_atomically(folder / CHANGES_FILE, changes_document(session))
    origin = session.get(m.Meta, "origin")
    if origin is not None and origin.value == "seed":  # the files are part of the seeds now: still fresh
        session.merge(m.Meta(key="fingerprint", value=fingerprint(seed_dir)))


def _copy_aside(path: Path) -> Path:
    """A consistent copy of the SQLite database next to it (sqlite3's online backup)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.syncing")
    tmp.unlink(missing_ok=True)
    with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as src, \
            contextlib.closing(sqlite3.connect(tmp)) as dst:
        src.backup(dst)
    return tmp


def write(url: str, accepted: list[Accepted], report: SyncReport, seed_dir: Path, detected: str, api: str) -> None:
    write_with(url, lambda session: _apply(session, accepted, report, seed_dir, detected, api))


def write_with(url: str, apply: Callable[[Session], None]) -> None:
    """Run `apply` on the database at `url` in one transaction that readers never see half done: on PostgreSQL
    a transaction under the builds' advisory lock; on SQLite a copy of the file, changed, then put in its place
    atomically (readers see the old file or the new). Tables created since the database was built are created
    first. If `apply` raises, the database is untouched."""
    path = sqlite_path(url)
    if path is None:
        engine = make_engine(url)
        try:
            schema.metadata.create_all(engine)  # the new tables, in a database built before them
            with engine.begin() as conn:
                if engine.dialect.name == "postgresql":
                    conn.execute(text("SELECT pg_advisory_xact_lock(2465580)"))
                with Session(conn, autoflush=False) as session, session.begin():
                    apply(session)
        finally:
            engine.dispose()
        return
    with build_lock(path):
        tmp = _copy_aside(path)
        engine = make_engine(f"sqlite:///{tmp}", scratch=True)
        try:
            schema.metadata.create_all(engine)
            with Session(engine, autoflush=False) as session, session.begin():
                apply(session)
            engine.dispose()
            with open(tmp, "rb") as fh:
                os.fsync(fh.fileno())
            os.replace(tmp, path)
            dirfd = os.open(path.parent, os.O_RDONLY)
            try:
                os.fsync(dirfd)
            finally:
                os.close(dirfd)
        finally:
            engine.dispose()
            tmp.unlink(missing_ok=True)


def sync(url: str | None = None, api: str | None = None, query: str | None = None, ncts: list[str] | None = None,
         full: bool = False, seed_dir: Path = SEED_DIR, client: Client | None = None,
         progress: Callable[[int, int | None], None] | None = None) -> SyncReport:
    url = url or database_url()
    api = (client.api if client else api or os.environ.get("TRIALDB_CTGOV_API") or DEFAULT_API).rstrip("/")
    ensure_database(url, seed_dir)
    meta = read_meta(url)
    term = None if ncts else (query or portfolio_term(seed_dir))
    label = term if term is not None else "records " + " ".join(ncts or [])
    advanced, mode = None, "records" if ncts else "full"
    if not ncts and not full and meta.get(META_AT) and meta.get(META_QUERY) == term and meta.get(META_API) == api:
        since = (dt.datetime.fromisoformat(meta[META_AT].replace("Z", "+00:00")) - OVERLAP).date().isoformat()
        advanced, mode = f"AREA[LastUpdatePostDate]RANGE[{since},MAX]", f"incremental since {since}"
    report = SyncReport(query=label, mode=mode, sync_id=_now())
    own = client is None
    client = client or Client(api)
    try:
        fetched, report.total = fetch(client, term, advanced, ncts, progress)
    finally:
        if own:
            client.close()
    report.fetched = len(fetched)
    accepted = validate(fetched, report, seed_dir / REGISTRY)
    write(url, accepted, report, seed_dir, report.sync_id, api)
    return report


__all__ = ["RegistryError", "SyncReport", "portfolio_term", "sync"]
