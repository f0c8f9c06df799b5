"""Browser tests need Debian's Chromium. In CI (CI=true) its absence is a failure, never a skip."""

from __future__ import annotations

import os

import pytest

from tests.browser_support import REPO, StreamlitServer, chromium_path, launch

SCREENSHOTS = REPO / "screenshots"


def _require_chromium() -> None:
    if chromium_path() is None:
        message = "Chromium not found at /usr/bin/chromium: run the README's test command (it installs it)"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture(scope="session")
def browser():
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = launch(p)
        yield b
        b.close()


@pytest.fixture(scope="session")
def server(db_url, tmp_path_factory):
    with StreamlitServer(env={"TRIALDB_URL": db_url},
                         log=tmp_path_factory.mktemp("logs") / "streamlit.log") as srv:
        yield srv


@pytest.fixture(scope="session")
def contexts(browser):
    """`contexts(width, height, mobile=False)`: a browser context kept for the session, one per kind of screen,
    for the tests to open their pages in (a page is a Streamlit session of its own). A page in a kept context finds
    Streamlit's scripts in the context's cache: a new context per test fetched and compiled them again, about 1.3 s
    of every page load (seen on the seed portfolio). Downloads are accepted. Reduced motion, as a user may ask for
    it: Chromium paints Streamlit's running and loading animations in software, on the CPU the test shares with
    the server (tests/browser/test_many_users.py measured a third of its time spent so)."""
    made: dict = {}

    def get(width: int = 1400, height: int = 900, mobile: bool = False):
        key = (width, height, mobile)
        if key not in made:
            made[key] = browser.new_context(viewport={"width": width, "height": height}, is_mobile=mobile,
                                            has_touch=mobile, accept_downloads=True, reduced_motion="reduce")
        return made[key]

    yield get
    for context in made.values():
        context.close()


@pytest.fixture
def page(contexts):
    pg = contexts().new_page()
    yield pg
    pg.close()
