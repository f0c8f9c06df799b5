"""Phase and status: trials and planned participants by phase, by status and by indication."""

import streamlit as st

from dashboard import data, filters, frames, ui

st.title("Phase and status")
f = filters.current()
counts = data.counts_by(f)
if counts.empty:
    ui.empty_state()
    st.stop()

st.caption("Bars are stacked by indication. Participants are the enrolment each registry record states "
           "(some are estimates), summed here.")
for by, title in (("phase", "Phase"), ("status", "Status")):
    ui.plot(data.counts_figure(f, by), f"by_{by}_chart")
    long = frames.counts_long(counts, by)
    ui.table(frames.counts_wide(long, by, title), f"by_{by}", f"il2_trials_by_{by}.csv",
             caption="Planned participants per indication are in the chart (hover) and the CSV.",
             csv=long.rename(columns={by: title, "indication": "Indication", "trials": "Trials",
                                      "participants": "Participants planned (sum, computed)",
                                      "trials_with_enrolment": "Trials stating enrolment"}))
