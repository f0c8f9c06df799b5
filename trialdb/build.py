"""Building the database from seed_data/: parse everything, load, check, then swap in atomically.

A SQLite database is built aside in a temporary file next to the target and moved over it with
os.replace, so a failed or killed build leaves the previous database whole. Other databases are
rebuilt inside one transaction (PostgreSQL's DDL is transactional).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import gc
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from trialdb import schema
from trialdb.check import CheckReport, check
from trialdb.errors import SourceError
from trialdb.load import (
    add_document,
    add_outcome,
    add_provenance,
    add_publication,
    add_regimen,
    add_study,
    outcome_path,
    regimen_path,
)
from trialdb.pubmed.article import read_set
from trialdb.pubmed.folder import FORMAT as PUBMED_FORMAT
from trialdb.pubmed.folder import IMPORTED as IMPORTED_ARTICLES
from trialdb.pubmed.folder import article_documents
from trialdb.pubmed.store import load_documents
from trialdb.readings import CURATED, PortfolioInputs, store_seed_decision
from trialdb.registry.folder import load_changes_file, registry_documents
from trialdb.registry.importer import FORMAT as IMPORT_FORMAT
from trialdb.registry.importer import import_documents, imported_documents
from trialdb.search import refresh_search_index
from trialdb.sources.curation import load_curation
from trialdb.sources.documents import Parsed, SourceDocument
from trialdb.sources.parsers import parse_document
from trialdb.store import models as m
from trialdb.store.db import REGISTRY, SEED_DIR, database_url, make_engine, sqlite_path
from trialdb.store.freshness import fingerprint, is_fresh, meta

CURATION = "curation.toml"


def parse_seeds(seed_dir: Path) -> list[Parsed]:
    parsed = [parse_document(p) for p in sorted(seed_dir.glob("*.txt"))]
    seen: dict[str, str] = {}
    for p in parsed:
        key = p.record.get("identificationModule", {}).get("nctId") if p.kind == "study" else f"PMID:{p.record['pmid']}"
        if key in seen:
            raise SourceError(p.document.name, "nctId" if p.kind == "study" else "pmid", key,
                              f"already given by {seen[key]}")
        seen[key] = p.document.name
    return parsed


def populate(session: Session, seed_dir: Path) -> set[str]:
    """The seed documents, the PubMed articles of seed_data/pubmed/ (one publication per PMID with the seeds'),
    and the curation. Returns the names of the PubMed files SHA256SUMS vouches for (`check` may trust them)."""
    parsed = parse_seeds(seed_dir)
    articles, trusted = article_documents(seed_dir)
    documents = {p.document.name: p.document for p in parsed} | {d.name: d for d, _ in articles}
    curation = load_curation(seed_dir / CURATION, documents)  # an outcome may quote a PubMed file's abstract
    doc_rows = {}
    for p in parsed:
        fmt = p.document.text.lstrip()[:20]
        doc_rows[p.document.name] = add_document(session, p.document, _format_name(p, fmt))
    studies, pubs = {}, {}
    for p in parsed:
        if p.kind == "study":
            s = add_study(session, p, doc_rows[p.document.name])
            store_seed_decision(s)
            studies[s.nct_id] = s
            add_provenance(session, s.nct_id, p.quotes, doc_rows)
        else:
            pub = add_publication(session, p, doc_rows[p.document.name])
            pubs[pub.pmid] = pub
            add_provenance(session, f"PMID:{pub.pmid}", p.quotes, doc_rows)
    article_rows, article_pubs = load_documents(session, articles, PUBMED_FORMAT)
    doc_rows |= article_rows  # an outcome may quote a PubMed file
    pubs |= article_pubs
    for i, r in enumerate(curation.regimens):
        if r["nct_id"] not in studies:
            raise SourceError(CURATION, f"regimen[{i}].nct_id", r["nct_id"], "no such study in the seed documents")
        row = add_regimen(session, r, studies[r["nct_id"]], CURATION, f"regimen[{i}]")
        add_provenance(session, row.nct_id, {regimen_path(row): r["quotes"]["regimen"]}, doc_rows)
    for i, o in enumerate(curation.outcomes):
        if o["pmid"] not in pubs:
            raise SourceError(CURATION, f"outcome[{i}].pmid", o["pmid"],
                              "no such publication in the seed documents or seed_data/pubmed/")
        outcome = add_outcome(session, o, pubs[o["pmid"]])
        path = outcome_path(outcome)
        add_provenance(session, f"PMID:{outcome.pmid}",
                       {path if k == "outcome" else f"{path}.{k}": q for k, q in o["quotes"].items()}, doc_rows)
    return trusted


def _format_name(p: Parsed, head: str) -> str:
    if p.kind == "publication":
        return "catalogue record"
    return "ClinicalTrials.Veeva page" if head.startswith("ClinicalTrials.Veeva") else "registry record"


@dataclass
class BuildResult:
    url: str
    report: CheckReport


@contextlib.contextmanager
def build_lock(path: Path):
    """One build at a time per database file (app workers and the CLI may race at start-up)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_name(path.name + ".lock"), "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _carried_imports(url: str) -> list:
    """Files imported into the current database, to import again into the rebuilt one."""
    path = sqlite_path(url)
    if path is not None:  # the usual case, none: asked with the standard library, no engine needed
        if not path.exists():
            return []
        try:
            with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
                if not db.execute("SELECT count(*) FROM documents WHERE format = ?", (IMPORT_FORMAT,)).fetchone()[0]:
                    return []
        except sqlite3.Error:  # no tables, or not a database: nothing of ours to keep
            return []
    if not meta(url):
        return []
    engine = make_engine(url, readonly=True)
    try:
        with Session(engine) as session:
            return imported_documents(session)
    finally:
        engine.dispose()


def _carried_articles(url: str) -> list:
    """PubMed files imported into the current database (`python -m trialdb import FILE.xml`), with their
    articles, to load again into the rebuilt one."""
    path = sqlite_path(url)
    if (path is not None and not path.exists()) or not meta(url):
        return []
    engine = make_engine(url, readonly=True)
    try:
        with Session(engine) as session:
            rows = session.scalars(select(m.Document).where(m.Document.format == IMPORTED_ARTICLES)).all()
            return [(d, read_set(d.text.encode("utf-8"), d.name)) for d in
                    (SourceDocument(r.name, r.text, r.sha256) for r in rows)]
    except SQLAlchemyError:
        return []
    finally:
        engine.dispose()


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off for the block, back on after it if it was on (reference counting
    frees memory as usual). A build keeps some million objects alive (the parsed records, the ORM's rows),
    and each full collection walks them all: at 1,000 synced records 8 full collections took about 1 s of
    a build's CPU, for little garbage. The cycles a build leaves go at the collector's next run."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _fill(bind, seed_dir: Path, carried: list | None = None, articles: list | None = None) -> CheckReport:
    """Load everything through `bind` (an engine, or a connection whose transaction the caller owns), with the
    garbage collector paused (`gc_paused`)."""
    with gc_paused():
        return _fill_now(bind, seed_dir, carried, articles)


def _fill_now(bind, seed_dir: Path, carried: list | None = None, articles: list | None = None) -> CheckReport:
    # One flush at the end, not one per relationship touched: the rows need no ids before then.
    with Session(bind, autoflush=False) as session, session.begin():
        articles_trusted = populate(session, seed_dir)
        fetched, trusted = registry_documents(seed_dir)
        trusted |= articles_trusted  # a record file changed since the sync stops here
        inputs = PortfolioInputs.load(seed_dir)
        if carried or fetched:
            import_documents(session, _without(carried or [], fetched) + fetched, inputs, refresh_search=False)
        if articles:  # PubMed files imported by hand, after seed_data/pubmed/'s: the later file of a PMID wins
            load_documents(session, articles, IMPORTED_ARTICLES)
        _curated_applied(session, inputs)
        load_changes_file(session, seed_dir)
        refresh_search_index(session)  # the full-text index of the trials just written, once (trialdb.search)
        session.add(m.Meta(key="fingerprint", value=fingerprint(seed_dir)))
        session.add(m.Meta(key="origin", value="seed"))
        session.add(m.Meta(key="built_at", value=dt.datetime.now(dt.UTC).isoformat(timespec="seconds")))
    # Every quote verified, but those of record files the sync validated and whose sha256 still matches
    # (registry_documents): `python -m trialdb check` verifies those too, and field coverage.
    report = check(bind, coverage=False, trusted=trusted)
    if not report.ok:
        raise SourceError(report.failures[0][0], report.failures[0][1], report.failures[0][2],
                          "quote not found verbatim in its document")
    return report


def _curated_applied(session: Session, inputs: PortfolioInputs) -> None:
    """Every curation.toml entry for a registry trial was applied: its record file is in seed_data/registry/."""
    session.flush()
    for nct, entries in inputs.curated.items():
        have = session.scalars(select(m.Regimen.id).where(m.Regimen.nct_id == nct, m.Regimen.source == CURATED)).first()
        if have is None:
            c = entries[0]
            raise SourceError(CURATION, f"{c['where']}.document", c["document"],
                              "no such registry record file in seed_data/registry/ for this trial")


def _without(carried: list, fetched: list) -> list:
    """Carried-over imports minus what seed_data/registry/ gives again: its own files (read afresh from
    the folder) and any study a fetched record holds now (the registry's newer record wins)."""
    have = {s["protocolSection"]["identificationModule"]["nctId"] for _, studies in fetched for _, s in studies}
    out = []
    for doc, studies in carried:
        if doc.name.startswith(f"{REGISTRY}/"):
            continue
        keep = [(w, s) for w, s in studies
                if not (isinstance(s, dict) and s.get("protocolSection", {}).get("identificationModule", {}).get("nctId") in have)]
        if keep:
            out.append((doc, keep))
    return out


def build(url: str | None = None, seed_dir: Path = SEED_DIR) -> BuildResult:
    url = url or database_url()
    path = sqlite_path(url)
    if path is None:
        carried, articles = _carried_imports(url), _carried_articles(url)
        engine = make_engine(url)
        try:
            # One transaction (PostgreSQL's DDL is transactional): readers see the old tables until the
            # commit, and a failed build rolls back to them. An advisory lock keeps builds one at a time.
            with engine.begin() as conn:
                if engine.dialect.name == "postgresql":
                    conn.execute(text("SELECT pg_advisory_xact_lock(2465580)"))
                schema.metadata.drop_all(conn)
                schema.metadata.create_all(conn)
                report = _fill(conn, seed_dir, carried, articles)
            return BuildResult(url, report)
        finally:
            engine.dispose()
    with build_lock(path):
        return _build_sqlite(path, url, seed_dir)


def _build_sqlite(path: Path, url: str, seed_dir: Path) -> BuildResult:
    carried, articles = _carried_imports(url), _carried_articles(url)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.building")
    tmp.unlink(missing_ok=True)
    engine = make_engine(f"sqlite:///{tmp}", scratch=True)
    try:
        with engine.begin() as conn:  # one transaction for the whole schema
            schema.metadata.create_all(conn)
        report = _fill(engine, seed_dir, carried, articles)
        engine.dispose()
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)  # atomic on POSIX: readers see the old file or the new, never a mix
        dirfd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dirfd)
        finally:
            os.close(dirfd)
        return BuildResult(url, report)
    finally:
        engine.dispose()
        tmp.unlink(missing_ok=True)


def ensure_database(url: str | None = None, seed_dir: Path = SEED_DIR) -> str:
    """Build when the database is missing or older than seed_data/ (the sync calls this); returns the URL."""
    url = url or database_url()
    return url if is_fresh(url, seed_dir) else build_stale(url, seed_dir)


def build_stale(url: str, seed_dir: Path = SEED_DIR) -> str:
    """The build once trialdb.store.freshness.is_fresh has said no (the app asks it first, without importing this
    module: dashboard.data.engine). A SQLite file is built under its lock and only if another process has not
    built it meanwhile; returns the URL."""
    path = sqlite_path(url)
    if path is None:
        build(url, seed_dir)
        return url
    with build_lock(path):
        if not is_fresh(url, seed_dir):  # another process may have built it while we waited
            _build_sqlite(path, url, seed_dir)
    return url
