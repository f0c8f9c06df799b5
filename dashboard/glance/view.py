"""The overview at a glance (issue 33), drawn: three small charts of the selection above its table, trials by indication
(or disease area, as the selection's palette groups them), by status and by year of stated start, as HTML bars
(dashboard.glance.bars). Each bar is a link to the overview filtered to it, the rest of the filter and search kept:
the URL keeps it, the sidebar shows it and clears it."""

from __future__ import annotations

import streamlit as st

from dashboard import data, filters
from dashboard.glance import bars
from trialdb.queries import NOT_STATED, Filters

TABLE = "the-table"  # the id of the overview's table heading: the charts' skip link goes there


def charts(f: Filters) -> None:
    """The three charts in one HTML element, with the caption that says what a click does and how many trials
    state no start date. The overview's table heading takes the id TABLE."""
    kept = [*filters.url_filter(), *(("sponsor", s) for s in st.session_state.get("sponsor") or [])]
    what = data.noun(f)  # "trials", or "studies" when several study types are chosen
    st.html(bars.charts(data.glance_charts(f), kept, what, skip_to=TABLE))
    years = data.counts_by_start_year(f)
    undated = int(years.trials[years.year == NOT_STATED].sum())
    grouped = data.palette(f).by == "area"
    st.caption(
        f"Click a bar (or reach it with Tab and press Enter) to show only its {what} on every page, as the sidebar's "
        + ("Disease area" if grouped else "Indication") + ", Status and Year of start filters do; the link keeps the "
        "rest of the filter and search, the URL keeps the choice and the sidebar clears it. "
        + (f"{bars.count(undated, what)} of the selection state{'s' if undated == 1 else ''} no "
           "start date: counted under “not stated”, never given a year. " if undated else "")
        + "Years are those of the start date each registry record states.")
