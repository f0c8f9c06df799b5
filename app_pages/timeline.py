"""Timeline: each trial from stated start to stated completion, with registry and publication milestones."""

import datetime as dt

import streamlit as st

from dashboard import data, filters, frames, ui

TABLES = ["Dates as stated", "Milestones", "Dates not stated in source"]  # a tab each

filters.page_title("Timeline")
f = filters.current()
if data.studies(f).empty:
    ui.empty_state()
    st.stop()

dated, n_dated = data.timeline(f)
undated, n_undated = data.undated(f)
pubs = data.publications(f)
milestones = frames.milestones(dated, pubs)
today = dt.date.today()

if n_dated == 0:
    st.info("No trial in this selection states a start date in its source, so there is nothing to place on "
            "a calendar. They are listed below.")
elif n_dated > len(dated):
    st.warning(f"{n_dated:,} trials state dates: too many to draw one bar each, so they are counted by year of "
               f"start below; the table lists the first {len(dated):,}, by indication and start date.")
    ui.plot(data.timeline_by_year_figure(f), "timeline_years")
else:
    ui.plot(data.timeline_figure(f, today), "timeline")
    st.caption("Bars run from the stated start to the stated completion date and are coloured by status; "
               "rows are grouped by indication; a triangle is a start with no completion date stated. Diamonds: last "
               "registry update; stars: publication dates, filled for the online (epub) date and hollow for the "
               "print issue (a month-only date is drawn at the month's first day). The dotted line is today.")

# The tables a tab each, kept in the URL (?timeline_table=Milestones): every one has its sort and pages, and
# drawing one is what keeps the page within issue 21's load time. What is not drawn is said above them.
if n_undated:
    st.markdown(f"{n_undated:,} trial(s) in this selection state no start or completion date in their source "
                "documents. They are not drawn, and no dates are invented for them: see *Dates not stated in "
                "source*.")
stated, events, not_stated = filters.url_tabs(TABLES, "timeline_table")
if stated.open:
    with stated:
        if n_dated:
            ui.table(frames.timeline_table(dated), "timeline_dates", "il2_trial_dates.csv", matching=n_dated)
        else:
            st.markdown("No trial in this selection states a start date in its source.")
if events.open:
    with events:
        if milestones.empty:
            st.markdown("No registry update or publication date is stated for the trials drawn.")
        else:
            ui.table(milestones.rename(columns={"nct_id": "Trial", "kind": "Milestone", "date": "Date",
                                                "detail": "Detail"}),
                     "timeline_milestones", "il2_milestones.csv",
                     caption="Milestones of the trials in the table of dates." if n_dated > len(dated) else None)
if not_stated.open:
    with not_stated:
        if n_undated:
            ui.table(frames.timeline_table(undated), "timeline_undated", "il2_trials_dates_not_stated.csv",
                     matching=n_undated)
        else:
            st.markdown("Every trial in this selection states its start date.")
