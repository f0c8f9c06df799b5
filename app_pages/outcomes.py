"""Outcomes, one trial at a time: the outcomes curated from its publications (with intervals computed here)
and the results its sponsor posted on ClinicalTrials.gov (exactly as posted); then adverse events compared
across the filtered trials."""

import pandas as pd
import streamlit as st

from dashboard import data, filters, frames, ui
from dashboard.frames import REGISTRY
from dashboard.results import frames as results_frames
from dashboard.results import view as results_view
from trialdb.queries import Filters
from trialdb.statistics import NEWCOMBE, WILSON

MAX_TRIALS = 500  # trials offered in the choice; a link may name any other
SECTIONS = ["Published outcomes", "Results posted on ClinicalTrials.gov", "Across trials"]
PARTS = ["As published", "Other outcomes", "Risk differences (computed here)", "The numbers", "Citation"]  # tabs


def outcome_charts(g: pd.DataFrame, primary: bool) -> None:
    """The publication's outcomes as bars, exactly as published, with their notes: its primary endpoint's chart
    (`primary`; the first chart when the paper names no primary endpoint), or every other outcome's. `g`: the
    frames.outcome_groups rows of one trial's one publication."""
    nct, pmid = str(g.nct_id.iloc[0]), str(g.pmid.iloc[0])
    charts = frames.outcome_charts(g)
    first = [i for i, c in enumerate(charts) if c.primary] or [0]
    rest = [i for i in range(len(charts)) if i not in first]
    shown = first if primary else rest
    if not shown:
        st.markdown("The publication states no other outcome.")
        return
    for i in shown:
        c = charts[i]
        ui.plot(data.outcome_bars_figure(nct, pmid, c.rows, f"{c.name}, IL-2 vs placebo", c.counts),
                f"outcomes_{i}_{pmid}")
        for note in c.rows.note.dropna().unique():
            st.warning(f"{ui.safe_md(note)} (as published)", icon=":material/info:")
        if c.counts:
            st.caption(f"{ui.safe_md(c.name)}: the paper states the number of events only, no percentage or p-value "
                       "is published.")
    if primary and rest:
        st.caption(f"The publication's other outcomes, on the *{PARTS[1]}* tab: "
                   + "; ".join(ui.safe_md(charts[i].name) for i in rest) + ".")
    st.caption(f"Bars show percentages exactly as published. Error bars: 95% confidence intervals computed here "
               f"({WILSON}); where the paper prints only a percentage, the counts are derived from it (see the "
               "numbers). p-values are as published.")


def risk_differences(g: pd.DataFrame, pmid: str) -> None:
    """Risk differences between the groups, computed here (Newcombe), as a forest plot and a table."""
    rd = frames.risk_differences(g)
    if rd.empty:
        st.markdown("No outcome of this publication gives the counts of two groups: no risk difference is computed.")
        return
    ui.plot(data.forest_figure(rd), f"forest_{pmid}")
    st.caption(f"Computed here with {NEWCOMBE}, from the counts in the numbers (some derived from the published "
               "percentages; serious infections use the randomised group sizes). These intervals are not the "
               "paper's analysis and need not agree with its p-values.")
    ui.table(rd.drop(columns=["outcome_id", "Harm"]), f"rd_{pmid}", f"il2_risk_differences_{pmid}.csv")


def cite(pub, g: pd.DataFrame) -> None:
    """The citation, as this database holds it and as the registry record cites it, the licence, the sentences."""
    quotes = data.publication_quotes(pub.pmid)
    st.markdown(frames.citation_md(pub, ui.safe_md))
    record = data.study_record(g.nct_id.iloc[0])
    for ref in record.study.references if record else []:
        if ref.pmid == pub.pmid:
            st.markdown(f"As cited in the registry record of {g.nct_id.iloc[0]}: {ui.safe_md(ref.citation)}")
    if isinstance(pub.licence, str):
        st.markdown(f"Licence: [{ui.safe_md(pub.licence)}]({pub.licence_url})" if isinstance(pub.licence_url, str)
                    else f"Licence: {ui.safe_md(pub.licence)}")
    st.markdown("**Source sentences**")
    for path, (doc, quote) in sorted(quotes.items()):
        if path.startswith("outcomes["):
            st.markdown(f"**{ui.safe_md(path)}**  \n> {ui.safe_md(quote)}")
            st.caption(f"From {doc}")

filters.page_title("Published outcomes and registry results")
f = filters.current()
raw = data.outcomes(f)

def no_published_outcomes() -> None:
    have = data.outcome_trials()
    where = ", ".join(f"{nct} ({ind})" for nct, ind in have) or "no trial"
    st.info(f"No published outcomes match the filter. Published outcomes in the database concern {where}; "
            "include that indication in the filter to see them.", icon=":material/filter_alt_off:")


# The filter or the search matches no trial at all: say so and stop, whatever trial the URL last showed
# (?outcomes_nct= is the page's own memory, not a request to show a trial the filter excludes).
if raw.empty and data.studies(f).empty:
    ui.empty_state() if f.query else no_published_outcomes()
    st.stop()
offer = data.outcome_choices(f, MAX_TRIALS)
if raw.empty:
    no_published_outcomes()
else:
    without = offer["n_trials"] - offer["n_published"]
    if without:
        st.caption(f"{without:,} of the trials that match the filter have no published outcomes in the database.")
if not offer["n_posted"]:
    st.info("No trial that matches the filter has results posted on ClinicalTrials.gov in the database.",
            icon=":material/filter_alt_off:")
else:
    st.caption(f"{offer['n_posted']:,} of the trials that match the filter have results posted on ClinicalTrials.gov.")

# The trials to choose from: with published outcomes first, then with registry results.
choices, titles = dict(offer["choices"]), dict(offer["titles"])
wanted = st.query_params.get("outcomes_nct")
if wanted and (outside := filters.linked_trials([wanted], choices)):
    # A link (the trial record's) may name any trial: show it, whatever it has, and say so.
    choices = {wanted: "linked", **choices}
    titles[wanted] = outside[wanted].study.brief_title
    st.info(f"{wanted} is shown because the link asked for it (it is outside the filter, or has neither "
            "published outcomes nor registry results).")
if notice := filters.check_url_values("outcomes_nct", list(choices), "trial", remember=False):
    st.warning(notice, icon=":material/link_off:")
if not choices:
    st.stop()
if offer["n_with_outcomes"] > MAX_TRIALS:
    st.caption(f"The choice lists the first {MAX_TRIALS} trials with outcomes; a link with ?outcomes_nct= opens any.")
# Not bind="query-params": a bound selectbox keeps its *formatted* label in the URL, so a plain
# ?outcomes_nct=NCT... link (the trial record's) would be dropped. The URL is kept here instead.
options = list(choices)


def first_section() -> None:
    """A newly chosen trial opens on what it has: its registry results when it has no publication."""
    chosen = st.session_state["outcomes_trial"]
    st.session_state["outcomes_show"] = SECTIONS[1] if choices.get(chosen) == "registry results" else SECTIONS[0]


nct = st.selectbox("Trial", options, index=options.index(wanted) if wanted in choices else 0, key="outcomes_trial",
                   format_func=lambda n: f"{n} · {titles[n][:80]} ({choices[n]})", on_change=first_section)
if wanted != nct:
    st.query_params["outcomes_nct"] = nct

trial_f = f
if nct not in set(raw.nct_id):  # a linked trial outside the filter: its own indication's outcomes
    linked = data.study_record(nct)
    trial_f = Filters(indications=(linked.study.indication_code,)) if linked else f
own = raw if trial_f is f else data.outcomes(trial_f)
own = own[own.nct_id == nct] if not own.empty else own
mine = frames.outcome_groups(own) if not own.empty else own  # row by row: only the chosen trial's rows
pubs = data.publications(trial_f) if not mine.empty else pd.DataFrame()
dates = data.results_date(nct)

# What this trial has, in one line each; then one section at a time (each draws several charts: at
# 10,000 trials the page stays fast by drawing only the one asked for).
no_publication = f"No publication with outcomes for {nct} in the database."
no_results = f"No results posted on ClinicalTrials.gov for {nct} in the database."
if dates is None:
    linked = data.study_record(nct)
    if linked and linked.study.has_results:
        no_results += " Its record says results are posted; they have not been imported."
posted = (f"**Registry results:** {no_results}" if dates is None else "**Registry results:** posted on "
          "ClinicalTrials.gov" + (f" on {ui.safe_md(dates[0])}." if dates[0] else f"; {results_view.NO_FIRST_POSTED}."))
st.markdown(f"[{nct} on ClinicalTrials.gov]({REGISTRY}{nct}) · [its record here]({ui.record_link(nct)})\n\n"
            + (f"**Published outcomes:** {mine.pmid.nunique()} publication(s) in the database." if not mine.empty
               else f"**Published outcomes:** {no_publication}") + f"\n\n{posted}")  # one element: each costs a load
# Kept in the URL (?outcomes_show=Across+trials), like the registry results' tab: a shared link opens the section.
if notice := filters.check_url_values("outcomes_show", SECTIONS, "section", remember=False):
    st.warning(notice, icon=":material/link_off:")
show = st.radio("Show", SECTIONS, index=1 if mine.empty and dates is not None else 0, horizontal=True,
                key="outcomes_show", bind="query-params", label_visibility="collapsed")

# --- published outcomes ---------------------------------------------------------------------------
if show == SECTIONS[0]:
    st.header(SECTIONS[0], anchor=False)
    if mine.empty:
        st.markdown(no_publication)
    else:
        pubs = pubs[pubs.pmid.isin(set(mine.pmid))]
    if len(pubs) > 1:  # one publication at a time; all of them listed in the table
        st.caption(f"{len(pubs):,} publications with outcomes concern this trial.")
        ui.table(pubs[["pmid", "title", "journal", "year", "nct_ids"]].rename(columns={
            "pmid": "PMID", "title": "Title", "journal": "Journal", "year": "Year", "nct_ids": "Registrations"}),
            "publications", "il2_publications.csv")
        ptitles = dict(zip(pubs.pmid, pubs.title, strict=True))
        chosen = st.selectbox("Publication", list(pubs.pmid)[:500], key="outcome_pmid",
                              format_func=lambda p: f"PMID {p} · {ptitles[p][:90]}")
        pubs = pubs[pubs.pmid == chosen]
    for pub in pubs.itertuples():  # one publication: the table above chooses it
        g = mine[mine.pmid == pub.pmid]
        doi = f" · [doi:{ui.safe_md(pub.doi)}]({ui.doi_url(pub.doi)})" if isinstance(pub.doi, str) else ""
        st.markdown(f"As published in **{ui.safe_md(pub.title)}**  \n*{ui.safe_md(pub.journal)}* {pub.year} · "
                    f"[PMID {pub.pmid}]({ui.pubmed_url(pub.pmid)}){doi}")
        if notices := data.retractions().get(pub.pmid):  # a registry record links a retraction of it
            st.error(ui.retraction_note(notices), icon=":material/report:")
        # A part at a time, kept in the URL (?outcomes_part=The+numbers): the primary endpoint as published first,
        # the other outcomes and what is computed here a tab each, so a load draws one chart rather than all.
        published, other, computed, numbers, citation = filters.url_tabs(PARTS, "outcomes_part")
        if published.open:
            with published:
                outcome_charts(g, primary=True)
        if other.open:
            with other:
                outcome_charts(g, primary=False)
        if computed.open:
            with computed:
                risk_differences(g, pub.pmid)
        if numbers.open:
            with numbers:
                ui.table(frames.outcome_table(g), f"outcomes_{pub.pmid}", f"il2_outcomes_{pub.pmid}.csv")
                st.caption(f"95% confidence intervals computed here ({WILSON}); counts derived from a published "
                           "percentage say how. Percentages and p-values as published.")
        if citation.open:
            with citation:
                cite(pub, g)

# --- registry results -----------------------------------------------------------------------------
if show == SECTIONS[1]:
    st.header(SECTIONS[1], anchor=False)
    if dates is None:
        st.markdown(no_results)
    else:
        st.markdown(f"As posted on ClinicalTrials.gov{results_view.posted_when(*dates)} · "
                    f"[the results tab]({REGISTRY}{nct}?tab=results)")
        st.caption("Values, dispersions and p-values exactly as posted. Percentages of participants affected and the "
                   "intervals across trials are computed here and say so.")
        results_view.tabs(nct)

# --- across trials --------------------------------------------------------------------------------
if show == SECTIONS[2]:
    st.header(SECTIONS[2], anchor=False)
    # Adverse-event totals (every trial with an adverse-events module has them), then counts of participants
    # that two or more trials posted under the same title.
    compare: dict[str, tuple[str, str]] = {"Serious adverse events": ("events", "serious"),
                                           "Other adverse events": ("events", "other"), "Deaths": ("events", "deaths")}
    shared = data.shared_count_measures(f)
    compare.update({f"{t} ({n} trials)": ("measure", k) for k, t, n in zip(shared.title_key, shared.title,
                                                                          shared.n_trials, strict=True)})
    what = st.selectbox("Compare", list(compare), key="across_compare",
                        help="Adverse-event totals, and counts of participants posted under the same title by "
                             "two or more trials that match the filter.")
    kind, arg = compare[what]
    dropped = 0
    if kind == "events":
        forest, n_trials = data.results_forest(f, arg)
        noun = what.lower()
    else:
        forest, n_trials, dropped = data.count_forest(f, arg)
        noun = "this outcome measure as a whole-number count of participants"
    if n_trials < 2:
        st.markdown(f"Fewer than two trials that match the filter posted {noun} with a denominator, so there is "
                    "nothing to compare.")
    else:
        if n_trials > forest.nct_id.nunique():
            st.caption(f"{n_trials:,} trials posted {noun}; the chart shows the {forest.nct_id.nunique()} "
                       "most recently posted. Narrow the filter to see others.")
        figure = data.results_forest_figure(f, arg, what) if kind == "events" else data.count_forest_figure(f, arg, what)
        ui.plot(figure, f"forest_{kind}_{arg[:40]}")
        st.caption(f"Counts as posted on ClinicalTrials.gov; proportions and their 95% intervals computed here ({WILSON}). "
                   "Groups are as each sponsor defined them, and trials differ in population, dose and follow-up: "
                   "this shows the evidence side by side, it does not pool it.")
        ui.table(results_frames.forest_table(forest), f"forest_table_{kind}", f"il2_{kind}_across_trials.csv")
    if dropped:
        st.caption(f"{dropped} posted measure(s) under this title are not drawn: values per class or category, a "
                   "count or denominator that is not a whole number, or a trial's second measure of the same title.")
