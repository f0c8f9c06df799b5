"""Pages that draw one part at a time (issue 21), in Chromium: each part is a tab kept in the URL. A click on a tab
draws its part and writes it into the URL, a shared link opens the part it names, the keyboard moves between the
tabs, and the trial record's source document is drawn when its expander opens."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest

from tests.browser.conftest import SCREENSHOTS
from tests.browser.test_browser import goto
from tests.browser_support import CHART_TITLES, full_screenshot, page_at, wait_ready

COMPARED = "nct=NCT02465580&nct=NCT05262686&nct=NCT02467504"
HEADERS = ".table-box thead, [data-testid='stMarkdownContainer'] table thead"  # a table's header row (browser_support.TABLES)

# path, the URL parameter, the first tab, another tab, and what only that other tab draws (chart title or table
# header text)
CASES = [
    ("phase_status", "phase_status_by", "By phase", "By status", (CHART_TITLES, "by status")),
    ("dosing", "dosing_show", "Every IL-2 arm", "Cumulative dose", (CHART_TITLES, "Cumulative IL-2 dose")),
    ("outcomes", "outcomes_part", "As published", "The numbers", (HEADERS, "Published %")),
    ("timeline", "timeline_table", "Dates as stated", "Milestones", (HEADERS, "Milestone")),
    (f"compare?{COMPARED}", "compare_show", "Side by side", "Dosing on one time axis", (CHART_TITLES, "Dosing calendars")),
]


def selected_tab(page) -> str:
    return page.locator("[role='tab'][aria-selected='true']").first.inner_text().strip()


def shows(page, selector: str, text: str) -> bool:
    return any(text in (t or "") for t in page.locator(selector).all_text_contents())


def param(page, name: str) -> list[str]:
    return parse_qs(urlparse(page.url).query).get(name, [])


@pytest.mark.parametrize("path, key, first, other, only", CASES, ids=[c[0].split("?")[0] for c in CASES])
def test_a_tab_draws_its_part_and_is_kept_in_the_url(page, server, path, key, first, other, only):
    goto(page, f"{server.url}/{path}")
    assert page.locator("[data-testid='stException']").count() == 0
    assert selected_tab(page) == first and not shows(page, *only)
    page.get_by_role("tab", name=other, exact=True).click()
    page.wait_for_function(f"() => new URLSearchParams(location.search).get({key!r}) === {other!r}")
    wait_ready(page)
    page.wait_for_function("([sel, text]) => [...document.querySelectorAll(sel)].some(e => e.textContent.includes(text))",
                           arg=list(only), timeout=30_000)
    assert param(page, key) == [other] and selected_tab(page) == other
    # The URL, shared: opens on that tab, the filter and the trials chosen kept.
    shared = page.url
    goto(page, shared)
    assert selected_tab(page) == other and shows(page, *only)
    assert page.locator("[data-testid='stException']").count() == 0


def test_the_keyboard_moves_between_tabs(page, server):
    goto(page, f"{server.url}/phase_status")
    page.get_by_role("tab", name="By phase", exact=True).focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    page.wait_for_function("() => new URLSearchParams(location.search).get('phase_status_by') === 'By status'")
    wait_ready(page)
    assert selected_tab(page) == "By status"
    page.wait_for_function("(sel) => [...document.querySelectorAll(sel)].some(e => e.textContent.includes('by status'))",
                           arg=CHART_TITLES, timeout=30_000)


def test_the_source_document_is_drawn_when_opened(page, server):
    goto(page, f"{server.url}/trial_record?nct=NCT02467504")
    code = page.locator("[data-testid='stCode']")
    assert code.count() == 0
    page.get_by_text("Read the source document in full").click()
    code.first.wait_for(timeout=30_000)
    assert "NCT02467504" in code.first.inner_text()


@pytest.mark.parametrize("width", [390, 1400])
def test_parts_at_any_width(browser, server, width):
    """Screenshots of every page's other part, at a phone's width and a desktop's, nothing sideways."""
    from tests.browser.test_any_screen import sideways

    with page_at(browser, width) as page:
        for path, key, _, other, only in CASES:
            sep = "&" if "?" in path else "?"
            goto(page, f"{server.url}/{path}{sep}{key}={other.replace(' ', '+')}")
            assert selected_tab(page) == other and shows(page, *only), path
            assert sideways(page)["page"] <= 0, path
            full_screenshot(page, SCREENSHOTS / f"part_{key}_{width}.png", width=width)
