"""Cached access to the database for the pages: one engine per server, query results cached per filter."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from sqlalchemy import Engine
from streamlit.errors import StreamlitSecretNotFoundError

from dashboard.theme import Palette
from trialdb import queries, reporting
from trialdb.indications import AREA_BY_CODE, OTHER
from trialdb.queries import Filters
from trialdb.store.db import database_url, make_engine
from trialdb.store.freshness import is_fresh


def _secret_url() -> str | None:
    """TRIALDB_URL from the app's secrets (Streamlit Community Cloud), if it has any."""
    try:
        return st.secrets.get("TRIALDB_URL")
    except StreamlitSecretNotFoundError:  # no secrets file at all: not an error, the environment or SQLite decides
        return None


@st.cache_resource(show_spinner="Building the trial database from seed_data/ (first start only)…")
def engine() -> Engine:
    """The database, opened read-only; built first when missing or older than seed_data/. The builder
    (trialdb.build: parsers, importer, checks) is imported only then, so a start with a fresh database
    does not pay for loading it."""
    url = _secret_url() or database_url()
    if not is_fresh(url):
        from trialdb.build import build_stale

        build_stale(url)
    return make_engine(url, readonly=True)


@st.cache_data(show_spinner=False)
def filter_options() -> dict:
    return queries.filter_options(engine())


@st.cache_data(show_spinner=False)
def studies(f: Filters) -> pd.DataFrame:
    return queries.studies(engine(), f)


@st.cache_data(show_spinner=False)
def headline(f: Filters) -> dict:
    return queries.headline(engine(), f)


def noun(f: Filters) -> str:
    """What the selection's counts count: "trials" when it holds only interventional studies (queries.headline),
    else "studies" (observational studies or expanded access programmes chosen under Study type)."""
    return "trials" if headline(f)["only_interventional"] else "studies"


@st.cache_data(show_spinner=False)
def study_types(f: Filters) -> dict[str, int]:
    """Studies of the filter by study type, whatever its study type choice (queries.study_types)."""
    return queries.study_types(engine(), f)


@st.cache_data(show_spinner=False)
def search_matches(f: Filters) -> dict:
    """Where each trial of the filter matched its search, ranked, with snippets (queries.search_matches)."""
    return queries.search_matches(engine(), f)


@st.cache_data(show_spinner=False)
def counts_by(f: Filters) -> pd.DataFrame:
    return queries.counts_by(engine(), f)


@st.cache_data(show_spinner=False)
def counts_by_start_year(f: Filters) -> pd.DataFrame:
    return queries.counts_by_start_year(engine(), f)


@st.cache_data(show_spinner=False)
def timeline(f: Filters) -> tuple[pd.DataFrame, int]:
    return queries.timeline(engine(), f)


@st.cache_data(show_spinner=False)
def timeline_by_year(f: Filters) -> pd.DataFrame:
    return queries.timeline_by_year(engine(), f)


@st.cache_data(show_spinner=False)
def undated(f: Filters) -> tuple[pd.DataFrame, int]:
    return queries.undated(engine(), f)


@st.cache_data(show_spinner=False)
def publications(f: Filters) -> pd.DataFrame:
    return queries.publications(engine(), f)


@st.cache_data(show_spinner=False)
def outcomes(f: Filters) -> pd.DataFrame:
    return queries.outcomes(engine(), f)


@st.cache_data(show_spinner=False)
def regimens(f: Filters) -> pd.DataFrame:
    """One row per arm and drug (queries.regimens), with the columns dashboard/dosing/view.py describes."""
    return queries.regimens(engine(), f)


# A few trials' outcomes and regimens whatever the filter (Compare): read alone, not cut from every trial's
# (at 10,000 trials those frames take longer to unpickle from the cache than these queries take to run).
@st.cache_data(show_spinner=False, max_entries=500)
def outcomes_of(nct_ids: tuple[str, ...]) -> pd.DataFrame:
    return queries.outcomes(engine(), Filters(None), nct_ids)


@st.cache_data(show_spinner=False, max_entries=500)
def regimens_of(nct_ids: tuple[str, ...]) -> pd.DataFrame:
    """In the order of `nct_ids` (the order a researcher chose them), each trial's arms as curated."""
    reg = queries.regimens(engine(), Filters(None), nct_ids)
    return reg.assign(order=reg.nct_id.map(nct_ids.index)).sort_values(["order", "id"], kind="stable")


@st.cache_data(show_spinner=False)
def trials_without_regimen(f: Filters) -> tuple[pd.DataFrame, int]:
    return queries.trials_without_regimen(engine(), f)


@st.cache_data(show_spinner=False)
def study_choices(f: Filters) -> list[tuple[str, str]]:
    return queries.study_choices(engine(), f)


@st.cache_data(show_spinner=False)
def study_record(nct_id: str) -> queries.StudyRecord | None:
    return queries.study_record(engine(), nct_id)


@st.cache_data(show_spinner=False)
def merged_into(nct_id: str) -> str | None:
    return queries.merged_into(engine(), nct_id)


@st.cache_data(show_spinner=False)
def retractions() -> dict[str, list[tuple[str | None, str | None]]]:
    return queries.retractions(engine())


@st.cache_data(show_spinner=False)
def publication_quotes(pmid: str) -> dict:
    return queries.publication_quotes(engine(), pmid)


@st.cache_data(show_spinner=False)
def outcome_trials() -> list[tuple[str, str]]:
    return queries.outcome_trials(engine())


@st.cache_data(show_spinner=False)
def dosing_choices(f: Filters, max_trials: int, max_curves: int) -> dict:
    """What the dosing page offers, small enough to load on every run (the regimens of 10,000 trials
    take ~90 ms to load from the cache): the first `max_trials` trials with a regimen and their titles,
    how many there are, and the IL-2 arms to draw when there are at most `max_curves`."""
    reg = regimens(f)
    trials = list(dict.fromkeys(reg.nct_id))
    titles = dict(zip(reg.nct_id, reg.brief_title, strict=False))
    il2 = reg[reg.is_il2]
    return {"trials": trials[:max_trials], "titles": {n: titles[n] for n in trials[:max_trials]},
            "n_trials": len(trials), "n_il2": len(il2), "il2": il2 if len(il2) <= max_curves else None}


@st.cache_data(show_spinner=False)
def trial_regimens(f: Filters, nct_id: str) -> pd.DataFrame:
    reg = regimens(f)
    return reg[reg.nct_id == nct_id].reset_index(drop=True)


# Prepared frames, cached per filter like the queries they come from: nothing is rebuilt on a rerun.
@st.cache_data(show_spinner=False)
def trials_table(f: Filters) -> pd.DataFrame:
    """The overview's table of trials (dashboard.frames.trials_table) with a link to each trial's record."""
    from dashboard import frames, ui

    trials = studies(f)
    table = frames.trials_table(trials).assign(Record=[ui.record_link(n) for n in trials.nct_id])
    # With a search: where each trial matched, best-ranked first (trialdb.search.TIERS)
    return frames.with_matches(table, trials.nct_id.tolist(), search_matches(f)) if f.query else table


@st.cache_data(show_spinner=False)
def key_results(f: Filters, pmids: tuple[str, ...]) -> dict[str, str | None]:
    """Each publication's key result in one line (dashboard.summaries.key_result), for the overview's list."""
    from dashboard.summaries import key_result

    found = outcomes(f)
    return {pmid: key_result(found, pmid) for pmid in pmids}


# Figures that take tens of milliseconds to build, kept per filter. cache_resource hands out the one
# object, unpickled never: safe because st.plotly_chart copies a figure (to_dict), st.vega_lite_chart a spec, and
# nothing changes them. A Vega-Lite chart is kept as its spec (Altair's to_dict, validated once): made on every
# run, the spec of each of the Outcomes page's charts took 30 to 50 ms (issue 21).
@st.cache_resource(max_entries=200, show_spinner=False)
def counts_figure(f: Filters, by: str) -> list[dict[str, Any]]:
    from dashboard import figures, frames

    return [c.to_dict() for c in figures.counts_pair(frames.counts_long(counts_by(f), by), by, palette(f),
                                                     noun(f).capitalize())]


@st.cache_resource(max_entries=200, show_spinner=False)
def glance_charts(f: Filters) -> list[tuple[pd.DataFrame, str, bool]]:
    """The overview's three charts at a glance as (frame, title, horizontal) for dashboard.glance.bars: trials by
    indication (or disease area, as the selection's palette groups them), by status and by year of stated start
    (frames.glance_* frames), "Studies by ..." when the selection holds several study types. Kept per filter like
    counts_figure."""
    from dashboard import frames

    counts = counts_by(f)
    pal = palette(f)
    what = {"indication": "indication", "largest": "indication", "area": "disease area"}[pal.by]
    counted = noun(f).capitalize()
    return [(frames.glance_by_series(counts, pal, indication_areas()), f"{counted} by {what}", True),
            (frames.glance_by_status(counts), f"{counted} by status", True),
            (frames.glance_by_year(counts_by_start_year(f)), f"{counted} by year of stated start", False)]


@st.cache_data(show_spinner=False)
def counts_tables(f: Filters, by: str, title: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The Phase and status page's tables per `by` ("phase" or "status", headed `title`): one row per value with a
    column per series of the selection's palette (frames.counts_wide), and the long form, one row per value and
    indication (frames.counts_by_indication: the CSV, and the list of every indication). Kept per filter: made on
    every run they were a fifth of the page's script at 10,000 trials (issue 33)."""
    from dashboard import frames

    long = frames.counts_long(counts_by(f), by)
    return (frames.counts_wide(long, by, title, palette(f), noun(f)),
            frames.counts_by_indication(long, by, title, area_names(), noun(f)))


# Colours: one palette per filter, from the indications its trials have, so every page of one
# selection groups and colours them alike.
@st.cache_data(show_spinner=False)
def palette(f: Filters) -> Palette:
    from dashboard.theme import palette as make

    counts = counts_by(f).groupby("indication").trials.sum()
    areas = indication_areas()
    return make((code, areas.get(code, OTHER), int(n)) for code, n in counts.items())


@st.cache_data(show_spinner=False)
def indication_areas() -> dict[str, str]:
    """Indication code -> area code, for every indication in the database."""
    return {code: area for code, area, _ in filter_options()["indication_areas"]}


@st.cache_data(show_spinner=False)
def area_names() -> dict[str, str]:
    """Indication code -> the name of its disease area."""
    return {code: AREA_BY_CODE[area].name if area in AREA_BY_CODE else area for code, area in indication_areas().items()}


@st.cache_resource(max_entries=200, show_spinner=False)
def timeline_figure(f: Filters, today: dt.date) -> dict[str, Any]:
    """Each trial's stated period and its milestones (the Timeline page, while few enough to draw one each)."""
    from dashboard import figures, frames

    dated = timeline(f)[0]
    return figures.timeline(dated, frames.milestones(dated, publications(f)), today).to_dict()


@st.cache_resource(max_entries=200, show_spinner=False)
def timeline_by_year_figure(f: Filters) -> dict[str, Any]:
    from dashboard import figures

    return figures.timeline_by_year(timeline_by_year(f)).to_dict()


# Registry changes ("What's new") and how current the registry data is.
@st.cache_data(show_spinner=False)
def changes(f: Filters, limit: int = 20_000) -> tuple[pd.DataFrame, int]:
    from trialdb.registry import changes as ch

    return ch.changes_frame(engine(), f.where(), limit)


@st.cache_data(show_spinner=False)
def changes_by_month(f: Filters) -> pd.DataFrame:
    from trialdb.registry import changes as ch

    return ch.changes_by_month(engine(), f.where())


@st.cache_data(show_spinner=False)
def change_order(f: Filters) -> pd.DataFrame:
    from dashboard.changes import trial_order

    return trial_order(changes(f)[0])


@st.cache_resource(max_entries=200, show_spinner=False)
def changes_figure(f: Filters) -> go.Figure:
    from dashboard.changes import by_month_and_kind, changes_over_time

    return changes_over_time(by_month_and_kind(changes_by_month(f)))


@st.cache_data(show_spinner=False)
def registry_status() -> dict[str, str] | None:
    from trialdb.registry import changes as ch

    return ch.registry_status(engine())


@st.cache_data(show_spinner=False)
def seed_registry_differences(nct_id: str) -> list:
    from trialdb.registry import changes as ch

    return ch.seed_registry_differences(engine(), nct_id)


# Registry results (trialdb/results/queries.py): per filter, per trial, per outcome measure.
@st.cache_data(show_spinner=False)
def results_trials(f: Filters) -> pd.DataFrame:
    from trialdb.results import queries as results_queries

    return results_queries.results_trials(engine(), f)


@st.cache_data(show_spinner=False)
def results_date(nct_id: str) -> tuple[str | None, str | None] | None:
    from trialdb.results import queries as results_queries

    return results_queries.results_date(engine(), nct_id)


@st.cache_data(show_spinner=False)
def outcome_measures(nct_id: str) -> pd.DataFrame:
    from trialdb.results import queries as results_queries

    return results_queries.outcome_measures(engine(), nct_id)


@st.cache_data(show_spinner=False)
def measure_data(measure_id: int) -> dict[str, pd.DataFrame]:
    from dashboard.results.frames import distinct_groups
    from trialdb.results import queries as results_queries

    data = results_queries.measure_data(engine(), measure_id)
    return {**data, "groups": distinct_groups(data["groups"])}


@st.cache_data(show_spinner=False)
def adverse_events(nct_id: str) -> dict[str, pd.DataFrame]:
    from dashboard.results.frames import distinct_groups
    from trialdb.results import queries as results_queries

    return {k: distinct_groups(v) for k, v in results_queries.adverse_events(engine(), nct_id).items()}


@st.cache_data(show_spinner=False)
def event_totals(f: Filters, event_type: str) -> pd.DataFrame:
    from dashboard.results.frames import distinct_groups
    from trialdb.results import queries as results_queries

    return distinct_groups(results_queries.event_totals(engine(), f, event_type), ("nct_id",))


# Prepared registry-results frames: a trial may post thousands of adverse-event terms.
@st.cache_data(show_spinner=False)
def events_table(nct_id: str, kinds: tuple[str, ...], sort: str) -> pd.DataFrame:
    from dashboard.results import frames as results_frames

    return results_frames.events_table(adverse_events(nct_id)["events"], kinds, sort)


@st.cache_data(show_spinner=False)
def events_chart_frame(nct_id: str, kind: str) -> tuple[pd.DataFrame, int]:
    from dashboard.results import frames as results_frames

    return results_frames.events_chart_frame(adverse_events(nct_id)["events"], kind)


@st.cache_data(show_spinner=False)
def results_forest(f: Filters, event_type: str) -> tuple[pd.DataFrame, int]:
    from dashboard.results import frames as results_frames

    return results_frames.forest_frame(event_totals(f, event_type))


@st.cache_data(show_spinner=False)
def outcome_choices(f: Filters, max_trials: int) -> dict:
    """What the Outcomes page offers, small enough to load on every run (the filter's studies frame
    takes ~0.2 s to unpickle at 10,000 trials): trials with published outcomes, then trials with
    registry results (the first `max_trials`), what each has, their titles and the counts."""
    raw, posted, studies_ = outcomes(f), results_trials(f), studies(f)
    kinds = {n: "published outcomes" for n in dict.fromkeys(raw.nct_id)}
    for n in posted.nct_id:
        kinds[n] = "published outcomes and registry results" if n in kinds else "registry results"
    offered = dict(list(kinds.items())[:max_trials])
    titles = {n: t for n, t in zip(studies_.nct_id, studies_.brief_title, strict=True) if n in offered}
    return {"choices": offered, "titles": titles, "n_with_outcomes": len(kinds), "n_trials": len(studies_),
            "n_published": raw.nct_id.nunique(), "n_posted": len(posted)}


# A publication's figures, kept per trial, publication and title: 0.2 s of the Outcomes page's run when built
# every time (issue 21).
@st.cache_resource(max_entries=200, show_spinner=False)
def outcome_bars_figure(nct_id: str, pmid: str, _groups: pd.DataFrame, title: str, counts: bool = False) -> dict[str, Any]:
    """figures.outcome_bars of `_groups` (frames.outcome_groups rows of one measure), kept per trial, publication
    and title: what a publication published for a trial is the same under any filter, so the rows need not
    be hashed on every run (7 ms for the seed SLE trial's three charts)."""
    from dashboard import figures

    return figures.outcome_bars(_groups, title, counts=counts).to_dict()


@st.cache_resource(max_entries=200, show_spinner=False)
def forest_figure(rd: pd.DataFrame) -> go.Figure:
    from dashboard import figures

    return figures.forest(rd)


@st.cache_resource(max_entries=200, show_spinner=False)
def dosing_calendar_figure(f: Filters, nct_id: str, arm: str) -> dict[str, Any]:
    """One arm's administration calendar (the Dosing page), kept like counts_figure."""
    from dashboard import figures

    trial = trial_regimens(f, nct_id)
    return figures.dosing_calendar(trial[trial.arm == arm], f"Administration calendar: {nct_id}, arm “{arm}”").to_dict()


@st.cache_resource(max_entries=200, show_spinner=False)
def compare_calendar_figure(nct_ids: tuple[str, ...]) -> dict[str, Any]:
    """The chosen trials' dosing on one time axis (Compare), kept like counts_figure."""
    from dashboard import compare, figures

    reg = regimens_of(nct_ids)
    return figures.dosing_calendar(reg, "Dosing calendars of the chosen trials",
                                   labels=compare.arm_labels(reg)).to_dict()


@st.cache_resource(max_entries=200, show_spinner=False)
def cumulative_figure(arms: pd.DataFrame, highlight: tuple[str, str], pal: Palette, title: str) -> dict[str, Any]:
    """The cumulative IL-2 dose of the arms shown (the Dosing page), kept like counts_figure."""
    from dashboard import figures

    return figures.cumulative_il2(arms, highlight=highlight, palette=pal, title=title).to_dict()


@st.cache_data(show_spinner=False, max_entries=500)
def measure_view(measure_id: int, dispersion_type: str | None, unit: str | None) -> dict[str, Any]:
    """One posted outcome measure as its tab shows it, kept per measure (a trial may post hundreds, and each
    load of the tab made these again), from its long form (results_frames.measure_long): "kind" (measure_kind),
    "skipped" (posted values that are not numbers), "analyses" (analyses_table) and "table" (measure_table, with
    the measure's `dispersion_type` and `unit` as posted)."""
    from dashboard.results import frames as results_frames

    detail = measure_data(measure_id)
    long = results_frames.measure_long(detail)
    return {"kind": results_frames.measure_kind(long), "skipped": int(long.y.isna().sum()),
            "analyses": results_frames.analyses_table(detail),
            "table": results_frames.measure_table(long, dispersion_type, unit)}


# Registry-results figures, kept like the other slow figures (see counts_figure).
@st.cache_resource(max_entries=200, show_spinner=False)
def measure_figure(measure_id: int, title: str, unit: str | None, error: str | None) -> dict[str, Any] | None:
    from dashboard.results import figures as results_figures
    from dashboard.results import frames as results_frames

    long = results_frames.measure_long(measure_data(measure_id))
    kind = results_frames.measure_kind(long)
    return None if kind == "none" else results_figures.measure_figure(long, kind, title, unit, error).to_dict()


@st.cache_resource(max_entries=200, show_spinner=False)
def events_figure(nct_id: str, kind: str) -> go.Figure | None:
    from dashboard.results import figures as results_figures

    frame, total = events_chart_frame(nct_id, kind)
    return None if frame.empty else results_figures.events_figure(frame, kind, frame.term.nunique(), total)


@st.cache_resource(max_entries=200, show_spinner=False)
def results_forest_figure(f: Filters, event_type: str, what: str) -> go.Figure:
    from dashboard.results import figures as results_figures

    return results_figures.forest_figure(results_forest(f, event_type)[0], what, palette=palette(f))


@st.cache_data(show_spinner=False)
def shared_count_measures(f: Filters) -> pd.DataFrame:
    from trialdb.results import queries as results_queries

    return results_queries.shared_count_measures(engine(), f)


@st.cache_data(show_spinner=False)
def count_forest(f: Filters, title_key: str) -> tuple[pd.DataFrame, int, int]:
    from dashboard.results import frames as results_frames
    from trialdb.results import queries as results_queries

    values = results_frames.distinct_groups(results_queries.count_measure_values(engine(), f, title_key),
                                            ("nct_id", "measure_id"))
    totals, dropped = results_frames.count_totals(values)
    forest, n_trials = results_frames.forest_frame(totals)
    return forest, n_trials, dropped


@st.cache_resource(max_entries=200, show_spinner=False)
def count_forest_figure(f: Filters, title_key: str, what: str) -> go.Figure:
    from dashboard.results import figures as results_figures

    return results_figures.forest_figure(count_forest(f, title_key)[0], what, counted="counted", palette=palette(f))


@st.cache_data(show_spinner=False)
def participant_flow(nct_id: str) -> dict:
    from dashboard.results.frames import distinct_groups
    from trialdb.results import queries as results_queries

    flow = results_queries.participant_flow(engine(), nct_id)
    return {**flow, "milestones": distinct_groups(flow["milestones"]), "drops": distinct_groups(flow["drops"])}


# Issue 20: the Dosing schedules page for the whole portfolio and the studies the registry query also matched.
# The pages use these names; what they return is described in dashboard/dosing/view.py (regimens) and below.
@st.cache_data(show_spinner=False)
def dosing_comparison(f: Filters) -> pd.DataFrame:
    """The comparison table: frames.dose_comparison with source, verbatim quote and what was not read."""
    from dashboard import frames
    from dashboard.dosing import view as dosing_view

    reg = regimens(f)
    return dosing_view.comparison(reg, frames.dose_comparison(reg))


@st.cache_data(show_spinner=False)
def dosing_unread(f: Filters) -> pd.DataFrame:
    from dashboard.dosing import view as dosing_view

    return dosing_view.unread(regimens(f))


@st.cache_data(show_spinner=False)
def landscape_points(f: Filters) -> pd.DataFrame:
    from dashboard.dosing import landscape

    return landscape.points(regimens(f))


@st.cache_data(show_spinner=False)
def landscape_table(f: Filters) -> pd.DataFrame:
    """The landscape's points as a table with a link to each trial (landscape.table), kept per filter."""
    from dashboard.dosing import landscape

    return landscape.table(landscape_points(f))


@st.cache_resource(max_entries=200, show_spinner=False)
def landscape_charts(f: Filters) -> list[dict[str, Any]]:
    """The landscape's charts, a Vega-Lite spec per panel (dashboard/dosing/landscape.py), kept like counts_figure."""
    from dashboard.dosing import landscape

    return [c.to_dict() for c in landscape.charts(landscape_points(f), palette(f))]


ALSO_MATCHED_COLUMNS = ["nct_id", "brief_title", "indication", "category", "reason", "quote", "path", "source"]


@st.cache_data(show_spinner=False)
def also_matched(f: Filters) -> pd.DataFrame:
    """Studies the registry query matched that are not in the portfolio (the sidebar filter applies to them
    too), one row each: ALSO_MATCHED_COLUMNS, `category` a trialdb.portfolio.classifier.CATEGORIES key."""
    return queries.also_matched(engine(), f)


@st.cache_data(show_spinner=False)
def engineered_studies(f: Filters) -> pd.DataFrame:
    """The engineered-IL-2 trials of the filter, in the studies frame's shape (shown beside the portfolio,
    never pooled with it)."""
    return queries.studies(engine(), dataclasses.replace(f, portfolio="engineered"))


@st.cache_data(show_spinner=False)
def evidence(f: Filters, today: dt.date) -> pd.DataFrame:
    """Reporting status per trial on `today` (an argument, so the cache turns over with the date)."""
    return queries.evidence(engine(), f, today)


@st.cache_data(show_spinner=False, max_entries=200)
def evidence_publications(nct_ids: tuple[str, ...]) -> list[dict[str, Any]]:
    return queries.evidence_publications(engine(), nct_ids)


@st.cache_data(show_spinner=False, max_entries=500)
def evidence_of(nct_id: str, today: dt.date) -> reporting.Reporting:
    """One trial's reporting status on `today` (trialdb.reporting)."""
    return queries.reporting_of(engine(), nct_id, today)


@st.cache_resource(max_entries=200, show_spinner=False)
def reporting_chart(f: Filters, today: dt.date) -> dict[str, Any]:
    from dashboard import evidence as ev

    return ev.reporting_chart(evidence(f, today)).to_dict()


@st.cache_data(show_spinner=False)
def evidence_table(f: Filters, today: dt.date) -> pd.DataFrame:
    """The Evidence page's table of every trial, as shown (dashboard.evidence.table), with a link to its record."""
    from dashboard import evidence as ev
    from dashboard.ui import record_link

    trials = evidence(f, today)
    return ev.table(trials).assign(Record=[record_link(n) for n in trials.nct_id])


# Issue 33: the Where and who page (trialdb/geography.py, dashboard/geography.py).
@st.cache_data(show_spinner=False)
def sites(f: Filters) -> pd.DataFrame:
    """The selection's placed sites, one row per geoPoint, country and indication (trialdb.geography.sites)."""
    from trialdb import geography

    return geography.sites(engine(), f)


@st.cache_data(show_spinner=False)
def countries(f: Filters) -> tuple[pd.DataFrame, int]:
    """Trials and sites per country, and the trials naming no country (trialdb.geography.countries)."""
    from trialdb import geography

    return geography.countries(engine(), f)


@st.cache_data(show_spinner=False)
def sponsors(f: Filters) -> pd.DataFrame:
    """Trials per sponsor, as lead and as collaborator, with its classes (trialdb.geography.sponsors)."""
    from trialdb import geography

    return geography.sponsors(engine(), f)


@st.cache_data(show_spinner=False, max_entries=500)
def known_sponsors(names: tuple[str, ...]) -> list[str]:
    """The sponsor names of `names` the database has (the sponsor filter's check of a link)."""
    from trialdb import geography

    return geography.known_sponsors(engine(), names)


@st.cache_data(show_spinner=False)
def site_marks(f: Filters) -> pd.DataFrame:
    """The map's marks, one per place and series (dashboard.geography.site_marks), kept per filter."""
    from dashboard import geography

    return geography.site_marks(sites(f), palette(f))


@st.cache_resource(max_entries=200, show_spinner=False)
def world_map(f: Filters) -> dict[str, Any]:
    """The Where and who page's map as a Vega-Lite spec (dashboard.geography.world_map), kept like counts_figure."""
    from dashboard import geography

    return geography.world_map(site_marks(f), countries(f)[0], palette(f), noun=noun(f).capitalize())
