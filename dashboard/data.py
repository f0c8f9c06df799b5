"""Cached access to the database for the pages: one engine per server, query results cached per filter."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from sqlalchemy import Engine
from streamlit.errors import StreamlitSecretNotFoundError

from dashboard.theme import Palette
from trialdb import queries
from trialdb.build import ensure_database
from trialdb.db import make_engine
from trialdb.indications import AREA_BY_CODE, OTHER
from trialdb.queries import Filters


def _secret_url() -> str | None:
    """TRIALDB_URL from the app's secrets (Streamlit Community Cloud), if it has any."""
    try:
        return st.secrets.get("TRIALDB_URL")
    except StreamlitSecretNotFoundError:  # no secrets file at all: not an error, the environment or SQLite decides
        return None


@st.cache_resource(show_spinner="Building the trial database from seed_data/ (first start only)…")
def engine() -> Engine:
    # Built on first start when missing or older than seed_data/; then opened read-only.
    return make_engine(ensure_database(_secret_url()), readonly=True)


@st.cache_data(show_spinner=False)
def filter_options() -> dict:
    return queries.filter_options(engine())


@st.cache_data(show_spinner=False)
def studies(f: Filters) -> pd.DataFrame:
    return queries.studies(engine(), f)


@st.cache_data(show_spinner=False)
def headline(f: Filters) -> dict:
    return queries.headline(engine(), f)


@st.cache_data(show_spinner=False)
def counts_by(f: Filters) -> pd.DataFrame:
    return queries.counts_by(engine(), f)


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
    return queries.regimens(engine(), f)


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
    from dashboard import frames

    return frames.trials_table(studies(f))


@st.cache_data(show_spinner=False)
def dose_comparison(f: Filters) -> pd.DataFrame:
    from dashboard import frames

    return frames.dose_comparison(regimens(f))


# Figures that take tens of milliseconds to build, kept per filter. cache_resource hands out the one
# object, unpickled never: safe because st.plotly_chart copies a figure (to_dict) and nothing changes it.
@st.cache_resource(max_entries=200, show_spinner=False)
def counts_figure(f: Filters, by: str) -> go.Figure:
    from dashboard import figures, frames

    return figures.counts_pair(frames.counts_long(counts_by(f), by), by, palette(f))


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
def timeline_by_year_figure(f: Filters) -> go.Figure:
    from dashboard import figures

    return figures.timeline_by_year(timeline_by_year(f))
