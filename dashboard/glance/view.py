"""The overview at a glance (issue 33), drawn: three small charts of the selection above its table, trials by indication
(or disease area, as the selection's palette groups them), by status and by year of stated start. A click on a
bar filters every page as the sidebar does (dashboard.filters.choose), so the URL keeps it and the sidebar, which a
keyboard reaches, shows it and clears it."""

from __future__ import annotations

import functools
import hashlib

import streamlit as st

from dashboard import data, filters
from dashboard.glance.specs import GLANCE_PICK, picked
from trialdb.queries import NOT_STATED, Filters

KEY = "glance"


def _apply(key: str) -> None:
    """A click on a bar (the chart's on_select callback, run before the page is drawn again): its filter set."""
    if choice := picked(st.session_state[key].selection.get(GLANCE_PICK, [])):
        filters.choose(*choice)


def charts(f: Filters) -> None:
    """The three charts side by side (stacked on a phone), with the caption that says what a click does, how a
    keyboard does the same, and how many trials state no start date."""
    # A chart's key names its filter: a selection made on one chart never carries over to the next (Streamlit keeps
    # a keyed chart's selection across reruns, whatever its data).
    view = hashlib.sha256(repr(f).encode()).hexdigest()[:12]
    specs = data.glance_charts(f)
    for i, (column, spec) in enumerate(zip(st.columns(len(specs)), specs, strict=True)):
        key = f"{KEY}_{view}_{i}"
        with column:
            st.vega_lite_chart(spec, width="stretch", key=key, on_select=functools.partial(_apply, key),
                               selection_mode=GLANCE_PICK)
    years = data.counts_by_start_year(f)
    undated = int(years.trials[years.year == NOT_STATED].sum())
    grouped = data.palette(f).by == "area"
    st.caption(
        "Click a bar to filter every page to it (shift-click adds bars), as the sidebar's "
        + ("Disease area" if grouped else "Indication") + ", Status and Year of start filters do; the URL keeps it. "
        "With a keyboard, choose the same in the sidebar, where every filter is also cleared. "
        + (f"{undated:,} trial{'s' if undated != 1 else ''} of the selection state{'s' if undated == 1 else ''} no "
           "start date: counted under “not stated”, never given a year. " if undated else "")
        + "Years are those of the start date each registry record states.")
