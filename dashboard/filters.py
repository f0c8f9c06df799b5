"""The sidebar filter every page obeys: disease area and indication, phase and status, each kept in
the URL (`?area=rheumatology&indication=T1D`, `?indication=SLE&indication=RA`) so a filtered view can be
shared and opened directly."""

from __future__ import annotations

from collections.abc import Container, Iterable, Mapping, Sequence
from typing import Any

import streamlit as st

from dashboard import data
from dashboard.frames import YEAR_NOT_STATED, filter_link, phase_label, study_type_label
from dashboard.ui import safe_md
from trialdb import search
from trialdb.enums import NOT_APPLICABLE, label
from trialdb.queries import INTERVENTIONAL, NOT_STATED, Filters, StudyRecord

NOTICE_KEY = "_url_notices"
MAX_SHOWN = 5


def check_url_values(param: str, valid: list[str], what: str, remember: bool = True) -> str | None:
    """Streamlit silently drops URL values a bound widget cannot use: say so instead (kept for the
    session, or returned to show at once), echoing only a few escaped, shortened values."""
    given = st.query_params.get_all(param)
    bad = [v for v in given if v not in valid and v != ""]
    if not bad:
        return None
    shown = ", ".join(f"“{safe_md(v[:40])}{'…' if len(v) > 40 else ''}”" for v in bad[:MAX_SHOWN])
    more = f" and {len(bad) - MAX_SHOWN} more" if len(bad) > MAX_SHOWN else ""
    text = f"The link asked for {what} {shown}{more}, which this database does not have; ignored."
    if remember:
        st.session_state.setdefault(NOTICE_KEY, {})[param] = text
    return text


def url_tabs(labels: Sequence[str], key: str) -> Sequence[Any]:
    """Tabs kept in the URL (`?<key>=<label>`, so a shared link opens one), for a page that draws one part at a
    time: run a tab's content only when its `.open` is true. A label the page does not have, from a link, is
    ignored with a notice (the first tab opens). Returns st.tabs' containers, in the order of `labels`."""
    if notice := check_url_values(key, list(labels), "tab", remember=False):
        st.warning(notice, icon=":material/link_off:")
    return st.tabs(list(labels), key=key, bind="query-params")


def linked_trials(asked: Iterable[str], offered: Container[str]) -> dict[str, StudyRecord]:
    """Trials a link names that the page's own choice leaves out (outside the filter, or past the list's
    length), with their records, in the link's order. Ids this database lacks are not here:
    check_url_values names those."""
    return {n: rec for n in dict.fromkeys(asked) if n not in offered and (rec := data.study_record(n)) is not None}


def show_notices() -> None:
    notices = st.session_state.get(NOTICE_KEY)
    if not notices:
        return
    for text in notices.values():
        st.warning(text, icon=":material/link_off:")
    if st.button("Dismiss", key="dismiss_url_notices"):
        st.session_state.pop(NOTICE_KEY, None)
        st.rerun()


def resolve_indications(areas: Iterable[str], indications: Iterable[str],
                        area_of: Mapping[str, str]) -> tuple[str, ...] | None:
    """The indications a choice of areas and indications means: those chosen, and every indication of
    each area chosen (`?area=rheumatology&indication=T1D` is rheumatology and T1D). Nothing chosen, or
    everything, is None: every indication, newly imported ones too. Codes in `area_of`'s order."""
    areas, indications = set(areas), set(indications)
    if not areas and not indications:
        return None
    chosen = [c for c, a in area_of.items() if c in indications or a in areas]
    return None if len(chosen) == len(area_of) else tuple(chosen)


def indication_filter(opts: Mapping[str, list[tuple[str, str, int]]]) -> tuple[str, ...] | None:
    """Disease areas and indications, two multiselects that start empty (an empty choice means every
    one), so the sidebar stays two lines tall whatever the portfolio holds."""
    areas = {code: (name, n) for code, name, n in opts["areas"]}
    area_of = {code: area for code, area, _ in opts["indication_areas"]}
    inds = {code: (name, n) for code, name, n in opts["indications"]}
    check_url_values("area", list(areas), "disease area")
    check_url_values("indication", list(inds), "indication")
    sel_area = st.multiselect("Disease area", list(areas), default=[], key="area", bind="query-params",
                              placeholder="All areas")
    sel_ind = st.multiselect("Indication", list(inds), default=[], key="indication", bind="query-params",
                             placeholder="All indications")
    chosen = resolve_indications(sel_area, sel_ind, area_of)
    # Codes of imported indications are registry text: escaped, never Markdown.
    st.caption(f"All {len(inds)} indications." if chosen is None else
               f"{len(chosen)} of {len(inds)} indications: {', '.join(safe_md(c) for c in chosen[:8])}"
               f"{'…' if len(chosen) > 8 else ''}.")
    return chosen


def chosen_or_all(chosen: Iterable[str], offered: Iterable[str]) -> tuple[str, ...] | None:
    """A multiselect's choice as a filter: nothing chosen, or every value offered (an older link lists them
    all), is None, meaning every value, newly imported ones too; else the values chosen, in choice order."""
    chosen = tuple(dict.fromkeys(chosen))
    return None if not chosen or set(chosen) >= set(offered) else chosen


def phase_option(phase: str) -> str:
    """A phase as the Phase filter offers it (phase_label); the phase no study type but interventional has reads
    "No phase (observational, expanded access)", apart from the registry's own phase NA ("Not applicable")."""
    return "No phase (observational, expanded access)" if phase == NOT_APPLICABLE else phase_label(phase)


def sidebar() -> Filters:
    """Draw the filter (in the entrypoint, so it keeps its value across pages) and return it.

    All four multiselects start empty, and an empty one means every value ("All phases"), so the sidebar
    stays short whatever the portfolio holds. A bound multiselect writes its options' *formatted* labels to
    the URL, so areas and indications are shown as their bare codes (`?area=rheumatology&indication=SLE`)
    and phases and statuses as readable labels (`?phase=Phase+2&status=Completed`); the names and counts
    are in the guide under them (`guide`). Links made when phases and statuses started all chosen still open the same view:
    the values they list are chosen, and a link listing every value means every value."""
    opts = data.filter_options()
    phases = {p: n for p, _, n in opts["phases"]}
    statuses = {s: n for s, _, n in opts["statuses"]}
    check_url_values("phase", [phase_option(p) for p in phases], "phase")
    check_url_values("status", [label(s) for s in statuses], "status")
    types = {t: n for t, _, n in opts["study_types"]}
    check_url_values("study_type", [study_type_label(t) for t in types], "study type")
    with st.sidebar:
        st.header("Filter", divider="gray")
        indications = indication_filter(opts)
        sel_phase = st.multiselect("Phase", list(phases), default=[], key="phase", bind="query-params",
                                   format_func=phase_option, placeholder="All phases")
        sel_status = st.multiselect("Status", list(statuses), default=[], key="status", bind="query-params",
                                    format_func=label, placeholder="All statuses")
        # The interventional trials by default; observational studies and expanded access one click away
        # (?study_type=Observational), and said so under every page's title (show_matches).
        sel_type = st.multiselect("Study type", list(types), default=[INTERVENTIONAL] if INTERVENTIONAL in types else [],
                                  key="study_type", bind="query-params", format_func=study_type_label,
                                  placeholder="All study types")
        start_years = start_year_filter(opts)
        sponsors = sponsor_filter()
        st.caption("Share the page's URL to share this filtered view.")
        guide(opts)
    return Filters(indications=indications, phases=chosen_or_all(sel_phase, phases),
                   statuses=chosen_or_all(sel_status, statuses), study_types=chosen_or_all(sel_type, types),
                   start_years=start_years, sponsors=sponsors)


def sponsor_filter() -> tuple[str, ...] | None:
    """The sponsors a link chose (`?sponsor=NAME`, as the Where and who page's sponsor links write it): the trials
    any of them leads or collaborates on. Drawn only when a link names a sponsor the database has, offering just
    those (thousands of names would weigh on every page), so removing one is a click; a name the database lacks
    is ignored with a notice. None: every trial."""
    asked = tuple(dict.fromkeys([*st.query_params.get_all("sponsor"), *st.session_state.get("sponsor", [])]))
    known = data.known_sponsors(asked) if asked else []
    check_url_values("sponsor", known, "sponsor")
    if not known:
        return None
    chosen = st.multiselect("Sponsor", known, default=[], key="sponsor", bind="query-params",
                            placeholder="Every sponsor")
    if chosen:
        st.caption("Trials that a chosen sponsor leads or collaborates on.")
    return tuple(chosen) or None


def sponsor_link(name: str) -> str:
    """A link that opens the Overview on the trials `name` leads or collaborates on, within the current
    selection (the URL's filter and search kept): a cell of ui.table, shown as the name."""
    return filter_link([("sponsor", name), *url_filter()])


def url_filter() -> list[tuple[str, str]]:
    """The sidebar's filter and search as the URL writes them (areas and indications as codes, phases and
    statuses as their labels, `q`), read from the widgets' values."""
    state = st.session_state
    return [*(("area", a) for a in state.get("area") or []), *(("indication", i) for i in state.get("indication") or []),
            *(("phase", phase_option(p)) for p in state.get("phase") or []),
            *(("status", label(s)) for s in state.get("status") or []),
            *(("start_year", year_label(y)) for y in state.get("start_year") or []),
            *study_type_params(state.get("study_type")),
            *([("q", state["q"])] if state.get("q") else [])]


def study_type_params(chosen: Sequence[str] | None) -> list[tuple[str, str]]:
    """The study type choice as the URL writes it: nothing for the default (the interventional trials), each
    type's label otherwise, and an empty value for every type (the multiselect cleared)."""
    if chosen is None or list(chosen) == [INTERVENTIONAL]:
        return []
    return [("study_type", study_type_label(t)) for t in chosen] or [("study_type", "")]


def year_label(year: str) -> str:
    """A year of stated start as the filter and the overview's chart name it ("not stated" for the trials whose
    sources state no start date)."""
    return YEAR_NOT_STATED if year == NOT_STATED else year


def start_year_filter(opts: Mapping[str, list[tuple[str, str, int]]]) -> tuple[str, ...] | None:
    """Years of stated start (issue 33: what a click on the overview's chart by year sets, and its keyboard path),
    a multiselect kept in the URL as `?start_year=2015` (`?start_year=not+stated` for the trials whose sources state
    no start date); a year the database does not have is ignored with a notice."""
    years = [y for y, _, _ in opts["start_years"]]
    check_url_values("start_year", [year_label(y) for y in years], "year of start")
    chosen = st.multiselect("Year of start", years, default=[], key="start_year", bind="query-params",
                            format_func=year_label, placeholder="All years")
    return chosen_or_all(chosen, years)


SEARCH_RULES = ("Finds trials by NCT id (an earlier, merged id too), title, acronym, condition, intervention (and its "
                "other names), sponsor or collaborator, summary, description or eligibility criteria, ignoring case "
                "and accents. Every word must match; a word matches the start of a word (“belim” finds belimumab). "
                f"The first {search.MAX_CHARS} characters are searched. The Overview lists the best match first (title, "
                "interventions or conditions before the free text) and shows where each trial matched.")


def guide(opts: Mapping[str, list[tuple[str, str, int]]]) -> None:
    """How the search and the four filters work, and how many trials each value has: a sidebar expander
    whose content is made only when it is opened (kept open for the session). It replaces the widgets'
    help tooltips, which every page load drew (issue 21: 0.065 s a load) and which a keyboard could not open."""
    box = st.expander("How the search and filter work", key="filter_guide_open", on_change="rerun")
    if not box.open:
        return
    areas = {code: (name, n) for code, name, n in opts["areas"]}
    area_of = {code: area for code, area, _ in opts["indication_areas"]}
    per_area = {a: sum(1 for x in area_of.values() if x == a) for a in areas}
    with box:
        st.markdown(f"**Search.** {SEARCH_RULES}")
        st.markdown("**Filter.** A filter with nothing chosen means every value. Choosing a disease area chooses "
                    "all its indications; indications chosen are added to the areas chosen. The page's URL keeps "
                    "the search and the filter.")
        # Codes and names of imported indications are registry text: escaped, never Markdown.
        st.markdown("**Disease areas**\n\n" + "\n".join(
            f"- {safe_md(c)}: {safe_md(name)}, {per_area[c]} indication(s), {n:,} trial(s)"
            for c, (name, n) in areas.items()))
        st.markdown("**Indications**\n\n" + "\n".join(
            f"- {safe_md(c)}: {safe_md(name)}, {n:,} trial(s)" for c, name, n in opts["indications"]))
        st.markdown("**Phases**\n\n" + "\n".join(f"- {phase_option(p)}: {n:,} trial(s)" for p, _, n in opts["phases"]))
        st.markdown("**Statuses**\n\n" + "\n".join(f"- {label(s)}: {n:,} trial(s)" for s, _, n in opts["statuses"]))
        st.markdown("**Study types** (the interventional trials unless chosen; none chosen means every type)\n\n"
                    + "\n".join(f"- {safe_md(study_type_label(t))}: {n:,} stud{'y' if n == 1 else 'ies'}"
                                 for t, _, n in opts["study_types"]))


def current() -> Filters:
    return st.session_state["_filters"]


def search_box() -> str:
    """The sidebar search, kept in the URL as `?q=...`: NCT ids and merged earlier ids, titles, acronyms,
    conditions, interventions and their other names, sponsors and collaborators, free text (trialdb.search). Returns the search
    as it is run: trimmed and cut to search.MAX_CHARS characters."""
    with st.sidebar:
        raw = st.text_input("Search trials", key="q", bind="query-params",
                            placeholder="Drug, sponsor, title word, NCT id")
    query = search.clean_query(raw)
    if len(" ".join((raw or "").split())) > search.MAX_CHARS:
        st.sidebar.caption(f"Only the first {search.MAX_CHARS} characters of the search are used.")
    return query


def search_words_note(query: str) -> str:
    """What the search was, as safe Markdown for a caption (shortened, escaped, never syntax)."""
    shown = query if len(query) <= 80 else query[:80] + "…"
    return f"“{safe_md(shown)}”"


def page_title(title: str) -> None:
    """A page's title with, under it, how many trials match the filter and search (show_matches). Every page
    calls this instead of st.title, as its first element, so that the line stands under the title on every page
    (docs/contributing.md, "Adding a page"); tests/test_app_study_type.py checks the order on each page of app.py."""
    st.title(title)
    show_matches(current())


# How a study of each type is named in a sentence (designModule.studyType): singular, plural.
TYPE_NOUNS = {INTERVENTIONAL: ("interventional trial", "interventional trials"),
              "OBSERVATIONAL": ("observational study", "observational studies"),
              "EXPANDED_ACCESS": ("expanded access programme", "expanded access programmes")}


def _nouns(study_type: str) -> tuple[str, str]:
    """A study type's nouns (TYPE_NOUNS), or "study of type “X”" (escaped) for another value."""
    shown = safe_md(study_type_label(study_type))
    return TYPE_NOUNS.get(study_type) or (f"study of type “{shown}”", f"studies of type “{shown}”")


def type_count(study_type: str, n: int) -> str:
    """"2 observational studies", "1 expanded access programme"."""
    one, many = _nouns(study_type)
    return f"{n:,} {one if n == 1 else many}"


def types_note(f: Filters) -> str | None:
    """What the study type filter shows and what it leaves out, one click away: "Showing interventional trials; 2
    observational studies and 1 expanded access programme are one click away (Study type, in the sidebar)." None
    when it leaves nothing of the filter's selection out."""
    if f.study_types is None:
        return None
    counts = data.study_types(f)
    away = [type_count(t, n) for t, n in counts.items() if t not in f.study_types and n]
    if not away:
        return None
    shown = " and ".join(_nouns(t)[1] for t in f.study_types)
    listed = ", ".join(away[:-1]) + (" and " if len(away) > 1 else "") + away[-1]
    verb = "is" if len(away) == 1 and listed.split(" ", 1)[0] == "1" else "are"
    return f"Showing {shown}; {listed} {verb} one click away (*Study type*, in the sidebar)."


def show_matches(f: Filters) -> None:
    """One line under every page's title (page_title): how many trials match, and the search when there is one;
    "studies" when the database holds several study types, and what the study type filter leaves out."""
    opts = data.filter_options()
    total = sum(n for _, _, n in opts["study_types"])
    what = "studies" if len(opts["study_types"]) > 1 else "trials"
    n = data.headline(f)["trials"]
    note = types_note(f)
    tail = f" {note}" if note else ""
    if f.query and not search.words(f.query):
        st.caption(f"The search {search_words_note(f.query)} has no letters or digits, so it searches nothing: "
                   f"{n:,} of {total:,} {what} match the filter.{tail}")
    elif f.query:
        st.caption(f"**{n:,}** of {total:,} {what} match the search {search_words_note(f.query)} and the filter.{tail}")
    else:
        st.caption(f"**{n:,}** of {total:,} {what} match the filter.{tail}")
