"""Typed models of the registry's posted results (API v2 `resultsSection`), in tables named after AACT's:
result_groups, milestones, drop_withdrawals, baseline_counts, baseline_measurements, outcome_counts,
outcome_measurements, outcome_analyses, outcome_analysis_groups, reported_event_totals, reported_events.

Kept apart from models.py because they are one concept (what a sponsor posted, as posted) and many tables.
Two names differ from AACT: AACT's `outcomes` table is ours `outcome_measures`, because `outcomes` (and
`outcome_groups`) already hold the outcomes curated from *publications*; and `result_details` holds the
per-study scalars AACT spreads over several tables (participant_flows, the results date, limitations).

Every posted number is stored as the string the registry wrote ("19.63", "<0.001", "NA"), never a float:
the dashboard shows it exactly as posted. The adverse-event counts, integers in the API, stay integers.
Positions keep the record's order so the export gives the API's lists back in the same order."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column

from trialdb.store.models import Base

# One spelling per kind of result group (AACT's result_type values).
FLOW, BASELINE, OUTCOME, EVENTS = "Participant Flow", "Baseline", "Outcome", "Reported Event"


def _nct() -> Mapped[str]:
    return mapped_column(ForeignKey("studies.nct_id", ondelete="CASCADE"), index=True)


def _group() -> Mapped[int]:
    return mapped_column(ForeignKey("result_groups.id", ondelete="CASCADE"), index=True)


class ResultDetail(Base):
    """One row per study with posted results: the scalars of its results modules."""

    __tablename__ = "result_details"
    nct_id: Mapped[str] = mapped_column(ForeignKey("studies.nct_id", ondelete="CASCADE"), primary_key=True)
    results_first_posted_date: Mapped[str | None]  # statusModule.resultsFirstPostDateStruct.date
    results_first_posted_date_type: Mapped[str | None]
    flow_recruitment_details: Mapped[str | None] = mapped_column(Text)
    flow_pre_assignment_details: Mapped[str | None] = mapped_column(Text)
    flow_type_units_analyzed: Mapped[str | None]
    baseline_population_description: Mapped[str | None] = mapped_column(Text)
    baseline_type_units_analyzed: Mapped[str | None]
    events_frequency_threshold: Mapped[str | None]
    events_time_frame: Mapped[str | None] = mapped_column(Text)
    events_description: Mapped[str | None] = mapped_column(Text)
    limitations_and_caveats: Mapped[str | None] = mapped_column(Text)
    has_flow: Mapped[bool]
    has_baseline: Mapped[bool]
    has_outcome_measures: Mapped[bool]
    has_adverse_events: Mapped[bool]


class OutcomeMeasure(Base):
    """AACT's `outcomes`: one posted outcome measure (its groups are result_groups of type Outcome)."""

    __tablename__ = "outcome_measures"
    id: Mapped[int] = mapped_column(primary_key=True)
    nct_id: Mapped[str] = _nct()
    position: Mapped[int]
    outcome_type: Mapped[str] = mapped_column(index=True)  # PRIMARY | SECONDARY | OTHER_PRE_SPECIFIED | POST_HOC
    title: Mapped[str] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    population_description: Mapped[str | None] = mapped_column(Text)
    reporting_status: Mapped[str | None]
    anticipated_posting_date: Mapped[str | None]
    param_type: Mapped[str | None]
    dispersion_type: Mapped[str | None]
    unit_of_measure: Mapped[str | None]
    calculate_pct: Mapped[bool | None]
    time_frame: Mapped[str | None] = mapped_column(Text)
    type_units_analyzed: Mapped[str | None]
    denom_units_selected: Mapped[str | None]


class ResultGroup(Base):
    """A group as posted in one results module; outcome groups belong to one measure (the API numbers
    them per measure, so OG000 of two measures may be different people)."""

    __tablename__ = "result_groups"
    id: Mapped[int] = mapped_column(primary_key=True)
    nct_id: Mapped[str] = _nct()
    result_type: Mapped[str]  # FLOW | BASELINE | OUTCOME | EVENTS
    outcome_measure_id: Mapped[int | None] = mapped_column(ForeignKey("outcome_measures.id", ondelete="CASCADE"),
                                                           index=True)
    position: Mapped[int]
    ctgov_group_code: Mapped[str]  # "FG000", "BG001", "OG000", "EG001"
    title: Mapped[str | None] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    # False for an id a value names but its module (or measure) does not list: flagged `unknown_group`
    # (trialdb/flags.py), kept so the value stays as posted; `export` lists only the listed groups.
    listed: Mapped[bool] = mapped_column(default=True)


class Milestone(Base):
    __tablename__ = "milestones"
    id: Mapped[int] = mapped_column(primary_key=True)
    nct_id: Mapped[str] = _nct()
    result_group_id: Mapped[int] = _group()
    period_position: Mapped[int]
    period: Mapped[str | None]
    position: Mapped[int]
    title: Mapped[str]  # the API's milestone type: STARTED, COMPLETED, NOT COMPLETED or the sponsor's own
    count: Mapped[str | None]  # numSubjects, as posted
    count_units: Mapped[str | None]  # numUnits, as posted
    comment: Mapped[str | None] = mapped_column(Text)
    milestone_comment: Mapped[str | None] = mapped_column(Text)


class DropWithdrawal(Base):
    __tablename__ = "drop_withdrawals"
    id: Mapped[int] = mapped_column(primary_key=True)
    nct_id: Mapped[str] = _nct()
    result_group_id: Mapped[int] = _group()
    period_position: Mapped[int]
    period: Mapped[str | None]
    position: Mapped[int]
    reason: Mapped[str]
    count: Mapped[str | None]
    comment: Mapped[str | None] = mapped_column(Text)


class BaselineCount(Base):
    __tablename__ = "baseline_counts"
    id: Mapped[int] = mapped_column(primary_key=True)
    nct_id: Mapped[str] = _nct()
    result_group_id: Mapped[int] = _group()
    denom_position: Mapped[int]
    units: Mapped[str | None]
    count: Mapped[str]


class BaselineMeasurement(Base):
    """AACT's flat layout: one row per measure, class, category and group; the measure's own fields
    repeat on each of its rows (a measure with no measurement keeps one row with no group)."""

    __tablename__ = "baseline_measurements"
    id: Mapped[int] = mapped_column(primary_key=True)
    nct_id: Mapped[str] = _nct()
    result_group_id: Mapped[int | None] = mapped_column(ForeignKey("result_groups.id", ondelete="CASCADE"),
                                                        index=True)
    measure_position: Mapped[int]
    title: Mapped[str] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    population_description: Mapped[str | None] = mapped_column(Text)
    param_type: Mapped[str | None]
    dispersion_type: Mapped[str | None]
    unit_of_measure: Mapped[str | None]
    class_position: Mapped[int | None]
    classification: Mapped[str | None] = mapped_column(Text)
    category_position: Mapped[int | None]
    category: Mapped[str | None] = mapped_column(Text)
    position: Mapped[int | None]
    param_value: Mapped[str | None]
    spread: Mapped[str | None]
    lower_limit: Mapped[str | None]
    upper_limit: Mapped[str | None]
    comment: Mapped[str | None] = mapped_column(Text)


class OutcomeCount(Base):
    """A posted denominator: measure-wide (class_position NULL) or for one class of the measure."""

    __tablename__ = "outcome_counts"
    id: Mapped[int] = mapped_column(primary_key=True)
    nct_id: Mapped[str] = _nct()
    outcome_measure_id: Mapped[int] = mapped_column(ForeignKey("outcome_measures.id", ondelete="CASCADE"), index=True)
    result_group_id: Mapped[int] = _group()
    class_position: Mapped[int | None]
    denom_position: Mapped[int]
    position: Mapped[int]
    units: Mapped[str | None]
    count: Mapped[str]


class OutcomeMeasurement(Base):
    __tablename__ = "outcome_measurements"
    id: Mapped[int] = mapped_column(primary_key=True)
    nct_id: Mapped[str] = _nct()
    outcome_measure_id: Mapped[int] = mapped_column(ForeignKey("outcome_measures.id", ondelete="CASCADE"),
                                                    index=True)
    result_group_id: Mapped[int] = _group()
    class_position: Mapped[int]
    classification: Mapped[str | None] = mapped_column(Text)
    category_position: Mapped[int]
    category: Mapped[str | None] = mapped_column(Text)
    position: Mapped[int]
    param_value: Mapped[str | None]  # the API's `value`, as posted
    spread: Mapped[str | None]
    lower_limit: Mapped[str | None]
    upper_limit: Mapped[str | None]
    comment: Mapped[str | None] = mapped_column(Text)


class OutcomeAnalysis(Base):
    __tablename__ = "outcome_analyses"
    id: Mapped[int] = mapped_column(primary_key=True)
    nct_id: Mapped[str] = _nct()
    outcome_measure_id: Mapped[int] = mapped_column(ForeignKey("outcome_measures.id", ondelete="CASCADE"),
                                                    index=True)
    position: Mapped[int]
    groups_description: Mapped[str | None] = mapped_column(Text)
    non_inferiority_type: Mapped[str | None]
    non_inferiority_description: Mapped[str | None] = mapped_column(Text)
    tested_non_inferiority: Mapped[bool | None]
    p_value: Mapped[str | None]  # as posted: "0.03", "<0.001"
    p_value_description: Mapped[str | None] = mapped_column(Text)
    method: Mapped[str | None]
    method_description: Mapped[str | None] = mapped_column(Text)
    param_type: Mapped[str | None]
    param_value: Mapped[str | None]
    dispersion_type: Mapped[str | None]
    dispersion_value: Mapped[str | None]
    ci_percent: Mapped[str | None]
    ci_n_sides: Mapped[str | None]
    ci_lower_limit: Mapped[str | None]
    ci_upper_limit: Mapped[str | None]
    ci_upper_limit_na_comment: Mapped[str | None] = mapped_column(Text)
    estimate_description: Mapped[str | None] = mapped_column(Text)
    other_analysis_description: Mapped[str | None] = mapped_column(Text)
    other_method_name: Mapped[str | None]


class OutcomeAnalysisGroup(Base):
    __tablename__ = "outcome_analysis_groups"
    id: Mapped[int] = mapped_column(primary_key=True)
    nct_id: Mapped[str] = _nct()
    outcome_analysis_id: Mapped[int] = mapped_column(ForeignKey("outcome_analyses.id", ondelete="CASCADE"),
                                                     index=True)
    result_group_id: Mapped[int] = _group()
    position: Mapped[int]


class ReportedEventTotal(Base):
    """Per event group: participants affected of at risk, for deaths, serious and other events."""

    __tablename__ = "reported_event_totals"
    id: Mapped[int] = mapped_column(primary_key=True)
    nct_id: Mapped[str] = _nct()
    result_group_id: Mapped[int] = _group()
    event_type: Mapped[str] = mapped_column(index=True)  # "deaths" | "serious" | "other"
    subjects_affected: Mapped[int | None]
    subjects_at_risk: Mapped[int | None]


class ReportedEvent(Base):
    """One adverse event term in one group (AACT's layout): `position` is the term's place in the list."""

    __tablename__ = "reported_events"
    id: Mapped[int] = mapped_column(primary_key=True)
    nct_id: Mapped[str] = _nct()
    result_group_id: Mapped[int] = _group()
    event_type: Mapped[str]  # "serious" | "other"
    position: Mapped[int]
    stat_position: Mapped[int]
    adverse_event_term: Mapped[str] = mapped_column(Text)
    organ_system: Mapped[str | None]
    source_vocabulary: Mapped[str | None]
    assessment: Mapped[str | None]
    notes: Mapped[str | None] = mapped_column(Text)
    event_count: Mapped[int | None]
    subjects_affected: Mapped[int | None]
    subjects_at_risk: Mapped[int | None]
