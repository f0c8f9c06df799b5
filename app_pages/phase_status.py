"""Phase and status: trials and planned participants by phase or by status (a tab each, kept in the URL), and by
indication (or by disease area, when there are more indications than colours to tell apart)."""

import streamlit as st

from dashboard import data, filters, ui
from trialdb import flags

TABS = {"By phase": ("phase", "Phase"), "By status": ("status", "Status")}  # tab label: (column, table heading)

filters.page_title("Phase and status")
f = filters.current()
counts = data.counts_by(f)
if counts.empty:
    ui.empty_state()
    st.stop()

pal = data.palette(f)
grouped = pal.by != "indication"
st.caption({"indication": "Bars are stacked by indication.",
            "area": f"Bars are stacked by disease area, and the tables count {data.noun(f)} per "
                    "area: there are more "
                    "indications than colours a reader can tell apart. Hover a segment for its indications, or "
                    "list every indication under a table.",
            "largest": "Bars are stacked by indication: the largest, and the others together (hover a segment "
                       "for its indications)."}[pal.by]
           + " Participants are the enrolment each registry record states (some are estimates), summed here."
           + (f" {flags.placeholder_note(n)}" if (n := data.headline(f)["enrolment_placeholders"]) else ""))
# One breakdown at a time, kept in the URL (?phase_status_by=By+status): each draws a chart of two panels,
# and drawing one is what keeps the page within issue 21's load time.
for tab, (by, title) in zip(filters.url_tabs(list(TABS), "phase_status_by"), TABS.values(), strict=True):
    if not tab.open:
        continue
    with tab:
        for i, chart in enumerate(data.counts_figure(f, by)):  # trials, then participants
            ui.plot(chart, f"by_{by}_chart{i}")
        wide, detail = data.counts_tables(f, by, title)
        ui.table(wide, f"by_{by}", f"il2_trials_by_{by}.csv",
                 caption="The CSV has every indication, with its area, trials and planned participants.",
                 csv=detail)
        # Indications on demand: the table above keeps one column per series, whatever the portfolio holds.
        if grouped and st.toggle(f"Every indication by {by}", key=f"by_{by}_detail",
                                 help="One row per indication and " + by + ", with its disease area."):
            ui.table(detail, f"by_{by}_indication", f"il2_trials_by_{by}_and_indication.csv")
