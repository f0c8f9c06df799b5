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
    ui.plot(figures.counts_pair(frame, by), f"by_{by}_chart")
    ui.table(frame.rename(columns={by: title, "indication": "Indication", "trials": "Trials",
                                   "participants": "Participants planned (sum, computed)",
                                   "trials_with_enrolment": "Trials stating enrolment"}),
             f"by_{by}", f"il2_trials_by_{by}.csv")
