"""Verifying provenance: every quote verbatim in its document, and how many facts have one."""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element

from sqlalchemy import Connection, Engine, func, select
from sqlalchemy.orm import Session

from trialdb.pubmed.article import parse, value_at
from trialdb.pubmed.folder import FORMATS as PUBMED_FORMATS
from trialdb.readings import DECISION_PATH, reading_failures
from trialdb.registry.importer import FORMAT as JSON_FORMAT
from trialdb.registry.importer import json_fact_holds, studies_by_nct
from trialdb.results.section import RESULTS_PREFIX, stored_results_differ
from trialdb.sources.documents import leaves
from trialdb.store import models as m


@dataclass
class CheckReport:
    facts: int = 0  # provenance rows checked
    documents: int = 0
    failures: list[tuple[str, str, str]] = field(default_factory=list)  # (document, path, quote)
    covered: int = 0  # exported study fields with a quote
    fields: int = 0  # exported study fields
    uncovered: list[str] = field(default_factory=list)
    trusted: int = 0  # facts of documents not verified again (see `check`'s `trusted`)
    files: list[tuple[str, str, str]] = field(default_factory=list)  # (file, "sha256", why): registry.changed_files

    @property
    def ok(self) -> bool:
        return not self.failures and not self.files

    def summary(self) -> str:
        verified = self.facts - self.trusted
        lines = [f"{self.facts} facts have provenance in {self.documents} documents; "
                 f"{verified - len(self.failures)} quotes found verbatim, {len(self.failures)} not."]
        if self.trusted:
            lines.append(f"{self.trusted} facts come from registry record and PubMed files whose sha256 is the one "
                         "recorded when they were fetched and validated (SHA256SUMS in seed_data/registry/ and "
                         "seed_data/pubmed/); `python -m trialdb check` verifies their quotes.")
        if self.fields:  # measured by `check`; the build skips it (`python -m trialdb check` reports it)
            lines.append(f"{self.covered} of {self.fields} exported study fields trace to a quote.")
        lines += [f"NOT FOUND: {doc}: {path}: {quote[:80]!r}" for doc, path, quote in self.failures]
        lines += [f"CHANGED: seed_data/{file}: {what}" for file, _, what in self.files]
        return "\n".join(lines)


# Export paths built from other facts: the quote of the fact they come from covers them.
_ALIASES = ((re.compile(r"eligibilityModule\.eligibilityCriteria"), "eligibilityModule.criteria"),
            (re.compile(r"interventions\[\d+\]\.armGroupLabels.*"), "armGroups"),
            (re.compile(r"interventions\[\d+\]\.otherNames.*"), "otherInterventionNames"))


def check(engine: Engine | Connection, coverage: bool = True, trusted: Collection[str] = ()) -> CheckReport:
    """Every quote verbatim in its document; with `coverage`, also which exported study fields have one.

    `trusted`: names of documents whose facts are counted but not verified again (the build passes the
    record files of seed_data/registry/ whose sha256 is the one the sync recorded when it validated them;
    `python -m trialdb check` trusts nothing)."""
    from trialdb.export import study_record  # import here: export imports nothing from check

    report = CheckReport()
    with Session(engine) as session:
        docs = {d.id: d for d in session.scalars(select(m.Document))}
        report.documents = len(docs)
        paths: dict[str, list[str]] = {}
        parsed_json: dict[int, dict[str, dict]] = {}
        parsed_xml: dict[int, Element] = {}
        result_quotes: dict[str, dict[str, str]] = {}
        skip = [i for i, d in docs.items() if d.name in set(trusted)]
        rows = select(m.Provenance)
        if skip:
            report.trusted = session.scalar(select(func.count()).select_from(m.Provenance)
                                            .where(m.Provenance.document_id.in_(skip))) or 0
            report.facts += report.trusted
            rows = rows.where(m.Provenance.document_id.not_in(skip))
        for p in session.scalars(rows):
            report.facts += 1
            doc = docs[p.document_id]
            text = doc.text
            if doc.format == JSON_FORMAT and p.path.startswith("regimens[") and p.offset is not None:
                ok = text[p.offset : p.offset + len(p.quote)] == p.quote  # curated for a registry trial
            elif doc.format == JSON_FORMAT and (p.path.startswith("regimens[") or p.path == DECISION_PATH):
                ok = True  # read, or decided, from the record: checked below with its JSON path (reading_failures)
            elif doc.format == JSON_FORMAT:  # an imported file: the value at the fact's JSON path
                if doc.id not in parsed_json:  # each file parsed once, not once per fact
                    parsed_json[doc.id] = studies_by_nct(text)
                ok = json_fact_holds(parsed_json[doc.id], p.subject, p.path, p.quote)
            elif doc.format in PUBMED_FORMATS and p.path.startswith("/"):  # a PubMed file: the value at the XPath
                if doc.id not in parsed_xml:
                    parsed_xml[doc.id] = parse(text.encode("utf-8"), doc.name)
                ok = value_at(parsed_xml[doc.id], p.path) == p.quote
            else:
                ok = (text[p.offset : p.offset + len(p.quote)] == p.quote) if p.offset is not None else p.quote in text
            if not ok or not p.quote:
                report.failures.append((docs[p.document_id].name, p.path, p.quote))
            paths.setdefault(p.subject, []).append(p.path)
            if p.path.startswith(RESULTS_PREFIX):
                result_quotes.setdefault(p.subject, {})[p.path] = p.quote
        # Read regimens and portfolio decisions of imported trials: each quote at its JSON path, each dose
        # number in its quote (trialdb.readings).
        read = set(session.scalars(select(m.Regimen.nct_id).where(m.Regimen.source == "read")))
        read |= set(session.scalars(select(m.PortfolioDecision.nct_id).where(m.PortfolioDecision.quote.is_not(None))))
        for st in session.scalars(select(m.Study).where(m.Study.nct_id.in_(read))):
            doc = docs[st.document_id]
            if doc.format != JSON_FORMAT:
                continue  # a seed trial (seed decision) or a generated database: nothing read from a record
            if doc.id not in parsed_json:
                parsed_json[doc.id] = studies_by_nct(doc.text)
            report.failures += reading_failures(session, st.nct_id, parsed_json[doc.id].get(st.nct_id), doc.name)
        # Posted results: each stored value must still be the one its quote holds (a tampered row is caught).
        for nct, quotes in result_quotes.items():
            report.failures += [("database", path, quote) for path, quote in stored_results_differ(session, nct, quotes)]
        for s in session.scalars(select(m.Study)) if coverage else ():
            quoted = paths.get(s.nct_id, [])
            for leaf, _ in leaves(study_record(s)):
                path = leaf.removeprefix("protocolSection.")
                # A field built from other facts is covered by their quotes too.
                candidates = [path] + [alias for rx, alias in _ALIASES if rx.search(path)]
                report.fields += 1
                if any(c == q or c.startswith((q + ".", q + "[")) or q.startswith(c + ".") or alias_in(c, q)
                       for c in candidates for q in quoted):
                    report.covered += 1
                else:
                    report.uncovered.append(f"{s.nct_id}: {path}")
    return report


def alias_in(path: str, quoted: str) -> bool:
    return path in ("eligibilityModule.criteria", "armGroups", "otherInterventionNames") and path in quoted
