"""The queries behind the registry results on the Outcomes page: which trials posted results, one trial's
outcome measures and adverse events, and one kind of adverse-event total across the filtered trials.
Values come back as posted (strings); nothing is computed here."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine, case, func, select

from trialdb.queries import Filters, _frame
from trialdb.results import models as r
from trialdb.store import models as m

MEASURE_ORDER = {"PRIMARY": 0, "SECONDARY": 1, "OTHER_PRE_SPECIFIED": 2, "POST_HOC": 3}


def results_trials(engine: Engine, f: Filters) -> pd.DataFrame:
    """Trials of the filter with posted results: the date, the record's last update, and what they posted."""
    S, D = m.Study, r.ResultDetail
    # No per-trial counts here: correlated counts over 10,000 trials took seconds in SQLite.
    stmt = (select(S.nct_id, S.brief_title, S.indication_code.label("indication"), D.results_first_posted_date,
                   S.last_update_posted_date, D.has_outcome_measures, D.has_adverse_events, D.has_flow,
                   D.has_baseline)
            .join(D, D.nct_id == S.nct_id).where(f.where()).order_by(S.indication_code, S.nct_id))
    return _frame(engine, stmt)


def results_date(engine: Engine, nct_id: str) -> tuple[str | None, str | None] | None:
    """(results first posted, record last updated) for a trial with results in the database, else None."""
    stmt = (select(r.ResultDetail.results_first_posted_date, m.Study.last_update_posted_date)
            .join(m.Study, m.Study.nct_id == r.ResultDetail.nct_id).where(r.ResultDetail.nct_id == nct_id))
    with engine.connect() as conn:
        row = conn.execute(stmt).first()
    return None if row is None else (row[0], row[1])


def outcome_measures(engine: Engine, nct_id: str) -> pd.DataFrame:
    """A trial's outcome measures, primary first, then secondary, other and post hoc, each in posted order."""
    OM, A = r.OutcomeMeasure, r.OutcomeAnalysis
    n_analyses = select(func.count()).where(A.outcome_measure_id == OM.id).scalar_subquery()
    order = case(MEASURE_ORDER, value=OM.outcome_type, else_=9)
    stmt = (select(OM.id, OM.position, OM.outcome_type, OM.title, OM.description, OM.population_description, OM.time_frame,
                   OM.param_type, OM.dispersion_type, OM.unit_of_measure, OM.reporting_status,
                   n_analyses.label("n_analyses"))
            .where(OM.nct_id == nct_id).order_by(order, OM.position))
    return _frame(engine, stmt)


def measure_data(engine: Engine, measure_id: int) -> dict[str, pd.DataFrame]:
    """One outcome measure's groups, measurements, denominators and analyses (with their groups' codes), and
    its flags (trialdb/flags.py: path within the measure, e.g. "analyses[0].pValue", kind, value as posted)."""
    G, M, C, A, AG = r.ResultGroup, r.OutcomeMeasurement, r.OutcomeCount, r.OutcomeAnalysis, r.OutcomeAnalysisGroup
    with engine.connect() as conn:
        where = conn.execute(select(r.OutcomeMeasure.nct_id, r.OutcomeMeasure.position)
                             .where(r.OutcomeMeasure.id == measure_id)).first()
    prefix = f"resultsSection.outcomeMeasuresModule.outcomeMeasures[{where[1] if where else -1}]."
    F = m.Flag
    found = _frame(engine, select(F.path, F.kind, F.value)
                   .where(F.nct_id == (where[0] if where else ""), F.path.startswith(prefix, autoescape=True))
                   .order_by(F.id))
    found["path"] = found.path.str.removeprefix(prefix)
    groups = _frame(engine, select(G.id.label("group_id"), G.position.label("group_position"), G.ctgov_group_code,
                                   G.title.label("group"), G.description.label("group_description"))
                    .where(G.outcome_measure_id == measure_id).order_by(G.position))
    meas = _frame(engine, select(M.result_group_id.label("group_id"), M.class_position, M.classification,
                                 M.category_position, M.category, M.position, M.param_value, M.spread, M.lower_limit, M.upper_limit,
                                 M.comment).where(M.outcome_measure_id == measure_id)
                  .order_by(M.class_position, M.category_position, M.position))
    counts = _frame(engine, select(C.result_group_id.label("group_id"), C.class_position, C.denom_position, C.units,
                                   C.count).where(C.outcome_measure_id == measure_id)
                    .order_by(C.class_position.is_not(None), C.class_position, C.denom_position, C.position))
    analyses = _frame(engine, select(A.id.label("analysis_id"), A.position, A.groups_description, A.p_value,
                                     A.p_value_description, A.method, A.param_type, A.param_value, A.dispersion_type,
                                     A.dispersion_value, A.ci_percent, A.ci_n_sides, A.ci_lower_limit, A.ci_upper_limit,
                                     A.non_inferiority_type, A.estimate_description)
                      .where(A.outcome_measure_id == measure_id).order_by(A.position))
    agroups = _frame(engine, select(AG.outcome_analysis_id.label("analysis_id"), AG.result_group_id.label("group_id"))
                     .join(A, A.id == AG.outcome_analysis_id).where(A.outcome_measure_id == measure_id)
                     .order_by(AG.outcome_analysis_id, AG.position))
    return {"groups": groups, "measurements": meas, "counts": counts, "analyses": analyses, "analysis_groups": agroups,
            "flags": found}


def adverse_events(engine: Engine, nct_id: str) -> dict[str, pd.DataFrame]:
    """A trial's adverse-event groups with their totals, and every event term per group, as posted."""
    G, T, E = r.ResultGroup, r.ReportedEventTotal, r.ReportedEvent
    totals = _frame(engine, select(G.position.label("group_position"), G.ctgov_group_code, G.title.label("group"),
                                   T.event_type, T.subjects_affected, T.subjects_at_risk)
                    .join(T, T.result_group_id == G.id).where(G.nct_id == nct_id, G.result_type == r.EVENTS)
                    .order_by(G.position, T.event_type))
    events = _frame(engine, select(E.event_type, E.position, E.adverse_event_term.label("term"), E.organ_system,
                                   E.source_vocabulary, E.assessment, G.position.label("group_position"),
                                   G.title.label("group"), E.event_count, E.subjects_affected, E.subjects_at_risk)
                    .join(G, G.id == E.result_group_id).where(E.nct_id == nct_id)
                    .order_by(E.event_type.desc(), E.position, E.stat_position))
    return {"totals": totals, "events": events}


def event_totals(engine: Engine, f: Filters, event_type: str) -> pd.DataFrame:
    """One kind of adverse-event total ("serious", "other", "deaths") per group of every filtered trial."""
    S, G, T, D = m.Study, r.ResultGroup, r.ReportedEventTotal, r.ResultDetail
    stmt = (select(S.nct_id, S.brief_title, S.indication_code.label("indication"), D.results_first_posted_date,
                   G.position.label("group_position"), G.title.label("group"), T.subjects_affected,
                   T.subjects_at_risk)
            .join(G, G.nct_id == S.nct_id).join(T, T.result_group_id == G.id).join(D, D.nct_id == S.nct_id)
            .where(f.where(), T.event_type == event_type).order_by(S.indication_code, S.nct_id, G.position))
    return _frame(engine, stmt)


COUNT = "COUNT_OF_PARTICIPANTS"


def shared_count_measures(engine: Engine, f: Filters, min_trials: int = 2, limit: int = 200) -> pd.DataFrame:
    """Counts of participants posted under the same title (case aside) by `min_trials` or more filtered
    trials: the outcomes a forest across trials can compare. Most trials first."""
    S, OM = m.Study, r.OutcomeMeasure
    key = func.lower(OM.title)
    stmt = (select(key.label("title_key"), func.min(OM.title).label("title"),
                   func.count(func.distinct(OM.nct_id)).label("n_trials"))
            .join(S, S.nct_id == OM.nct_id).where(f.where(), OM.param_type == COUNT).group_by(key)
            .having(func.count(func.distinct(OM.nct_id)) >= min_trials)
            .order_by(func.count(func.distinct(OM.nct_id)).desc(), key).limit(limit))
    return _frame(engine, stmt)


def count_measure_values(engine: Engine, f: Filters, title_key: str) -> pd.DataFrame:
    """Every filtered trial's measurements of the count measures titled `title_key` (lower case), with
    each group's measure-wide denominator: strings as posted, class and category positions included."""
    S, OM, G, M, C, D = m.Study, r.OutcomeMeasure, r.ResultGroup, r.OutcomeMeasurement, r.OutcomeCount, r.ResultDetail
    denominator = (select(C.count).where(C.result_group_id == G.id, C.class_position.is_(None), C.denom_position == 0)
                   .limit(1).scalar_subquery())
    stmt = (select(S.nct_id, S.brief_title, S.indication_code.label("indication"), D.results_first_posted_date,
                   OM.id.label("measure_id"), OM.time_frame, G.position.label("group_position"), G.title.label("group"),
                   M.class_position, M.category_position, M.param_value, denominator.label("denominator"))
            .join(OM, OM.nct_id == S.nct_id).join(D, D.nct_id == S.nct_id).join(M, M.outcome_measure_id == OM.id)
            .join(G, G.id == M.result_group_id)
            .where(f.where(), OM.param_type == COUNT, func.lower(OM.title) == title_key)
            .order_by(S.indication_code, S.nct_id, OM.position, G.position))
    return _frame(engine, stmt)


def participant_flow(engine: Engine, nct_id: str) -> dict:
    """A trial's posted participant flow (milestones and reasons for not completing, per group, as posted)
    and its limitations and caveats."""
    G, MS, DW = r.ResultGroup, r.Milestone, r.DropWithdrawal
    milestones = _frame(engine, select(MS.period_position, MS.period, MS.position, MS.title, G.position.label("group_position"),
                                       G.title.label("group"), MS.count)
                        .join(G, G.id == MS.result_group_id).where(MS.nct_id == nct_id)
                        .order_by(MS.period_position, MS.position, G.position))
    drops = _frame(engine, select(DW.period_position, DW.period, DW.position, DW.reason.label("title"),
                                  G.position.label("group_position"), G.title.label("group"), DW.count)
                   .join(G, G.id == DW.result_group_id).where(DW.nct_id == nct_id)
                   .order_by(DW.period_position, DW.position, G.position))
    with engine.connect() as conn:
        caveats = conn.execute(select(r.ResultDetail.limitations_and_caveats)
                               .where(r.ResultDetail.nct_id == nct_id)).scalar()
    return {"milestones": milestones, "drops": drops, "limitations": caveats}
