"""Full-text search over the trials, in the database: SQLite FTS5 or PostgreSQL's text search.

One row per trial in `study_search`: its NCT id and the earlier NCT ids merged into it (nctIdAliases),
titles, acronym, conditions, interventions and their other names, sponsors and collaborators, its registered
outcome measures (design_outcomes), its free text (brief summary, detailed description, eligibility criteria,
arm and intervention descriptions, the registered outcomes' descriptions), and the titles and abstracts of its
publications (the PMIDs its record lists and the PubMed articles that name it), folded to lower case without
accents. Free text is indexed as a reader reads it: the registry's Markdown
undone (trialdb.registry.text), so "\\<126 mg/dL" as posted is found by "<126". The index is rebuilt
whole by `refresh_search_index` wherever studies are written: at the end of a build (build._fill), at
the end of every import (importer.import_documents, so `import_files` and a registry sync both
refresh it), and after a synthetic portfolio is generated. Code that writes studies another way must
call it in the same transaction.

User text is never search syntax: `words()` keeps letters and digits only, and each word becomes a
quoted prefix phrase (FTS5) or a `<->`/`:*` term (tsquery) built here, so quotes, `NEAR(`, `*`, `-`,
`OR` and SQL are plain words. At most MAX_CHARS characters and MAX_WORDS words are searched.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict

from sqlalchemy import Connection, Engine, select, text
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.expression import ColumnElement
from sqlalchemy.sql.sqltypes import NullType

from trialdb.registry.text import plain_text
from trialdb.store import models as m

TABLE = "study_search"
MAX_CHARS = 200  # a longer search is cut here (the sidebar says so)
MAX_WORDS = 12
_WORD = re.compile(r"[^\W_]+")  # letters and digits: what both FTS5's unicode61 and our tsvector keep


def fold(value: str) -> str:
    """Lower case, accents removed (Sjögren -> sjogren): the same on both sides of a search."""
    if value.isascii():  # most of a record: nothing to decompose or drop
        return value.casefold()
    decomposed = unicodedata.normalize("NFKD", value)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def clean_query(raw: str | None) -> str:
    """The search as the user meant it, trimmed and cut to MAX_CHARS."""
    return " ".join((raw or "").split())[:MAX_CHARS]


def words(query: str) -> list[list[str]]:
    """Each whitespace-separated word of the search as its tokens ("hrIL-2" -> ["hril", "2"]); words with
    no letter or digit are dropped. Every word must match; its tokens in order, the last as a prefix."""
    out = []
    for w in clean_query(query).split(" "):
        tokens = _WORD.findall(fold(w))
        if tokens:
            out.append(tokens)
    return out[:MAX_WORDS]


def fts5_expression(query: str) -> str:
    """`"hril 2"* AND "belimumab"*`: quoted phrases of plain tokens, so no FTS5 syntax can get through."""
    return " AND ".join('"' + " ".join(t) + '"*' for t in words(query))


def tsquery_expression(query: str) -> str:
    """`hril <-> 2:* & belimumab:*` for to_tsquery('simple', ...): tokens are letters and digits only."""
    return " & ".join("(" + " <-> ".join([*t[:-1], t[-1] + ":*"]) + ")" for t in words(query))


class Matches(ColumnElement[bool]):
    """`study_search` rows matching a search, compiled for the connection's dialect."""

    # Not Boolean: SQLite would get "MATCH ? = 1", which FTS5 refuses.
    type = NullType()  # type: ignore[assignment]  # ColumnElement[bool] declares TypeEngine[bool]
    inherit_cache = False  # the search text is part of the SQL's parameters: not cached by statement

    def __init__(self, query: str):
        self.query = query


@compiles(Matches, "sqlite")
def _match_sqlite(element: Matches, compiler, **kw) -> str:
    from sqlalchemy import bindparam

    return f"{TABLE} MATCH " + compiler.process(bindparam("search_fts", fts5_expression(element.query), unique=True), **kw)


@compiles(Matches, "postgresql")
def _match_postgresql(element: Matches, compiler, **kw) -> str:
    from sqlalchemy import bindparam

    q = compiler.process(bindparam("search_ts", tsquery_expression(element.query), unique=True), **kw)
    return f"{TABLE}.doc @@ to_tsquery('simple', {q})"


def matching_nct_ids(query: str):
    """A subquery of the NCT ids matching `query` (use only when `words(query)` is not empty)."""
    from sqlalchemy import column, table

    t = table(TABLE, column("nct_id"))
    return select(t.c.nct_id).where(Matches(query))


def search_texts(session_or_conn: Session | Connection) -> dict[str, str]:
    """Each trial's searchable text, folded: one query per table, not one per trial."""
    S = m.Study
    parts: dict[str, list[str]] = defaultdict(list)
    run = session_or_conn.execute
    for nct, brief, official, acronym, summary, detail in run(select(
            S.nct_id, S.brief_title, S.official_title, S.acronym, S.brief_summary, S.detailed_description)):
        parts[nct] += [nct, brief, official or "", acronym or "", plain_text(summary), plain_text(detail)]
    for model in (m.Condition, m.Intervention, m.InterventionOtherName, m.Sponsor):
        for nct, name in run(select(model.nct_id, model.name)):  # all four have both
            parts[nct].append(name)
    Ids = m.IdInformation
    for nct, alias in run(select(Ids.nct_id, Ids.id_value).where(Ids.id_source == "nct_alias")):
        parts[nct].append(alias)
    Out = m.DesignOutcome  # registered outcome measures: the measure as posted (plain text), below its description
    for nct, measure in run(select(Out.nct_id, Out.measure).where(Out.measure.is_not(None))):
        parts[nct].append(measure or "")
    free_text = (select(m.EligibilityCriterion.nct_id, m.EligibilityCriterion.criterion),
                 select(Out.nct_id, Out.description).where(Out.description.is_not(None)),
                 select(m.DesignGroup.nct_id, m.DesignGroup.description).where(m.DesignGroup.description.is_not(None)),
                 select(m.Intervention.nct_id, m.Intervention.description).where(m.Intervention.description.is_not(None)))
    for stmt in free_text:
        for nct, text_ in run(stmt):
            parts[nct].append(plain_text(text_))
    # The trial's publications (registry references and PubMed registrations): title and abstract, so a word of
    # what a trial published finds the trial.
    P, R, PR = m.Publication, m.StudyReference, m.PublicationRegistration
    linked = select(R.nct_id, P.title, P.abstract).join(P, P.pmid == R.pmid).union_all(
        select(PR.nct_id, P.title, P.abstract).join(P, P.pmid == PR.pmid))
    for nct, title, abstract in run(linked):
        if nct in parts:  # a registration of a trial not in the database is not a row here
            parts[nct] += [title, abstract or ""]
    return {nct: fold(" ".join(p for p in ps if p)) for nct, ps in parts.items() if nct is not None}


def refresh_search_index(bind: Session | Connection | Engine) -> int:
    """Rebuild the index from the studies table, inside the caller's transaction (a Session is flushed
    first, so rows it has not written yet are indexed too). Returns the number of trials indexed."""
    if isinstance(bind, Engine):
        with bind.begin() as conn:
            return refresh_search_index(conn)
    if isinstance(bind, Session):
        bind.flush()
        conn = bind.connection()
    else:
        conn = bind
    texts = search_texts(conn)
    dialect = conn.dialect.name
    if dialect == "sqlite":
        # nct_id is stored, not indexed; the body repeats it so an id (or its prefix) is searchable.
        conn.execute(text(f"CREATE VIRTUAL TABLE IF NOT EXISTS {TABLE} USING fts5("
                          "nct_id UNINDEXED, body, tokenize = 'unicode61 remove_diacritics 2')"))
        conn.execute(text(f"DELETE FROM {TABLE}"))
        insert = text(f"INSERT INTO {TABLE} (nct_id, body) VALUES (:nct, :body)")
    elif dialect == "postgresql":
        conn.execute(text(f"CREATE TABLE IF NOT EXISTS {TABLE} (nct_id text PRIMARY KEY, doc tsvector NOT NULL)"))
        conn.execute(text(f"CREATE INDEX IF NOT EXISTS {TABLE}_doc ON {TABLE} USING gin (doc)"))
        conn.execute(text(f"DELETE FROM {TABLE}"))
        insert = text(f"INSERT INTO {TABLE} (nct_id, doc) VALUES (:nct, to_tsvector('simple', :body))")
    else:
        raise NotImplementedError(f"full-text search is built for SQLite and PostgreSQL, not {dialect}")
    rows = [{"nct": nct, "body": " ".join(_WORD.findall(body))} for nct, body in texts.items()]
    if rows:
        conn.execute(insert, rows)
    return len(rows)
