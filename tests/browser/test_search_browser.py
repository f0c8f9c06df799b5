"""Chromium: the search says where each trial matched (the Overview's table, best match first, the words found
marked, at 1400 and 390 px), and the study type filter with observational and expanded access studies beside the
seeds (tests/study_types_db.py): the line under the title, a link, and every type chosen kept in the URL."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import SCREENSHOTS
from tests.browser_support import TITLE, StreamlitServer, assert_fits, full_screenshot, table_cells, wait_ready
from tests.study_types_db import build_study_types_database

NCT = re.compile(r"NCT\d{8}")


@pytest.mark.parametrize("width,height", [(1400, 900), (390, 844)])
def test_the_overview_marks_where_a_search_matched(contexts, server, width, height):
    page = contexts(width, height).new_page()
    page.goto(f"{server.url}/?q=belimumab")
    wait_ready(page)
    assert page.locator("[data-testid='stException']").count() == 0
    header, rows = table_cells(page)
    assert header[:4] == ["NCT id", "Title", "Matched in", "Where it matched"]
    assert [NCT.search(r[0]).group(0) for r in rows] == ["NCT05262686", "NCT02464319"]  # type: ignore[union-attr]
    assert [r[2] for r in rows] == ["Brief title", "Eligibility criteria"]
    marks = page.locator(".table-box table mark")
    # the first trial's snippet is its title, the second's its exclusion criterion (the Title column is not marked)
    assert marks.all_inner_texts() == ["Belimumab", "belimumab"]
    # a mark is drawn apart from the text around it (its background), inside the table's box
    styles = marks.nth(1).evaluate("m => [getComputedStyle(m).backgroundColor, getComputedStyle(m.parentElement)"
                                   ".backgroundColor]")
    assert styles[0] != styles[1], styles
    box = marks.nth(1).bounding_box()
    assert box is not None and box["width"] > 0 and box["height"] > 0
    # the line under the title, then the ranking said
    title_y = page.locator(TITLE).bounding_box()["y"]  # type: ignore[index]
    line = page.get_by_text(re.compile(r"of 4 trials match the search")).first
    assert line.bounding_box()["y"] > title_y  # type: ignore[index]
    assert page.get_by_text("Best match first").count() == 1
    assert_fits(page)
    full_screenshot(page, SCREENSHOTS / f"search_snippets_{width}.png", width)
    page.close()


@pytest.fixture(scope="module")
def types_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("study_types_browser")
    with StreamlitServer(env={"TRIALDB_URL": build_study_types_database(folder)},
                         log=folder / "streamlit.log") as srv:
        yield srv


def matches_line(page) -> str:
    return page.get_by_text(re.compile(r"of 7 studies match")).first.inner_text()


@pytest.mark.parametrize("width,height", [(1400, 900), (390, 844)])
def test_study_types_one_click_away_and_kept_in_the_url(contexts, types_server, width, height):
    page = contexts(width, height).new_page()
    page.goto(types_server.url)
    wait_ready(page)
    line = matches_line(page)
    assert line.startswith("4 of 7 studies match the filter.")
    assert "Showing interventional trials; 2 observational studies and 1 expanded access programme are one click away" in line
    assert page.locator(TITLE).bounding_box()["y"] < page.get_by_text(line[:20]).first.bounding_box()["y"]  # type: ignore[index]
    full_screenshot(page, SCREENSHOTS / f"study_type_default_{width}.png", width)
    page.goto(f"{types_server.url}/?study_type=Observational")
    wait_ready(page)
    assert matches_line(page).startswith("2 of 7 studies match the filter.")
    header, rows = table_cells(page)
    assert {NCT.search(r[0]).group(0) for r in rows} == {"NCT03475563", "NCT05594173"}  # type: ignore[union-attr]
    assert {r[header.index("Phase")] for r in rows} == {r[header.index("Masking")] for r in rows} == {"not applicable"}
    assert page.locator("[data-testid='stMetric']").first.inner_text().startswith("Studies")
    assert_fits(page)
    full_screenshot(page, SCREENSHOTS / f"study_type_observational_{width}.png", width)
    page.close()


def test_every_study_type_chosen_is_kept_in_the_url(contexts, types_server):
    """Clearing the study type (none chosen: every type) is a choice of its own in the URL: a reload keeps it, and
    does not fall back to the interventional trials."""
    page = contexts().new_page()
    page.goto(types_server.url)
    wait_ready(page)
    box = page.locator("[data-testid='stMultiSelect']").filter(has_text="Study type")
    box.get_by_role("button", name=re.compile("Remove Interventional|Clear all", re.I)).first.click()
    page.get_by_text(re.compile(r"^7 of 7 studies match")).first.wait_for(timeout=30_000)
    url = page.url
    page.goto(url)
    wait_ready(page)
    assert matches_line(page).startswith("7 of 7 studies match the filter."), (url, matches_line(page))
    page.close()
