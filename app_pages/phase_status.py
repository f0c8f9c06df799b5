"""Phase and status: trials and planned participants by phase, by status and by indication."""

import streamlit as st

from dashboard import data, figures, filters, frames, ui

st.title("Phase and status")
f = filters.current()
counts = data.counts_by(f)
if counts.empty:
    ui.empty_state()
    st.stop()

st.caption("Bars are stacked by indication. Participants are the enrolment each registry record states "
           "(some are estimates), summed here.")
for by, title in (("phase", "Phase"), ("status", "Status")):
    frame = frames.counts_long(counts, by)
    left, right = st.columns(2)
    with left:
        ui.plot(figures.stacked_bars(frame, by, "trials", f"Trials by {by} and indication", "Trials"), f"{by}_trials")
    with right:
        ui.plot(figures.stacked_bars(frame, by, "participants", f"Planned participants by {by} and indication",
                                     "Participants planned"), f"{by}_participants")
    ui.table(frame.rename(columns={by: title, "indication": "Indication", "trials": "Trials",
                                   "participants": "Participants planned (sum, computed)",
                                   "trials_with_enrolment": "Trials stating enrolment"}),
             f"by_{by}", f"il2_trials_by_{by}.csv")
