"""Trial record: one trial's whole record, each fact with the source sentence it comes from."""

import re
from collections.abc import Sequence

import pandas as pd
import streamlit as st

from dashboard import data, filters, record, ui
from dashboard.frames import REGISTRY, design_fact, phase_label
from dashboard.freshness import registry_as_of
from trialdb import flags
from trialdb.enums import NOT_APPLICABLE, applies, label
from trialdb.portfolio.classifier import CATEGORIES

filters.page_title("Trial record")
f = filters.current()
choices = dict(data.study_choices(f))
# The link's trial; or, on a rerun, the trial a link opened outside the filter while it is still the one shown (the
# URL loses ?nct= once the box holds its first option, which a linked trial is: a toggle's rerun then lost it).
opened = st.session_state.get("_record_linked")
wanted = st.query_params.get("nct") or (opened if opened and st.session_state.get("nct") == opened else None)
if wanted and wanted not in choices and data.study_record(wanted) is None and (current := data.merged_into(wanted)):
    # An earlier NCT id the registry merged into another record (nctIdAliases): open that record.
    st.info(f"{wanted} is an earlier id of {current} (merged): the registry merged its record into {current}'s, "
            "which lists it among its aliases.", icon=":material/merge:")
    st.query_params["nct"] = current
    st.session_state["nct"] = current
    wanted = current
if wanted and (linked := filters.linked_trials([wanted], choices)):
    # A link may name a trial the current filter hides: show it, and say so.
    choices = {wanted: linked[wanted].study.brief_title, **choices}
    st.session_state["_record_linked"] = wanted
    st.info(f"{wanted} is outside the current filter; shown because the link asked for it.")
if notice := filters.check_url_values("nct", list(choices), "trial", remember=False):
    st.warning(notice, icon=":material/link_off:")
if not choices:
    ui.empty_state()
    st.stop()
# No format_func: a bound selectbox reads and writes its options' *labels* in the URL, so with "NCT · title"
# labels a record link (?nct=NCT...) was silently dropped and the first trial shown. The title is the header.
nct = st.selectbox("Trial", list(choices), key="nct", bind="query-params",
                   help="Trials of the current filter, by NCT id; the record's title is shown below.")
rec = data.study_record(nct)
if rec is None:  # chosen from this database's own list, so only a database replaced under the app gets here
    st.error(f"{nct} is no longer in the database. Reload the page.")
    st.stop()
s, quotes = rec.study, rec.quotes
show = st.toggle("Show the source sentence under each fact", value=False, key="show_sources")


def sources(path: str) -> list[tuple[str, str]]:
    """Quotes for a fact: its own path, or the paths of its parts."""
    q = quotes
    if path in q:
        return [q[path]]
    return [v for k, v in q.items() if k.startswith((path + ".", path + "["))]


def fact(name: str, value, path: str | None = None) -> None:
    st.markdown(f"**{name}:** {ui.not_stated(value)}")
    if show and path:
        found = sources(path)
        for doc, quote in found:
            st.caption(f"“{ui.safe_md(quote)}” — {ui.safe_md(doc)}")
        if value == NOT_APPLICABLE:
            st.caption("The registry has no such field for this study type (designModule.studyType).")
        elif not found and value not in (None, ""):
            st.caption("Derived here from other facts of the record.")


def text_fact(name: str, value: str | None, path: str) -> None:
    """A fact of registry free text (Markdown as posted): shown as the registry means it (trialdb.registry.text)."""
    body = ui.registry_md(value)
    if not body:
        fact(name, None, path)
        return
    # A list starts on a line of its own; a paragraph follows the name.
    st.markdown(f"**{name}:**" + ("\n\n" if re.match(r" *(?:-|\d+[.)]) ", body) else " ") + body)
    if show:
        for doc, quote in sources(path):
            st.caption(f"“{ui.safe_md(quote)}” — {ui.safe_md(doc)}")


def listing(name: str, items: Sequence[tuple[str, str | None]]) -> None:
    st.markdown(f"**{name}:**" + ("" if items else f" {ui.not_stated(None)}"))
    for text, path in items:
        st.markdown(f"- {ui.safe_md(text)}")
        if show and path:
            for doc, quote in sources(path):
                st.caption(f"“{ui.safe_md(quote)}” — {ui.safe_md(doc)}")


st.header(s.brief_title, anchor=False)
st.markdown(f"[{s.nct_id} on ClinicalTrials.gov]({REGISTRY}{s.nct_id}) · source document: `{rec.document.name}` "
            f"({rec.document.format})")
registry_as_of()
if differences := data.seed_registry_differences(s.nct_id):
    with st.container(border=True):
        st.subheader("Registry record differs from the seed document", anchor=False)
        st.caption("The seed document stays the authority for this trial; the registry record fetched by the "
                   "sync is kept beside it (seed_data/registry/). Where they disagree:")
        st.markdown(ui.markdown_table(pd.DataFrame(
            [(d.field, d.seed or "not stated in source", d.registry or "not stated in source") for d in differences],
            columns=["Field", "Seed document", "Registry record"])))

if rec.flags:
    with st.container(border=True):
        st.subheader("Values kept as posted, flagged", anchor=False)
        st.caption("The registry is the authority on its own records: these values are shown as posted and left out "
                   "of anything computed here.")
        st.markdown(ui.markdown_table(pd.DataFrame(
            [(str(value), path, flags.sentence(kind)) for path, kind, value in rec.flags],
            columns=["Value as posted", "Where (JSON path)", "Flag"])))

with st.container(border=True):
    st.subheader("Identification and status", anchor=False)
    c = st.columns(3)
    with c[0]:
        fact("NCT id", s.nct_id, "identificationModule.nctId")
        fact("Organisation's study id", s.org_study_id, "identificationModule.orgStudyIdInfo")
        fact("Acronym", s.acronym, "identificationModule.acronym")
        fact("Indication", f"{s.indication_code} ({rec.indication_name})", "indication")
        if (dec := s.decision) is not None:  # what the trial gives, and whether the portfolio counts it (issue 20)
            by = {"classifier": "read from the record", "reviewed": "reviewed in seed_data/portfolio.toml",
                  "seed": "a seed trial"}.get(dec.source, dec.source)
            fact("What it gives", f"{CATEGORIES.get(dec.category, dec.category)}: "
                 f"{'in' if dec.included else 'not in'} the low-dose IL-2 portfolio ({by}). {dec.reason}", "portfolio")
        listing("Conditions", [(cd.name, f"conditionsModule.conditions[{i}]") for i, cd in enumerate(s.conditions)])
    with c[1]:
        fact("Overall status", label(s.overall_status), "statusModule.overallStatus")
        fact("Phase", phase_label(s.phase) if s.phase or applies(s.study_type, "phase") else NOT_APPLICABLE,
             "designModule.phases")
        fact("Study type", label(s.study_type) if s.study_type else None, "designModule.studyType")
        enrol = None if s.enrollment is None else flags.enrollment_label(s.enrollment, s.enrollment_type, "")
        fact("Enrolment", enrol, "designModule.enrollmentInfo")
    with c[2]:
        fact("Start date", s.start_date, "statusModule.startDateStruct")
        fact("Completion date", s.completion_date, "statusModule.completionDateStruct")
        fact("Last update posted", s.last_update_posted_date, "statusModule.lastUpdatePostDateStruct")
        fact("Results posted", None if s.has_results is None else ("yes" if s.has_results else "no (results pending)"),
             "hasResults")

with st.container(border=True):
    st.subheader("Summary", anchor=False)
    text_fact("Brief summary", s.brief_summary, "descriptionModule.briefSummary")
    text_fact("Detailed description", s.detailed_description, "descriptionModule.detailedDescription")

with st.container(border=True):
    st.subheader("Design", anchor=False)
    d = s.design
    c = st.columns(3)
    with c[0]:
        fact("Allocation", design_fact(d.allocation if d else None, s.study_type, "allocation"),
             "designModule.designInfo.allocation")
        fact("Intervention model", design_fact(d.intervention_model if d else None, s.study_type, "intervention_model"),
             "designModule.designInfo.interventionModel")
    with c[1]:
        fact("Primary purpose", design_fact(d.primary_purpose if d else None, s.study_type, "primary_purpose"),
             "designModule.designInfo.primaryPurpose")
        fact("Masking", design_fact(d.masking if d else None, s.study_type, "masking"),
             "designModule.designInfo.maskingInfo.masking")
    with c[2]:
        fact("Who is masked", ", ".join(label(w) for w in d.who_masked.split(",")) if d and d.who_masked else
             (None if applies(s.study_type, "who_masked") else NOT_APPLICABLE),
             "designModule.designInfo.maskingInfo.whoMasked")

with st.container(border=True):
    st.subheader("Arms and interventions", anchor=False)
    if not s.design_groups:
        st.markdown(ui.not_stated(None) if applies(s.study_type, "arms") else
                    f"Arms: *{NOT_APPLICABLE}* (an {ui.safe_md(label(s.study_type).lower())} record has no arm groups).")
    for i, g in enumerate(s.design_groups):
        base = f"armsInterventionsModule.armGroups[{i}]"
        st.markdown(f"##### {ui.safe_md(g.title)}")
        fact("Arm type", label(g.group_type) if g.group_type else None, f"{base}.type")
        text_fact("Description", g.description, f"{base}.description")
        listing("Interventions", [(f"{label(iv.intervention_type)}: {iv.name}", f"{base}.interventionNames[{k}]")
                                  for k, iv in enumerate(g.interventions)])
        for r in (r for r in s.regimens if r.arm == g.title):
            dose = "placebo (no active dose)" if r.role == "placebo" else (
                f"{r.dose:g} {r.unit}" if r.dose is not None else "dose not stated in source")
            st.markdown(f"- Regimen of {ui.safe_md(r.drug)}: {ui.safe_md(dose)}, {ui.safe_md(r.route or 'route not stated in source')}")
            if show:
                for doc, quote in sources(f"regimens[{r.arm}|{r.drug}]"):
                    st.caption(f"“{ui.safe_md(quote)}” — {ui.safe_md(doc)}")
    st.markdown("##### Interventions")
    for i, iv in enumerate(s.interventions):
        base = f"armsInterventionsModule.interventions[{i}]"
        text_fact(f"{label(iv.intervention_type)}: {ui.safe_md(iv.name)}", iv.description, base)
        if iv.other_names:  # the record's otherNames of this intervention (a brand name, a code)
            st.markdown(f"Other names of {ui.safe_md(iv.name)}: {'; '.join(ui.safe_md(o.name) for o in iv.other_names)}")
    listing("Other intervention names (the source does not say of which intervention)",
            [(o.name, f"otherInterventionNames[{i}]") for i, o in enumerate(x for x in s.other_names if x.intervention_id is None)])

record.registered_outcomes_section(s.design_outcomes, quotes if show else None)
record.publications_section(s.nct_id)  # what it published, beside what it registered

with st.container(border=True):
    st.subheader("Dosing and results in this database", anchor=False)
    if not s.regimens:
        st.markdown("No structured dosing regimen for this trial: none has been curated from its source.")
    if not rec.publications:
        st.markdown("No publication with outcomes for this trial in the database.")
    if s.regimens or rec.publications:
        st.page_link("app_pages/dosing.py", label="Dosing schedules", icon=":material/medication:")
        st.page_link("app_pages/outcomes.py", label="Published outcomes", icon=":material/monitoring:")
    posted = data.results_date(s.nct_id)  # registry results: whether posted, when, and where to read them
    if posted is None:
        st.markdown("No results posted on ClinicalTrials.gov are in the database for this trial.")
    else:
        when = f"on {ui.safe_md(posted[0])}" if posted[0] else "(the record does not say when they were first posted)"
        st.markdown(f"Results posted on ClinicalTrials.gov {when}: "
                    f"[the registry's results tab]({REGISTRY}{s.nct_id}?tab=results) · "
                    f"[outcome measures and adverse events here](outcomes?outcomes_nct={s.nct_id})")

with st.container(border=True):
    st.subheader("Eligibility", anchor=False)
    e = s.eligibility
    cols = st.columns(4)
    with cols[0]:
        fact("Minimum age", e.minimum_age if e else None, "eligibilityModule.minimumAge")
    with cols[1]:
        fact("Maximum age", e.maximum_age if e else None, "eligibilityModule.maximumAge")
    with cols[2]:
        fact("Sex", label(e.sex) if e and e.sex else None, "eligibilityModule.sex")
    with cols[3]:
        hv = None if not e or e.healthy_volunteers is None else ("yes" if e.healthy_volunteers else "no")
        fact("Healthy volunteers", hv, "eligibilityModule.healthyVolunteers")
    for kind in ("inclusion", "exclusion"):
        # Each criterion as the registry means it: its Markdown escapes undone ("\\<126" reads "<126").
        listing(f"{kind.capitalize()} criteria", [(ui.registry_plain(c.criterion),
                                                   f"eligibilityModule.criteria.{kind}[{c.position}]")
                                                  for c in s.criteria if c.kind == kind])

with st.container(border=True):
    st.subheader("Sponsors and people", anchor=False)
    collab = 0
    items = []
    for sp in s.sponsors:
        if sp.lead_or_collaborator == "lead":
            items.append((f"{sp.name} (lead sponsor{', ' + label(sp.agency_class) if sp.agency_class else ''})",
                          "sponsorCollaboratorsModule.leadSponsor"))
        else:
            items.append((f"{sp.name} (collaborator{', ' + label(sp.agency_class) if sp.agency_class else ''})",
                          f"sponsorCollaboratorsModule.collaborators[{collab}]"))
            collab += 1
    listing("Sponsors", items)
    rp = s.responsible_party
    fact("Responsible party", ", ".join(x for x in (rp.name, rp.title, rp.affiliation,
                                                    label(rp.responsible_party_type) if rp.responsible_party_type else None) if x)
         if rp else None, "sponsorCollaboratorsModule.responsibleParty")
    listing("Investigators", [(", ".join(x for x in (o.name, label(o.role) if o.role else None, o.affiliation) if x),
                               f"contactsLocationsModule.overallOfficials[{i}]") for i, o in enumerate(s.officials)])
    listing("Central contacts", [(", ".join(x for x in (c.name, label(c.role) if c.role else None, c.phone, c.email) if x),
                                  f"contactsLocationsModule.centralContacts[{i}]") for i, c in enumerate(s.central_contacts)])

with st.container(border=True):
    st.subheader("Sites", anchor=False)
    if s.location_count_stated is not None:
        fact("Number of sites stated", s.location_count_stated, "locationCountStated")
    listing("Sites", [(", ".join(x for x in (fa.name, fa.city, fa.state, fa.country,
                                             label(fa.status) if fa.status else None) if x),
                       f"contactsLocationsModule.locations[{i}]") for i, fa in enumerate(s.facilities)])
    for i, fa in enumerate(s.facilities):
        listing(f"Contacts at {fa.name}", [(", ".join(x for x in (c.name, c.contact_type, c.phone) if x),
                                            f"contactsLocationsModule.locations[{i}].contacts[{k}]")
                                           for k, c in enumerate(fa.contacts)])
    listing("Countries", [(c.name, f"derivedSection.miscInfoModule.countries[{i}]") for i, c in enumerate(s.countries)])

with st.container(border=True):
    st.subheader("References and identifiers", anchor=False)
    refs = []
    for i, ref in enumerate(s.references):
        link = f" (PMID {ref.pmid})" if ref.pmid else ""
        flag = "RETRACTED · " if ref.retractions else ""
        refs.append((f"{flag}{ref.citation}{link} [{label(ref.reference_type) if ref.reference_type else 'type not stated'}]",
                     f"referencesModule.references[{i}]"))
    listing("References", refs)
    for ref in s.references:
        if ref.retractions:
            cited = f"PMID {ref.pmid}" if ref.pmid else ui.safe_md(ref.citation[:80])
            st.error(f"{cited}: " + ui.retraction_note([(x.pmid, x.source) for x in ref.retractions]),
                     icon=":material/report:")
        if ref.pmid:
            st.markdown(f"- [PMID {ref.pmid} on PubMed]({ui.pubmed_url(ref.pmid)})"
                        + (" (retracted)" if ref.retractions else ""))
    ids, secondary, aliases = [], 0, 0
    for ident in s.id_information:
        if ident.id_source == "org_study_id":
            ids.append((f"{ident.id_value} (organisation's study id)", "identificationModule.orgStudyIdInfo"))
        elif ident.id_source == "nct_alias":
            ids.append((f"{ident.id_value} (an earlier NCT id, merged into this record)",
                        f"identificationModule.nctIdAliases[{aliases}]"))
            aliases += 1
        else:
            parts = [label(ident.id_type) if ident.id_type else None, ident.id_type_description, ident.id_link]
            ids.append((f"{ident.id_value} (secondary id" + "".join(f"; {x}" for x in parts if x) + ")",
                        f"identificationModule.secondaryIdInfos[{secondary}]"))
            secondary += 1
    listing("Identifiers", ids)

# Drawn only when opened (a closed expander's content is otherwise sent and laid out on every load: a whole
# document cost a fifth of a second of the page's drawing).
document = st.expander(f"Read the source document in full: {rec.document.name}", key="record_document",
                       on_change="rerun")
if document.open:
    with document:
        st.caption(f"Kept verbatim in seed_data/ · sha256 {rec.document.sha256[:16]}…")
        st.code(rec.document.text, language=None, wrap_lines=True, height=500)
