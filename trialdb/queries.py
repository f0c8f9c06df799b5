"""Every query the dashboard runs, each in one place: filtering and aggregation happen in SQL,
results come back as pandas DataFrames (or plain records for one trial)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import json
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy import (
    ColumnClause,
    ColumnElement,
    Engine,
    Select,
    String,
    and_,
    case,
    func,
    literal_column,
    select,
    true,
)
from sqlalchemy.orm import Session, selectinload

from trialdb import flags, search
from trialdb.dosing.schedules import (
    administration_days,
    administrations_per_week,
    is_complete,
    is_il2,
    phases_from_json,
    treatment_days,
)
from trialdb.dosing.units import basis
from trialdb.enums import ENUMS, NO_PHASE, NOT_APPLICABLE
from trialdb.indications import AREA_BY_CODE, AREAS
from trialdb.pubmed.retractions import retraction_notices
from trialdb.reporting import Reporting, study_links, study_reporting
from trialdb.store import models as m

NOT_STATED = "not stated in source"
# Inlined, not a bound parameter: PostgreSQL must see the same expression in SELECT and GROUP BY.
_NOT_STATED_SQL: ColumnClause[str] = literal_column(f"'{NOT_STATED}'", String)
_NOT_APPLICABLE_SQL: ColumnClause[str] = literal_column(f"'{NOT_APPLICABLE}'", String)
INTERVENTIONAL = "INTERVENTIONAL"


def phase_column() -> ColumnElement[str]:
    """A study's phase as the pages show and filter it: the registry's phases joined by "/" (PHASE1/PHASE2),
    NOT_APPLICABLE for a study type the registry gives no phase (trialdb.enums.NOT_APPLICABLE_TO: observational,
    expanded access), else NOT_STATED. Inlined literals only, so PostgreSQL sees one expression in SELECT and
    GROUP BY."""
    S = m.Study
    no_phase = [literal_column(f"'{t}'", String) for t in NO_PHASE]
    return case((S.phase.is_not(None), S.phase), (S.study_type.in_(no_phase), _NOT_APPLICABLE_SQL),
                else_=_NOT_STATED_SQL)


def study_type_column() -> ColumnElement[str]:
    """A study's designModule.studyType as stored (INTERVENTIONAL, OBSERVATIONAL, EXPANDED_ACCESS), NOT_STATED
    when its record gives none."""
    return func.coalesce(m.Study.study_type, _NOT_STATED_SQL)


@dataclass(frozen=True)
class Filters:
    """The sidebar selection. `indications` is the resolved choice (a chosen area stands for its
    indications), None for every indication; an empty tuple selects nothing."""

    indications: tuple[str, ...] | None
    phases: tuple[str, ...] | None = None  # None: every phase
    statuses: tuple[str, ...] | None = None
    # Years of stated start ("2015", as the registry's partial ISO date begins; NOT_STATED for a trial whose
    # sources state no start date), None for every year: the overview's chart by year (issue 33).
    start_years: tuple[str, ...] | None = None
    # designModule.studyType values (NOT_STATED for a record without one); None: every type. The sidebar starts
    # at (INTERVENTIONAL,): the trials; observational studies and expanded access are one click away.
    study_types: tuple[str, ...] | None = None
    query: str = ""  # the sidebar search (trialdb.search): every word must match
    # "low-dose": the portfolio (studies whose decision includes them; no decision row counts as included);
    # "engineered": the engineered-IL-2 studies instead, shown beside the portfolio, never pooled with it;
    # "set-aside": every study the registry query matched that the portfolio leaves out (queries.also_matched).
    portfolio: str = "low-dose"
    # Sponsor names (`sponsors.name` as the registry writes it): the trials any of them leads or collaborates
    # on; None: every trial. Set from a sponsor's link on the Where and who page (`?sponsor=`).
    sponsors: tuple[str, ...] | None = None

    def where(self):
        S, D = m.Study, m.PortfolioDecision
        cond: list[ColumnElement[bool]] = [true()]  # no condition at all: every trial
        if self.portfolio == "engineered":
            cond.append(S.nct_id.in_(select(D.nct_id).where(D.category == "engineered")))
        elif self.portfolio == "set-aside":
            cond.append(S.nct_id.in_(select(D.nct_id).where(D.included.is_(False))))
        else:
            cond.append(S.nct_id.not_in(select(D.nct_id).where(D.included.is_(False))))
        if self.indications is not None:
            cond.append(S.indication_code.in_(self.indications))
        if self.phases is not None:
            # NULL phase has its own option (not stated, or not applicable to the study type) so a trial without
            # one is not silently dropped
            cond.append(phase_column().in_(self.phases))
        if self.study_types is not None:
            cond.append(study_type_column().in_(self.study_types))
        if self.statuses is not None:
            cond.append(S.overall_status.in_(self.statuses))
        if self.sponsors is not None:
            cond.append(S.nct_id.in_(select(m.Sponsor.nct_id).where(m.Sponsor.name.in_(self.sponsors))))
        if self.start_years is not None:
            cond.append(start_year().in_(self.start_years))
        if search.words(self.query):  # a search of no letters or digits searches nothing
            cond.append(S.nct_id.in_(search.matching_nct_ids(self.query)))
        return and_(*cond)


def start_year() -> ColumnElement[str]:
    """A study's year of stated start: the first four characters of the registry's partial ISO date ("2015-03"
    is 2015), NOT_STATED when its sources state none (never a guessed year). The positions are SQL literals, not
    bound parameters: PostgreSQL takes a GROUP BY of this expression for the selected one only when the two are
    written alike (with parameters, each has its own, and it refuses the query)."""
    return func.coalesce(func.substr(m.Study.start_date, literal_column("1"), literal_column("4")), _NOT_STATED_SQL)


def _frame(engine: Engine, stmt: Select) -> pd.DataFrame:
    """The statement's rows as a DataFrame, one column per selected label. Rows go in as plain tuples: given
    SQLAlchemy Row objects, pandas probes each one's attributes (a failed key lookup per row, 0.1 s at 20,000
    rows)."""
    with engine.connect() as conn:
        result = conn.execute(stmt)
        return pd.DataFrame.from_records([tuple(r) for r in result.all()], columns=list(result.keys()))


def filter_options(engine: Engine) -> dict[str, list[tuple[str, str, int]]]:
    """Indications (code, name, trials), phases and statuses present in the database; and the
    indications' areas: "indication_areas" (indication code, area code, trials) and "areas" (area code,
    area name, trials), areas in trialdb.indications.AREAS order; "study_types" (designModule.studyType or
    NOT_STATED, the same, studies), interventional, observational, expanded access. Counts are of the portfolio
    (studies whose decision includes them, as Filters.where keeps by default), of every study type."""
    S, Ind = m.Study, m.IndicationRow
    inc = Filters(None).where()
    ind = select(Ind.code, Ind.name, Ind.area, func.count(S.nct_id)).join(
        S, S.indication_code == Ind.code).where(inc).group_by(Ind.code, Ind.name, Ind.area)
    phase = phase_column()
    kind = study_type_column()
    with engine.connect() as conn:
        rows = conn.execute(ind.order_by(func.count(S.nct_id).desc(), Ind.code)).all()
        area_trials: dict[str, int] = {}
        for _, _, area, n in rows:
            area_trials[area] = area_trials.get(area, 0) + n
        return {
            "indications": [(code, name, n) for code, name, _, n in rows],
            "indication_areas": [(code, area, n) for code, _, area, n in rows],
            "areas": [(a.code, a.name, area_trials[a.code]) for a in AREAS if a.code in area_trials]
                     + [(a, a, n) for a, n in area_trials.items() if a not in AREA_BY_CODE],
            "phases": [(r[0], r[0], r[1]) for r in conn.execute(
                select(phase, func.count()).where(inc).group_by(phase).order_by(phase))],
            "statuses": [(r[0], r[0], r[1]) for r in conn.execute(
                select(S.overall_status, func.count()).where(inc).group_by(S.overall_status).order_by(S.overall_status))],
            "start_years": _years_last_not_stated(conn.execute(
                select(start_year(), func.count()).where(inc).group_by(start_year()).order_by(start_year())).all()),
            "study_types": sorted(((r[0], r[0], r[1]) for r in conn.execute(
                select(kind, func.count()).where(inc).group_by(kind))), key=lambda r: _type_order(r[0])),
        }


def _years_last_not_stated(rows: Sequence[Any]) -> list[tuple[str, str, int]]:
    """(year, year, trials) rows with NOT_STATED after the years, whatever the database's collation."""
    years = [(y, y, n) for y, n in rows if y != NOT_STATED]
    return years + [(y, y, n) for y, n in rows if y == NOT_STATED]


def counts_by_start_year(engine: Engine, f: Filters) -> pd.DataFrame:
    """Trials per year of stated start (start_year: NOT_STATED when the sources state no start date): columns
    year, trials, the years in order and NOT_STATED last; a year without a start has no row."""
    year = start_year().label("year")
    with engine.connect() as conn:
        rows = conn.execute(select(year, func.count().label("trials")).where(f.where()).group_by(year)
                            .order_by(year)).all()
    return pd.DataFrame([(y, n) for y, _, n in _years_last_not_stated(rows)], columns=["year", "trials"])


def _type_order(study_type: str) -> tuple[int, str]:
    """INTERVENTIONAL, OBSERVATIONAL, EXPANDED_ACCESS, then any other value (not stated last)."""
    order = [INTERVENTIONAL, "OBSERVATIONAL", *(t for t in ENUMS["studyType"] if t not in (INTERVENTIONAL, "OBSERVATIONAL"))]
    return (order.index(study_type) if study_type in order else len(order) + (study_type == NOT_STATED), study_type)


def study_types(engine: Engine, f: Filters) -> dict[str, int]:
    """Studies of the filter `f` by study type (designModule.studyType, NOT_STATED when none), whatever
    `f.study_types` chooses: what the study type filter leaves out is counted here, so a page can say so."""
    kind = study_type_column()
    stmt = select(kind, func.count()).where(dataclasses.replace(f, study_types=None).where()).group_by(kind)
    with engine.connect() as conn:
        return dict(sorted(((t, n) for t, n in conn.execute(stmt)), key=lambda r: _type_order(r[0])))


def _lead_sponsor():
    return (select(m.Sponsor.name).where(m.Sponsor.nct_id == m.Study.nct_id, m.Sponsor.lead_or_collaborator == "lead")
            .limit(1).scalar_subquery())


def studies(engine: Engine, f: Filters, limit: int | None = None) -> pd.DataFrame:
    S = m.Study
    stmt = (select(S.nct_id, S.brief_title, S.indication_code.label("indication"), m.IndicationRow.name.label("indication_name"),
                   phase_column().label("phase"), study_type_column().label("study_type"),
                   S.overall_status.label("status"), S.enrollment, S.enrollment_type,
                   m.Design.masking, S.start_date, S.completion_date, S.last_update_posted_date,
                   _lead_sponsor().label("lead_sponsor"))
            .join(m.IndicationRow, m.IndicationRow.code == S.indication_code)
            .outerjoin(m.Design, m.Design.nct_id == S.nct_id)
            .where(f.where()).order_by(S.indication_code, S.nct_id))
    if limit is not None:
        stmt = stmt.limit(limit)
    return _frame(engine, stmt)


def _stated_enrollment():
    """The enrolment a sum may use: NULL for the registry's placeholder 99999999 (trialdb/flags.py)."""
    return case((m.Study.enrollment == flags.ENROLLMENT_PLACEHOLDER, None), else_=m.Study.enrollment)


def _placeholders():
    return func.coalesce(func.sum(case((m.Study.enrollment == flags.ENROLLMENT_PLACEHOLDER, 1), else_=0)), 0)


def headline(engine: Engine, f: Filters) -> dict[str, int]:
    """Trials, indications, participants planned (the sum of stated enrolments, placeholders left out),
    trials stating an enrolment, trials whose enrolment is the placeholder, completed and not, and how many study
    types (designModule.studyType) the selection holds: "trials" counts studies of every type `f` chooses, so a page
    calls them studies when study_types > 1 or the one type is not INTERVENTIONAL (its "only_interventional")."""
    S = m.Study
    stmt = select(func.count(func.distinct(study_type_column())),
                  func.coalesce(func.sum(case((study_type_column() == INTERVENTIONAL, 0), else_=1)), 0),
                  func.count(S.nct_id), func.count(func.distinct(S.indication_code)),
                  func.coalesce(func.sum(_stated_enrollment()), 0), func.count(_stated_enrollment()), _placeholders(),
                  func.coalesce(func.sum(case((S.overall_status == "COMPLETED", 1), else_=0)), 0)
                  ).where(f.where())
    with engine.connect() as conn:
        (n_types, not_interventional, trials, indications, participants, with_enrolment, placeholders,
         completed) = conn.execute(stmt).one()
    return {"study_types": n_types, "only_interventional": int(not_interventional) == 0, "trials": trials, "indications": indications, "participants": int(participants),
            "with_enrolment": with_enrolment, "enrolment_placeholders": int(placeholders),
            "completed": int(completed), "not_completed": trials - int(completed)}


def counts_by(engine: Engine, f: Filters) -> pd.DataFrame:
    """Trials and planned participants per indication, phase and status (aggregated in SQL); the registry's
    enrolment placeholder 99999999 is left out of the sums and counted in `enrolment_placeholders`."""
    S = m.Study
    phase = phase_column().label("phase")
    stmt = (select(S.indication_code.label("indication"), phase, S.overall_status.label("status"),
                   func.count(S.nct_id).label("trials"),
                   func.coalesce(func.sum(_stated_enrollment()), 0).label("participants"),
                   func.count(_stated_enrollment()).label("trials_with_enrolment"),
                   _placeholders().label("enrolment_placeholders"))
            .where(f.where()).group_by(S.indication_code, phase, S.overall_status)
            .order_by(S.indication_code, phase, S.overall_status))
    return _frame(engine, stmt)


def search_matches(engine: Engine, f: Filters) -> dict[str, search.Where]:
    """Where each trial of the filter `f` matched its search (trialdb.search.where_matched: rank and snippets by
    field), by NCT id; {} when `f` has no search words."""
    if not search.words(f.query):
        return {}
    with engine.connect() as conn:
        return search.where_matched(conn, f.query, select(m.Study.nct_id).where(f.where()))


def timeline(engine: Engine, f: Filters, limit: int = 400) -> tuple[pd.DataFrame, int]:
    """Trials with a start date (first `limit` by start), and how many match in all."""
    S = m.Study
    base = select(S.nct_id, S.brief_title, S.indication_code.label("indication"), S.overall_status.label("status"),
                  S.start_date, S.start_date_type, S.completion_date, S.completion_date_type,
                  S.last_update_posted_date).where(f.where(), S.start_date.is_not(None))
    with engine.connect() as conn:
        total = conn.execute(select(func.count()).select_from(base.subquery())).scalar_one()
    return _frame(engine, base.order_by(S.indication_code, S.start_date, S.nct_id).limit(limit)), total


def timeline_by_year(engine: Engine, f: Filters) -> pd.DataFrame:
    """Trials starting per year, indication and status: the timeline at scale."""
    S = m.Study
    year = func.substr(S.start_date, 1, 4).label("year")
    stmt = (select(year, S.indication_code.label("indication"), S.overall_status.label("status"),
                   func.count().label("trials")).where(f.where(), S.start_date.is_not(None))
            .group_by(year, S.indication_code, S.overall_status).order_by(year))
    return _frame(engine, stmt)


def undated(engine: Engine, f: Filters, limit: int = 500) -> tuple[pd.DataFrame, int]:
    """Trials whose sources state no start date: listed, never dropped and never given dates."""
    S = m.Study
    base = select(S.nct_id, S.brief_title, S.indication_code.label("indication"), S.overall_status.label("status"),
                  S.start_date, S.completion_date).where(f.where(), S.start_date.is_(None))
    with engine.connect() as conn:
        total = conn.execute(select(func.count()).select_from(base.subquery())).scalar_one()
    return _frame(engine, base.order_by(S.indication_code, S.nct_id).limit(limit)), total


def _matching_nct(f: Filters):
    return select(m.Study.nct_id).where(f.where())


def publications(engine: Engine, f: Filters) -> pd.DataFrame:
    """Publications citing at least one trial that matches the filter."""
    P, R = m.Publication, m.PublicationRegistration
    cited = select(R.pmid).where(R.nct_id.in_(_matching_nct(f)))
    first_author = (select(m.PublicationAuthor.name).where(m.PublicationAuthor.pmid == P.pmid)
                    .order_by(m.PublicationAuthor.position).limit(1).scalar_subquery())
    n_authors = select(func.count()).where(m.PublicationAuthor.pmid == P.pmid).scalar_subquery()
    stmt = select(P.pmid, P.pmcid, P.doi, P.title, P.journal, P.year, P.print_date, P.epub_date, P.licence,
                  P.licence_url, first_author.label("first_author"), n_authors.label("n_authors")
                  ).where(P.pmid.in_(cited)).order_by(P.year.desc(), P.pmid)
    df = _frame(engine, stmt)
    regs = _frame(engine, select(R.pmid, R.nct_id).where(R.pmid.in_(cited)).order_by(R.pmid, R.position))
    df["nct_ids"] = [", ".join(regs.loc[regs.pmid == p, "nct_id"]) for p in df.pmid]
    A = m.PublicationAuthor
    authors = _frame(engine, select(A.pmid, A.name).where(A.pmid.in_(cited)).order_by(A.pmid, A.position))
    df["authors"] = [list(authors.loc[authors.pmid == p, "name"]) for p in df.pmid]
    return df


def outcomes(engine: Engine, f: Filters, nct_ids: tuple[str, ...] | None = None) -> pd.DataFrame:
    """One row per outcome group, for outcomes of trials that match the filter (and are in `nct_ids`, when
    given: a comparison of a few trials reads only theirs)."""
    Out, G = m.Outcome, m.OutcomeGroup
    stmt = (select(Out.id.label("outcome_id"), Out.pmid, Out.nct_id, Out.measure, Out.timepoint_weeks, Out.population,
                   Out.is_primary, Out.is_harm, Out.p_value, Out.note, G.position, G.group_name, G.percent, G.responders,
                   G.n, G.derived, G.derivation)
            .join(G, G.outcome_id == Out.id).where(Out.nct_id.in_(_matching_nct(f)))
            .order_by(Out.pmid, Out.id, G.position))
    if nct_ids is not None:
        stmt = stmt.where(Out.nct_id.in_(nct_ids))
    return _frame(engine, stmt)


def regimens(engine: Engine, f: Filters, nct_ids: tuple[str, ...] | None = None) -> pd.DataFrame:
    """One row per arm and drug, with its administration days and totals computed here (of the trials in
    `nct_ids` only, when given). Besides the stored columns: source ("curated" | "read"), quote (the
    provenance quote, None when there is none), path (JSON path of a read quote), not_read (list of
    {field, reason, quote, path}), flags (list of str), basis ("flat" | "per m²" | "per kg" | None),
    per_week (administrations per week of the first phase, computed here; None when not read) and
    complete (every phase has frequency, duration and cycles). days is [] and administrations,
    treatment_weeks and total_dose None when the schedule is not complete; total_dose also None when a
    phase has a dose of its own (the sum would need each phase's dose)."""
    R, S, P = m.Regimen, m.Study, m.Provenance
    quote = (select(P.quote).where(P.subject == R.nct_id, P.path == "regimens[" + R.arm + "|" + R.drug + "]")
             .limit(1).scalar_subquery())
    stmt = (select(R.id, R.nct_id, S.brief_title, S.indication_code.label("indication"), R.arm, R.drug, R.role,
                   R.dose, R.unit, R.unit_as_written, R.route, R.phases, R.interpretation,
                   func.coalesce(R.source, "curated").label("source"), quote.label("quote"), R.path,
                   R.not_read, R.flags)
            .join(S, S.nct_id == R.nct_id).where(f.where()).order_by(S.indication_code, R.nct_id, R.id))
    if nct_ids is not None:
        stmt = stmt.where(R.nct_id.in_(nct_ids))
    df = _frame(engine, stmt)
    # Each column read as a list: iterating Arrow-backed strings goes element by element (0.05 s a column at
    # 20,000 arms).
    schedules = [_schedule(p if isinstance(p, str) else None) for p in df.phases.tolist()]
    df["not_read"] = [json.loads(x) if isinstance(x, str) and x else [] for x in df["not_read"].tolist()]
    df["flags"] = [json.loads(x) if isinstance(x, str) and x else [] for x in df["flags"].tolist()]
    df["complete"] = [s.complete for s in schedules]
    df["days"] = [s.days for s in schedules]
    df["administrations"] = [len(s.days) if s.complete else None for s in schedules]
    df["treatment_weeks"] = [s.treatment_weeks for s in schedules]
    df["total_dose"] = [dose * len(s.days) if not pd.isna(dose) and role == "active" and s.complete and not s.own_dose
                        else None
                        for dose, role, s in zip(df.dose.tolist(), df.role.tolist(), schedules, strict=True)]
    df["basis"] = [basis(u) if isinstance(u, str) else None for u in df.unit.tolist()]
    df["per_week"] = [s.per_week for s in schedules]
    df["is_il2"] = [is_il2(d) for d in df.drug.tolist()]
    return df


@dataclasses.dataclass(frozen=True)
class _Schedule:
    """What `regimens` computes from one stored `phases` text (trialdb.dosing.schedules)."""

    complete: bool
    days: list[int]
    treatment_weeks: float | None
    own_dose: bool
    per_week: float | None


@functools.lru_cache(maxsize=1024)
def _schedule(text: str | None) -> _Schedule:
    """A portfolio repeats a few schedules (every other day for 5 days, ...): each distinct one is computed once.
    Its `days` list is shared by every row of that schedule: read, never changed."""
    phases = phases_from_json(text)
    complete = is_complete(phases)
    return _Schedule(complete=complete, days=administration_days(phases) if complete else [],
                     treatment_weeks=(treatment_days(phases) or 0) / 7 if complete else None,
                     own_dose=any(ph.dose is not None for ph in phases), per_week=administrations_per_week(phases))


def also_matched(engine: Engine, f: Filters) -> pd.DataFrame:
    """Every study of the filter `f` (its indications, phases, statuses and search) that the registry query
    matched but the portfolio leaves out (its decision excludes it): nct_id, brief_title, indication,
    category (a trialdb.portfolio.classifier.CATEGORIES key), reason, quote, path (the quote's JSON path in the record)
    and source ("classifier" | "reviewed"), by category then NCT id."""
    S, D = m.Study, m.PortfolioDecision
    stmt = (select(S.nct_id, S.brief_title, S.indication_code.label("indication"), D.category, D.reason, D.quote,
                   D.path, D.source)
            .join(D, D.nct_id == S.nct_id).where(dataclasses.replace(f, portfolio="set-aside").where())
            .order_by(D.category, S.nct_id))
    return _frame(engine, stmt)


def trials_without_regimen(engine: Engine, f: Filters, limit: int = 500) -> tuple[pd.DataFrame, int]:
    """Trials with no curated regimen (the first `limit`), and how many match in all."""
    S, R = m.Study, m.Regimen
    base = (select(S.nct_id, S.brief_title, S.indication_code.label("indication"))
            .where(f.where(), ~S.nct_id.in_(select(R.nct_id))))
    with engine.connect() as conn:
        total = conn.execute(select(func.count()).select_from(base.subquery())).scalar_one()
    return _frame(engine, base.order_by(S.nct_id).limit(limit)), total


def study_choices(engine: Engine, f: Filters, limit: int = 2000) -> list[tuple[str, str]]:
    S = m.Study
    stmt = select(S.nct_id, S.brief_title).where(f.where()).order_by(S.nct_id).limit(limit)
    with engine.connect() as conn:
        return [(nct, title) for nct, title in conn.execute(stmt)]


@dataclass
class StudyRecord:
    study: m.Study
    indication_name: str
    document: m.Document
    quotes: dict[str, tuple[str, str]]  # API path -> (document name, verbatim quote)
    publications: list[m.Publication]
    flags: list[flags.Flagged]  # (API path, kind, value as posted): values kept as posted that break an expectation


def study_record(engine: Engine, nct_id: str) -> StudyRecord | None:
    """One trial with everything it links to, loaded eagerly so it can outlive the session."""
    with Session(engine) as session:
        s = session.scalars(select(m.Study).where(m.Study.nct_id == nct_id).options(
            selectinload("*"), selectinload(m.Study.design_groups).selectinload(m.DesignGroup.interventions),
            selectinload(m.Study.facilities).selectinload(m.Facility.contacts),
            selectinload(m.Study.interventions).selectinload(m.Intervention.other_names),
            selectinload(m.Study.references).selectinload(m.StudyReference.retractions))).first()
        if s is None:
            return None
        doc = session.get_one(m.Document, s.document_id)  # a study always rests on a document
        names = {d.id: d.name for d in session.scalars(select(m.Document))}
        quotes = {p.path: (names[p.document_id], p.quote)
                  for p in session.scalars(select(m.Provenance).where(m.Provenance.subject == nct_id))}
        pubs = session.scalars(select(m.Publication).where(m.Publication.pmid.in_(
            select(m.PublicationRegistration.pmid).where(m.PublicationRegistration.nct_id == nct_id)))
            .options(selectinload(m.Publication.authors))).all()
        ind = session.get(m.IndicationRow, s.indication_code)
        found = flags.for_study(session, nct_id)
        session.expunge_all()
        return StudyRecord(s, ind.name if ind else s.indication_code, doc, quotes, list(pubs), found)


def merged_into(engine: Engine, nct_id: str) -> str | None:
    """The trial whose record lists `nct_id` as an earlier id merged into it (identificationModule.nctIdAliases,
    stored as id_information rows with id_source "nct_alias"), or None when no trial does."""
    Ids = m.IdInformation
    stmt = select(Ids.nct_id).where(Ids.id_source == "nct_alias", Ids.id_value == nct_id).order_by(Ids.nct_id).limit(1)
    with engine.connect() as conn:
        return conn.execute(stmt).scalar()


def retractions(engine: Engine) -> dict[str, list[tuple[str | None, str | None]]]:
    """Retracted publications: PMID -> its retraction notices as (notice PMID, source), as the registry links
    them and as PubMed marks them (trialdb.pubmed.store.retraction_notices)."""
    with engine.connect() as conn:
        return retraction_notices(conn)


def publication_quotes(engine: Engine, pmid: str) -> dict[str, tuple[str, str]]:
    with Session(engine) as session:
        names = {d.id: d.name for d in session.scalars(select(m.Document))}
        return {p.path: (names[p.document_id], p.quote) for p in
                session.scalars(select(m.Provenance).where(m.Provenance.subject == f"PMID:{pmid}"))}


def outcome_trials(engine: Engine) -> list[tuple[str, str]]:
    """(NCT id, indication) of every trial with published outcomes, whatever the filter."""
    stmt = (select(m.Study.nct_id, m.Study.indication_code).where(m.Study.nct_id.in_(select(m.Outcome.nct_id)))
            .order_by(m.Study.nct_id))
    with engine.connect() as conn:
        return [(nct, ind) for nct, ind in conn.execute(stmt)]


def evidence(engine: Engine, f: Filters, today: dt.date) -> pd.DataFrame:
    """One row per trial matching the filter, with its reporting status on `today` (trialdb.reporting, one rule):
    nct_id, brief_title, indication, status, primary_completion (the registry's date as written, the completion
    date where it gives none), completion_type, due (date), days_overdue (int or None), results_posted (date or
    None), completion_year (int or None), publications (every linked PMID, joined by ", "), reported_by (the
    PMIDs that count as published results, joined). Ordered by NCT id."""
    S = m.Study
    base = _frame(engine, select(S.nct_id, S.brief_title, S.indication_code.label("indication"),
                                 S.primary_completion_date, S.completion_date).where(f.where()).order_by(S.nct_id))
    with Session(engine) as session:
        rep = study_reporting(session, today, list(base.nct_id))
    rows = []
    for nct, pc, c in zip(base.nct_id, base.primary_completion_date, base.completion_date, strict=True):
        r, links = rep[nct]
        rows.append({"status": r.status, "primary_completion": pc or c, "completion_type": r.completion_type,
                     "due": r.due, "days_overdue": r.days_overdue, "results_posted": r.results_posted,
                     "completion_year": r.primary_completion.year if r.primary_completion else None,
                     "publications": ", ".join(dict.fromkeys(x.pmid for x in links)),
                     "reported_by": ", ".join(r.reported_by)})
    columns = ["status", "primary_completion", "completion_type", "due", "days_overdue", "results_posted",
               "completion_year", "publications", "reported_by"]
    out = pd.concat([base[["nct_id", "brief_title", "indication"]],
                     pd.DataFrame(rows, index=base.index, columns=columns)], axis=1)
    out["days_overdue"] = out["days_overdue"].astype("Int64")
    out["completion_year"] = out["completion_year"].astype("Int64")
    return out


def evidence_publications(engine: Engine, nct_ids: Collection[str]) -> list[dict[str, Any]]:
    """The stored publications linked to these trials (trialdb.reporting.study_links: registry references and
    PubMed registrations), newest first: dicts with pmid, title, authors (list), journal, journal_iso, year,
    published, epub_date, doi, pmcid, source, types (list), sections (list of (label, category, text)), abstract
    (text), copyright, nct_ids (the trials of `nct_ids` it is linked to), links ({NCT id: link}), retracted (bool),
    notices (list of (notice PMID, source)), discrepancies (list of (field, curated, pubmed))."""
    with Session(engine) as session:
        links = study_links(session, list(nct_ids))
        by_pmid: dict[str, dict[str, str]] = {}
        for nct, ls in links.items():
            for x in ls:
                by_pmid.setdefault(x.pmid, {}).setdefault(nct, x.link)
        pubs = session.scalars(select(m.Publication).where(m.Publication.pmid.in_(list(by_pmid)))
                               .options(selectinload(m.Publication.authors), selectinload(m.Publication.types),
                                        selectinload(m.Publication.sections),
                                        selectinload(m.Publication.discrepancies))).all() if by_pmid else []
        notices = retraction_notices(session)
        out: list[dict[str, Any]] = [{"pmid": p.pmid, "title": p.title, "authors": [a.name for a in p.authors], "journal": p.journal,
                "journal_iso": p.journal_iso, "year": p.year, "published": p.published or p.print_date,
                "epub_date": p.epub_date, "doi": p.doi, "pmcid": p.pmcid, "source": p.source,
                "types": [t.name for t in p.types],
                "sections": [(s.label, s.category, s.text) for s in p.sections] or
                            ([(None, None, p.abstract)] if p.abstract else []),
                "abstract": p.abstract, "copyright": p.copyright, "nct_ids": sorted(by_pmid[p.pmid]),
                "links": by_pmid[p.pmid], "retracted": p.pmid in notices, "notices": notices.get(p.pmid, []),
                "discrepancies": [(d.field, d.curated, d.pubmed) for d in p.discrepancies]} for p in pubs]
    return sorted(out, key=lambda d: (-(d["year"] or 0), d["pmid"]))


def reporting_of(engine: Engine, nct_id: str, today: dt.date) -> Reporting:
    """One trial's reporting status on `today` (trialdb.reporting.study_reporting)."""
    with Session(engine) as session:
        return study_reporting(session, today, [nct_id])[nct_id][0]
