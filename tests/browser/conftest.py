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


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    pg = context.new_page()
    yield pg
    context.close()
