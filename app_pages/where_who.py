"""Where the selection's trials run and who runs them, a part at a time (kept in the URL, ?where_who_show=): a world
map of the sites with countries shaded by trials, trials and sites per country, and trials per sponsor."""

import functools
import hashlib

import streamlit as st

from dashboard import data, filters, frames, geography, ui
from trialdb.queries import NOT_STATED

CHART = "world_map"
OPEN = "_world_map_open"


def _open_trial(key: str) -> None:
    """A click on a place of one trial opens its record (a place of several trials: links below the map)."""
    ncts, more = geography.chosen(st.session_state[key].selection.get(geography.PICK, []))
    if len(ncts) == 1 and not more:
        st.session_state[OPEN] = ncts[0]


if nct_to_open := st.session_state.pop(OPEN, None):
    st.switch_page("app_pages/trial_record.py", query_params={"nct": nct_to_open})

filters.page_title("Where and who")
f = filters.current()
if data.studies(f).empty:
    ui.empty_state()
    st.stop()
what = data.noun(f)  # "trials", or "studies" when several study types are chosen


def counted(table):
    """A table's "Trials" columns as what they count (`what`)."""
    return table.rename(columns=lambda c: c.replace("Trials", what.capitalize()))


def world() -> None:
    """The map, what it leaves out, and the trials of a place clicked."""
    countries, nowhere = data.countries(f)
    marks = data.site_marks(f)
    # The chart's key names its filter: a selection made under one filter never carries over to another.
    key = f"{CHART}_{hashlib.sha256(repr(f).encode()).hexdigest()[:12]}"
    points: list = []
    if marks.empty:  # no place to click: no selection (Streamlit refuses one the spec does not define)
        st.vega_lite_chart(data.world_map(f), width="stretch", key=key)
    else:
        event = st.vega_lite_chart(data.world_map(f), width="stretch", key=key, selection_mode=geography.PICK,
                                   on_select=functools.partial(_open_trial, key))
        points = event.selection.get(geography.PICK, [])
    n_sites, n_placed = int(countries.sites.sum()), int(countries.placed.sum())
    placed = (f"Each circle is a place the registry geocoded (it gives a site its city's point, so the sites of one "
              f"city share a circle), its area growing with its {what}, coloured by the indication (or area) with the "
              f"most {what} there: hover names every one with its {what}, and the facilities, city and country. "
              f"Click a circle to open its record, or to list its {what}. "
              if not marks.empty else "No site of the selection has the registry's geoPoint, so no circle is drawn. ")
    st.caption(
        placed + f"Countries are shaded by their {what}, darker for more. "
        f"{n_placed:,} of {n_sites:,} sites are on the map. A site without the registry's geoPoint (every site of "
        "a seed document, which names a city at most) is counted under its country in the Countries tab and never "
        "placed at a guessed point." + (f" {nowhere:,} of the selection's {what} name no country "
                                        f"or site ({NOT_STATED})." if nowhere else ""))
    if missing := geography.unmatched(countries):
        st.caption("Not shaded, because this 1:110m map has no shape for them (too small at this scale) or no "
                   "shape by that name: " + "; ".join(f"{ui.safe_md(c)} ({n:,} {what})" for c, n in missing)
                   + f". Their {what} are counted in the Countries tab, and their placed sites are drawn.")
    chosen, more = geography.chosen(points)
    if more:
        st.caption(f"The place chosen has more than {geography.LINKED} trials: the first {geography.LINKED} are "
                   "linked here. Narrow the filter to see the others.")
    for nct in chosen[:geography.LINKED]:
        st.page_link("app_pages/trial_record.py", label=f"Open the record of {nct}", icon=":material/description:",
                     query_params={"nct": nct})
    if marks.empty:
        return
    table = st.expander(f"The map as a table: {len(marks):,} circles", key="world_map_table_open", on_change="rerun")
    if table.open:
        with table:
            ui.table(counted(marks.rename(columns={"city": "City", "country": "Country", "by_series": "Trials by series",
                                           "trials": "Trials", "sites": "Sites", "facilities": "Facilities",
                                           "latitude": "Latitude", "longitude": "Longitude"})[
                ["City", "Country", "Trials", "Trials by series", "Sites", "Facilities", "Latitude", "Longitude"]]),
                "world_map_table", "il2_sites_by_place.csv")


def by_country() -> None:
    """Trials and sites per country."""
    countries, nowhere = data.countries(f)
    if countries.empty:
        st.info(f"No {frames.singular(what)} of this selection names a country or a site: {NOT_STATED}.")
        return
    st.caption(f"{what.capitalize()} and sites per country as the registry names it. A {frames.singular(what)} that "
               f"runs in several countries is counted once in each, so the {what} of the countries add up to more "
               f"than the selection's {data.headline(f)['trials']:,}. Sites not placed have no geoPoint in their "
               "record (or one off the globe, flagged)." + (f" {nowhere:,} of the selection's {what} name no country "
                                                            f"({NOT_STATED})." if nowhere else ""))
    ui.table(counted(geography.countries_table(countries)), "where_countries", "il2_trials_by_country.csv")


def by_sponsor() -> None:
    """Trials per sponsor, lead and collaborator, each name opening its trials."""
    sponsors = data.sponsors(f)
    if sponsors.empty:
        st.info(f"No {frames.singular(what)} of this selection names a sponsor: {NOT_STATED}.")
        return
    st.caption(f"{what.capitalize()} per sponsor as the registry names it, as lead sponsor and as collaborator, with "
               f"the registry's class of the sponsor. A name opens the Overview on its {what} (lead or collaborator) "
               "within this selection; the sidebar then shows the sponsor, and removing it there clears it.")
    shown = counted(geography.sponsors_table(sponsors, filters.sponsor_link))
    ui.table(shown, "where_sponsors", "il2_trials_by_sponsor.csv",
             csv=shown.assign(Sponsor=sponsors.name.tolist()))


# The page's parts, a tab each (?where_who_show=Sponsors): label -> what it draws. Only the open one runs.
PARTS = {"Map": world, "Countries": by_country, "Sponsors": by_sponsor}
for tab, draw in zip(filters.url_tabs(list(PARTS), "where_who_show"), PARTS.values(), strict=True):
    if tab.open:
        with tab:
            draw()
