"""The Outcomes page with registry results in Chromium, on a real server over a database holding the seeds
and real registry records: the measure chart, the adverse-event chart and the cross-trial chart are drawn,
the tables filled, another measure can be chosen; at desktop and phone widths."""

from __future__ import annotations

import pytest

from tests.browser.conftest import SCREENSHOTS
from tests.browser_support import (
    CHART_TITLES,
    CHARTS,
    TABLES,
    StreamlitServer,
    drawn_charts,
    full_screenshot,
    wait_ready,
)
from tests.results_db import NEITHER, build_results_database

CHEWING = "NCT05594173"


@pytest.fixture(scope="module")
def results_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("results_browser")
    url = build_results_database(folder, "trials_results_browser")
    with StreamlitServer(env={"TRIALDB_URL": url}, log=folder / "streamlit.log") as srv:
        yield srv


def squash(text: str) -> str:
    """Chart titles as drawn lose their wrapping (lines run together, zero-width spaces): compare without spaces."""
    return "".join(ch for ch in text if not ch.isspace() and ch != "\u200b")


def wait_for_chart(page, title: str) -> None:
    """Until a chart titled `title` (compared without spaces) is drawn and the run has finished."""
    page.wait_for_function("""([sel, want]) => [...document.querySelectorAll(sel)]
                              .some(t => t.textContent.replace(/[\\s\\u200b]/g, '').includes(want))""",
                           arg=[CHART_TITLES, squash(title)], timeout=60_000)
    wait_ready(page)


def chart_titles(page) -> list[str]:
    titles = page.locator(CHART_TITLES).evaluate_all("els => els.map(e => e.textContent)")
    return [squash(t) for t in titles]


@pytest.mark.parametrize("width,height", [(1400, 900), (390, 844)])
def test_registry_results_are_drawn_and_listed(browser, results_server, width, height):
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.goto(f"{results_server.url}/outcomes?outcomes_nct={CHEWING}&study_type=")  # every type: it is observational
    wait_ready(page)
    assert page.locator("[data-testid='stException']").count() == 0
    body = page.inner_text("body")
    assert "As posted on ClinicalTrials.gov on 2022-11-21" in body
    charts = page.locator(CHARTS)
    assert charts.count() == drawn_charts(page) == 1
    assert squash("Number of Chewing Cycles Per Bolus") in " | ".join(chart_titles(page))
    # Six groups' bars with the posted values on them (the chart's layer named posted_value).
    bars = charts.first.locator(".posted_value_marks text").evaluate_all("els => els.map(e => e.textContent)")
    assert bars == ["22", "15", "15", "28", "6", "11"]
    tables = page.locator(TABLES).all_inner_texts()
    assert any("Healthy Participants: Gummy Candy" in t and "28" in t and "13" in t for t in tables)
    full_screenshot(page, SCREENSHOTS / f"outcomes_registry_measures_{width}.png", width=width)
    # The adverse events tab: drawn only when chosen, and kept in the URL for a shared link.
    page.get_by_role("tab", name="Adverse events").click()
    wait_for_chart(page, "Other adverse events")
    assert "results_part=Adverse+events" in page.url or "results_part=Adverse%20events" in page.url, page.url
    assert squash("Number of Chewing Cycles Per Bolus") not in " | ".join(chart_titles(page))
    tables = page.locator(TABLES).all_inner_texts()
    assert any("Digestive complaints" in t and "1 of 18" in t for t in tables)
    name = f"outcomes_registry_results_{width}.png"
    full_screenshot(page, SCREENSHOTS / name, width=width)
    assert (SCREENSHOTS / name).stat().st_size > 10_000
    # The comparison across trials: one forest of both trials' groups, and its table.
    page.get_by_text("Across trials", exact=True).first.click()
    wait_for_chart(page, "across trials")
    assert page.locator(CHARTS).count() == 1
    points = page.locator("[data-testid='stPlotlyChart'] g.points path").count()
    assert points == 3  # NCT00763412's two groups and NCT05594173's one
    tables = page.locator(TABLES).all_inner_texts()
    assert any("NCT00763412" in t and "0 of 8" in t and "NCT05594173" in t for t in tables)
    full_screenshot(page, SCREENSHOTS / f"outcomes_across_trials_{width}.png", width=width)
    context.close()


def test_choosing_another_measure_redraws_its_chart(browser, results_server):
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.goto(f"{results_server.url}/outcomes?outcomes_nct={CHEWING}&study_type=")  # every type: it is observational
    wait_ready(page)
    page.get_by_role("combobox", name="Outcome measure").click()  # the selectbox
    page.get_by_role("option", name="Primary · Total Chewing Duration Per Bolus").click()
    wait_for_chart(page, "Total Chewing Duration")
    assert page.locator("[data-testid='stException']").count() == 0
    context.close()


def test_a_trial_with_neither_says_so(browser, results_server):
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.goto(f"{results_server.url}/outcomes?outcomes_nct={NEITHER}")
    wait_ready(page)
    body = page.inner_text("body")
    assert f"No publication with outcomes for {NEITHER}" in body
    assert f"No results posted on ClinicalTrials.gov for {NEITHER}" in body
    assert page.locator("[data-testid='stException']").count() == 0
    context.close()
