"""The Dosing schedules page in Chromium at a phone's 390 px and at 1400 px: the landscape chart of every IL-2
arm is drawn with a marker per indication at each dose and frequency, its table links each arm to its trial, nothing scrolls sideways on the
phone; and the "Also matched" page opens. Screenshots of both pages at both widths."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import SCREENSHOTS
from tests.browser.test_any_screen import sideways
from tests.browser.test_browser import aria_labels, eventually, goto
from tests.browser_support import full_screenshot, page_at, wait_ready


@pytest.mark.parametrize("width", [390, 1400])
def test_landscape_is_drawn_at_any_width(browser, server, width):
    with page_at(browser, width) as page:
        goto(page, f"{server.url}/dosing")
        assert page.locator("[data-testid='stException']").count() == 0
        chart = page.locator("[data-testid='stVegaLiteChart']").filter(
            has=page.locator("svg.marks text", has_text="Every IL-2 arm"))
        assert chart.count() == 1
        # The seed portfolio has five active IL-2 arms with a dose and a schedule, all at 1 million IU every
        # other day: one marker per indication (SLE, RA, pSS), on the plot, each named for a screen reader.
        points = chart.locator("g.mark-symbol.role-mark path")
        assert points.count() == 3
        assert sorted(label.split(":")[0] for label in aria_labels(points)) == ["RA", "SLE", "pSS"]
        box = chart.bounding_box()
        assert box is not None and box["width"] <= width and box["height"] > 300
        for i in range(points.count()):
            p = points.nth(i).bounding_box()
            assert p is not None and box["x"] <= p["x"] and p["x"] + p["width"] <= box["x"] + box["width"]
        # The chart's table (keyboard and screen-reader path) links every arm to its record.
        page.get_by_text("The chart as a table").click()
        links = page.locator("[data-testid='stExpander'] a", has_text="open record")
        links.first.wait_for()
        assert links.count() == 5
        assert sideways(page)["page"] <= 0 and sideways(page)["main"] <= 0
        full_screenshot(page, SCREENSHOTS / f"dosing_{width}.png", width=width)
        goto(page, f"{server.url}/also_matched")
        assert page.locator("[data-testid='stException']").count() == 0
        assert sideways(page)["page"] <= 0
        full_screenshot(page, SCREENSHOTS / f"also_matched_{width}.png", width=width)


def test_a_click_on_a_marker_opens_its_trial_or_lists_its_trials(browser, server):
    """The landscape's point selection, clicked in the browser: the marker of the three SLE arms (two trials) lists
    both trials under the chart; the marker of the one RA arm opens its trial's record."""
    with page_at(browser, 1400) as page:
        goto(page, f"{server.url}/dosing")
        marker = page.locator("[data-testid='stVegaLiteChart'] g.mark-symbol.role-mark path")
        marker.first.wait_for()
        page.locator("[data-testid='stVegaLiteChart'] g.mark-symbol.role-mark path[aria-label^='SLE:']").click()
        links = page.locator("[data-testid='stPageLink'] a", has_text="Open the record of")
        links.first.wait_for()
        assert sorted(re.findall(r"Open the record of (NCT\d{8})", " ".join(links.all_inner_texts()))) == \
            ["NCT02465580", "NCT05262686"]
        # A filter change draws a chart of other data: the click made on the last one is gone with it.
        indication = page.locator("[data-testid='stSidebar'] [data-testid='stMultiSelect']").filter(
            has=page.get_by_text("Indication", exact=True))
        indication.locator("input").click()
        page.keyboard.type("RA")
        page.keyboard.press("Enter")
        page.wait_for_url("**indication=RA**")
        marker = page.locator("[data-testid='stVegaLiteChart'] g.mark-symbol.role-mark path")
        # The URL changes before the rerun's elements arrive: wait for the RA chart, then for the links to go.
        assert eventually(lambda: [label[:3] for label in aria_labels(marker)] == ["RA:"])
        wait_ready(page)
        assert eventually(lambda: links.count() == 0)
        goto(page, f"{server.url}/dosing")
        page.locator("[data-testid='stVegaLiteChart'] g.mark-symbol.role-mark path[aria-label^='RA:']").click()
        page.wait_for_url("**/trial_record?nct=NCT02467504")
        wait_ready(page)
        main = page.inner_text("[data-testid='stMain']")
        assert "Trial record" in main and "NCT02467504 on ClinicalTrials.gov" in main
