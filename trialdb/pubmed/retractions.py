"""Which publications are retracted, as the registry and PubMed say: one query, used by every page that lists a
publication and by the export (a module of its own, so the pages load no XML reading to ask it)."""

from __future__ import annotations

from sqlalchemy import Connection, select
from sqlalchemy.orm import Session

from trialdb.store import models as m


def retraction_notices(conn: Connection | Session) -> dict[str, list[tuple[str | None, str | None]]]:
    """Retracted publications: PMID -> its retraction notices as (notice PMID, source), from the registry's links
    (`referencesModule.references[i].retractions[k]`, study_reference_retractions) and PubMed's own record
    (a `CommentsCorrections` of `RefType` "RetractionIn", or the publication type "Retracted Publication", shown as
    (None, "PubMed: Retracted Publication") when PubMed names no notice)."""
    R, X, C, T = m.StudyReference, m.StudyReferenceRetraction, m.PublicationCorrection, m.PublicationType
    out: dict[str, list[tuple[str | None, str | None]]] = {}

    def add(pmid: str | None, notice: str | None, source: str | None) -> None:
        if pmid is not None and (notice, source) not in out.setdefault(pmid, []):
            out[pmid].append((notice, source))

    for pmid, notice, source in conn.execute(select(R.pmid, X.pmid, X.source).join(X, X.reference_id == R.id)
                                             .where(R.pmid.is_not(None)).order_by(R.pmid, X.id)):
        add(pmid, notice, source)
    for pmid, notice, source in conn.execute(select(C.pmid, C.ref_pmid, C.ref_source).where(C.ref_type == "RetractionIn")
                                             .order_by(C.pmid, C.position)):
        add(pmid, notice, source)
    for (pmid,) in conn.execute(select(T.pmid).where(T.name == "Retracted Publication")):
        if pmid not in out:
            add(pmid, None, "PubMed: Retracted Publication")
    return out
