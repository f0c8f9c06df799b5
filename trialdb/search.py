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

Where a trial matched is computed apart, in Python, from the same text by field (`field_texts`, `where_matched`):
each field's name and rank tier (TIERS: title, interventions, conditions first; the free text last) and a snippet with
the words found marked, so it is the same on both engines.

User text is never search syntax: `words()` keeps letters and digits only, and each word becomes a
quoted prefix phrase (FTS5) or a `<->`/`:*` term (tsquery) built here, so quotes, `NEAR(`, `*`, `-`,
`OR` and SQL are plain words. At most MAX_CHARS characters and MAX_WORDS words are searched.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass

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


# Each searched field's name as the pages show it, and its tier in the ranking (0 first): a match in the title,
# acronym, NCT id, conditions or interventions (their other names too) ranks above one in sponsors, which ranks above
# one only in the free text (summary, description, eligibility, arm and intervention descriptions, registered
# outcomes, publications). Issue 33: "belimumab" named in another trial's exclusion criteria ranks below the
# belimumab trial.
TIERS: dict[str, int] = {
    "NCT id": 0, "Brief title": 0, "Official title": 0, "Acronym": 0, "Condition": 0, "Intervention": 0,
    "Other name of an intervention": 0, "Earlier NCT id": 0, "Sponsor or collaborator": 1,
    "Brief summary": 2, "Detailed description": 2, "Registered outcome measure": 2, "Eligibility criteria": 2,
    "Registered outcome description": 2, "Arm description": 2, "Intervention description": 2,
    "Publication title": 2, "Publication abstract": 2,
}


def field_texts(session_or_conn: Session | Connection, nct_ids=None, names: bool = True,
                free: bool = True) -> dict[str, list[tuple[str, str]]]:
    """Each trial's searched text as (field, text) pairs, field names of TIERS, text as a reader reads it (registry
    Markdown undone, not folded), in the order the index joins them: one query per table, not one per trial.
    `nct_ids`: a collection or a subquery of NCT ids to read only those trials' (None: every trial). `names`: the
    short fields of tiers 0 and 1 (ids, titles, acronym, conditions, interventions and their other names, sponsors);
    `free`: the free text of tier 2 (summary, description, outcomes, eligibility, descriptions, publications)."""
    S = m.Study
    parts: dict[str, list[tuple[str, str]]] = defaultdict(list)
    run = session_or_conn.execute

    def only(stmt, column):
        return stmt if nct_ids is None else stmt.where(column.in_(nct_ids))

    for nct, brief, official, acronym, summary, detail in run(only(select(
            S.nct_id, S.brief_title, S.official_title, S.acronym, S.brief_summary if free else S.nct_id,
            S.detailed_description if free else S.nct_id), S.nct_id)):
        if names:
            parts[nct] += [("NCT id", nct), ("Brief title", brief), ("Official title", official or ""),
                           ("Acronym", acronym or "")]
        if free:
            parts[nct] += [("Brief summary", plain_text(summary)), ("Detailed description", plain_text(detail))]
    if names:
        for field, model in (("Condition", m.Condition), ("Intervention", m.Intervention),
                             ("Other name of an intervention", m.InterventionOtherName),
                             ("Sponsor or collaborator", m.Sponsor)):
            for nct, name in run(only(select(model.nct_id, model.name), model.nct_id)):  # all four have both
                parts[nct].append((field, name))
        Ids = m.IdInformation
        for nct, alias in run(only(select(Ids.nct_id, Ids.id_value).where(Ids.id_source == "nct_alias"), Ids.nct_id)):
            parts[nct].append(("Earlier NCT id", alias))
    if not free:
        return {nct: [(f, t) for f, t in ps if t] for nct, ps in parts.items() if nct is not None}
    Out = m.DesignOutcome  # registered outcome measures: the measure as posted (plain text), below its description
    for nct, measure in run(only(select(Out.nct_id, Out.measure).where(Out.measure.is_not(None)), Out.nct_id)):
        parts[nct].append(("Registered outcome measure", measure or ""))
    free_text = (("Eligibility criteria", select(m.EligibilityCriterion.nct_id, m.EligibilityCriterion.criterion),
                  m.EligibilityCriterion.nct_id),
                 ("Registered outcome description",
                  select(Out.nct_id, Out.description).where(Out.description.is_not(None)), Out.nct_id),
                 ("Arm description", select(m.DesignGroup.nct_id, m.DesignGroup.description)
                  .where(m.DesignGroup.description.is_not(None)), m.DesignGroup.nct_id),
                 ("Intervention description", select(m.Intervention.nct_id, m.Intervention.description)
                  .where(m.Intervention.description.is_not(None)), m.Intervention.nct_id))
    for field, stmt, column in free_text:
        for nct, text_ in run(only(stmt, column)):
            parts[nct].append((field, plain_text(text_)))
    # The trial's publications (registry references and PubMed registrations): title and abstract, so a word of
    # what a trial published finds the trial.
    P, R, PR = m.Publication, m.StudyReference, m.PublicationRegistration
    linked = only(select(R.nct_id, P.title, P.abstract).join(P, P.pmid == R.pmid), R.nct_id).union_all(
        only(select(PR.nct_id, P.title, P.abstract).join(P, P.pmid == PR.pmid), PR.nct_id))
    for nct, title, abstract in run(linked):
        if nct in parts:  # a registration of a trial not in the database is not a row here
            parts[nct] += [("Publication title", title), ("Publication abstract", abstract or "")]
    return {nct: [(f, t) for f, t in ps if t] for nct, ps in parts.items() if nct is not None}


def search_texts(session_or_conn: Session | Connection) -> dict[str, str]:
    """Each trial's searchable text, folded: its field_texts joined."""
    return {nct: fold(" ".join(t for _, t in ps)) for nct, ps in field_texts(session_or_conn).items()}


MARK_START, MARK_END = "\ue000", "\ue001"  # private-use characters around a matched word in a snippet
SNIPPET_BEFORE, SNIPPET_AFTER = 60, 120  # characters of context kept around a field's first match
MAX_HITS = 3


@dataclass(frozen=True)
class Hit:
    """Where a trial matched: the field (a TIERS name), its tier, and a snippet of its text with each matched word
    between MARK_START and MARK_END (those characters in the text itself made spaces first), cut to about SNIPPET_BEFORE
    characters before its first match and SNIPPET_AFTER after, "…" where cut."""

    field: str
    tier: int
    snippet: str


@dataclass(frozen=True)
class Where:
    """A trial's match: its rank (sort ascending: the worst tier any search word needs, then the sum of the
    words' best tiers) and up to MAX_HITS hits, the field where each word first matches in rank order."""

    rank: tuple[int, int]
    hits: tuple[Hit, ...]


def _tokens(text_: str) -> list[tuple[str, int, int]]:
    """(folded token, start, end) of each letters-and-digits token of `text_`, positions in `text_`: the tokens
    the index holds for it (fold, then letters and digits), each mapped back to the original characters."""
    out = []
    for mt in _WORD.finditer(text_):
        for tok in _WORD.findall(fold(mt.group())):
            out.append((tok, mt.start(), mt.end()))
    return out


def _spans(tokens: list[tuple[str, int, int]], word: list[str]) -> list[tuple[int, int]]:
    """Where `word` (its tokens: all but the last whole, the last as a prefix, as fts5_expression and
    tsquery_expression ask) matches, as (start, end) character spans."""
    k, out = len(word), []
    for i in range(len(tokens) - k + 1):
        if all(tokens[i + j][0] == word[j] for j in range(k - 1)) and tokens[i + k - 1][0].startswith(word[-1]):
            out.append((tokens[i][1], tokens[i + k - 1][2]))
    return out


def _pattern(word: list[str]) -> re.Pattern[str]:
    """`word` (as _spans reads it) as a regular expression over folded text: whole tokens apart by what is not a
    letter or digit, the last a prefix taken to its token's end."""
    sep, edge = r"[\W_]+", r"(?![^\W_])"
    body = sep.join([*(re.escape(t) + edge for t in word[:-1]), re.escape(word[-1]) + r"[^\W_]*"])
    return re.compile(r"(?<![^\W_])" + body)


def word_spans(text_: str, word: list[str], pattern: re.Pattern[str] | None = None) -> list[tuple[int, int]]:
    """Where `word` matches in `text_`, as (start, end) spans of `text_`: by a regular expression on the folded text
    where folding keeps every position (ASCII text, nearly all of a record), else token by token (_spans)."""
    folded = fold(text_)
    if word[0] not in folded:  # most fields: not there at all
        return []
    if len(folded) == len(text_) and text_.isascii():
        return [mt.span() for mt in (pattern or _pattern(word)).finditer(folded)]
    return _spans(_tokens(text_), word)


def snippet(text_: str, spans: list[tuple[int, int]]) -> str:
    """`text_` around its first span (whole when it is short), every span inside marked (Hit)."""
    # marks in the text itself are not marks: spaces, so that the spans' positions hold
    text_ = text_.replace(MARK_START, " ").replace(MARK_END, " ")
    first = min(spans)[0]
    short = len(text_) <= SNIPPET_BEFORE + SNIPPET_AFTER  # a title, a name: whole
    start = 0 if short else max(0, first - SNIPPET_BEFORE)
    end = len(text_) if short else min(len(text_), first + SNIPPET_AFTER)
    if start > 0:  # a whole word at either end
        start = next((i + 1 for i in range(start, first) if text_[i].isspace()), first)
    if end < len(text_):
        end = next((i for i in range(end, first, -1) if text_[i].isspace()), end)
    out, at = [], start
    for a, b in sorted(spans):
        if a < at or b > end:
            continue
        out += [text_[at:a], MARK_START, text_[a:b], MARK_END]
        at = b
    out.append(text_[at:end])
    body = " ".join("".join(out).split())
    return ("…" if start > 0 else "") + body + ("…" if end < len(text_) else "")


MAX_FREE_TEXT = 1000  # trials whose free text is read for snippets (the others: ranked, their free-text field unnamed)
FREE_TEXT = "Free text (not read: more than 1,000 matches)"


def _hits(ws: list[list[str]], patterns: list[re.Pattern[str]], fields: list[tuple[str, str]],
          covered: set[int], best: list[int | None], hits: list[Hit]) -> None:
    """Add to `hits` (and `covered`, `best`) the fields, best tier first, where a word not yet covered matches."""
    for field, text_ in sorted(fields, key=lambda ft: TIERS.get(ft[0], 2)):  # stable: the record's order in a tier
        if len(covered) == len(ws):
            return
        spans, which = [], set()
        for i, w in enumerate(ws):
            if s := word_spans(text_, w, patterns[i]):
                spans += s
                which.add(i)
        if not which - covered:
            continue
        tier = TIERS.get(field, 2)
        for i in which - covered:
            best[i] = tier
        covered |= which
        if len(hits) < MAX_HITS:
            hits.append(Hit(field, tier, snippet(text_, spans)))


def where_matched(session_or_conn: Session | Connection, query: str, nct_ids) -> dict[str, Where]:
    """For each trial of `nct_ids` (a collection or a subquery, e.g. those the database matched for `query`),
    where each word of `query` matches, ranked by field (TIERS), with snippets: for each word the first field, best
    tier first, where it matches. Computed in Python from the same text the index holds (field_texts), so it is the
    same on SQLite and PostgreSQL. The short fields (tiers 0 and 1) are read for every trial; the free text only for
    trials with a word not found in them, at most MAX_FREE_TEXT (a word the index matched and the short fields lack is
    in the free text: tier 2, so the rank needs no more; past that many, its field reads FREE_TEXT, no snippet)."""
    ws = words(query)
    if not ws:
        return {}
    patterns = [_pattern(w) for w in ws]
    if not isinstance(nct_ids, Collection):  # a subquery (the index's match): run once, not once per table
        nct_ids = set(session_or_conn.execute(nct_ids).scalars())
    ids = set(nct_ids)
    # Many trials: every trial's short fields read and kept if asked for (cheaper than a long IN list)
    names = field_texts(session_or_conn, list(ids) if len(ids) <= 500 else None, free=False)
    state: dict[str, tuple[set[int], list[int | None], list[Hit]]] = {}
    for nct, fields in ((n, fs) for n, fs in names.items() if n in ids):
        covered: set[int] = set()
        best: list[int | None] = [None] * len(ws)
        hits: list[Hit] = []
        _hits(ws, patterns, fields, covered, best, hits)
        state[nct] = (covered, best, hits)
    rest = [n for n, (covered, _, _) in state.items() if len(covered) < len(ws)]
    for i in range(0, min(len(rest), MAX_FREE_TEXT), 500):  # a bounded IN list on either engine
        for nct, fields in field_texts(session_or_conn, rest[i:i + 500], names=False).items():
            _hits(ws, patterns, fields, *state[nct])
    read = set(rest[:MAX_FREE_TEXT])
    out: dict[str, Where] = {}
    for nct, (covered, best, hits) in state.items():
        if len(covered) < len(ws):  # the index matched it: the words left are in the free text
            best = [2 if b is None else b for b in best]
            if nct not in read:
                hits = [*hits, Hit(FREE_TEXT, 2, "")][:MAX_HITS]
        tiers = [b for b in best if b is not None]
        out[nct] = Where((max(tiers), sum(tiers)), tuple(hits))
    return out


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
