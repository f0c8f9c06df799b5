"""Outcomes: the published SRI-4 response rates and other results, with intervals computed here."""

import streamlit as st

from dashboard import data, figures, filters, frames, ui
from trialdb.statistics import NEWCOMBE, WILSON

st.title("Published outcomes")
f = filters.current()
raw = data.outcomes(f)
if raw.empty and f.query and data.studies(f).empty:  # the search found no trial at all: say that
    ui.empty_state()
    st.stop()
if raw.empty:
    have = data.outcome_trials()
    where = ", ".join(f"{nct} ({ind})" for nct, ind in have) or "no trial"
    st.info(f"No published outcomes match the filter. Published outcomes in the database concern {where}; "
            "include that indication in the filter to see them.", icon=":material/filter_alt_off:")
    st.stop()

groups = frames.outcome_groups(raw)
without = len(data.studies(f)) - raw.nct_id.nunique()
if without:
    st.caption(f"{without:,} of the trials that match the filter have no published outcomes in the database.")
pubs = data.publications(f)
pubs = pubs[pubs.pmid.isin(set(groups.pmid))]
if len(pubs) > 1:  # one publication at a time; all of them listed in the table
    st.caption(f"{len(pubs):,} publications with outcomes match the filter.")
    ui.table(pubs[["pmid", "title", "journal", "year", "nct_ids"]].rename(columns={
        "pmid": "PMID", "title": "Title", "journal": "Journal", "year": "Year", "nct_ids": "Registrations"}),
        "publications", "il2_publications.csv")
    titles = dict(zip(pubs.pmid, pubs.title, strict=True))
    chosen = st.selectbox("Publication", list(pubs.pmid)[:500], key="outcome_pmid",
                          format_func=lambda p: f"PMID {p} · {titles[p][:90]}")
    pubs = pubs[pubs.pmid == chosen]
for pub in pubs.itertuples():
    g = groups[groups.pmid == pub.pmid]
    doi = f" · [doi:{ui.safe_md(pub.doi)}]({ui.doi_url(pub.doi)})" if isinstance(pub.doi, str) else ""
    st.markdown(f"**{ui.safe_md(pub.title)}**  \n*{ui.safe_md(pub.journal)}* {pub.year} · "
                f"[PMID {pub.pmid}]({ui.pubmed_url(pub.pmid)}){doi}")
    sri = g[g.measure.str.startswith("SRI-4")]
    if not sri.empty:
        ui.plot(figures.outcome_bars(sri, "SRI-4 response, IL-2 vs placebo"), f"sri4_{pub.pmid}")
        for note in sri.note.dropna().unique():
            st.warning(f"{ui.safe_md(note)} (as published)", icon=":material/info:")
    other = g[~g.measure.str.startswith("SRI-4")]
    cols = st.columns(2)
    for i, (measure, og) in enumerate(other.groupby("measure", sort=False)):
        harm = bool(og.is_harm.iloc[0])
        no_percent = og.percent.isna().all()
        with cols[i % 2]:
            ui.plot(figures.outcome_bars(og, f"{measure}{' (safety)' if harm else ''}", counts=no_percent),
                    f"outcome_{og.outcome_id.iloc[0]}")
            if no_percent:
                st.caption("The paper states the number of events only: no percentage or p-value is published.")
    st.caption(f"Bars show percentages exactly as published. Error bars: 95% confidence intervals computed here "
               f"({WILSON}); where the paper prints only a percentage, the counts are derived from it (see the "
               "table). p-values are as published.")

    rd = frames.risk_differences(g)
    if not rd.empty:
        st.subheader("Risk differences (computed here)")
        ui.plot(figures.forest(rd), f"forest_{pub.pmid}")
        st.caption(f"Computed here with {NEWCOMBE}, from the counts in the table (some derived from the published "
                   "percentages; serious infections use the randomised group sizes). These intervals are not the "
                   "paper's analysis and need not agree with its p-values.")
        ui.table(rd.drop(columns=["outcome_id", "Harm"]), f"rd_{pub.pmid}", f"il2_risk_differences_{pub.pmid}.csv")

    st.subheader("The numbers")
    ui.table(frames.outcome_table(g), f"outcomes_{pub.pmid}", f"il2_outcomes_{pub.pmid}.csv")

    st.subheader("Citation")
    quotes = data.publication_quotes(pub.pmid)
    st.markdown(frames.citation_md(pub, ui.safe_md))
    record = data.study_record(g.nct_id.iloc[0])
    for ref in record.study.references if record else []:
        if ref.pmid == pub.pmid:
            st.markdown(f"As cited in the registry record of {ref.nct_id}: {ui.safe_md(ref.citation)}")
    if isinstance(pub.licence, str):
        st.markdown(f"Licence: [{ui.safe_md(pub.licence)}]({pub.licence_url})" if isinstance(pub.licence_url, str)
                    else f"Licence: {ui.safe_md(pub.licence)}")
    with st.expander("Source sentences"):
        for path, (doc, quote) in sorted(quotes.items()):
            if path.startswith("outcomes["):
                st.markdown(f"**{ui.safe_md(path)}**  \n> {ui.safe_md(quote)}")
                st.caption(f"From {doc}")
