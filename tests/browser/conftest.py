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


@pytest.fixture
def own_host_only():
    """`guard(page, origin)`: every request `page` makes afterwards to a host other than `origin`'s (the app's own)
    is aborted and recorded; the test then fails, listing them. A page that draws a map from a tile server or a
    CDN, or any page that fetches off the machine, fails where it is used (the Where and who tests use it)."""
    from urllib.parse import urlsplit

    stray: list[str] = []

    def guard(page, origin: str) -> None:
        own = urlsplit(origin).netloc

        def route(r) -> None:
            url = r.request.url
            if urlsplit(url).scheme in ("data", "blob") or urlsplit(url).netloc == own:
                r.continue_()
            else:
                stray.append(url)
                r.abort()

        page.route("**/*", route)
        page.on("request", lambda req: stray.append(req.url) if urlsplit(req.url).scheme in ("http", "https", "ws",
                "wss") and urlsplit(req.url).netloc != own else None)

    guard.stray = stray  # type: ignore[attr-defined]  # for the guard's own test
    yield guard
    assert not stray, f"requests off the app's own host: {sorted(set(stray))[:10]}"
