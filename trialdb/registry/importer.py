"""Importing ClinicalTrials.gov API v2 JSON as the registry serves it: one study, a list of studies,
or a search page `{"studies": [...], "nextPageToken": ...}` (an `export` document reads as one too).

Each file becomes a document of its own, and each fact's provenance is that file and the fact's
JSON path, with the value as the quote (`check` verifies it against the stored file). The indication
is inferred from the first condition; an unknown condition gets an indication of its own. Importing
a record again replaces it, so nothing is duplicated. All files go in one transaction: a bad file
leaves the database as it was.

A registry record of a trial the seed documents describe never replaces the curated seed facts: its
document is kept and linked (`seed_registry_records`), and the trial record page shows the differences.

Every other study is read and decided as it is stored (trialdb.readings): its regimens as the reader reads
them from the record's own words (or as curation.toml's entries for this file give them) and its portfolio
decision, each quote with its provenance.
Files fetched by `python -m trialdb sync` hold `{"fetchedAt": ..., "study": {...}}` and are named
`registry/NCT........json#<hash>` in the database."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, delete, select
from sqlalchemy.orm import Session

from trialdb import schema
from trialdb.errors import SourceError
from trialdb.load import add_provenance, add_study
from trialdb.readings import PortfolioInputs, store_registry_study
from trialdb.results import section as results
from trialdb.search import refresh_search_index
from trialdb.sources.documents import Parsed, Quote, SourceDocument, leaves
from trialdb.sources.parsers.common import iso_date
from trialdb.store import models as m
from trialdb.store.db import SEED_DIR
from trialdb.store.ids import give_ids

FORMAT = "ClinicalTrials.gov API v2 JSON"
REQUIRED = ("identificationModule", "statusModule", "conditionsModule")
DATES = ("startDateStruct", "primaryCompletionDateStruct", "completionDateStruct", "lastUpdatePostDateStruct")
# The protocol section's leaves the model stores as a number or a boolean, with the one JSON type the API
# sends for each (API v2 data model: enrollmentInfo.count is an integer, healthyVolunteers a boolean). A
# value of another JSON type ("24", 24.5, true for a count) is refused with its path: stored as it is, it
# would be a string in an INTEGER column (SQLite keeps it) or a count truncated or made up on the pages.
# The results section's numbers are checked the same way by trialdb.results.section.SCHEMA.
EACH = "[]"  # in a TYPED path: every element of the list at that point
# The protocol section's leaves stored as numbers: `float` is any JSON number (an integer too) that is finite.
# A site's geoPoint (contactsLocationsModule.locations[].geoPoint, API v2: lat and lon are numbers) is stored
# as the facility's latitude and longitude; "48.85" would otherwise be a string in a FLOAT column.
TYPED: dict[tuple[str, ...], type] = {("designModule", "enrollmentInfo", "count"): int,
                                      ("eligibilityModule", "healthyVolunteers"): bool,
                                      ("contactsLocationsModule", "locations", EACH, "geoPoint", "lat"): float,
                                      ("contactsLocationsModule", "locations", EACH, "geoPoint", "lon"): float}
_WHAT = {int: "a whole number (a JSON integer, 0 or more)", float: "a number (a finite JSON number)", bool: "a boolean"}


def _json_type_ok(value: Any, kind: type) -> bool:
    """Whether `value` has the JSON type `kind` stands for (a boolean is not a number; a count is >= 0; a float
    is any finite JSON number, since Python's json reads NaN and Infinity, which JSON has not)."""
    if isinstance(value, bool):
        return kind is bool
    if kind is int:
        return isinstance(value, int) and value >= 0
    if kind is float:
        return isinstance(value, int | float) and math.isfinite(value)
    return isinstance(value, kind)


def _typed_leaves(node: Any, keys: tuple[str, ...], path: str, file: str):
    """(JSON path, value) of each leaf at `keys` under `node` (EACH: every element of a list); a leaf or an
    object on the way that is absent (None) yields nothing, one that is not an object or list is refused."""
    if not keys:
        yield path, node
        return
    key, rest = keys[0], keys[1:]
    if key == EACH:
        if not isinstance(node, list):
            raise SourceError(file, path, node, "not a list as the API writes it")
        for i, item in enumerate(node):
            yield from _typed_leaves(item, rest, f"{path}[{i}]", file)
        return
    if not isinstance(node, dict):
        raise SourceError(file, path, node, "not an object as the API writes it")
    if (child := node.get(key)) is not None:
        yield from _typed_leaves(child, rest, f"{path}.{key}", file)


def check_types(study: dict, file: str, where: str) -> None:
    """Refuse (SourceError naming file and JSON path) a stored number or boolean of a JSON type the API never
    sends: `TYPED` in the protocol section and the study's `hasResults` (a boolean)."""
    if study.get("hasResults") is not None and not isinstance(study["hasResults"], bool):
        raise SourceError(file, f"{where}.hasResults", study["hasResults"], "not a boolean as the API writes it")
    for keys, kind in TYPED.items():
        for path, value in _typed_leaves(study["protocolSection"], keys, f"{where}.protocolSection", file):
            if not _json_type_ok(value, kind):
                raise SourceError(file, path, value, f"not {_WHAT[kind]} as the API writes it")


@dataclass
class ImportReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    files: int = 0
    seed_kept: list[str] = field(default_factory=list)  # registry records of seed trials: kept aside
    repeats: list[str] = field(default_factory=list)  # a study given twice with different content (one_copy_each)
    # Portfolio category (trialdb.portfolio.classifier.CATEGORIES key) of each study stored, and whether it is included.
    categories: dict[str, tuple[str, bool]] = field(default_factory=dict)

    def summary(self) -> str:
        return "\n".join([f"imported {len(self.added) + len(self.updated)} studies from {self.files} file(s): "
                          f"{len(self.added)} new, {len(self.updated)} updated", *self.repeats])


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


def nct_of(study: Any) -> str | None:
    """A study's `identificationModule.nctId` when it is a string, else None (not checked further here)."""
    try:
        nct = study["protocolSection"]["identificationModule"]["nctId"]
    except (KeyError, TypeError):
        return None
    return nct if isinstance(nct, str) else None


def last_update_of(study: Any) -> str:
    """A study's `statusModule.lastUpdatePostDateStruct.date` as posted ("" when missing or not a string)."""
    try:
        date = study["protocolSection"]["statusModule"]["lastUpdatePostDateStruct"]["date"]
    except (KeyError, TypeError):
        return ""
    return date if isinstance(date, str) else ""


@dataclass(frozen=True)
class Repeat:
    """A study given twice: `kept` and `dropped` are indexes in the list `one_copy_each` was given."""

    nct: str
    kept: int
    dropped: int
    identical: bool  # the same JSON value: collapsed without a word


def one_copy_each(studies: list[Any]) -> tuple[list[int], list[Repeat]]:
    """The one rule for a study given more than once in an import (a search page that repeats a record, as
    paged APIs can while records change; two pages saved as files) and in a sync's fetch: identical copies
    collapse; of differing copies the one with the latest `lastUpdatePostDateStruct.date` is kept (ISO
    dates compare as text; a missing date is the oldest), on a tie the later in the list. Returns the
    indexes of the studies kept, in list order (a study without a string NCT id is kept, for the checks to
    refuse), and one `Repeat` per copy dropped."""
    best: dict[str, int] = {}
    repeats: list[Repeat] = []
    for i, study in enumerate(studies):
        nct = nct_of(study)
        if nct is None:
            continue
        j = best.get(nct)
        if j is None:
            best[nct] = i
            continue
        keep_new = last_update_of(study) >= last_update_of(studies[j])
        kept, dropped = (i, j) if keep_new else (j, i)
        repeats.append(Repeat(nct, kept, dropped, studies[i] == studies[j]))
        best[nct] = kept
    kept_ids = set(best.values())
    return [i for i, st in enumerate(studies) if nct_of(st) is None or i in kept_ids], repeats


def repeat_sentence(r: Repeat, name: Any, studies: list[Any]) -> str:
    """What a summary says of a differing repeat; `name(i)` names the copy at index i (file and JSON path)."""
    def when(i: int) -> str:
        return last_update_of(studies[i]) or "no last update date"
    return (f"{r.nct} given twice with different content: kept {name(r.kept)} (last updated {when(r.kept)}), "
            f"dropped {name(r.dropped)} (last updated {when(r.dropped)})")


_ENCODE = json.JSONEncoder(ensure_ascii=False).encode  # json.dumps(value, ensure_ascii=False), without a new encoder each call


_ENCODE_STR = json.encoder.encode_basestring  # what the encoder above gives for a string (C, no wrapper)


def value_quote(value: Any) -> str:
    """A leaf's value as its JSON text (json.dumps(value, ensure_ascii=False)): the quote of the fact."""
    return _ENCODE_STR(value) if isinstance(value, str) else _ENCODE(value)


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
    check_types(study, f, where)
    record = {k: v for k, v in ps.items() if k.endswith("Module")}
    if study.get("hasResults") is not None:
        record["hasResults"] = study["hasResults"]
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
    """Every check the import makes (required modules, dates, NCT id, JSON types, enum values), without touching the
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
            schema.metadata.create_all(_SCRATCH)
        _validate_in(_SCRATCH, parsed, doc, where)
    return parsed


def _validate_in(scratch: Engine, parsed: Parsed, doc: SourceDocument, where: str) -> None:
    with Session(scratch) as session:
        try:
            row = m.Document(name=doc.name, format=FORMAT, sha256=doc.sha256, text="")
            session.add(row)
            session.flush()
            add_study(session, Parsed(parsed.kind, doc, parsed.record, dict(parsed.quotes)), row, where)
            session.flush()
        finally:
            session.rollback()


def _seed_owned(session: Session, study: m.Study) -> bool:
    """Whether a stored trial comes from the curated seed documents (not from an imported file)."""
    doc = session.get(m.Document, study.document_id)
    return doc is not None and doc.format != FORMAT


def import_documents(session: Session, docs: list[tuple[SourceDocument, list[tuple[str, dict]]]],
                     inputs: PortfolioInputs | None = None, refresh_search: bool = True) -> ImportReport:
    """Store the studies of `docs` (see the module's docstring), each with its read regimens and portfolio
    decision; `inputs` the reviewed decisions and curated registry regimens (default: from seed_data/).
    `refresh_search` False: the caller refreshes the search index itself, later in the same transaction
    (the build does, once, after everything is written)."""
    inputs = inputs if inputs is not None else PortfolioInputs.load(SEED_DIR)
    report = ImportReport(files=len(docs))
    # A study given twice in this import (in one file or two): one copy kept, by the rule sync uses too.
    flat = [(d, where, study) for d, (_, studies) in enumerate(docs) for where, study in studies]
    keep, repeats = one_copy_each([study for _, _, study in flat])
    report.repeats = [repeat_sentence(r, lambda i: f"{flat[i][1]} of {docs[flat[i][0]][0].name}", [x for *_, x in flat])
                      for r in repeats if not r.identical]
    by_doc: dict[int, list[tuple[str, dict]]] = {}
    for i in keep:
        by_doc.setdefault(flat[i][0], []).append(flat[i][1:])
    stored = set(session.scalars(select(m.Study.nct_id)))  # one query each, not one a record
    names = set(session.scalars(select(m.Document.name).where(m.Document.format == FORMAT)))
    facts: list[tuple[str, dict[str, Quote], dict[str, m.Document]]] = []
    for d, (doc, _) in enumerate(docs):
        studies = by_doc.get(d, [])
        parsed = [to_parsed(s, where, doc) for where, s in studies]
        row = session.scalar(select(m.Document).where(m.Document.name == doc.name)) if doc.name in names else None
        if row is None:
            row = m.Document(name=doc.name, format=FORMAT, sha256=doc.sha256, text=doc.text)
            give_ids(session, row)  # its id now, written with the import's one flush
        for (where, study), p in zip(studies, parsed, strict=True):
            nct = p.record["identificationModule"]["nctId"]
            old = session.get(m.Study, nct) if nct in stored else None
            if old is not None and _seed_owned(session, old):
                # The seed documents stay the authority: keep the registry record beside them.
                validate_study(study, where, doc)
                session.merge(m.SeedRegistryRecord(nct_id=nct, document_id=row.id))
                report.seed_kept.append(nct)
                report.categories[nct] = ("low-dose", True)  # the seeds stay in
                continue
            if old is not None:
                session.delete(old)
                session.execute(delete(m.Provenance).where(m.Provenance.subject == nct))
                session.execute(delete(m.Flag).where(m.Flag.nct_id == nct))
                results.delete_results(session, nct)
                session.flush()
            st = add_study(session, p, row, where)
            facts.append((nct, p.quotes, {doc.name: row}))
            _, decision = store_registry_study(session, st, study, inputs, row)
            report.categories[nct] = (decision.category, decision.included)
            (report.updated if old is not None else report.added).append(nct)
    session.flush()  # the rows just added count as uses below, whatever the session's autoflush
    for nct, quotes, docs_by_name in facts:  # after the documents they point at are written
        add_provenance(session, nct, quotes, docs_by_name)
    # Documents no study or publication rests on any more (an older version of a re-imported file).
    used = select(m.Study.document_id).union(select(m.Publication.document_id), select(m.Provenance.document_id),
                                             select(m.SeedRegistryRecord.document_id))
    session.execute(delete(m.Document).where(m.Document.format == FORMAT, m.Document.id.not_in(used)))
    if refresh_search:  # every importing transaction (import_files, a registry sync, the build) refreshes search
        refresh_search_index(session)
    return report


def import_files(engine: Engine, paths: list[Path], inputs: PortfolioInputs | None = None) -> ImportReport:
    """Import the files at `paths` in one transaction (see the module's docstring); `inputs` the reviewed
    portfolio decisions and curated registry regimens (default: from seed_data/). SourceError names the file
    and JSON path of what cannot be stored, and nothing is written."""
    docs = [read_file(p) for p in paths]  # every file read and checked before anything is written
    schema.metadata.create_all(engine)
    with Session(engine) as session, session.begin():
        if session.get(m.Meta, "origin") is None:
            session.add(m.Meta(key="origin", value="import"))
        report = import_documents(session, docs, inputs)
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
    """The studies of a stored file by NCT id, parsed once ({} when the file no longer parses); of a study
    given twice, the copy the import kept (`one_copy_each`)."""
    try:
        studies = studies_in(json.loads(text), "")
    except (ValueError, SourceError):
        return {}
    every = [s for _, s in studies]
    keep, _ = one_copy_each(every)  # a study given twice: the copy the import kept
    return {nct: every[i] for i in keep if (nct := nct_of(every[i])) is not None}


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
