"""The real path: `streamlit run app.py` on loopback, driven by Chromium. Every page loads without
an exception, draws its charts, fills its tables; the filter changes content, survives page changes
in widget and URL, and a deep link works as the first request to a fresh server."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

import pytest

from tests.browser.conftest import SCREENSHOTS
from tests.browser_support import CHARTS, StreamlitServer, drawn_charts, full_screenshot, legend, table_rows, wait_ready

# page path -> (charts drawn with every indication, rows of the first table). The overview: no chart (its charts at a
# glance are HTML); phase and status: one row per phase, Phase 2 and Phase 3, its trials and its participants a chart
# each; outcomes: the primary endpoint's chart, SRI-4, the other measures a tab away.
PAGES = {"": (0, 4), "timeline": (1, 1), "phase_status": (2, 2), "dosing": (1, None), "outcomes": (1, None),
         "trial_record": (0, None)}


def goto(page, url: str) -> None:
    page.goto(url)
    wait_ready(page)


def eventually(check, timeout_s: float = 30.0):
    """Poll until `check()` is truthy: after a widget change the old run's state is still showing."""
    import time

    deadline = time.monotonic() + timeout_s
    while True:
        result = check()
        if result or time.monotonic() > deadline:
            return result
        time.sleep(0.2)


def indications(page) -> list[str]:
    return parse_qs(urlparse(page.url).query).get("indication", [])


def multiselect(page, label: str = "Indication"):
    """The sidebar multiselect with this label (Disease area, Indication, Phase, Status)."""
    return page.locator("[data-testid='stMultiSelect']").filter(
        has=page.locator("[data-testid='stWidgetLabel']", has_text=re.compile(f"^{re.escape(label)}$")))


def aria_labels(locator) -> list[str]:
    """Every match's aria-label, read in one call in the page: counting and then reading match by match races a
    rerun that redraws the elements between the two (a Locator.nth past the new count waits 30 s and fails)."""
    return locator.evaluate_all("els => els.map(e => e.getAttribute('aria-label') || '')")


def chips(page, label: str = "Indication") -> list[str]:
    return aria_labels(multiselect(page, label).locator("[role='group'][aria-label='Selected values'] [data-tag]"))


@pytest.mark.parametrize("path", list(PAGES))
def test_page_loads_draws_and_fills(page, server, path):
    goto(page, f"{server.url}/{path}")
    assert page.locator("[data-testid='stException']").count() == 0
    charts, rows = PAGES[path]
    assert page.locator(CHARTS).count() == drawn_charts(page) == charts
    if rows is not None:
        assert len(table_rows(page)) == rows
    full_screenshot(page, SCREENSHOTS / f"{path or 'overview'}.png")
    assert (SCREENSHOTS / f"{path or 'overview'}.png").stat().st_size > 10_000


def test_filter_changes_content_and_survives_page_change(page, server):
    goto(page, f"{server.url}/?indication=SLE")
    assert chips(page) == ["SLE"]
    rows = table_rows(page)
    assert len(rows) == 2 and all("SLE" in r for r in rows)
    # Add RA through the widget: the table and the URL follow.
    multiselect(page).click()
    page.get_by_role("option", name="RA", exact=True).click()
    page.keyboard.press("Escape")
    wait_ready(page)
    page.wait_for_function("() => location.search.includes('RA')")
    assert sorted(indications(page)) == ["RA", "SLE"]
    assert eventually(lambda: len(table_rows(page)) == 3), table_rows(page)
    # Move to another page through the navigation: the filter is kept, in the widget and the URL.
    page.locator("[data-testid='stSidebarNav'] a", has_text="Phase and status").click()
    page.wait_for_url("**/phase_status**")
    wait_ready(page)
    assert sorted(chips(page)) == ["RA", "SLE"] and sorted(indications(page)) == ["RA", "SLE"]
    assert legend(page) == [] and sorted(legend(page, 1)) == ["RA", "SLE"]  # one legend, under the second chart
    full_screenshot(page, SCREENSHOTS / "phase_status_SLE_RA.png")


def test_phase_and_status_start_empty_and_old_links_choose(page, server):
    """Phase and Status start like Disease area and Indication: no chips, a placeholder, every trial. A link made
    when they started all chosen (`?phase=Phase+3&status=Unknown`) still opens its view."""
    goto(page, f"{server.url}/")
    assert [chips(page, x) for x in ("Disease area", "Indication", "Phase", "Status")] == [[], [], [], []]
    assert multiselect(page, "Phase").locator("input").get_attribute("placeholder") == "All phases"
    assert multiselect(page, "Status").locator("input").get_attribute("placeholder") == "All statuses"
    assert len(table_rows(page)) == 4
    goto(page, f"{server.url}/?phase=Phase+3&status=Unknown")
    assert chips(page, "Phase") == ["Phase 3"] and chips(page, "Status") == ["Unknown"]
    rows = table_rows(page)
    assert len(rows) == 1 and "NCT05262686" in rows[0]


def test_outcomes_say_so_when_sle_is_filtered_out(page, server):
    goto(page, f"{server.url}/outcomes?indication=RA&indication=pSS")
    assert "No published outcomes match the filter" in page.inner_text("body")
    assert page.locator(CHARTS).count() == 0


def test_deep_link_is_the_first_request_to_a_fresh_server(browser, tmp_path):
    """A fresh server with no database yet: the shared link both builds it and opens filtered."""
    db = tmp_path / "fresh.sqlite3"
    with StreamlitServer(env={"TRIALDB_URL": f"sqlite:///{db}"}, log=tmp_path / "fresh.log") as srv:
        assert not db.exists()
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        page = context.new_page()
        goto(page, f"{srv.url}/timeline?indication=RA&timeline_table=Dates+not+stated+in+source")
        assert db.exists()
        assert page.locator("[data-testid='stException']").count() == 0
        assert page.locator("[data-testid='stSidebarNav']").count() == 1
        assert chips(page) == ["RA"] and indications(page) == ["RA"]
        assert "1 trial(s) in this selection state no start or completion date" in page.inner_text("body")
        rows = table_rows(page)  # the tab the link names: RA's one trial states no dates
        assert len(rows) == 1 and "NCT02467504" in rows[0]
        full_screenshot(page, SCREENSHOTS / "deep_link_timeline_RA.png")
        context.close()


def test_record_link_from_overview_opens_that_trial(page, server):
    goto(page, f"{server.url}/trial_record?nct=NCT02467504&indication=RA")
    body = page.inner_text("body")
    assert "Low-dose Recombinant Human IL-2 for the Treatment of Rheumatoid Arthritis" in body
    assert "hrIL-2 RA" in body and "not stated in source" in body

