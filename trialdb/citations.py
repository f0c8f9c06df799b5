"""Citations of publications as RIS and BibTeX, written by well-kept libraries (rispy, bibtexparser), not by hand.

Input: publications as dicts with the keys of `trialdb.queries.evidence_publications` rows: `pmid`, `title`,
`authors` (a list of names as stored: "He J" from PubMed, "He, Jing" from the seed document), `journal`,
`journal_iso`, `year`, `published`, `doi`, `pmcid`, `abstract`, `nct_ids`, `retracted`. A fact not stated stays
out of the citation. RIS tags follow the RIS specification as rispy names them (TY JOUR, TI, AU, JO, J2, PY,
DO, AN the PMID, UR the PubMed page, AB, N1 notes; no "1." line before a record); BibTeX entries are `@article` keyed `pmid<PMID>`, with their
text encoded for LaTeX by bibtexparser's `LatexEncodingMiddleware` (pylatexenc).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import bibtexparser
import rispy  # type: ignore[import-untyped]  # rispy ships no type information
from bibtexparser.middlewares import LatexEncodingMiddleware
from bibtexparser.model import Entry, Field


class _RisWriter(rispy.RisWriter):
    """rispy's writer without its "1." line before each record: RIS records begin at their TY tag (the
    specification; reference managers read either)."""

    def set_header(self, count: int) -> str:
        return ""


def pubmed_url(pmid: str) -> str:
    return f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/"


def _notes(p: Mapping[str, Any]) -> list[str]:
    notes = []
    if p.get("retracted"):
        notes.append("RETRACTED publication (PubMed or ClinicalTrials.gov links a retraction notice)")
    if p.get("nct_ids"):
        notes.append("Trial registration: " + ", ".join(p["nct_ids"]))
    if p.get("pmcid"):
        notes.append(f"PMCID: {p['pmcid']}")
    return notes


def ris(pubs: Iterable[Mapping[str, Any]]) -> str:
    """The publications as one RIS file (text)."""
    entries = []
    for p in pubs:
        e: dict[str, Any] = {"type_of_reference": "JOUR", "title": p["title"], "accession_number": p["pmid"],
                             "urls": [pubmed_url(p["pmid"])]}
        optional = {"authors": p.get("authors") or None, "journal_name": p.get("journal"),
                    "alternate_title3": p.get("journal_iso"), "year": str(p["year"]) if p.get("year") else None,
                    "date": p.get("published"), "doi": p.get("doi"), "abstract": p.get("abstract"),
                    "notes": _notes(p) or None}
        e.update({k: v for k, v in optional.items() if v})
        entries.append(e)
    return rispy.dumps(entries, implementation=_RisWriter).lstrip("\n")


def bibtex(pubs: Iterable[Mapping[str, Any]]) -> str:
    """The publications as one BibTeX file (text), each `@article{pmid<PMID>, ...}`."""
    lib = bibtexparser.Library()
    for p in pubs:
        fields = {"title": p["title"], "author": " and ".join(p.get("authors") or []) or None,
                  "journal": p.get("journal"), "year": str(p["year"]) if p.get("year") else None,
                  "doi": p.get("doi"), "pmid": p["pmid"], "pmcid": p.get("pmcid"),
                  "abstract": p.get("abstract"), "note": "; ".join(_notes(p)) or None}
        lib.add(Entry("article", f"pmid{p['pmid']}", [Field(k, v) for k, v in fields.items() if v]))
    # The PubMed page as `url`, after the LaTeX encoding (which would wrap a URL in \\url{}).
    lib = LatexEncodingMiddleware().transform(lib)
    for e in lib.entries:
        e.set_field(Field("url", pubmed_url(e["pmid"])))
    return bibtexparser.write_string(lib)
