"""What's new: what each registry sync found changed, newest first, grouped by trial."""

import streamlit as st

from dashboard import data, filters, ui
from dashboard.changes import changes_csv, last_update_phrase, trial_table, undated
from dashboard.freshness import registry_as_of

TRIALS_A_PAGE = 10

filters.page_title("What's new in the registry")
registry_as_of()
f = filters.current()
if data.headline(f)["trials"] == 0:  # no phase or status chosen, or a search that matches nothing
    ui.empty_state()
    st.stop()

changes, total = data.changes(f)
if total == 0:
    synced = data.registry_status() is not None
    st.info(("No change recorded for the trials that match the filter. " if synced else
             "No change recorded yet: this database has not been synced with ClinicalTrials.gov. ")
            + "After `python -m trialdb sync`, this page lists what each sync found: trials new to the portfolio, "
            "and changes of status (and why stopped), phase, enrolment, start and completion dates, arms and "
            "interventions, conditions, lead sponsor and results posting, newest first and grouped by trial, "
            "with a chart of changes over time.", icon=":material/update:")
    st.stop()

order = data.change_order(f)
c = st.columns(4)
c[0].metric("Changes", f"{total:,}")
c[1].metric("Trials changed", f"{len(order):,}")
c[2].metric("New trials", f"{int(order.new.sum()):,}")
c[3].metric("Last change detected", str(changes.detected.max())[:10])

by_month = data.changes_by_month(f)
ui.plot(data.changes_figure(f), "whats_new_chart")
missing = undated(by_month)
st.caption("Each change is placed at the month its registry record was last updated (the record's own "
           "lastUpdatePostDate), not when the sync found it."
           + (f" {missing:,} change(s) of records that state no last-update date are not in the chart; "
              "they are listed below." if missing else ""))

st.subheader("Changes by trial, newest first")
if len(changes) < total:
    st.caption(f"{total:,} changes match the filter; the first {len(changes):,} are listed and in the CSV.")
pages, first, end = ui.page_of(len(order), st.session_state.get("whats_new_page", 1), TRIALS_A_PAGE)
if pages > 1:
    st.session_state["whats_new_page"] = first // TRIALS_A_PAGE + 1
    left, right = st.columns([1, 4], vertical_alignment="bottom")
    left.number_input(f"Page (of {pages:,})", min_value=1, max_value=pages, step=1, key="whats_new_page")
    right.caption(f"Trials {first + 1:,}–{end:,} of {len(order):,}, {TRIALS_A_PAGE} to a page.")
blocks = []
for g in order.iloc[first:end].itertuples():
    new = " · **new trial**" if g.new else ""
    blocks.append(f"#### {ui.safe_md(g.nct_id)} · {ui.safe_md(g.brief_title)}\n"
                  f"{ui.safe_md(g.indication)}{new} · {ui.safe_md(last_update_phrase(g.last_update))} · "
                  f"[open record]({ui.record_link(g.nct_id)})\n\n" + ui.markdown_table(trial_table(changes, g.nct_id)))
# One Markdown element for the page's trials: it draws several times faster than one element per trial.
st.markdown("\n\n".join(blocks))
csv = changes_csv(changes)
st.download_button("Download CSV of these changes", lambda: csv.to_csv(index=False).encode("utf-8"),
                   file_name="il2_registry_changes.csv", mime="text/csv", key="whats_new_csv",
                   icon=":material/download:", on_click="ignore")
