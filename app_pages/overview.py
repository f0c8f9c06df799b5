"""Overview: headline figures, the selection at a glance (charts a click filters by), the trials, and the
publications with their key result."""

import streamlit as st

from dashboard import data, filters, ui
from dashboard.freshness import registry_as_of
from dashboard.glance import view as glance
from dashboard.summaries import authors_short
from trialdb import flags, search

filters.page_title("Low-dose IL-2 in immune-mediated disease: the trial portfolio")
st.caption("Low-dose interleukin-2 trials in autoimmune and other immune-mediated diseases, from their registry "
           "records and the published results.")
registry_as_of()
f = filters.current()
trials = data.studies(f)
if trials.empty:
    ui.empty_state()
    st.stop()

h = data.headline(f)
c = st.columns(4)
what = data.noun(f)  # "trials", or "studies" when observational studies or expanded access are chosen
c[0].metric(what.capitalize(), f"{h['trials']:,}")
c[1].metric("Indications", f"{h['indications']:,}")
placeholders = flags.placeholder_note(h["enrolment_placeholders"]) if h["enrolment_placeholders"] else ""
c[2].metric("Participants planned", f"{h['participants']:,}",
            help="Sum of the enrolment each registry record states (computed here); some counts are "
                 f"estimates. {h['trials'] - h['with_enrolment'] - h['enrolment_placeholders']} {what} state no "
                 f"enrolment. {placeholders}"
                 + ("" if h["only_interventional"] else " The sum includes the planned enrolment of the observational "
                    "studies or expanded access programmes chosen under Study type."))
# "of N" in the label: "3,528 of 10,000" as the value did not fit a quarter of a laptop's width.
c[3].metric(f"Completed, of {h['trials']:,}", f"{h['completed']:,}",
            help=f"{h['not_completed']:,} not completed (another status, such as unknown, recruiting).")
if placeholders:
    st.caption(f"Participants planned: {placeholders}")

glance.charts(f)  # trials by indication (or area), status and year of start: a click filters

st.subheader(what.capitalize(), anchor=glance.TABLE)  # where the charts' skip link goes
if f.query and search.words(f.query):
    st.caption("Best match first: a match in the title, acronym, NCT id, conditions or interventions ranks above one "
               "in the sponsors, which ranks above one only in the summary, description, eligibility criteria, "
               "registered outcomes or publications. *Matched in* names the fields, *Where it matched* shows the "
               "words found, marked.")
ui.table(data.trials_table(f), "overview_trials", "il2_trials.csv",
         caption="Dates and other facts the sources do not state read *not stated in source*.")

st.subheader("Publications")
pubs = data.publications(f)
if pubs.empty:
    st.info("No publication in the database reports on the trials that match the filter.")
SHOWN = 5
if len(pubs) > SHOWN:
    st.caption(f"The {SHOWN} most recent of {len(pubs):,} publications; the Outcomes page lists them all.")
shown = pubs.head(SHOWN)
lines = data.key_results(f, tuple(shown.pmid))
entries: list[str] = []  # one Markdown element for the list (each element is a cost to every load)
for p in shown.itertuples():
    cite = (f"**{ui.safe_md(authors_short(p.first_author, p.n_authors))}** {ui.safe_md(p.title)}. "
            f"*{ui.safe_md(p.journal)}* {p.year}. [PMID {p.pmid}]({ui.pubmed_url(p.pmid)})")
    if isinstance(p.doi, str):
        cite += f" · [doi:{ui.safe_md(p.doi)}]({ui.doi_url(p.doi)})"
    if notices := data.retractions().get(p.pmid):  # a registry record links a retraction of it: said above it
        if entries:
            st.markdown("\n\n".join(entries))
        entries = []
        st.error(ui.retraction_note(notices), icon=":material/report:")
    line = lines[p.pmid]
    entries.append(f"{cite}  \n" + (f"Key result: {ui.safe_md(line)} (as published)" if line else
                                    "Key result: not stated in source")
                   + f"  \n:small[Registrations cited: {ui.safe_md(p.nct_ids)}. Details on the Outcomes page.]")
if entries:
    st.markdown("\n\n".join(entries))
