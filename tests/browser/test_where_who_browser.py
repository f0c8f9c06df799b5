"""The Where and who page in Chromium on the real registry records that list sites (tests/sites_db.py), at 1400 and
390 px: the world map drawn with its countries and its six places, a click on a place opening its trial's record, the
countries and sponsors tabs, and not one request to a host other than the app's own (`own_host_only`)."""

from __future__ import annotations

import pytest

from tests.browser.conftest import SCREENSHOTS
from tests.browser_support import (
    CHARTS,
    StreamlitServer,
    assert_fits,
    drawn_charts,
    full_screenshot,
    table_cells,
    wait_ready,
)
from tests.sites_db import sites_database

PATHS = "[data-testid='stVegaLiteChart'] svg.marks path"


@pytest.fixture(scope="module")
def sites_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("where_who_browser")
    with StreamlitServer(env={"TRIALDB_URL": sites_database(folder)}, log=folder / "streamlit.log") as srv:
        yield srv


def _shapes(page) -> dict[str, int]:
    """How many of the map's marks the SVG draws, by Vega's role: countries (geoshape) and places (circles)."""
    return page.evaluate("""() => {
        const svg = document.querySelector("[data-testid='stVegaLiteChart'] svg.marks");
        const count = kind => svg.querySelectorAll(`g.${kind}.role-mark path`).length;
        return {countries: count('mark-shape'), places: count('mark-symbol')};
    }""")


@pytest.mark.parametrize("width,height", [(1400, 900), (390, 844)])
def test_the_map_draws_countries_and_sites_and_a_click_opens_the_trial(contexts, sites_server, own_host_only,
                                                                       width, height):
    page = contexts(width, height, mobile=width < 600).new_page()
    own_host_only(page, sites_server.url)
    page.goto(f"{sites_server.url}/where_who?study_type=")  # every type: two records are observational
    wait_ready(page)
    assert page.locator("[data-testid='stException']").count() == 0
    assert page.locator(CHARTS).count() == drawn_charts(page) == 1
    shapes = _shapes(page)
    assert shapes == {"countries": 176, "places": 6}, shapes  # the atlas's 177 less Antarctica; the records' places
    assert_fits(page)
    full_screenshot(page, SCREENSHOTS / f"where_who_{width}.png", width)
    # León (NCT03475563's third site): the one place west of 0° in Spain; a click opens its trial's record.
    leon = page.locator("[data-testid='stVegaLiteChart'] svg.marks g.mark-symbol.role-mark path[aria-label*='León']")
    assert leon.count() == 1
    leon.dispatch_event("click") if width < 600 else leon.click(force=True)
    page.wait_for_url("**/trial_record?nct=NCT03475563", timeout=60_000)
    wait_ready(page)
    assert "NCT03475563" in page.inner_text("[data-testid='stMain']")
    page.close()


def test_countries_and_sponsors_tabs_list_the_records(contexts, sites_server, own_host_only):
    page = contexts().new_page()
    own_host_only(page, sites_server.url)
    page.goto(f"{sites_server.url}/where_who?where_who_show=Countries&study_type=")
    wait_ready(page)
    header, rows = table_cells(page)
    assert header[:3] == ["Country", "Studies", "Sites"]  # every study type chosen: studies counted
    assert {r[0]: r[1:3] for r in rows} == {"United States": ["2", "2"], "Spain": ["1", "3"], "Canada": ["1", "1"],
                                           "China": ["1", "1"]}
    page.get_by_role("tab", name="Sponsors").click()
    page.wait_for_function("() => [...document.querySelectorAll('.table-box th')].some(t => t.innerText === 'Class')",
                           timeout=60_000)
    link = page.locator(".table-box a", has_text="Novo Nordisk A/S")
    assert link.get_attribute("href") == "./?sponsor=Novo+Nordisk+A%2FS&study_type="  # the selection kept: every type
    page.close()


def test_the_guard_catches_a_request_off_the_apps_host(contexts, sites_server, own_host_only):
    """The guard itself: a request a page makes to another host is aborted and recorded (then cleared here, so
    that this test passes only because the guard caught it)."""
    page = contexts().new_page()
    own_host_only(page, sites_server.url)
    page.goto(f"{sites_server.url}/where_who?study_type=")  # every type: two records are observational
    wait_ready(page)
    page.evaluate("() => fetch('https://tile.openstreetmap.org/0/0/0.png').catch(() => null)")
    page.wait_for_timeout(500)
    assert own_host_only.stray == ["https://tile.openstreetmap.org/0/0/0.png"] * len(own_host_only.stray) != []
    own_host_only.stray.clear()
    page.close()
