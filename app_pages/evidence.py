"""Evidence, in three parts (a tab each, kept in the URL): which trials of the selection reported (posted results,
published results, both, neither) by one rule shown on the page; one trial's registered outcomes beside its
publications; and every publication with its abstract, and the selection's citations."""

import datetime as dt

import streamlit as st

from dashboard import data, evidence, filters, record, ui
from trialdb import citations, reporting

PER_PAGE = 5  # publications shown at a time (each a block of several elements for the browser to draw)

filters.page_title("Evidence")
f = filters.current()
today = dt.date.today()
trials = data.evidence(f, today)
if trials.empty:
    ui.empty_state()
    st.stop()

PARTS = ["Which trials reported", "Registered and published", "Publications"]
# One part at a time, kept in the URL (?evidence_show=Publications): at 10,000 trials drawing all three at once
# missed issue 31's load time (the publications' blocks and the comparison's two columns were most of it).
reported, compared, published = filters.url_tabs(PARTS, "evidence_show")
if reported.open:
    with reported:
        st.markdown(reporting.RULE)
        counts = evidence.status_counts(trials)
        st.markdown(" · ".join(f"**{n:,}** {s}" for s, n in zip(counts.status, counts.trials, strict=True) if n)
                    + f" (of {len(trials):,} trials, on {today.isoformat()})")
        ui.plot(data.reporting_chart(f, today), "reporting_chart")
        ui.table(data.evidence_table(f, today), "reporting", "il2_trials_reporting.csv",
                 caption="Due dates and days since due are computed here from the registry's dates; every other "
                         "column is as the registry and PubMed state it.")

if compared.open:
    with compared:
        st.caption("The outcome measures the registry record says the trial will measure (as registered), next to "
                   "its publications: what a reader compares to see whether the reported outcomes are the "
                   "registered ones.")
        # The trials with a publication: what this part compares (any trial's outcomes are on its Trial record).
        # Not every trial of a large selection: 10,000 options made the page slow to send and draw.
        with_pubs = list(trials.nct_id[trials.publications != ""]) or list(trials.nct_id[:1])
        nct = st.selectbox("Trial", with_pubs, key="evidence_nct", bind="query-params",
                           help="Trials of the current filter that have a publication, by NCT id; every trial's "
                                "registered outcomes are also on its Trial record.")
        chosen = data.study_record(nct)
        left, right = st.columns(2)
        with left:
            record.registered_outcomes_section(chosen.study.design_outcomes if chosen else [])
        with right:
            record.publications_section(nct)  # its rule too: the first tab, which states it, is not drawn

if published.open:
    with published:
        pubs = data.evidence_publications(tuple(trials.nct_id))
        if not pubs:
            st.info("No publication of these trials is stored: run `python -m trialdb pubmed` to fetch them from "
                    "PubMed.")
            st.stop()
        n_retracted = sum(p["retracted"] for p in pubs)
        st.caption(f"{len(pubs):,} publications linked to these trials, newest first"
                   + (f"; {n_retracted} retracted, marked so" if n_retracted else "")
                   + ". Titles and abstracts are shown as PubMed publishes them (attributed to their journal).")
        # Written when a button is clicked (Streamlit calls the function then), not on every run of the page; a
        # download does not rerun the page.
        c1, c2 = st.columns(2)
        c1.download_button("Citations (RIS)", lambda: citations.ris(pubs), "il2_publications.ris",
                           "application/x-research-info-systems", icon=":material/download:", on_click="ignore")
        c2.download_button("Citations (BibTeX)", lambda: citations.bibtex(pubs), "il2_publications.bib",
                           "application/x-bibtex", icon=":material/download:", on_click="ignore")
        page = (st.number_input("Page", 1, max(1, -(-len(pubs) // PER_PAGE)), 1, key="evidence_page")
                if len(pubs) > PER_PAGE else 1)
        for pub in pubs[(page - 1) * PER_PAGE: page * PER_PAGE]:
            ui.publication(pub, f"pub_{pub['pmid']}")
