"""Which publications each trial has, fetched from PubMed and stored: `python -m trialdb pubmed`, and the PubMed
step of `python -m trialdb sync`.

Which publications: for every study in the database, the PMIDs its registry record lists
(`referencesModule.references[].pmid`, every type: RESULT, DERIVED, BACKGROUND; the type stays on the
reference) and those PubMed's `esearch` finds with `NCTxxxxxxxx[si]` (the secondary-source id field, where an
article's `DataBankList` registrations are indexed). The trial ids are asked many at a time, joined with OR
(`NCT1[si] OR NCT2[si] ...`): which trial an article belongs to is then read from the article's own
`DataBankList`, so nothing is attributed by position.

What is fetched: the PMIDs with no file in seed_data/pubmed/ yet (all of them with `full`). Every file is
fetched, split into one file per article (`trialdb.pubmed.article.split_set`, the bytes as NCBI sent them) and
read before anything is written: a request that keeps failing or a file that cannot be read stops the step
with nothing written. A PMID asked for and not returned (efetch leaves it out silently) is reported by number.
Then the files are written with their SHA256SUMS and the new articles loaded into the database in one
transaction (`trialdb.registry.sync.write_with`)."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from trialdb.build import ensure_database
from trialdb.errors import SourceError
from trialdb.pubmed.article import Article, read_set, split_set
from trialdb.pubmed.client import DEFAULT_API, Client
from trialdb.pubmed.folder import FORMAT, IMPORTED, PUBMED, read_document, stored_pmids, write_articles
from trialdb.pubmed.store import load_documents
from trialdb.registry.sync import write_with
from trialdb.search import refresh_search_index
from trialdb.sources.documents import SourceDocument
from trialdb.store import models as m
from trialdb.store.db import SEED_DIR, database_url, make_engine
from trialdb.store.freshness import fingerprint

TERMS_PER_SEARCH = 50  # NCT ids joined with OR in one esearch (sent by POST)


@dataclass
class PubmedReport:
    """What a PubMed step did. PMIDs are strings of digits."""

    trials: int = 0
    referenced: int = 0  # distinct PMIDs the registry records list
    searched: int = 0  # distinct PMIDs esearch found by [si]
    asked: list[str] = field(default_factory=list)
    fetched: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    requests: int = 0

    def summary(self) -> str:
        lines = [f"PubMed: {self.trials:,} trials; {self.referenced:,} PMIDs listed by their registry records, "
                 f"{self.searched:,} found by [si] search; {len(self.asked):,} asked, {len(self.fetched):,} fetched "
                 f"({self.requests:,} requests)"]
        if self.missing:
            lines.append(f"not returned by PubMed ({len(self.missing)}): {' '.join(self.missing)}")
        return "\n".join(lines)


def search_terms(ncts: Iterable[str], per: int = TERMS_PER_SEARCH) -> list[str]:
    """`NCT1[si] OR NCT2[si] ...`, `per` ids a term, in the order given."""
    ids = list(ncts)
    return [" OR ".join(f"{n}[si]" for n in ids[i:i + per]) for i in range(0, len(ids), per)]


def _wanted(session: Session) -> tuple[list[str], list[str]]:
    ncts = list(session.scalars(select(m.Study.nct_id).order_by(m.Study.nct_id)))
    refs = {p for p in session.scalars(select(m.StudyReference.pmid).where(m.StudyReference.pmid.is_not(None)))
            if p and p.isdigit()}
    return ncts, sorted(refs, key=lambda p: (len(p), p))


def fetch_articles(client: Client, pmids: list[str], progress: Callable[[int, int | None], None] | None = None
                   ) -> tuple[dict[str, tuple[bytes, list[Article]]], list[str]]:
    """({PMID: (its one-article file, the file's articles as read)}, PMIDs asked and not returned). Every part is
    read (`read_set`, its XPaths those of its own file) here, so a file that cannot be stored safely stops the
    step before anything is written, and what is loaded is what was read."""
    parts: dict[str, tuple[bytes, list[Article]]] = {}
    for asked, body in client.efetch(pmids, progress=progress):
        name = f"efetch {asked[0]}..{asked[-1]}" if asked else "efetch"
        for pmid, data in split_set(body, name).items():
            parts[pmid] = (data, read_set(data, f"{PUBMED}/{pmid}.xml"))
    return parts, [p for p in pmids if p not in parts]


def import_articles(url: str, paths: list[Path]) -> str:
    """`python -m trialdb import FILE.xml ...`: PubMed efetch files (one article or many) into the database at
    `url`, kept across rebuilds as registry imports are. Every file is read first: one that cannot be read
    safely (SourceError naming it and the path) stops the import with the database untouched. Returns a
    summary line."""
    docs = [read_document(p) for p in paths]
    names = [d.name for d, _ in docs]
    if len(set(names)) != len(names):
        dup = next(n for n in names if names.count(n) > 1)
        raise SourceError(dup, "file name", dup, "given twice: documents are named by their file name")
    ensure_database(url)
    count = 0

    def apply(session: Session) -> None:
        nonlocal count
        count = len(load_documents(session, docs, IMPORTED)[1])
        refresh_search_index(session)

    write_with(url, apply)
    return f"imported {count} PubMed article(s) from {len(docs)} file(s)"


def pubmed(url: str | None = None, seed_dir: Path = SEED_DIR, full: bool = False, client: Client | None = None,
           api: str | None = None, progress: Callable[[int, int | None], None] | None = None) -> PubmedReport:
    """Find, fetch, write and load the publications of every trial in the database at `url` (built first if
    missing or stale). Raises `trialdb.pubmed.client.PubmedError` (a request kept failing) or `SourceError` (a
    file that cannot be read safely) with nothing written."""
    url = url or database_url()
    ensure_database(url, seed_dir)
    engine = make_engine(url, readonly=True)
    try:
        with Session(engine) as session:
            ncts, referenced = _wanted(session)
    finally:
        engine.dispose()
    report = PubmedReport(trials=len(ncts), referenced=len(referenced))
    own = client is None
    client = client or Client.from_environment(api or os.environ.get("TRIALDB_PUBMED_API") or DEFAULT_API)
    try:
        found: list[str] = []
        for term in search_terms(ncts):
            found += [p for p in client.esearch(term) if p not in found]
        report.searched = len(found)
        wanted = list(dict.fromkeys(referenced + found))
        have = set() if full else stored_pmids(seed_dir)
        report.asked = [p for p in wanted if p not in have]
        parts, report.missing = fetch_articles(client, report.asked, progress) if report.asked else ({}, [])
        report.requests = client.requests
    finally:
        if own:
            client.close()
    report.fetched = sorted(parts, key=lambda p: (len(p), p))
    if parts:
        write_articles(seed_dir, {p: data for p, (data, _) in parts.items()})  # refuses bytes that are not UTF-8
        # the files as written, and their articles as read above: nothing read back from disk
        docs = []
        for pmid in report.fetched:
            data, read = parts[pmid]
            docs.append((SourceDocument(f"{PUBMED}/{pmid}.xml", data.decode("utf-8"), hashlib.sha256(data).hexdigest()),
                         read))

        def apply(session: Session) -> None:
            load_documents(session, docs, FORMAT)
            refresh_search_index(session)  # a publication's title and abstract find its trials
            origin = session.get(m.Meta, "origin")
            if origin is not None and origin.value == "seed":  # the files are part of the seeds now: still fresh
                session.merge(m.Meta(key="fingerprint", value=fingerprint(seed_dir)))
            session.merge(m.Meta(key="pubmed_at", value=dt.datetime.now(dt.UTC).isoformat(timespec="seconds")))

        write_with(url, apply)
    return report


__all__ = ["Article", "PubmedReport", "fetch_articles", "import_articles", "pubmed", "search_terms"]
