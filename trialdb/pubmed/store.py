"""PubMed articles into the database: one publication per PMID.

An article whose PMID the seed documents also give (the SLE trial's paper, PMID 31537547) becomes one
publication with them (`source` "curated+pubmed"): the seed document's facts and their quotes stay, PubMed's
fill what it does not state, and where both state a fact differently both are kept (the seed's on the
publication, PubMed's in `publication_discrepancies`) and the pages show the difference. An article with no
seed document is a publication of its own (`source` "pubmed").

Every stored fact has a provenance row: subject "PMID:<n>", path the XPath it was read at in its file, quote
the value as read (`trialdb.pubmed.article.value_at` gives it back from the file, which `check` compares).
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from trialdb.load import add_documents, add_provenance
from trialdb.pubmed.article import Article
from trialdb.sources.documents import Quote, SourceDocument
from trialdb.store import models as m

# Facts both sources may state: (publication attribute, Article attribute). Compared after white space is
# collapsed; a difference is kept, never resolved here.
SHARED = (("title", "title"), ("journal", "journal"), ("year", "year"), ("doi", "doi"), ("pmcid", "pmcid"),
          ("epub_date", "electronic"))
# CommentsCorrections kept: the notices that change how a paper is read (the DTD's RefType values). The others
# (Cites, CommentIn, CommentOn, ...) are PubMed's links to other papers, left in the file.
NOTICES = ("RetractionIn", "PartialRetractionIn", "ErratumIn", "ExpressionOfConcernIn", "UpdateIn", "RepublishedIn",
           "ReprintIn")
PUBMED_ONLY = (("journal_iso", "journal_iso"), ("published", "published"), ("copyright", "copyright"))


def _norm(v: object) -> str:
    return " ".join(str(v).split()).casefold().rstrip(".")


def _same(a: object, b: object) -> bool:
    """The same fact, white space, case and a final full stop aside."""
    return _norm(a) == _norm(b)


def add_article(session: Session, document: m.Document, a: Article) -> tuple[m.Publication, dict[str, Quote]]:
    """Store one article read from `document` (a row of `documents`, flushed); returns its publication and its
    facts' quotes by XPath, for the caller's provenance rows (trialdb.load.add_provenance, subject "PMID:<n>").

    A PMID already stored from another PubMed file is replaced (its PubMed facts and their provenance); one
    from the seed documents is merged as the module docstring says."""
    pub = session.get(m.Publication, a.pmid)
    if pub is not None and pub.pubmed_document_id is not None:  # fetched or imported before: PubMed's part anew
        session.execute(delete(m.Provenance).where(m.Provenance.subject == f"PMID:{a.pmid}",
                                                   m.Provenance.document_id == pub.pubmed_document_id))
        if pub.source == "pubmed":
            session.delete(pub)
            session.flush()
            pub = None
        else:
            pub.types, pub.sections, pub.corrections, pub.discrepancies = [], [], [], []
    # Every fact stored, at its XPath (trialdb.pubmed.article.Article.facts), is a provenance row.
    kept = [c for c in a.corrections if c.ref_type in NOTICES]
    dropped = {f"corrections[{k}]" for k, c in enumerate(a.corrections, 1) if c.ref_type not in NOTICES}
    quotes = {f.xpath: Quote(document.name, f.value) for f in a.facts() if f.name.split(".")[0] not in dropped}
    if pub is None:
        pub = m.Publication(pmid=a.pmid, title=a.title or "", document_id=document.id, source="pubmed")
        for attr, name in SHARED + PUBMED_ONLY:
            setattr(pub, attr, getattr(a, name))
        pub.authors = [m.PublicationAuthor(position=i, name=x.name) for i, x in enumerate(a.authors)]
        session.add(pub)
    else:
        pub.source = "curated+pubmed"
        for attr, name in SHARED + PUBMED_ONLY:
            mine, theirs = getattr(pub, attr), getattr(a, name)
            if theirs is None:
                continue
            if mine is None:
                setattr(pub, attr, theirs)
            elif not _same(mine, theirs):
                pub.discrepancies.append(m.PublicationDiscrepancy(field=attr, curated=str(mine), pubmed=str(theirs)))
        if not pub.authors:
            pub.authors = [m.PublicationAuthor(position=i, name=x.name) for i, x in enumerate(a.authors)]
    pub.pubmed_document_id = document.id
    pub.sections = [m.PublicationAbstractSection(position=i, label=s.label, category=s.category, text=s.text)
                    for i, s in enumerate(a.abstract)]
    if pub.abstract is None and a.abstract:
        pub.abstract = "\n\n".join(f"{s.label}: {s.text}" if s.label else s.text for s in a.abstract)
    pub.types = [m.PublicationType(position=i, name=t) for i, t in enumerate(a.publication_types)]
    pub.corrections = [m.PublicationCorrection(position=i, ref_type=c.ref_type, ref_source=c.ref_source,
                                               ref_pmid=c.pmid) for i, c in enumerate(kept)]
    have = [r.nct_id for r in pub.registrations]
    for nct in a.registrations:
        if nct not in have:
            have.append(nct)
            pub.registrations.append(m.PublicationRegistration(position=len(have) - 1, nct_id=nct))
    return pub, quotes


def load_documents(session: Session, docs: Iterable[tuple[SourceDocument, list[Article]]],
                   fmt: str) -> tuple[dict[str, m.Document], dict[str, m.Publication]]:
    """Store documents already read (`trialdb.pubmed.folder.read_document`) and their articles, each fact with its
    provenance; a document of the same name is replaced. Returns the documents' rows by name and the publications
    by PMID."""
    docs = list(docs)
    names = [doc.name for doc, _ in docs]
    rows = {r.name: r for r in session.scalars(select(m.Document).where(m.Document.name.in_(names)))}
    for doc, _ in docs:
        if doc.name in rows:
            rows[doc.name].text, rows[doc.name].sha256, rows[doc.name].format = doc.text, doc.sha256, fmt
    rows |= add_documents(session, [doc for doc, _ in docs if doc.name not in rows], fmt)
    pubs: dict[str, m.Publication] = {}
    for doc, articles in docs:
        row = rows[doc.name]
        for a in articles:
            pubs[a.pmid], quotes = add_article(session, row, a)
            add_provenance(session, f"PMID:{a.pmid}", quotes, {row.name: row})
    return rows, pubs
