"""Where and who (trialdb/geography.py, dashboard/geography.py, app_pages/where_who.py) on the real registry records
that list sites (tests/sites_db.py): counts per country and per sponsor equal to what the records say, the map's
marks and spec (drawn from the shipped TopoJSON, nothing fetched), the registry's country names matched to the
map's by one table, the sponsor filter a link sets, and the page in AppTest."""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import geography as geo
from dashboard.frames import filter_link, filter_link_parts
from dashboard.sorting import sort_rows
from dashboard.theme import palette_of_codes
from tests import vega
from tests.sites_db import FILES, sites_database
from tests.test_app import APP, app_database, md_tables, opened_with, text_of
from trialdb import geography
from trialdb.queries import Filters, headline
from trialdb.store.db import make_engine

EVERY = Filters(None)


@pytest.fixture(scope="module")
def sites_url(tmp_path_factory):
    return sites_database(tmp_path_factory.mktemp("sites"))


@pytest.fixture(scope="module")
def engine(sites_url):
    eng = make_engine(sites_url, readonly=True)
    yield eng
    eng.dispose()


def _records() -> list[dict]:
    return [json.loads(f.read_text())["protocolSection"] for f in FILES]


def _expected_countries() -> dict[str, tuple[int, int, int]]:
    """country -> (trials, sites, sites with a geoPoint) as the records list them, with the seed SLE trial's one
    site in China (its document names Beijing, no point)."""
    trials, sites, placed = defaultdict(set), defaultdict(int), defaultdict(int)
    for ps in _records():
        for loc in ps["contactsLocationsModule"]["locations"]:
            trials[loc["country"]].add(ps["identificationModule"]["nctId"])
            sites[loc["country"]] += 1
            placed[loc["country"]] += "geoPoint" in loc
    trials["China"].add("NCT02465580")
    sites["China"] += 1
    return {c: (len(trials[c]), sites[c], placed[c]) for c in trials}


def _names(topo: dict) -> list[str]:
    return [g["properties"]["name"] for g in topo["objects"][geo.ATLAS_OBJECT]["geometries"]]


def test_the_shipped_topojson_is_world_atlas_as_its_readme_says():
    readme = (geo.ATLAS.parent / "README.md").read_text()
    assert hashlib.sha256(geo.ATLAS.read_bytes()).hexdigest() in readme
    assert "ISC" in readme and "Natural Earth" in readme and (geo.ATLAS.parent / "LICENSE-world-atlas").exists()
    assert len(_names(geo.atlas(geo.ATLAS))) == 177


def test_the_map_draws_world_atlas_less_antarctica_from_the_apps_own_static_folder():
    """The drawn file is the README's derivation of the shipped one (its hash there): every country of world-atlas
    but Antarctica, each with a shape, by the same names; smaller; served by Streamlit from static/."""
    import tomllib

    readme = (geo.ATLAS.parent / "README.md").read_text()
    assert hashlib.sha256(geo.MAP_ATLAS.read_bytes()).hexdigest() in readme and "toposimplify" in readme
    drawn = geo.atlas()
    assert sorted(_names(drawn)) == sorted(set(_names(geo.atlas(geo.ATLAS))) - {"Antarctica"})
    assert len(_names(drawn)) == len(geo.atlas_countries()) == 176
    assert all(g.get("type") in ("Polygon", "MultiPolygon") for g in drawn["objects"][geo.ATLAS_OBJECT]["geometries"])
    assert geo.MAP_ATLAS.stat().st_size < geo.ATLAS.stat().st_size * 0.6
    config = tomllib.loads((geo.MAP_ATLAS.parents[1] / ".streamlit" / "config.toml").read_text())
    assert config["server"]["enableStaticServing"] is True
    assert geo.MAP_ATLAS.parent.name == "static" and f"app/static/{geo.MAP_ATLAS.name}" == geo.ATLAS_URL
    assert geo.atlas_name("Antarctica") is None  # not drawn, so listed as not shaded


@pytest.mark.parametrize(("registry", "atlas"), [
    ("United States", "United States of America"), ("Korea, Republic of", "South Korea"),
    ("Russian Federation", "Russia"), ("Czechia", "Czechia"), ("Czech Republic", "Czechia"),
    ("Iran, Islamic Republic of", "Iran"), ("Viet Nam", "Vietnam"), ("Bosnia and Herzegovina", "Bosnia and Herz."),
    ("Congo, The Democratic Republic of the", "Dem. Rep. Congo"), ("Türkiye", "Turkey"), ("China", "China"),
    ("Spain", "Spain"), ("Taiwan", "Taiwan"), ("Cote D'Ivoire", "Côte d'Ivoire"),
    ("Hong Kong", None), ("Singapore", None), ("Malta", None), (None, None), ("Atlantis", None),
])
def test_registry_country_names_match_the_maps(registry, atlas):
    assert geo.atlas_name(registry) == atlas


def test_every_name_the_table_maps_to_is_a_shape_of_the_map():
    assert set(geo.ATLAS_NAMES.values()) <= geo.atlas_countries()
    assert not set(geo.ATLAS_NAMES) & geo.atlas_countries()  # a name the map has needs no entry


def test_counts_per_country_equal_the_records(engine):
    found, nowhere = geography.countries(engine, EVERY)
    got = {r.country: (r.trials, r.sites, r.placed) for r in found.itertuples()}
    assert got == _expected_countries() == {"Spain": (1, 3, 3), "United States": (2, 2, 2), "Canada": (1, 1, 1),
                                            "China": (1, 1, 0)}
    assert nowhere == 3  # the three seed trials whose documents name no site or country
    table = geo.countries_table(found)
    assert list(table.columns) == ["Country", "Trials", "Sites", "Sites on the map", "Sites not placed", "On the map as"]
    assert table.set_index("Country").loc["United States", "On the map as"] == "United States of America"
    assert table.set_index("Country").loc["China", "Sites not placed"] == 1
    assert geo.unmatched(found) == []


def test_a_multi_country_trial_counts_once_per_country(engine):
    """Trials of the countries add up to more than the selection when a trial runs in several; here each runs in
    one, so they add up to the trials naming a country."""
    found, nowhere = geography.countries(engine, EVERY)
    assert int(found.trials.sum()) + nowhere == headline(engine, EVERY)["trials"]


def test_sites_and_marks_are_the_records_geopoints(engine):
    sites = geography.sites(engine, EVERY)
    posted = {(loc["geoPoint"]["lat"], loc["geoPoint"]["lon"]) for ps in _records()
              for loc in ps["contactsLocationsModule"]["locations"]}
    assert set(zip(sites.latitude, sites.longitude, strict=True)) == posted and int(sites.sites.sum()) == 6
    marks = geo.site_marks(sites, palette_of_codes(sites.indication))
    assert len(marks) == 6 and int(marks.sites.sum()) == 6 and set(marks.nct_ids) == {
        ps["identificationModule"]["nctId"] for ps in _records()}
    leon = marks.set_index("city").loc["León"]
    assert (leon.country, leon.trials, leon.facilities) == ("Spain", 1, "Hospital Universitario de León")
    assert leon.description == "León, Spain: 1 trial (CAD 1) at 1 site (Hospital Universitario de León)"


def test_sponsors_per_role_equal_the_records(engine):
    lead, collab = defaultdict(set), defaultdict(set)
    for ps in _records():
        nct, mod = ps["identificationModule"]["nctId"], ps["sponsorCollaboratorsModule"]
        lead[mod["leadSponsor"]["name"]].add(nct)
        for c in mod.get("collaborators", []):
            collab[c["name"]].add(nct)
    found = geography.sponsors(engine, EVERY).set_index("name")
    for name, ncts in lead.items():
        assert found.loc[name, "lead"] == len(ncts)
    for name, ncts in collab.items():
        assert found.loc[name, "collaborator"] == len(ncts)
    assert found.loc["Peking University"].tolist() == ["OTHER", 3, 0, 3]  # the three Veeva seed trials
    assert found.loc["Novo Nordisk A/S", "classes"] == "INDUSTRY"
    table = geo.sponsors_table(found.reset_index(), lambda n: filter_link([("sponsor", n)]))
    assert table.Class.tolist()[:1] == ["Other"] and "NIH" in set(table.Class)
    assert filter_link_parts(table.Sponsor[0]) == ("Peking University", "./?sponsor=Peking+University")
    ordered = sort_rows(table, "Sponsor")  # a link sorts by its name
    assert [filter_link_parts(x)[0] for x in ordered.Sponsor][:2] == ["Arbelaez, Ana Maria", "Beijing ShuangLu "
                                                                      "Pharmaceutical Co., Ltd."]


def test_the_sponsor_filter_keeps_the_trials_it_leads_or_collaborates_on(engine):
    assert headline(engine, Filters(None, sponsors=("Peking University",)))["trials"] == 3
    assert headline(engine, Filters(None, sponsors=("Monash University", "Novo Nordisk A/S")))["trials"] == 2
    assert geography.known_sponsors(engine, ["Atlantis Pharma", "Monash University"]) == ["Monash University"]


def test_a_filter_link_carries_only_filter_parameters_encoded():
    link = filter_link([("sponsor", 'A & B "<x>"'), ("indication", "SLE"), ("nct", "NCT1"), ("q", "il 2")])
    assert link == "./?sponsor=A+%26+B+%22%3Cx%3E%22&indication=SLE&q=il+2"
    assert filter_link_parts(link) == ('A & B "<x>"', link)
    assert filter_link_parts("./?javascript=alert(1)") is None and filter_link_parts("open record") is None


def test_the_map_fetches_nothing_but_the_apps_own_countries(engine):
    sites, (countries, _) = geography.sites(engine, EVERY), geography.countries(engine, EVERY)
    pal = palette_of_codes(sites.indication)
    spec = geo.world_map(geo.site_marks(sites, pal), countries, pal)
    text = json.dumps(spec)
    # One URL, relative to the page: the app's own host (tests/browser/test_where_who_browser.py: own_host_only).
    assert text.count('"url"') == 1 and spec["layer"][0]["data"]["url"] == geo.ATLAS_URL and "http" not in text
    land, dots = vega.layers(spec)
    assert (land["mark"], dots["mark"]) == ("geoshape", "circle") and spec["projection"]["type"] == "equalEarth"
    assert len(dots["rows"]) == 6
    [shade] = vega.lookup_rows(spec)
    assert {r["atlas"]: r["trials"] for r in shade} == {"Spain": 1, "United States of America": 2, "Canada": 1,
                                                         "China": 1}
    assert [p["name"] for p in spec.get("params", [])] == [geo.PICK]


def test_a_click_lists_the_trials_of_the_places_chosen():
    one = {"nct_ids": "NCT03475563", "trials": 1}
    assert geo.chosen([one]) == (["NCT03475563"], False)
    assert geo.chosen([{"nct_ids": "NCT1;NCT2", "trials": 14}, one]) == (["NCT1", "NCT2", "NCT03475563"], True)
    assert geo.chosen(["junk", {}]) == ([], False)


def _page(url: str, **params) -> AppTest:
    with app_database(url):
        return opened_with("where_who", **params)


def test_the_page_maps_the_records_sites_and_lists_countries_and_sponsors(sites_url):
    with app_database(sites_url):
        at = AppTest.from_file(APP, default_timeout=90)
        at.query_params["study_type"] = ""  # every study type: two of the records with sites are observational
        at.run()
        at.switch_page("app_pages/where_who.py").run()
        assert not at.exception, [e.value for e in at.exception]
        [chart] = at.get("vega_lite_chart")
        assert len(vega.layers(chart)[1]["rows"]) == 6
        assert "6 of 7 sites are on the map" in text_of(at)
        # Every study type chosen: the page counts studies, in its words and its map's legend and tooltips.
        assert "3 of the selection's studies name no country" in text_of(at) and "Trials" not in chart.proto.spec
        assert "Studies in the country" in chart.proto.spec
        at.session_state["where_who_show"] = "Countries"
        at.run()
        assert md_tables(at)[0][0][:2] == ["Country", "Studies"] and "Studies and sites per country" in text_of(at)
        rows = {r[0]: r[1:] for r in md_tables(at)[0][1:]}
        assert rows["Spain"] == ["1", "3", "3", "0", "Spain"] and rows["China"] == ["1", "1", "0", "1", "China"]
        assert "counted once in each" in text_of(at)
        at.session_state["where_who_show"] = "Sponsors"
        at.run()
        first = md_tables(at)[0][1]
        assert first[0].startswith("[Peking University](./?sponsor=Peking+University") and first[1:] == [
            "Other", "3", "0", "3"]
        at.multiselect(key="indication").set_value(["SLE"]).run()  # the link keeps the selection
        assert md_tables(at)[0][1][0] == "[Peking University](./?sponsor=Peking+University&indication=SLE&study_type=)"


def test_a_sponsor_link_filters_every_page_and_a_bad_one_is_ignored_with_a_notice(sites_url):
    with app_database(sites_url):
        at = AppTest.from_file(APP, default_timeout=90)
        at.query_params["sponsor"] = ["Peking University", "<b>Nobody</b>"]
        at.run()
        assert not at.exception
        assert {m.label: m.value for m in at.metric}["Trials"] == "3"
        assert at.multiselect(key="sponsor").value == ["Peking University"]
        assert any("sponsor" in w.value and "Nobody" in w.value and "ignored" in w.value for w in at.warning)
        at.switch_page("app_pages/where_who.py").run()
        assert not at.get("vega_lite_chart")[0].proto.spec.count('"circle"')  # the three Veeva trials: no site
        at.session_state["where_who_show"] = "Sponsors"
        at.run()
        assert [r[0].partition("](")[0].lstrip("[") for r in md_tables(at)[0][1:]] == ["Peking University"]
        at.multiselect(key="sponsor").set_value([]).run()  # removed in the sidebar: every trial again
        assert not at.exception and len(md_tables(at)[0]) > 2


def test_a_tab_the_page_lacks_is_ignored_with_a_notice(sites_url):
    at = _page(sites_url, where_who_show="Elsewhere")
    assert any("tab" in w.value and "Elsewhere" in w.value for w in at.warning)
    assert at.get("vega_lite_chart")  # the map, the first tab


def test_no_page_draws_with_tiles():
    """st.map and pydeck (st.pydeck_chart) fetch map tiles from a server: no page or dashboard module uses them."""
    from tests.conftest import REPO

    sources = [REPO / "app.py", *(REPO / "app_pages").glob("*.py"), *(REPO / "dashboard").rglob("*.py")]
    used = [p.name for p in sources for word in ("st.map(", "pydeck", "mapbox", "tile.openstreetmap")
            if word in p.read_text()]
    assert len(sources) > 20 and used == []
