"""Importing ClinicalTrials.gov API v2 JSON as the registry serves it: one study, a list of studies,
or a search page `{"studies": [...], "nextPageToken": ...}` (an `export` document reads as one too).

Each file becomes a document of its own, and each fact's provenance is that file and the fact's
JSON path, with the value as the quote (`check` verifies it against the stored file). The indication
is inferred from the first condition; an unknown condition gets an indication of its own. Importing
a record again replaces it, so nothing is duplicated. All files go in one transaction: a bad file
leaves the database as it was.

A registry record of a trial the seed documents describe never replaces the curated seed facts: its
document is kept and linked (`seed_registry_records`), and the trial record page shows the differences.
Files fetched by `python -m trialdb sync` hold `{"fetchedAt": ..., "study": {...}}` and are named
`registry/NCT........json#<hash>` in the database."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, delete, select
from sqlalchemy.orm import Session

from trialdb import models as m
from trialdb import results
from trialdb.errors import SourceError
from trialdb.ids import give_ids
from trialdb.load import add_provenance, add_study
from trialdb.parsers.common import iso_date
from trialdb.search import refresh_search_index
from trialdb.sources import Parsed, Quote, SourceDocument, leaves

FORMAT = "ClinicalTrials.gov API v2 JSON"
REQUIRED = ("identificationModule", "statusModule", "conditionsModule")
DATES = ("startDateStruct", "primaryCompletionDateStruct", "completionDateStruct", "lastUpdatePostDateStruct")


@dataclass
class ImportReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    files: int = 0
    seed_kept: list[str] = field(default_factory=list)  # registry records of seed trials: kept aside

    def summary(self) -> str:
        return (f"imported {len(self.added) + len(self.updated)} studies from {self.files} file(s): "
                f"{len(self.added)} new, {len(self.updated)} updated")


def studies_in(data: Any, file: str) -> list[tuple[str, dict]]:
    """(JSON path, study) for each study in a file of any of the registry's shapes."""
    if isinstance(data, dict) and "protocolSection" in data:
        return [("$", data)]
    if isinstance(data, dict) and "fetchedAt" in data and "study" in data:  # a file `sync` wrote
        return [("$.study", data["study"])]
    if isinstance(data, dict) and isinstance(data.get("studies"), list):
        return [(f"$.studies[{i}]", s) for i, s in enumerate(data["studies"])]
    if isinstance(data, list):
        return [(f"$[{i}]", s) for i, s in enumerate(data)]
    raise SourceError(file, "$", type(data).__name__, "not a study, a list of studies or a search page")


_ENCODE = json.JSONEncoder(ensure_ascii=False).encode  # json.dumps(value, ensure_ascii=False), without a new encoder each call


def value_quote(value: Any) -> str:
    return _ENCODE(value)


def to_parsed(study: Any, where: str, doc: SourceDocument) -> Parsed:
    """Check a study's required modules and values, and give it the parsers' shape."""
    f = doc.name
    if not isinstance(study, dict) or not isinstance(study.get("protocolSection"), dict):
        raise SourceError(f, f"{where}.protocolSection", None, "missing: not a ClinicalTrials.gov study")
    ps = study["protocolSection"]
    for module in REQUIRED:
        if not isinstance(ps.get(module), dict):
            raise SourceError(f, f"{where}.protocolSection.{module}", None, "required module missing")
    status = ps["statusModule"]
    for key in DATES:
        d = status.get(key)
        if d is not None:
            if not isinstance(d, dict) or not isinstance(d.get("date"), str):
                raise SourceError(f, f"{where}.protocolSection.statusModule.{key}", d, "not a date structure")
            iso_date(d["date"], f, f"{where}.protocolSection.statusModule.{key}.date")
    record = {k: v for k, v in ps.items() if k.endswith("Module")}
    if "hasResults" in study:
        record["hasResults"] = bool(study["hasResults"])
    record.update(results.section_of(study, f, where))  # the modelled resultsSection, checked; quoted below
    nct = ps["identificationModule"].get("nctId")
    parsed = Parsed("study", doc, record)
    for path, value in leaves(record):
        parsed.quotes[path] = Quote(doc.name, value_quote(value), None)
    browse = (study.get("derivedSection") or {}).get("conditionBrowseModule")
    if isinstance(browse, dict):
        # The registry's MeSH mapping of the conditions, for the indication (load.add_study); not a fact
        # of its own, so its leaves get no provenance rows, only the entry that decides the indication.
        record["derivedSection"] = {"conditionBrowseModule": browse}
    if not isinstance(nct, str) or not re.fullmatch(r"NCT\d{8}", nct):
        raise SourceError(f, f"{where}.protocolSection.identificationModule.nctId", nct, "missing or not an NCT id")
    return parsed


def read_file(path: Path, prefix: str = "") -> tuple[SourceDocument, list[tuple[str, dict]]]:
    doc = SourceDocument.read(path)
    return parse_document(doc, prefix + path.name)


def parse_document(doc: SourceDocument, name: str) -> tuple[SourceDocument, list[tuple[str, dict]]]:
    """A JSON document read (named `name` plus its content hash) and split into its studies."""
    try:
        data = json.loads(doc.text)
    except json.JSONDecodeError as exc:
        raise SourceError(name, f"line {exc.lineno} column {exc.colno}", doc.text[max(0, exc.pos - 20) : exc.pos + 20],
                          f"broken JSON: {exc.msg}") from None
    # A content hash in the name: two files called the same never overwrite each other's quotes.
    doc.name = f"{name}#{doc.sha256[:12]}"
    return doc, studies_in(data, doc.name)


def document_from_text(name: str, text: str) -> tuple[SourceDocument, list[tuple[str, dict]]]:
    """As `read_file` for a file about to be written with `text` (the sync validates before writing)."""
    return parse_document(SourceDocument(name, text, hashlib.sha256(text.encode()).hexdigest()), name)


_SCRATCH: Engine | None = None
_SCRATCH_LOCK = threading.Lock()


def validate_study(study: Any, where: str, doc: SourceDocument) -> Parsed:
    """Every check the import makes (required modules, dates, NCT id, enum values), without touching the
    database: the study is loaded into an in-memory scratch database in a transaction rolled back."""
    from sqlalchemy import create_engine
    from sqlalchemy.pool import StaticPool

    global _SCRATCH
    parsed = to_parsed(study, where, doc)
    with _SCRATCH_LOCK:
        if _SCRATCH is None:
            # One in-memory database for the process, shared by every thread (the app builds on its own
            # thread), used by one validation at a time.
            _SCRATCH = create_engine("sqlite://", poolclass=StaticPool, connect_args={"check_same_thread": False})
            m.Base.metadata.create_all(_SCRATCH)
        _validate_in(_SCRATCH, parsed, doc)
    return parsed


def _validate_in(scratch: Engine, parsed: Parsed, doc: SourceDocument) -> None:
    with Session(scratch) as session:
        try:
            row = m.Document(name=doc.name, format=FORMAT, sha256=doc.sha256, text="")
            session.add(row)
            session.flush()
            add_study(session, Parsed(parsed.kind, doc, parsed.record, dict(parsed.quotes)), row)
            session.flush()
        finally:
            session.rollback()


def _seed_owned(session: Session, study: m.Study) -> bool:
    """Whether a stored trial comes from the curated seed documents (not from an imported file)."""
    doc = session.get(m.Document, study.document_id)
    return doc is not None and doc.format != FORMAT


def import_documents(session: Session, docs: list[tuple[SourceDocument, list[tuple[str, dict]]]]) -> ImportReport:
    report = ImportReport(files=len(docs))
    seen: dict[str, str] = {}
    stored = set(session.scalars(select(m.Study.nct_id)))  # one query each, not one a record
    names = set(session.scalars(select(m.Document.name).where(m.Document.format == FORMAT)))
    facts: list[tuple[str, dict[str, Quote], dict[str, m.Document]]] = []
    for doc, studies in docs:
        parsed = [to_parsed(s, where, doc) for where, s in studies]
        row = session.scalar(select(m.Document).where(m.Document.name == doc.name)) if doc.name in names else None
        if row is None:
            row = m.Document(name=doc.name, format=FORMAT, sha256=doc.sha256, text=doc.text)
            give_ids(session, row)  # its id now, written with the import's one flush
        for (where, study), p in zip(studies, parsed, strict=True):
            nct = p.record["identificationModule"]["nctId"]
            if nct in seen:
                raise SourceError(doc.name, f"{where}.protocolSection.identificationModule.nctId", nct,
                                  f"given twice in this import (also in {seen[nct]})")
            seen[nct] = doc.name
            old = session.get(m.Study, nct) if nct in stored else None
            if old is not None and _seed_owned(session, old):
                # The seed documents stay the authority: keep the registry record beside them.
                validate_study(study, where, doc)
                session.merge(m.SeedRegistryRecord(nct_id=nct, document_id=row.id))
                report.seed_kept.append(nct)
                continue
            if old is not None:
                session.delete(old)
                session.execute(delete(m.Provenance).where(m.Provenance.subject == nct))
                results.delete_results(session, nct)
                session.flush()
            add_study(session, p, row)
            facts.append((nct, p.quotes, {doc.name: row}))
            (report.updated if old is not None else report.added).append(nct)
    session.flush()  # the rows just added count as uses below, whatever the session's autoflush
    for nct, quotes, docs_by_name in facts:  # after the documents they point at are written
        add_provenance(session, nct, quotes, docs_by_name)
    # Documents no study or publication rests on any more (an older version of a re-imported file).
    used = select(m.Study.document_id).union(select(m.Publication.document_id), select(m.Provenance.document_id),
                                             select(m.SeedRegistryRecord.document_id))
    session.execute(delete(m.Document).where(m.Document.format == FORMAT, m.Document.id.not_in(used)))
    refresh_search_index(session)  # every importing transaction (import_files, a registry sync) refreshes search
    return report


def import_files(engine: Engine, paths: list[Path]) -> ImportReport:
    docs = [read_file(p) for p in paths]  # every file read and checked before anything is written
    m.Base.metadata.create_all(engine)
    with Session(engine) as session, session.begin():
        if session.get(m.Meta, "origin") is None:
            session.add(m.Meta(key="origin", value="import"))
        report = import_documents(session, docs)
        session.merge(m.Meta(key="imported_at", value=dt.datetime.now(dt.UTC).isoformat(timespec="seconds")))
    return report


def imported_documents(session: Session) -> list[tuple[SourceDocument, list[tuple[str, dict]]]]:
    """The imported files a database holds, to carry them over when it is rebuilt from the seeds."""
    out = []
    for d in session.scalars(select(m.Document).where(m.Document.format == FORMAT).order_by(m.Document.id)):
        doc = SourceDocument(d.name, d.text, d.sha256 or hashlib.sha256(d.text.encode()).hexdigest())
        out.append((doc, studies_in(json.loads(d.text), d.name)))
    return out


def studies_by_nct(text: str) -> dict[str, dict]:
    """The studies of a stored file by NCT id, parsed once ({} when the file no longer parses)."""
    try:
        studies = studies_in(json.loads(text), "")
    except (ValueError, SourceError):
        return {}
    out = {}
    for _, s in studies:
        ps = s.get("protocolSection", {}) if isinstance(s, dict) else {}
        nct = ps.get("identificationModule", {}).get("nctId") if isinstance(ps, dict) else None
        if isinstance(nct, str):
            out[nct] = s
    return out


def json_fact_holds(studies: dict[str, dict], nct: str, path: str, quote: str) -> bool:
    """Whether the stored file (its `studies_by_nct`) states `quote` at `path` for study `nct`."""
    s = studies.get(nct)
    if s is None:
        return False
    node: Any = {**s["protocolSection"], "hasResults": s.get("hasResults"), "derivedSection": s.get("derivedSection"),
                 "resultsSection": s.get("resultsSection")}
    if path == "indication":  # inferred from the first condition, and quoted from it
        path = "conditionsModule.conditions[0]"
    elif path.startswith("indication."):  # decided by the registry's MeSH entry at the rest of the path
        path = path.removeprefix("indication.")
    for part in re.findall(r"[^.\[\]]+|\[\d+\]", path):
        try:
            node = node[int(part[1:-1])] if part.startswith("[") else node[part]
        except (KeyError, IndexError, TypeError):
            return False
    return value_quote(node) == quote


def stored_record(session: Session, nct: str) -> dict | None:
    """The registry record the database holds for a trial, as the registry served it: the imported file's
    study, or for a seed trial the registry record kept beside it; None when there is none."""
    study = session.get(m.Study, nct)
    if study is None:
        return None
    doc = session.get(m.Document, study.document_id)
    if doc is None or doc.format != FORMAT:
        link = session.get(m.SeedRegistryRecord, nct)
        doc = session.get(m.Document, link.document_id) if link else None
    return studies_by_nct(doc.text).get(nct) if doc is not None else None
