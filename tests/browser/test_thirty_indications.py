"""Thirty indications in seven areas (the synthetic portfolio, `python -m trialdb.synthetic --n 300`) on
the real server in Chromium: the area and indication filter through the widgets and the URL both ways,
old `?indication=` links, legends that never scroll, and no page wider than a laptop or a phone."""

from __future__ import annotations

import subprocess
import sys
from urllib.parse import parse_qs, urlparse

import pytest

from tests.browser.conftest import SCREENSHOTS
from tests.browser.test_browser import chips, eventually, goto, multiselect
from tests.browser_support import (
    REPO,
    StreamlitServer,
    assert_fits,
    full_screenshot,
    legend,
    table_cells,
    table_rows,
    wait_ready,
)
from tests.pages import registered_pages, url_path
from trialdb.indications import BY_CODE
from trialdb.synthetic import INDICATION_WEIGHTS

PATHS = [url_path(p) for p in registered_pages()]  # every page app.py registers
AREA_OF = {c: BY_CODE[c].area for c, _ in INDICATION_WEIGHTS}


@pytest.fixture(scope="module")
def thirty(tmp_path_factory):
    """A server on the 30-indication portfolio (TRIALDB_URL for this server only)."""
    tmp = tmp_path_factory.mktemp("thirty")
    db = tmp / "thirty.sqlite3"
    subprocess.run([sys.executable, "-m", "trialdb.synthetic", "--n", "300", "--db", str(db)], cwd=REPO, check=True,
                   capture_output=True)
    with StreamlitServer(env={"TRIALDB_URL": f"sqlite:///{db}"}, log=tmp / "streamlit.log") as srv:
        yield srv


def params(page) -> dict[str, list[str]]:
    return parse_qs(urlparse(page.url).query)


def indications_in_table(page) -> set[str]:
    """The Indication column of the overview's table, on its first page (empty while the table is replaced)."""
    header, rows = table_cells(page)
    return {r[header.index("Indication")].strip() for r in rows} if "Indication" in header else set()


def pick(page, label: str, option: str) -> None:
    # After the previous choice, wait for its run to end: a rerun landing while the list is open re-renders the
    # widget and closes the list (under CI's two test workers the option was then never found).
    wait_ready(page)
    multiselect(page, label).click()
    page.get_by_role("option", name=option, exact=True).click()
    page.keyboard.press("Escape")


def test_choosing_an_area_filters_and_writes_the_url(page, thirty):
    goto(page, f"{thirty.url}/")
    # No chips: a short sidebar, all four filters alike.
    assert [chips(page, x) for x in ("Disease area", "Indication", "Phase", "Status")] == [[], [], [], []]
    assert len(table_rows(page)) == 25  # the first page of all 300
    pick(page, "Disease area", "endocrinology")
    page.wait_for_function("() => new URLSearchParams(location.search).getAll('area').includes('endocrinology')")
    assert eventually(lambda: indications_in_table(page) == {"GD", "T1D"}), indications_in_table(page)
    pick(page, "Indication", "GVHD")  # an area and an indication of another: both
    page.wait_for_function("() => new URLSearchParams(location.search).getAll('indication').includes('GVHD')")
    assert eventually(lambda: "3 of 30 indications" in page.inner_text("[data-testid='stSidebar']"))
    assert params(page)["area"] == ["endocrinology"] and params(page)["indication"] == ["GVHD"]
    # To another page through the navigation: the choice is kept, in the widgets and the URL.
    page.locator("[data-testid='stSidebarNav'] a", has_text="Phase and status").click()
    page.wait_for_url("**/phase_status**")
    wait_ready(page)
    assert chips(page, "Disease area") == ["endocrinology"] and chips(page) == ["GVHD"]
    assert params(page)["area"] == ["endocrinology"] and params(page)["indication"] == ["GVHD"]
    assert sorted(legend(page, 1)) == ["GD", "GVHD", "T1D"]  # three: one colour each
    full_screenshot(page, SCREENSHOTS / "thirty_phase_status_endocrinology_GVHD.png")


def test_a_link_with_an_area_and_an_indication_opens_that_view(page, thirty):
    goto(page, f"{thirty.url}/timeline?area=rheumatology&indication=T1D")
    assert page.locator("[data-testid='stException']").count() == 0
    assert chips(page, "Disease area") == ["rheumatology"] and chips(page) == ["T1D"]
    want = {c for c, a in AREA_OF.items() if a == "rheumatology"} | {"T1D"}
    assert f"{len(want)} of 30 indications" in page.inner_text("[data-testid='stSidebar']")
    page.locator("[data-testid='stSidebarNav'] a", has_text="Overview").click()
    page.wait_for_function("() => document.querySelector(\"[data-testid='stMain'] h1\")?.innerText.includes('portfolio')")
    wait_ready(page)
    assert params(page) == {"area": ["rheumatology"], "indication": ["T1D"]}
    assert page.locator("[data-testid='stMetric']").nth(1).inner_text().endswith(str(len(want)))


def test_an_old_indication_link_still_works(page, thirty):
    goto(page, f"{thirty.url}/?indication=SLE")
    assert chips(page) == ["SLE"] and chips(page, "Disease area") == []
    assert indications_in_table(page) == {"SLE"}
    assert page.locator("[data-testid='stAlert']").count() == 0


def test_a_bad_area_gets_a_notice(page, thirty):
    goto(page, f"{thirty.url}/?area=cardiology&area=neurology")
    alert = page.locator("[data-testid='stAlert']").filter(has_text="which this database does not have").inner_text()
    assert "cardiology" in alert and chips(page, "Disease area") == ["neurology"]
    assert indications_in_table(page) <= {c for c, a in AREA_OF.items() if a == "neurology"}


# The seed portfolio's pages are held to the same at both widths by tests/browser/test_any_screen.py.
@pytest.mark.parametrize("width,height", [(1400, 900), (390, 844)], ids=["laptop", "phone"])
@pytest.mark.parametrize("path", PATHS)
def test_no_page_is_wider_than_the_screen(contexts, thirty, path, width, height):
    page = contexts(width, height).new_page()
    try:
        goto(page, f"{thirty.url}/{path}")
        assert page.locator("[data-testid='stException']").count() == 0
        assert_fits(page)
        full_screenshot(page, SCREENSHOTS / f"thirty_{path or 'overview'}_{width}.png", width=width)
    finally:
        page.close()


@pytest.mark.parametrize("width", [1400, 390])
def test_phase_and_status_charts_line_up(browser, thirty, width):
    """Trials above, participants below: the same category's bars stand one above the other, on a laptop and on
    a phone (two charts, each fitted to the width on its own, so their plots must come out alike)."""
    page = browser.new_page(viewport={"width": width, "height": 900})
    goto(page, f"{thirty.url}/phase_status")  # by phase: the last, "not stated in source", is a long label
    charts = page.locator("[data-testid='stVegaLiteChart']")
    assert charts.count() == 2
    lefts = [[round(m.bounding_box()["x"]) for m in c.locator(".layer_0_marks path").all()] for c in charts.all()]
    # Every phase has trials, and so a bar in both.
    assert len(lefts[0]) >= 2 and sorted(set(lefts[0])) == sorted(set(lefts[1])), lefts
    page.close()
