"""Any screen, every reader, in Chromium: every page app.py registers, at a phone's 390 x 844 and at
1400 x 900, with and without a filter or search: nothing scrolls sideways on the phone, and axe-core
(WCAG 2.1 A and AA rules) finds no serious or critical violation. The whole journey (search, filter,
sort, page change, download) with the keyboard alone. Hostile searches in the link are inert."""

from __future__ import annotations

from urllib.parse import parse_qs, quote, urlparse

import pytest

from tests.browser.conftest import SCREENSHOTS
from tests.browser.test_browser import eventually, goto
from tests.browser.test_hostile_urls import SQL, XSS, _assert_inert
from tests.browser_support import (
    CHARTS,
    StreamlitServer,
    assert_fits,
    table_cells,
    table_rows,
    wait_ready,
)
from tests.pages import registered_pages, url_path

WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# The compare page needs trials chosen to show its tables and chart.
EXTRA = {"compare": "nct=NCT02465580&nct=NCT02467504&nct=NCT05262686"}
# A filtered view is a subset of the whole one (and is drawn filtered by test_browser.py and the thirty-indication
# tests); a searched one adds the search's own notes; with no match, the empty state. Each page load is a cost to
# CI's time, so no view is loaded twice for the same check.
VARIANTS = {"all": "", "searched": "q=hrIL-2", "no-match": "q=zzzz"}


def url_of(server, stem: str, variant: str) -> str:
    # With no match, no trials named in the link either (named ones are shown, with a notice, whatever the search).
    extra = EXTRA.get(stem, "") if variant != "no-match" else ""
    query = "&".join(q for q in (extra, VARIANTS[variant]) if q)
    return f"{server.url}/{url_path(stem)}" + (f"?{query}" if query else "")


def serious_violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG}})
    return [f"{v['id']} ({v['impact']}): {v['help']} at {v['nodes'][0]['target']}"
            for v in results.response["violations"] if v["impact"] in ("serious", "critical")]


def sideways(page) -> dict[str, int]:
    """How far the page, and Streamlit's main container, are wider than the screen (0: not at all)."""
    return page.evaluate("""() => {
        const main = document.querySelector("[data-testid='stMain']");
        return {page: document.documentElement.scrollWidth - innerWidth,
                main: main.scrollWidth - main.clientWidth,
                body: document.body.scrollWidth - innerWidth}; }""")


@pytest.fixture
def phone(contexts):
    pg = contexts(390, 844, mobile=True).new_page()
    yield pg
    pg.close()


@pytest.mark.parametrize("variant", list(VARIANTS))
@pytest.mark.parametrize("stem", registered_pages())
def test_phone_no_sideways_scroll_and_no_serious_axe_violation(phone, server, stem, variant):
    goto(phone, url_of(server, stem, variant))
    assert phone.locator("[data-testid='stException']").count() == 0
    assert sideways(phone) == {"page": 0, "main": 0, "body": 0}
    assert_fits(phone)  # no chart's legend scrolls either
    # With no match every page draws the same empty state (ui.empty_state) under its title: axe reads it on the
    # first page only (a run of axe is seconds of CI's time), every page is still loaded and measured.
    if variant != "no-match" or stem == registered_pages()[0]:
        assert serious_violations(phone) == []
    if variant == "no-match":
        assert "No trials match the search" in phone.inner_text("[data-testid='stMain']")
    for chart in phone.locator(CHARTS).all():  # charts fit the screen
        box = chart.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
    if variant == "all":
        phone.screenshot(path=str(SCREENSHOTS / f"phone_{stem}.png"), full_page=True)


@pytest.mark.parametrize("variant", ["all"])  # the searched and empty views: on the phone above
@pytest.mark.parametrize("stem", registered_pages())
def test_desktop_no_serious_axe_violation(page, server, stem, variant):
    goto(page, url_of(server, stem, variant))
    assert page.locator("[data-testid='stException']").count() == 0
    assert_fits(page)
    assert serious_violations(page) == []  # (tests/browser/test_browser.py keeps each page's screenshot at 1400)


def test_search_link_reproduces_on_every_page(page, server):
    """A shared `?q=` link opens searched, and the search stays while moving between pages."""
    goto(page, f"{server.url}/?q=Sj%C3%B6gren")
    rows = table_rows(page)
    assert len(rows) == 1 and "NCT02464319" in rows[0]
    assert "1 of 4 trials match the search “Sjögren”" in page.inner_text("[data-testid='stMain']")
    page.locator("[data-testid='stSidebarNav'] a", has_text="Trial record").click()
    page.wait_for_url("**/trial_record**")
    wait_ready(page)
    assert parse_qs(urlparse(page.url).query).get("q") == ["Sjögren"]
    assert "NCT02464319" in page.inner_text("[data-testid='stMain']")


@pytest.mark.parametrize("text", [XSS, SQL, '"NEAR(lupus" OR *', "a" * 10_000],
                         ids=["html", "sql", "fts", "10000"])
def test_hostile_search_in_the_link_is_inert(page, server, text):
    goto(page, f"{server.url}/?q={quote(text)}")
    _assert_inert(page)
    main = page.inner_text("[data-testid='stMain']")
    assert "trials match" in main
    if text == SQL:  # plain words: "x", "or", "1", ... nothing matches them all
        assert "No trials match the search" in main
    goto(page, f"{server.url}/")
    assert len(table_rows(page)) == 4  # the database is whole


def test_table_cells_are_text_inside_their_box(browser, tmp_path):
    """The scroll box is the one piece of HTML: a cell holding HTML or Markdown shows it as text."""
    script = tmp_path / "cells.py"
    script.write_text(
        "import pandas as pd\nimport streamlit as st\nfrom dashboard import ui\nst.title('Cells')\n"
        f"ui.table(pd.DataFrame({{'Cell': [{XSS!r}, '</div><b id=\"bold\">x</b>', '[a](javascript:alert(1))', "
        "ui.REGISTRY + 'x)<b id=\"bold\">y</b>', ui.RECORD_LINK + 'nct=x)<b id=\"bold\">z</b>']}),"
        " 'cells', 'cells.csv')\n")
    with StreamlitServer(script=script, log=tmp_path / "cells.log") as srv:
        context = browser.new_context(viewport={"width": 390, "height": 844})
        pg = context.new_page()
        goto(pg, srv.url)
        _assert_inert(pg)
        assert pg.locator("#bold").count() == 0
        assert pg.locator(".table-box[role='region'][tabindex='0'] table").count() == 1
        assert XSS in pg.inner_text(".table-box")
        context.close()


def _tab_to(page, check_js: str, limit: int = 120) -> None:
    """Press Tab until the focused element satisfies `check_js` (given as `el`): keyboard only."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(() => {{ const el = document.activeElement; return !!(el && ({check_js})); }})()"):
            return
    raise AssertionError(f"Tab never reached {check_js}")


def test_keyboard_alone_search_filter_sort_page_download(browser, tmp_path):
    """200 synthetic trials. With key presses only: search, narrow the filter, sort, move to the next
    page of rows and download the CSV."""
    from trialdb.synthetic import generate

    db = tmp_path / "synthetic.sqlite3"
    generate(f"sqlite:///{db}", n=200)
    with StreamlitServer(env={"TRIALDB_URL": f"sqlite:///{db}"}, log=tmp_path / "keys.log") as srv:
        context = browser.new_context(viewport={"width": 1400, "height": 900}, accept_downloads=True)
        page = context.new_page()
        goto(page, srv.url)
        main = "[data-testid='stMain']"

        def caption() -> str:
            return page.locator(main).get_by_text("trials match").first.inner_text()

        # Search: Tab to the box, type, Enter.
        _tab_to(page, "el.closest('.st-key-q') && el.tagName === 'INPUT'")
        page.keyboard.type("synthetic")
        page.keyboard.press("Enter")
        assert eventually(lambda: "match the search “synthetic”" in caption()), caption()
        assert parse_qs(urlparse(page.url).query).get("q") == ["synthetic"]
        # Filter: Tab to the disease area box (empty: every area), type an area, Enter.
        _tab_to(page, "el.closest('.st-key-area') && el.tagName === 'INPUT'")
        page.keyboard.type("rheumatology")
        page.keyboard.press("Enter")
        page.keyboard.press("Escape")
        assert eventually(lambda: parse_qs(urlparse(page.url).query).get("area") == ["rheumatology"]), page.url
        wait_ready(page)
        # Sort: Tab to "Sort by", type a column, Enter; then the order with the arrow keys.
        _tab_to(page, "el.closest('.st-key-overview_trials_sort') && el.tagName === 'INPUT'")
        page.keyboard.type("Enrolment")
        page.keyboard.press("Enter")
        assert eventually(lambda: parse_qs(urlparse(page.url).query).get("overview_trials_sort") == ["Enrolment"])
        wait_ready(page)
        _tab_to(page, "el.closest('.st-key-overview_trials_order') && el.type === 'radio'")
        page.keyboard.press("ArrowRight")
        assert eventually(lambda: parse_qs(urlparse(page.url).query).get("overview_trials_order") == ["descending"])
        wait_ready(page)

        def enrolments() -> list[int]:
            """The Enrolment column of the first table, header and rows read in one go ([] while the table is
            being replaced: the next page's table arrives as a new element, and two reads could straddle it)."""
            header, rows = table_cells(page)
            if "Enrolment" not in header:
                return []
            col = header.index("Enrolment")
            return [int(r[col].split()[0]) for r in rows if "not stated" not in r[col]]

        assert eventually(lambda: (e := enrolments()) == sorted(e, reverse=True) and len(e) > 10)
        first = enrolments()
        # Page change: Tab to the page number, arrow up, Enter.
        _tab_to(page, "el.closest('.st-key-overview_trials_page') && el.tagName === 'INPUT'")
        page.keyboard.press("ArrowUp")
        page.keyboard.press("Enter")
        assert eventually(lambda: "Rows 26–50" in page.inner_text(main))
        # The caption and the table are two elements: wait for the table's rows to be the next page's too.
        assert eventually(lambda: (second := enrolments()) != first and bool(second) and max(second) <= min(first)), \
            (first, enrolments())  # the order runs on across pages
        # Download: Tab to the button, Enter.
        _tab_to(page, "el.tagName === 'BUTTON' && el.innerText.includes('Download CSV')")
        with page.expect_download() as download:
            page.keyboard.press("Enter")
        csv = download.value.path().read_text()
        assert csv.startswith("NCT id,") and csv.count("\n") > 50
        context.close()
