"""Dosing schedules: the administration calendar of one arm, cumulative IL-2, and a comparison."""

import streamlit as st

from dashboard import data, figures, filters, ui

MAX_CHOICES = 500
MAX_CURVES = 12

st.title("Dosing schedules")
f = filters.current()
if data.studies(f).empty:
    ui.empty_state()
    st.stop()
choices = data.dosing_choices(f, MAX_CHOICES, MAX_CURVES)
missing, n_missing = data.trials_without_regimen(f)
if not choices["n_trials"]:
    st.info("No trial in this selection has a curated dosing regimen.")
else:
    trials, titles = choices["trials"], choices["titles"]
    if choices["n_trials"] > MAX_CHOICES:  # a list of thousands is no use to pick from, and slow to send
        st.caption(f"{choices['n_trials']:,} trials with a regimen match the filter; the list offers the first "
                   f"{MAX_CHOICES}. Narrow the filter to reach the others.")
    left, right = st.columns(2)
    nct = left.selectbox("Trial", trials, format_func=lambda n: f"{n} · {titles[n][:70]}", key="dosing_trial")
    trial = data.trial_regimens(f, nct)
    arms = list(dict.fromkeys(trial.arm))
    arm = right.selectbox("Arm", arms, key=f"dosing_arm_{nct}")
    rows = trial[trial.arm == arm]
    ui.plot(figures.dosing_calendar(rows, f"Administration calendar: {nct}, arm “{arm}”"), "dosing_calendar")
    st.caption("Each mark is one administration on its study day; shaded bands are the dosing periods, grey "
               "bands the rests between cycles. Hollow marks are placebo (no active dose). Days are computed "
               "here from the schedule the source states.")
    record = data.study_record(nct)
    for r in rows.itertuples():
        with st.expander(f"Source for {r.drug}"):
            quote = record.quotes.get(f"regimens[{r.arm}|{r.drug}]") if record else None
            if quote:
                st.markdown(f"> {ui.safe_md(quote[1])}")
                st.caption(f"From {quote[0]}")
            if isinstance(r.interpretation, str):
                st.markdown(f"Reading of the source: {ui.safe_md(r.interpretation)}")
    st.page_link("app_pages/trial_record.py", label=f"Full record of {nct}", icon=":material/description:",
                 query_params={"nct": nct})

    il2 = choices["il2"]
    if il2 is None:
        st.caption(f"{choices['n_il2']:,} IL-2 arms match the filter: too many lines to read, so the chart shows "
                   "the chosen trial's arms; the table below compares them all.")
        il2 = trial[trial.is_il2]
    if not il2.empty:
        ui.plot(figures.cumulative_il2(il2, highlight=(nct, arm), palette=data.palette(f)), "cumulative_il2")
        st.caption("Cumulative IL-2 dose of every IL-2 arm shown (the chosen arm drawn thicker). "
                   "Placebo arms are dotted at zero. IL-2 units are international units (IU); where a record "
                   "writes “million units” it is shown as million IU, with the source wording in the table.")

    st.subheader("Comparison across trials and arms")
    st.caption("Administrations, totals and treatment weeks are computed here from the stated schedules "
               "(treatment weeks include rests between cycles).")
    ui.table(data.dose_comparison(f), "dose_comparison", "il2_dosing_comparison.csv")

if not missing.empty:
    st.subheader("Trials without a regimen")
    st.markdown("These trials have no structured dosing regimen in the database (not curated from their source).")
    ui.table(missing.rename(columns={"nct_id": "NCT id", "brief_title": "Title", "indication": "Indication"}),
             "no_regimen", "il2_trials_without_regimen.csv", matching=n_missing)
