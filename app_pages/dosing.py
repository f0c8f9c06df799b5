"""Dosing schedules of the whole portfolio, a tab each (kept in the URL): every IL-2 arm on one chart (dose against
frequency), one arm's administration calendar, cumulative IL-2, a comparison table with each regimen's source
and quote, and what could not be read."""

import functools
import hashlib

import pandas as pd
import streamlit as st

from dashboard import data, filters, ui, vl
from dashboard.dosing import landscape
from dashboard.dosing import view as dosing_view

MAX_CHOICES = 500
MAX_CURVES = 12
CHART = "landscape"
OPEN = "_landscape_open"


def _chosen(points: list) -> tuple[list[str], bool]:
    """The trials of the chosen landscape markers, in order, and whether they hold more than those (a marker
    names its first landscape.LINKED trials): each point is a chart's selection of one marker, the fields
    landscape.SELECTED."""
    return vl.chosen_trials(points, "trials", "n_trials")


def _open_trial(key: str) -> None:
    """A click on a marker of one trial opens its record (a marker of several trials: links below)."""
    ncts, more = _chosen(st.session_state[key].selection.get(landscape.PICK, []))
    if len(ncts) == 1 and not more:
        st.session_state[OPEN] = ncts[0]


if nct_to_open := st.session_state.pop(OPEN, None):
    st.switch_page("app_pages/trial_record.py", query_params={"nct": nct_to_open})

filters.page_title("Dosing schedules")
f = filters.current()
if data.studies(f).empty:
    ui.empty_state()
    st.stop()
choices = data.dosing_choices(f, MAX_CHOICES, MAX_CURVES)


def every_arm() -> None:
    """Every active IL-2 arm on one chart, dose against frequency; its table on request."""
    pts = data.landscape_points(f)
    if pts.empty:
        st.info("No trial in this selection has an active IL-2 arm with a regimen, curated or read from its "
                "registry record: nothing to draw. The other tabs show the regimens it has.")
        return
    specs = data.landscape_charts(f)
    if not specs:
        st.info("No active IL-2 arm in this selection states both a dose and a frequency: nothing to draw. The "
                "table below lists each arm and what it lacks.")
    points: list = []
    # A chart's key names its filter and basis: a selection made on one chart never carries over to another
    # (Streamlit keeps a keyed chart's selection across reruns, whatever its data).
    view = hashlib.sha256(repr(f).encode()).hexdigest()[:12]
    for spec, axis in zip(specs, landscape.panels(pts), strict=True):
        key = f"{CHART}_{view}_{axis}"
        event = st.vega_lite_chart(spec, width="stretch", key=key, on_select=functools.partial(_open_trial, key),
                                   selection_mode=landscape.PICK)
        points += event.selection.get(landscape.PICK, [])
    n_drawn = int(pts.drawn.sum())
    gaps = landscape.not_drawn(pts)
    not_drawn = (f" {len(pts) - n_drawn:,} of {len(pts):,} arms are not drawn: "
                 + "; ".join(f"{n:,} {why}" for why, n in gaps.items()) + "." if gaps else
                 " The one active IL-2 arm is drawn." if len(pts) == 1 else
                 f" All {len(pts):,} active IL-2 arms are drawn.")
    st.caption("Each marker is the active IL-2 arms of one indication (or area) at one dose and frequency, its area "
               "growing with their number: the dose of the first administration as written in the record "
               "(IU units converted to IU here, so 1 million IU is 1,000,000 IU), on a log scale, against "
               "administrations per week while dosing, computed here from the schedule (every other day = 3.5; 5 days "
               "a week = 5). Markers at one dose and frequency are set side by side, smaller ones drawn over larger. Flat, per-m² "
               "and per-kg doses are in separate charts: they cannot share an axis. Colours are the selection's "
               "indications (or areas); hover names the arms, dose as written and schedule. Click a marker "
               "to open its trial's record (or list its trials); the table below the chart links every arm." + not_drawn)
    chosen, more = _chosen(points)
    if more or len(chosen) > landscape.LINKED:
        st.caption(f"More than {landscape.LINKED} trials chosen on the chart: the first {landscape.LINKED} are "
                   "linked here, and the table below links every arm.")
    for nct in chosen[:landscape.LINKED]:
        st.page_link("app_pages/trial_record.py", label=f"Open the record of {nct}", icon=":material/description:",
                     query_params={"nct": nct})
    # The table is made and drawn only when opened (thousands of rows at 10,000 trials).
    table = st.expander(f"The chart as a table: {len(pts):,} active IL-2 arms, each with a link to its trial",
                        key="landscape_table_open", on_change="rerun")
    if table.open:
        with table:
            ui.table(data.landscape_table(f), "landscape_table", "il2_dosing_landscape.csv")


def chosen_arm() -> tuple[str, str, pd.DataFrame]:
    """The trial and arm chosen, and the trial's regimens. The Calendar and Cumulative dose tabs ask the same two
    questions with the same keys, so a choice made on one carries over to the other."""
    trials, titles = choices["trials"], choices["titles"]
    if choices["n_trials"] > MAX_CHOICES:  # a list of thousands is no use to pick from, and slow to send
        st.caption(f"{choices['n_trials']:,} trials with a regimen match the filter; the list offers the first "
                   f"{MAX_CHOICES}. Narrow the filter to reach the others.")
    left, right = st.columns(2)
    nct = left.selectbox("Trial", trials, format_func=lambda n: f"{n} · {titles[n][:70]}", key="dosing_trial")
    trial = data.trial_regimens(f, nct)
    arms = list(dict.fromkeys(trial.arm))
    arm = right.selectbox("Arm", arms, key=f"dosing_arm_{nct}")
    return nct, arm, trial


def calendar() -> None:
    """One arm's administration calendar, with the source of each of its regimens."""
    nct, arm, trial = chosen_arm()
    rows = trial[trial.arm == arm]
    ui.plot(data.dosing_calendar_figure(f, nct, arm), "dosing_calendar")
    st.caption("Each mark is one administration on its study day; shaded bands are the dosing periods, grey "
               "bands the rests between cycles. Hollow marks are placebo (no active dose). Days are computed "
               "here from the schedule the source states. Where the source does not state how long dosing lasts, "
               f"the pattern is drawn for its first {dosing_view.PATTERN_WEEKS} weeks in a dashed band and "
               "labelled “duration not stated”: the calendar never invents an end.")
    record = None
    for r in rows.itertuples():
        source = dosing_view.source_label(r.source)
        with st.expander(f"Source for {r.drug}: {source}"):
            quote = r.quote if isinstance(r.quote, str) else None
            where = f"the registry record, {r.path}" if isinstance(r.path, str) else None
            if where is None:  # a curated regimen: its quote and document are in the provenance
                record = record or data.study_record(nct)
                found = record.quotes.get(f"regimens[{r.arm}|{r.drug}]") if record else None
                quote, where = (found[1], found[0]) if found else (quote, None)
            if quote:
                st.markdown(f"> {ui.safe_md(quote)}")
                st.caption(f"{source.capitalize()}; from {ui.safe_md(where) if where else 'its source'}.")
            else:
                st.caption("No quote stored for this regimen.")
            if notes := dosing_view.not_read_text(r.not_read):
                st.markdown(f"Not stated or not read: {ui.safe_md(notes)}")
            if flags := dosing_view.flags_list(r.flags):
                st.markdown(f"Flagged (kept as written): {ui.safe_md('; '.join(flags))}")
            if isinstance(r.interpretation, str):
                st.markdown(f"Reading of the source: {ui.safe_md(r.interpretation)}")
    st.page_link("app_pages/trial_record.py", label=f"Full record of {nct}", icon=":material/description:",
                 query_params={"nct": nct})


def cumulative() -> None:
    """The cumulative IL-2 dose of the arms shown, the chosen arm drawn thicker."""
    nct, arm, trial = chosen_arm()
    il2 = choices["il2"]
    if il2 is None:
        st.caption(f"{choices['n_il2']:,} IL-2 arms match the filter: too many lines to read, so the chart shows "
                   "the chosen trial's arms; the Comparison tab compares them all.")
        il2 = trial[trial.is_il2]
    groups = dosing_view.cumulative_groups(il2)
    for i, (axis, g) in enumerate(groups):
        title = "Cumulative IL-2 dose over time (computed here from the stated schedule)"
        if len(groups) > 1:
            title = f"Cumulative IL-2 dose, {axis} doses (computed here from the stated schedule)"
        ui.plot(data.cumulative_figure(g, (nct, arm), data.palette(f), title),
                "cumulative_il2" if i == 0 else f"cumulative_il2_{i}")
    if groups:
        left_out = int((il2.is_il2 & (il2.role == "active")).sum()) - sum(int((g.role == "active").sum())
                                                                          for _, g in groups)
        st.caption("Cumulative IL-2 dose of every IL-2 arm shown (the chosen arm drawn thicker), only where both "
                   "the dose and the whole schedule are stated; placebo arms dotted at zero. Doses in IU units are "
                   "converted to IU here (1 million IU = 1,000,000 IU); flat, per-m² and per-kg doses are never "
                   "summed together or drawn on one axis (a chart each)."
                   + (f" {left_out:,} IL-2 arm(s) shown have no curve: dose or schedule not stated." if left_out else ""))
    elif not il2.empty:
        st.caption("No cumulative dose: no IL-2 arm shown states both its dose and its whole schedule.")


def comparison() -> None:
    """Every regimen in numbers, with its source and quote."""
    st.caption("Administrations, totals and treatment weeks are computed here from the stated schedules "
               "(treatment weeks include rests between cycles); each row says whether its regimen was curated "
               "or read from the registry record, and quotes the words it rests on.")
    ui.table(data.dosing_comparison(f), "dose_comparison", "il2_dosing_comparison.csv")


def not_read() -> None:
    """What the reader left unread, then the trials with no regimen at all."""
    unread = data.dosing_unread(f)
    if unread.empty:
        st.markdown("No regimen that matches the filter has a fact left unread or not stated.")
    else:
        st.markdown("These regimens are listed with what their record does not state, or states in words the "
                    "reader could not take as one value (a range, an ambiguous frequency): left unread, not guessed.")
        ui.table(unread, "dosing_unread", "il2_dosing_not_read.csv")
    without_regimen()


def without_regimen() -> None:
    """The trials that match the filter with no regimen, curated or read."""
    missing, n_missing = data.trials_without_regimen(f)
    if not missing.empty:
        st.subheader("Trials without a regimen")
        st.markdown("No IL-2 regimen could be read from these trials' registry records, and none is curated.")
        ui.table(missing.rename(columns={"nct_id": "NCT id", "brief_title": "Title", "indication": "Indication"}),
                 "no_regimen", "il2_trials_without_regimen.csv", matching=n_missing)


# The page's parts, a tab each: label (its value in the URL) -> what it draws.
PARTS = {"Every IL-2 arm": every_arm, "Calendar": calendar, "Cumulative dose": cumulative, "Comparison": comparison,
         "What could not be read": not_read}

if not choices["n_trials"]:
    st.info("No trial in this selection has a dosing regimen, curated or read from its registry record.")
    without_regimen()
else:
    # One part at a time, kept in the URL (?dosing_show=Comparison): each draws its own charts or long tables, and
    # drawing one is what keeps the page within issue 21's load time. The landscape comes first.
    for tab, draw in zip(filters.url_tabs(list(PARTS), "dosing_show"), PARTS.values(), strict=True):
        if tab.open:
            with tab:
                draw()
