"""Compare trials: two to four trials side by side (design, arms, dosing on one time axis, enrolment,
dates, status, sponsors, outcomes), kept in the URL as `?nct=...&nct=...`; side by side, dosing and published
outcomes a tab each (`?compare_show=`)."""

import re

import streamlit as st

from dashboard import compare, data, filters, frames, ui
from dashboard.dosing import view as dosing_view

MAX_CHOICES = 500
PARTS = ["Side by side", "Dosing on one time axis", "Published outcomes"]  # a tab each

filters.page_title("Compare trials")
f = filters.current()
choices = dict(data.study_choices(f)[:MAX_CHOICES])
# A shared link may name trials the filter (or the list's length) leaves out: offer them too, and say so.
asked = [n for n in dict.fromkeys(st.query_params.get_all("nct")) if re.fullmatch(r"NCT\d{8}", n)][:compare.MAX_TRIALS]
linked = filters.linked_trials(asked, choices)
outside = list(linked)
for n, rec in linked.items():
    choices[n] = rec.study.brief_title
if outside:
    st.info(f"{', '.join(outside)} {'is' if len(outside) == 1 else 'are'} outside the current filter; shown "
            "because the link asked for it.")
if notice := filters.check_url_values("nct", list(choices), "trial", remember=False):
    st.warning(notice, icon=":material/link_off:")
if not choices:
    ui.empty_state()
    st.stop()
if len(choices) > len(outside) + MAX_CHOICES - 1:
    st.caption(f"The list offers the first {MAX_CHOICES} trials that match; search in the sidebar to reach others.")
chosen = st.multiselect(
    "Trials to compare (two to four)", list(choices), key="nct", bind="query-params",
    max_selections=compare.MAX_TRIALS,
    help="Type an NCT id to find a trial, or narrow the list with the search box in the sidebar (a drug, sponsor "
         "or title word). The choice is kept in the URL, so the comparison can be shared.")
# A bound multiselect writes its formatted labels to the URL: the options are bare NCT ids, titles here.
for n in chosen:
    st.markdown(f"- **{n}**: {ui.safe_md(choices[n])}")
if len(chosen) < 2:
    st.info("Choose two to four trials above to see them side by side.", icon=":material/compare_arrows:")
    st.stop()

records = [r for r in (data.study_record(n) for n in chosen) if r is not None]
outcomes = data.outcomes_of(tuple(chosen))

# One part at a time, kept in the URL (?compare_show=Published+outcomes): the dosing calendar is a chart of
# every administration of every arm, drawn only when asked for (issue 21's load time).
side, dosing, published = filters.url_tabs(PARTS, "compare_show")
if side.open:
    with side:
        st.caption("Facts as the sources state them; *not stated in source* where they do not.")
        ui.table(compare.side_by_side(records, outcomes), "compare_facts", "il2_trials_compared.csv", sortable=False)
        cols = st.columns(len(records))
        for col, rec in zip(cols, records, strict=True):
            col.page_link("app_pages/trial_record.py", label=f"Full record of {rec.study.nct_id}",
                          icon=":material/description:", query_params={"nct": rec.study.nct_id})
if dosing.open:
    with dosing:
        reg = data.regimens_of(tuple(chosen))
        without = [n for n in chosen if n not in set(reg.nct_id)]
        if not reg.empty:
            ui.plot(data.compare_calendar_figure(tuple(chosen)), "compare_calendar")
            st.caption("One row per trial, arm and drug; each mark is one administration on its study day (hollow: "
                       "placebo), shaded bands the dosing periods, grey bands the rests. Days are computed here from "
                       "the schedule each source states. The same regimens in numbers are under the chart.")
            # Made and drawn when opened: a row per trial, arm and drug can be long.
            numbers = st.expander("The same regimens in numbers", key="compare_dosing_open", on_change="rerun")
            if numbers.open:
                with numbers:
                    ui.table(dosing_view.comparison(reg, frames.dose_comparison(reg)), "compare_dosing",
                             "il2_dosing_compared.csv", sortable=False)
        if without:
            st.markdown(f"No structured dosing regimen in the database (none curated or read from the source) for: "
                        f"{', '.join(without)}.")
if published.open:
    with published:
        if outcomes.empty:
            st.markdown("None of the chosen trials has published outcomes in this database.")
        else:
            groups = frames.outcome_groups(outcomes)
            table = frames.outcome_table(groups)
            table.insert(0, "NCT id", list(groups.nct_id))
            ui.table(table, "compare_outcomes", "il2_outcomes_compared.csv", sortable=False,
                     caption="Percentages and p-values as published; intervals computed here. The Outcomes page "
                             "draws them.")
            no_outcomes = [n for n in chosen if n not in set(outcomes.nct_id)]
            if no_outcomes:
                st.markdown(f"No published outcomes in this database for: {', '.join(no_outcomes)}.")
