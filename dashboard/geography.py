"""The Where and who page's frames and map: the selection's sites on a world map drawn from a TopoJSON that
ships with the project (dashboard/geo/, Natural Earth 1:110m from the npm package world-atlas), countries shaded
by trials, and tables of countries and sponsors. Pure pandas and Vega-Lite specs as plain dicts, no Streamlit and
no Altair; the map is Vega-Lite's geoshape over the app's own copy of the countries (static/, derived from
dashboard/geo/ as its README says, served by Streamlit's static file serving), so it draws with no tile server, no
CDN and no request off the machine.

- `ATLAS_NAMES`: the registry's country spellings that the atlas names otherwise; `atlas_name(country)`.
- `site_marks(sites, palette)`: one mark per place (a geoPoint), from trialdb.geography.sites.
- `countries_table(countries)`: trials and sites per country with the atlas's name, as the page shows it.
- `unmatched(countries)`: the countries the map cannot shade, which the page names.
- `sponsors_table(sponsors, link)`: trials per sponsor, as lead and as collaborator, with the registry's class.
- `world_map(marks, countries, palette)`: the chart; `chosen(points)`: the trials of a click on it.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from dashboard import vl
from dashboard.theme import Palette
from trialdb.enums import label

ATLAS = Path(__file__).with_name("geo") / "countries-110m.json"  # world-atlas's file as published (the source)
# What the map draws: ATLAS less Antarctica, simplified and quantized (dashboard/geo/README.md gives the command), a
# file of the app's own static folder (`[server] enableStaticServing` in .streamlit/config.toml), fetched by the
# browser from the app's own host at a URL relative to the page (Streamlit serves static/ at app/static/).
MAP_ATLAS = Path(__file__).resolve().parents[1] / "static" / "countries-110m-map.json"
ATLAS_URL = "app/static/countries-110m-map.json"
ATLAS_OBJECT = "countries"  # the TopoJSON object whose geometries are the countries (properties.name)
# ClinicalTrials.gov's country spellings (its location country list, older spellings too) that Natural Earth's
# short names, as world-atlas keeps them, write otherwise. A name the atlas has as the registry writes it
# ("China", "Spain", "Czechia", "Taiwan") needs no entry. Tested in tests/test_geography.py.
ATLAS_NAMES = {
    "United States": "United States of America",
    "Korea, Republic of": "South Korea",
    "Korea, Democratic People's Republic of": "North Korea",
    "Russian Federation": "Russia",
    "Czech Republic": "Czechia",
    "Iran, Islamic Republic of": "Iran",
    "Syrian Arab Republic": "Syria",
    "Lao People's Democratic Republic": "Laos",
    "Viet Nam": "Vietnam",
    "Moldova, Republic of": "Moldova",
    "North Macedonia": "Macedonia",
    "Macedonia, The Former Yugoslav Republic of": "Macedonia",
    "Bosnia and Herzegovina": "Bosnia and Herz.",
    "Congo, The Democratic Republic of the": "Dem. Rep. Congo",
    "Democratic Republic of the Congo": "Dem. Rep. Congo",
    "Central African Republic": "Central African Rep.",
    "Dominican Republic": "Dominican Rep.",
    "Equatorial Guinea": "Eq. Guinea",
    "South Sudan": "S. Sudan",
    "Tanzania, United Republic of": "Tanzania",
    "United Republic of Tanzania": "Tanzania",
    "Cote D'Ivoire": "Côte d'Ivoire",
    "Côte D'Ivoire": "Côte d'Ivoire",
    "Falkland Islands (Malvinas)": "Falkland Is.",
    "Solomon Islands": "Solomon Is.",
    "Swaziland": "eSwatini",
    "Eswatini": "eSwatini",
    "Türkiye": "Turkey",
    "Palestinian Territory, occupied": "Palestine",
    "Palestinian Territories, Occupied": "Palestine",
    "Palestine, State of": "Palestine",
    "Western Sahara": "W. Sahara",
    "Brunei Darussalam": "Brunei",
    "Libyan Arab Jamahiriya": "Libya",
    "Venezuela, Bolivarian Republic of": "Venezuela",
    "Bolivia, Plurinational State of": "Bolivia",
    "French Southern Territories": "Fr. S. Antarctic Lands",
}
# API v2's agency classes (sponsorCollaboratorsModule ... class) in the registry's own words; another value
# (one this version does not know, kept and flagged) reads as trialdb.enums.label writes it.
AGENCY_CLASSES = {"NIH": "NIH", "FED": "Federal (US)", "OTHER_GOV": "Other government", "INDIV": "Individual",
                  "INDUSTRY": "Industry", "NETWORK": "Network", "AMBIG": "Ambiguous", "OTHER": "Other",
                  "UNKNOWN": "Unknown"}
PICK = "site"  # the map's point selection: a click on a place
SELECTED = ["latitude", "longitude", "series", "nct_ids", "trials"]  # what a selection holds of its mark
LINKED = 10  # trials a place names for a click (trialdb.geography.MAX_LINKED)
MARK_COLUMNS = ["latitude", "longitude", "city", "country", "series", "colour", "trials", "sites", "facilities",
                "by_series", "nct_ids", "description"]
# Countries, one trial to the most: greys, so the sites' colours stand out (the darkest light enough for the black
# series' circles, drawn with a white rim); a country with none lighter still, but visible on white.
SHADES = ["#c8c8c8", "#6e6e6e"]
NO_TRIALS = "#ececec"


def atlas(path: Path = MAP_ATLAS) -> dict[str, Any]:
    """A world TopoJSON: by default the one the map draws (MAP_ATLAS); ATLAS is world-atlas's as published."""
    return json.loads(path.read_text(encoding="utf-8"))


@functools.cache
def atlas_countries() -> frozenset[str]:
    """The names of the countries the map draws (properties.name of each geometry of MAP_ATLAS), read once."""
    return frozenset(g["properties"]["name"] for g in atlas()["objects"][ATLAS_OBJECT]["geometries"])


def atlas_name(country: object) -> str | None:
    """The atlas's name of a country as the registry writes it, or None when the map has no such shape (a
    country too small for the 1:110m scale, such as Singapore or Hong Kong, or a spelling ATLAS_NAMES lacks)."""
    if not isinstance(country, str):
        return None
    name = ATLAS_NAMES.get(country, country)
    return name if name in atlas_countries() else None


def site_marks(sites: pd.DataFrame, palette: Palette) -> pd.DataFrame:
    """One row per place (a geoPoint and its country; MARK_COLUMNS) from trialdb.geography.sites (one row per
    geoPoint, country and indication): its trials and sites summed (a trial has one indication, a site one trial),
    coloured by the palette's series with the most trials there (`series`; ties to the palette's order), every
    series' trials named in `by_series`, its facilities and trials named up to the first few, and a sentence for a
    screen reader. Larger marks first, so that a chart draws the smaller over them."""
    if sites.empty:
        return pd.DataFrame(columns=MARK_COLUMNS)
    order = {name: k for k, name in enumerate(palette.colours)}
    df = sites.assign(series=[palette.series_of(c) for c in sites.indication])
    out = []
    for (lat, lon, country), g in df.groupby(["latitude", "longitude", "country"], sort=False, dropna=False):
        per = g.groupby("series", sort=False).trials.sum()
        ranked = sorted(per.items(), key=lambda x: (-x[1], order.get(x[0], len(order)), x[0]))
        trials, n_sites = int(g.trials.sum()), int(g.sites.sum())
        names = list(dict.fromkeys(n for text in g.facilities for n in str(text).split(";") if n))
        n_names = int(g.n_facilities.sum())
        ncts = list(dict.fromkeys(n for text in g.nct_ids for n in str(text).split(";") if n))[:LINKED]
        city = next((c for c in g.city if isinstance(c, str)), None)
        place = ", ".join(x for x in (city, country) if isinstance(x, str)) or "place not named"
        shown = "; ".join(names[:3]) + (f" and {n_names - 3:,} more" if n_names > 3 else "")
        by_series = "; ".join(f"{name} {int(n):,}" for name, n in ranked)
        out.append((lat, lon, city, country, ranked[0][0], palette.colour_of_series(ranked[0][0]), trials, n_sites,
                    shown, by_series, ";".join(ncts),
                    f"{place}: {trials:,} trial{'s' * (trials != 1)} ({by_series}) at {n_sites:,} site"
                    f"{'s' * (n_sites != 1)} ({shown})"))
    marks = pd.DataFrame.from_records(out, columns=MARK_COLUMNS)
    return marks.sort_values(["trials", "sites"], ascending=False, kind="stable", ignore_index=True)


def countries_table(countries: pd.DataFrame) -> pd.DataFrame:
    """The Countries table: trials.geography.countries with the map's name of each country; columns "Country"
    (as the registry names it), "Trials", "Sites", "Sites on the map", "Sites not placed" (no geoPoint, or
    one off the globe) and "On the map as" (the atlas's name, or that the map has no shape for it)."""
    return pd.DataFrame({
        "Country": countries.country.tolist(),
        "Trials": countries.trials.astype(int).tolist(),
        "Sites": countries.sites.astype(int).tolist(),
        "Sites on the map": countries.placed.astype(int).tolist(),
        "Sites not placed": (countries.sites - countries.placed).astype(int).tolist(),
        "On the map as": [atlas_name(c) or "no shape on this map" for c in countries.country],
    })


def unmatched(countries: pd.DataFrame) -> list[tuple[str, int]]:
    """The countries (as the registry names them) with their trials that the map cannot shade."""
    return [(c, int(n)) for c, n in zip(countries.country, countries.trials, strict=True) if atlas_name(c) is None]


def class_label(classes: str) -> str:
    """A sponsor's agency classes (";"-joined API values) in the registry's words; not stated where none."""
    values = [c for c in classes.split(";") if c]
    return "; ".join(AGENCY_CLASSES.get(c, label(c)) for c in values) if values else "not stated in source"


def sponsors_table(sponsors: pd.DataFrame, link: Callable[[str], str]) -> pd.DataFrame:
    """The Sponsors table from trialdb.geography.sponsors: "Sponsor" (its name as `link(name)` makes it, a link
    that opens the selection filtered to its trials), "Class", "Trials as lead", "Trials as collaborator" and
    "Trials" (either role: what the link opens)."""
    return pd.DataFrame({
        "Sponsor": [link(n) for n in sponsors.name],
        "Class": [class_label(c) for c in sponsors.classes],
        "Trials as lead": sponsors.lead.astype(int).tolist(),
        "Trials as collaborator": sponsors.collaborator.astype(int).tolist(),
        "Trials": sponsors.trials.astype(int).tolist(),
    })


def chosen(points: list) -> tuple[list[str], bool]:
    """The trials of the places a click chose, in order, and whether those places hold more than they name (a
    mark names its first LINKED trials): each point is the map's selection of one mark (fields SELECTED)."""
    return vl.chosen_trials(points, "nct_ids", "trials")


def world_map(marks: pd.DataFrame, countries: pd.DataFrame, palette: Palette, height: int = 360,
              noun: str = "Trials") -> dict[str, Any]:
    """The world map as a Vega-Lite spec (a plain dict, no Altair: Altair's import and its walk over the data were
    most of the page's first load): countries shaded by the selection's trials (grey from one trial to the most,
    darker for more, with its legend while counts differ; a country with none lighter), Antarctica not in the atlas;
    over them one circle per place and series (`site_marks`), its area growing with its trials, in the selection's
    palette, named on hover and to a screen reader. A click on a circle selects it (PICK). The countries are the
    app's own static file (ATLAS_URL, served by Streamlit from static/ and cached by the browser), the shading and
    the sites inline: nothing is fetched from another host. `noun`: what the counts count, "Trials", or "Studies"
    when the selection holds several study types (its legend and tooltips say so)."""
    shade = pd.DataFrame({"atlas": [atlas_name(c) for c in countries.country], "country": countries.country,
                          "trials": countries.trials.astype(int), "sites": countries.sites.astype(int)})
    shade = shade.dropna(subset=["atlas"])
    # Two registry spellings of one shape (e.g. "Czech Republic" and "Czechia" in older and newer records): summed.
    shade = shade.groupby("atlas", as_index=False).agg(
        country=("country", " / ".join), trials=("trials", "sum"), sites=("sites", "sum"))
    most = max(1, int(shade.trials.max()) if not shade.empty else 1)
    shading: dict[str, Any] = {"test": "datum.trials > 0", "field": "trials_shown", "type": "quantitative",
                               "title": f"{noun} in the country",
                               "scale": {"domain": [1, max(most, 2)], "range": SHADES}, "legend": None}
    if most > 1:
        shading["legend"] = {"orient": "bottom-left", "direction": "horizontal", "gradientLength": 110, "format": "d",
                             "tickCount": min(most, 4), "fillColor": "#ffffff", "padding": 4}
    land = {
        "data": {"url": ATLAS_URL, "format": {"type": "topojson", "feature": ATLAS_OBJECT}},
        "transform": [
            {"lookup": "properties.name", "from": {"data": {"name": "shade"}, "key": "atlas",
                                                   "fields": ["country", "trials", "sites"]}},
            {"calculate": "datum.trials ? datum.trials : 0", "as": "trials_shown"},
            {"calculate": "datum.country ? datum.country : datum.properties.name", "as": "label"}],
        "mark": {"type": "geoshape", "stroke": "#ffffff", "strokeWidth": 0.5},
        "encoding": {
            "color": {"condition": shading, "value": NO_TRIALS},
            "tooltip": [{"field": "label", "type": "nominal", "title": "Country"},
                        {"field": "trials_shown", "type": "quantitative", "title": noun, "format": ","},
                        {"field": "sites", "type": "quantitative", "title": "Sites", "format": ","}],
            "description": {"field": "label", "type": "nominal"}}}
    spec: dict[str, Any] = {
        **vl.TOP, "height": height, "projection": {"type": "equalEarth"},
        "title": vl.title("Where the selection's trials run: sites, and countries shaded by trials"),
        "layer": [land], "resolve": {"scale": {"color": "independent", "size": "independent"}},
        "datasets": {"shade": shade.to_dict("records")}}
    if not marks.empty:
        series = list(dict.fromkeys(s for s in palette.colours if s in set(marks.series)))
        series += [s for s in dict.fromkeys(marks.series) if s not in series]
        biggest = max(1, int(marks.trials.max()))
        spec["datasets"]["places"] = marks.drop(columns="colour").to_dict("records")
        spec["layer"].append({
            "name": "places", "data": {"name": "places"},
            "mark": {"type": "circle", "stroke": "#ffffff", "strokeWidth": 1, "opacity": 0.85, "cursor": "pointer"},
            "encoding": {
                "longitude": {"field": "longitude", "type": "quantitative"},
                "latitude": {"field": "latitude", "type": "quantitative"},
                # No size legend: beside the colours it ran off a phone; hover and the table give numbers.
                "size": {"field": "trials", "type": "quantitative", "legend": None,
                         "scale": {"domain": [0, biggest], "range": [0, 900 if biggest > 1 else 120]}},
                "color": {"field": "series", "type": "nominal",
                          "scale": {"domain": series, "range": [palette.colour_of_series(s) for s in series]},
                          "legend": vl.legend(f"{palette.title} with the most {noun.lower()} at the place")},
                "order": {"field": "trials", "type": "quantitative", "sort": "descending"},
                "tooltip": [{"field": "city", "type": "nominal", "title": "City"},
                            {"field": "country", "type": "nominal", "title": "Country"},
                            {"field": "facilities", "type": "nominal", "title": "Facilities"},
                            {"field": "trials", "type": "quantitative", "title": noun, "format": ","},
                            {"field": "by_series", "type": "nominal",
                             "title": f"{noun} by {palette.title.lower()}"},
                            {"field": "sites", "type": "quantitative", "title": "Sites", "format": ","}],
                "description": {"field": "description", "type": "nominal"}}})
        spec["params"] = [{"name": PICK, "views": ["places"],
                           "select": {"type": "point", "fields": SELECTED, "on": "click", "clear": "dblclick"}}]
    return spec
