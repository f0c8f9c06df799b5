"""The "What's new" page in Chromium, on a database synced from the protocol test server: every
indication filter from a link, the chart drawn, the trials grouped with links that open their records,
and no sideways scrolling on a phone."""

from __future__ import annotations

import pytest

from tests.browser.conftest import SCREENSHOTS
from tests.browser_support import StreamlitServer, full_screenshot, wait_ready
from tests.sync_support import synced_for_app
from trialdb.registry.changes import list_changes
from trialdb.store.db import make_engine


@pytest.fixture(scope="module")
def synced_server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("whats_new_browser")
    with synced_for_app(tmp) as url:
        engine = make_engine(url, readonly=True)
        try:
            with engine.connect() as conn:
                from sqlalchemy import text

                inds = dict(conn.execute(text("SELECT nct_id, indication_code FROM studies")).all())
            changed = {c["nct_id"] for c in list_changes(engine)}
        finally:
            engine.dispose()
        with StreamlitServer(env={"TRIALDB_URL": url}, log=tmp / "streamlit.log") as srv:
            yield srv, inds, changed


def headings(page) -> list[str]:
    return [h.split(" · ")[0].strip() for h in page.locator("[data-testid='stMain'] h4").all_inner_texts()]


def test_an_indication_with_changes_and_one_without_from_a_link(browser, synced_server):
    srv, inds, changed = synced_server
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    try:
        # An indication with changes and one without (AppTest walks every indication: tests/test_whats_new.py).
        with_changes = sorted({inds[n] for n in changed if n in inds})
        without = sorted(set(inds.values()) - set(with_changes))
        for code in with_changes[:1] + without[:1]:
            page.goto(f"{srv.url}/whats_new?indication={code}&study_type=")  # every type: some are observational
            wait_ready(page)
            assert page.locator("[data-testid='stException']").count() == 0, code
            expected = {n for n in changed if inds.get(n) == code}
            assert set(headings(page)) == expected, code
            charts = page.locator("[data-testid='stPlotlyChart']").count()
            assert charts == (1 if expected else 0), code
            if not expected:
                assert "No change recorded for the trials that match the filter" in page.inner_text("body")
        page.goto(f"{srv.url}/whats_new?study_type=")
        wait_ready(page)
        assert set(headings(page)) == changed and "Registry data as of" in page.inner_text("body")
        full_screenshot(page, SCREENSHOTS / "whats_new.png")
        # A trial's link opens its record, the filter kept.
        first = headings(page)[0]
        link = page.locator("a", has_text="open record").first
        href = link.get_attribute("href")
        assert href is not None and href == f"trial_record?nct={first}"
        page.goto(link.evaluate("a => a.href"))  # the URL the browser resolves it to (Streamlit opens a new tab)
        wait_ready(page)
        assert f"{first} on ClinicalTrials.gov" in page.inner_text("body")
        assert page.locator("[data-testid='stException']").count() == 0
        assert "Trial record" in page.inner_text("[data-testid='stMain'] h1")
    finally:
        context.close()


def test_on_a_phone_nothing_scrolls_sideways(browser, synced_server):
    srv, _, _ = synced_server
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        page.goto(f"{srv.url}/whats_new?study_type=")
        wait_ready(page)
        wide = page.evaluate("""() => [...document.querySelectorAll("[data-testid='stMain'] *")]
            .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1).length""")
        full_screenshot(page, SCREENSHOTS / "whats_new_phone.png", width=390)
        assert wide == 0
    finally:
        context.close()
