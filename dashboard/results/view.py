"""The registry results of one trial on the Outcomes page: its outcome measures, participant flow and adverse
events, one module at a time. Each function draws one tab; values are shown exactly as posted."""

from __future__ import annotations

import streamlit as st

from dashboard import data, filters, ui
from dashboard.results import frames as results_frames
from trialdb.enums import label

MEASURE_CHOICES = 1000
TABS = ["Outcome measures", "Participant flow", "Adverse events"]
EVENT_KINDS = ["Serious and other", "Serious", "Other"]
NO_FIRST_POSTED = "the record does not say when results were first posted"


def posted_when(first: str | None, updated: str | None) -> str:
    """When a trial's registry results were posted, as Markdown to follow "As posted on ClinicalTrials.gov":
    " on 2017-06-05 (the record's resultsFirstPostDateStruct)" when the record gives that date, else a clause
    saying it does not, with the record's last update (lastUpdatePostDateStruct) when that is given. A missing
    date is said in words, never spliced in as "on not stated in source"."""
    if first:
        return f" on {ui.safe_md(first)} (the record's resultsFirstPostDateStruct)"
    if updated:
        return f"; {NO_FIRST_POSTED} (the record was last updated on {ui.safe_md(updated)})"
    return f"; {NO_FIRST_POSTED}, nor when the record was last updated"


def tabs(nct: str) -> None:
    """The three modules as tabs kept in the URL (`?results_part=Adverse+events`). Only the open tab runs: a
    trial may post hundreds of measures and thousands of event terms, each module with its own charts."""
    measures_tab, flow_tab, events_tab = filters.url_tabs(TABS, "results_part")
    for tab, draw in ((measures_tab, outcome_measures), (flow_tab, participant_flow), (events_tab, adverse_events)):
        if tab.open:
            with tab:
                draw(nct)


def outcome_measures(nct: str) -> None:
    measures = data.outcome_measures(nct)
    if measures.empty:
        st.markdown("The posted results hold no outcome measure.")
        return
    n_primary = int((measures.outcome_type == "PRIMARY").sum())
    st.caption(f"{len(measures):,} outcome measures posted ({n_primary} primary), primary first. "
               "Choose one to see its chart, posted analyses and numbers.")
    ids = list(measures.id)[:MEASURE_CHOICES]
    if len(measures) > MEASURE_CHOICES:
        st.caption(f"The choice lists the first {MEASURE_CHOICES:,}; the table of all measures below has every one.")
    mtitle = dict(zip(measures.id, measures.title, strict=True))
    mtype = dict(zip(measures.id, measures.outcome_type, strict=True))
    mid = st.selectbox("Outcome measure", ids, key=f"measure_{nct}",
                       format_func=lambda i: f"{label(mtype[i])} · {mtitle[i][:100]}")
    om = measures[measures.id == mid].iloc[0]
    dispersion = om.dispersion_type if isinstance(om.dispersion_type, str) else None
    unit = om.unit_of_measure if isinstance(om.unit_of_measure, str) else None
    view = data.measure_view(int(mid), dispersion, unit)
    kind, analyses = view["kind"], view["analyses"]
    st.markdown(f"**{ui.safe_md(om.title)}** ({label(om.outcome_type).lower()})  \n"
                f"Time frame: {ui.not_stated(om.time_frame)} · Parameter: "
                f"{ui.not_stated(label(om.param_type) if isinstance(om.param_type, str) else None)} · "
                f"Unit: {ui.not_stated(om.unit_of_measure)}")
    if isinstance(om.description, str):
        st.caption(ui.registry_md(om.description))  # registry Markdown, shown as the registry means it
    if isinstance(om.population_description, str):
        st.caption(f"Population analysed: {ui.registry_md(om.population_description)}")
    left, right = st.columns([3, 2]) if not analyses.empty else (st.container(), None)
    with left:
        if kind == "none":
            st.markdown("No posted value of this measure is a number, so there is nothing to draw; "
                        "the table below has what was posted.")
        else:
            fig = data.measure_figure(int(mid), om.title, unit, results_frames.error_label(om.dispersion_type))
            if fig is not None:
                ui.plot(fig, f"measure_{mid}")
            if view["skipped"]:
                st.caption(f"{view['skipped']} posted value(s) are not numbers (e.g. NA) and are not drawn.")
    if right is not None:
        with right:
            st.markdown("**Statistical analyses, as posted**")
            ui.table(analyses, f"analyses_{mid}", f"{nct}_analyses_{mid}.csv")
            for value, note in zip(analyses["p-value (as posted)"], analyses.get("Flag", []), strict=False):
                if note:  # beside the table too: on a narrow screen the Flag column is off to the right
                    st.caption(f"p-value {ui.safe_md(value)}: {note}")
    ui.table(view["table"], f"measure_table_{mid}", f"{nct}_outcome_measure_{mid}.csv")
    # Made and drawn only when opened: a trial may post hundreds of measures.
    every = st.expander(f"All {len(measures):,} outcome measures of {nct}", key="all_measures_open", on_change="rerun")
    if every.open:
        with every:
            ui.table(results_frames.measures_table(measures), f"measures_{nct}", f"{nct}_outcome_measures.csv")


def participant_flow(nct: str) -> None:
    flow = data.participant_flow(nct)
    table = results_frames.flow_table(flow)
    if table.empty:
        st.markdown("The posted results hold no participant flow.")
    else:
        ui.table(table, f"flow_{nct}", f"{nct}_participant_flow.csv", caption="Participants, as posted.")
    if isinstance(flow["limitations"], str):
        st.markdown(f"**Limitations and caveats, as posted:** {ui.registry_md(flow['limitations'])}")


def adverse_events(nct: str) -> None:
    ae = data.adverse_events(nct)
    if ae["totals"].empty and ae["events"].empty:
        st.markdown("The posted results hold no adverse-event module.")
        return
    ui.table(results_frames.event_totals_table(ae["totals"]), f"ae_totals_{nct}", f"{nct}_adverse_event_totals.csv",
             caption="Participants affected of at risk, as posted.")
    if ae["events"].empty:
        st.markdown("No individual adverse-event term is posted (the totals above are all there is).")
        return
    for col, kind in zip(st.columns(2), ("serious", "other"), strict=True):
        fig = data.events_figure(nct, kind)
        with col:
            if fig is None:
                st.markdown(f"No {kind} adverse event term is posted.")
            else:
                ui.plot(fig, f"events_{kind}_{nct}")
    a, b = st.columns(2)
    which = a.segmented_control("Events", EVENT_KINDS, default=EVENT_KINDS[0], key=f"ae_kind_{nct}") or EVENT_KINDS[0]
    sort = b.selectbox("Sort by", list(results_frames.EVENT_SORTS), key=f"ae_sort_{nct}")
    kinds = {"Serious": ("serious",), "Other": ("other",)}.get(which, ("serious", "other"))
    ui.table(data.events_table(nct, kinds, sort), f"ae_{nct}", f"{nct}_adverse_events.csv",
             caption="Per group: participants affected of at risk, as posted.")
