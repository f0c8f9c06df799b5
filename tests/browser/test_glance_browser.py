"""The overview's charts at a glance (issue 33) in Chromium at 1400 and 390 px: drawn side by side or stacked, every
bar a link a click or the keyboard follows to the overview filtered to it (its Status or Year of start shows the
choice), the URL keeping it, and nothing scrolling sideways on a phone. Screenshots at both widths, before and after
a click."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import SCREENSHOTS
from tests.browser.test_any_screen import sideways
from tests.browser.test_browser import aria_labels, chips, eventually, goto
from tests.browser_support import full_screenshot, page_at, wait_ready

GLANCE = ".glance section.gl-chart"


def bars(page, title: str):
    """The bars of the overview's chart `title`: its links, each named for a screen reader ("Completed: 2 trials")."""
    return page.locator(f"{GLANCE}[aria-label='{title}'] a")


def trials_shown(page) -> str:
    return page.locator("[data-testid='stMetric']").first.locator("[data-testid='stMetricValue']").inner_text()


@pytest.mark.parametrize("width", [1400, 390])
def test_a_click_on_a_bar_filters_and_the_url_keeps_it(browser, server, width):
    with page_at(browser, width) as page:
        goto(page, f"{server.url}/")
        assert page.locator("[data-testid='stException']").count() == 0
        assert sorted(aria_labels(bars(page, "Trials by indication"))) == [
            "RA: 1 trial", "SLE: 2 trials", "pSS: 1 trial"]
        assert aria_labels(bars(page, "Trials by status")) == ["Completed: 2 trials", "Unknown: 2 trials"]
        # The trials whose sources state no start date: a line under the years, not a column on their scale.
        assert aria_labels(bars(page, "Trials by year of stated start")) == [
            "2015: 1 trial", "not stated: 3 trials (The sources state no start date: counted here, never given a year.)"]
        # The overview loads no Vega-Lite for them (the browser's cost of its module: dashboard/glance/bars.py).
        assert page.locator("[data-testid='stVegaLiteChart']").count() == 0
        # Each bar drawn as long (or, by year, as tall) as its trials: SLE's twice RA's.
        widths = {b.get_attribute("aria-label"): b.locator(".gl-fill").bounding_box()["width"]
                  for b in bars(page, "Trials by indication").all()}
        assert widths["SLE: 2 trials"] == pytest.approx(2 * widths["RA: 1 trial"], rel=0.05)
        year = bars(page, "Trials by year of stated start")
        assert year.nth(0).locator(".gl-fill").bounding_box()["height"] > 90  # 2015, the tallest year
        assert year.nth(1).locator(".gl-fill").count() == 0 and year.nth(1).inner_text() == "Start not stated: 3 trials"
        boxes = [c.bounding_box() for c in page.locator(GLANCE).all()]
        assert len(boxes) == 3 and all(b is not None and b["x"] + b["width"] <= width for b in boxes)
        if width == 1400:  # side by side on a desktop
            assert len({round(b["y"]) for b in boxes if b}) == 1
        else:  # stacked on a phone
            assert len({round(b["y"]) for b in boxes if b}) == 3
        assert sideways(page)["page"] <= 0 and sideways(page)["main"] <= 0
        full_screenshot(page, SCREENSHOTS / f"overview_glance_{width}.png", width=width)

        # The keyboard: first a link that skips every bar to the table's heading, shown once reached.
        skip = page.locator(".glance a.gl-skip")
        assert skip.get_attribute("href") == "#the-table" and page.locator("[id='the-table']").count() == 1
        skip.focus()
        assert skip.bounding_box()["x"] >= 0 and skip.inner_text() == "Skip the charts to the trials' table"
        # A bar is a link, focused and followed with Enter.
        bars(page, "Trials by status").filter(has_text="Completed").focus()
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(r"[?&]status=Completed(&|$)"))
        wait_ready(page)
        assert eventually(lambda: aria_labels(bars(page, "Trials by status")) == ["Completed: 2 trials"])
        assert trials_shown(page) == "2"
        if width == 1400:  # the sidebar shows the choice, and clears it (on a phone it is folded away)
            assert chips(page, "Status") == ["Completed"]
        # A click: the year's bar of the trials whose sources state no start date, the status kept.
        page.locator(f"{GLANCE} a[aria-label^='not stated:']").click()
        page.wait_for_url(re.compile(r"start_year=not\+stated"))
        wait_ready(page)
        assert "status=Completed" in page.url
        # NCT02467504 (RA) and NCT02464319 (pSS): completed, no start date stated.
        assert eventually(lambda: trials_shown(page) == "2")
        assert eventually(lambda: sorted(aria_labels(bars(page, "Trials by indication"))) == [
            "RA: 1 trial", "pSS: 1 trial"])
        if width == 1400:
            assert chips(page, "Year of start") == ["not stated"]
        full_screenshot(page, SCREENSHOTS / f"overview_glance_clicked_{width}.png", width=width)
