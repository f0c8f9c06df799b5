"""Twenty browser sessions at once on the real server, each with its own filter, visiting every
page: no errors, each sees exactly its own filter's results, and memory returns when they leave.
All traffic stays on 127.0.0.1 and the run is bounded (one pass per session, fixed time-outs)."""

from __future__ import annotations

import asyncio
import gc
import re
import time

from playwright.async_api import TimeoutError as PlaywrightTimeoutError

from tests.browser_support import CHARTS, CHROMIUM_ARGS, DRAWN, TABLES, StreamlitServer, chromium_path

FILTERS = [["SLE"], ["RA"], ["pSS"], ["SLE", "RA"], ["RA", "pSS"], ["SLE", "pSS"], ["SLE", "RA", "pSS"]]
TRIALS = {"SLE": {"NCT02465580", "NCT05262686"}, "RA": {"NCT02467504"}, "pSS": {"NCT02464319"}}
NAV = ["Timeline", "Phase and status", "Dosing schedules", "Outcomes", "Trial record"]
SESSIONS = 20

READY_JS = """() => {
  const app = document.querySelector("[data-testid='stApp']");
  return app && app.dataset.testScriptState === 'notRunning' && app.dataset.testConnectionState === 'CONNECTED'
    && document.querySelector("[data-testid='stMain'] h1")
    && [...document.querySelectorAll("[data-testid='stPlotlyChart'], [data-testid='stVegaLiteChart']")]
         .every(c => c.querySelector('svg.main-svg, svg.marks, canvas.marks'))
    // Lazily loaded widgets (the sidebar filter too) show a skeleton until their code has mounted them.
    && !document.querySelector("[data-testid='stSkeleton']") && document.querySelector("[data-testid='stMultiSelect']");
}"""


async def _ready(page, heading: str) -> None:
    await page.wait_for_function(f"() => document.querySelector(\"[data-testid='stMain'] h1\")?.innerText.includes({heading!r})",
                                 timeout=120_000)
    await page.wait_for_load_state("networkidle", timeout=120_000)
    await page.wait_for_function(READY_JS, timeout=120_000)


async def _first_table(page) -> list[str]:
    t = page.locator(TABLES).first
    await t.wait_for(state="attached", timeout=60_000)
    return await t.locator("tr").all_inner_texts()  # the header too: the phase table names indications there


async def _session(browser, url: str, inds: list[str], problems: list[str], delay: float = 0.0,
                   url_lags: list[str] | None = None) -> None:
    await asyncio.sleep(delay)  # users arrive a moment apart; each session still overlaps all the others
    # Reduced motion, as a user may ask for it: twenty pages in one Chromium on two cores spent a third of this
    # test painting Streamlit's running and loading animations in software (200 s to 144 s).
    ctx = await browser.new_context(viewport={"width": 1200, "height": 800}, reduced_motion="reduce")
    page = await ctx.new_page()
    mine = set().union(*(TRIALS[i] for i in inds))
    others = set().union(*TRIALS.values()) - mine
    tag = "+".join(inds)
    try:
        # 20 first loads at once on 2 cores: the default 30 s is not always enough to reach "load".
        await page.goto(f"{url}/?" + "&".join(f"indication={i}" for i in inds), timeout=120_000)
        await _ready(page, "trial portfolio")
        rows = " ".join(await _first_table(page))
        if not all(n in rows for n in mine) or any(n in rows for n in others):
            problems.append(f"{tag}: overview shows {rows[:200]}")
        for title in NAV:
            await asyncio.sleep(1.0)  # a person reads the page before moving on
            await page.locator("[data-testid='stSidebarNav'] a", has_text=title).click()
            heading = {"Outcomes": "Published outcomes"}.get(title, title)
            await _ready(page, heading)
            if await page.locator("[data-testid='stException']").count():
                problems.append(f"{tag}: exception on {title}")
            got = sorted(await page.locator("[data-testid='stMultiSelect']").filter(
                has=page.locator("[data-testid='stWidgetLabel']", has_text=re.compile("^Indication$"))).locator(
                "[role='group'][aria-label='Selected values'] [data-tag]").evaluate_all("els => els.map(e => e.ariaLabel)"))
            if got != sorted(inds):
                problems.append(f"{tag}: filter on {title} is {got}")
            if len(inds) < 3 and url_lags is not None:
                # The URL follows the widget a moment after the run. Clicking a page while the sidebar filter
                # was still a loading skeleton lost the filter (URL and session) in 10 of 100 visits; the
                # readiness check now waits for it (0 of 100 since). Still counted and reported, not failed:
                # the widget and content checks assert isolation, the single-user test asserts the URL.
                try:
                    await page.wait_for_function(
                        "(inds) => inds.every(i => new URLSearchParams(location.search).getAll('indication').includes(i))",
                        arg=inds, timeout=15_000)
                except PlaywrightTimeoutError:
                    url_lags.append(f"{tag}: url on {title} is {page.url}")
            if title == "Outcomes":
                if "SLE" in inds:
                    try:
                        await page.locator(CHARTS).locator(DRAWN).first.wait_for(timeout=60_000)
                    except PlaywrightTimeoutError:
                        problems.append(f"{tag}: outcomes shows no chart")
                elif await page.locator(CHARTS).count():
                    problems.append(f"{tag}: outcomes shows charts without SLE")
            if title == "Phase and status":
                table = " ".join(await _first_table(page))
                if not all(f"{i} trials" in table for i in inds) or any(
                        f"{i} trials" in table for i in set(TRIALS) - set(inds)):
                    problems.append(f"{tag}: phase table {table[:200]}")
            if title == "Trial record":
                body = await page.locator("[data-testid='stMain'] a", has_text="on ClinicalTrials.gov").first.inner_text()
                if not any(n in body for n in mine):
                    problems.append(f"{tag}: trial record shows {body[:80]}")
    except Exception as exc:  # noqa: BLE001 - any failure is one session's problem, reported with its filter
        problems.append(f"{tag}: {exc.__class__.__name__}: {str(exc)[:300]}")
    finally:
        await ctx.close()


async def _run(url: str) -> tuple[list[str], list[str]]:
    from playwright.async_api import async_playwright

    problems: list[str] = []
    url_lags: list[str] = []
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS)
        await asyncio.wait_for(asyncio.gather(*(
            _session(browser, url, FILTERS[i % len(FILTERS)], problems, delay=0.2 * i, url_lags=url_lags)
            for i in range(SESSIONS))), timeout=600)
        await browser.close()
    return problems, url_lags


def _in_thread(coro):
    """Playwright's sync API (used by the other browser tests) keeps a loop on this thread."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


def test_twenty_sessions_each_see_their_own_filter(db_url, tmp_path):
    from tests.browser.conftest import _require_chromium

    _require_chromium()  # a failure in CI when Chromium is missing, never a skip
    with StreamlitServer(env={"TRIALDB_URL": db_url}, log=tmp_path / "many.log",
                         args=["--server.disconnectedSessionTTL", "8"]) as srv:
        # Warm up: one session over every page, then let it go, so the baseline holds the caches.
        assert _in_thread(_run_one(srv.url)) == []
        time.sleep(10)  # past the session TTL: the warm-up session is gone from the baseline
        baseline = srv.rss_mb()
        problems, url_lags = _in_thread(_run(srv.url))
        print(f"{len(url_lags)} page visits of {SESSIONS * len(NAV)} saw the URL lag its filter under load",
              *url_lags, sep="\n  ")
        assert problems == [], "\n".join(problems)
        during = srv.peak_rss_mb()
        deadline = time.monotonic() + 90
        after = srv.rss_mb()
        while after > baseline + 40 and time.monotonic() < deadline:
            time.sleep(2)
            after = srv.rss_mb()
        gc.collect()
        print(f"server RSS: baseline {baseline:.0f} MB, peak {during:.0f} MB, after sessions left {after:.0f} MB")
        assert after <= baseline + 40, f"memory did not return: baseline {baseline:.0f} MB, after {after:.0f} MB"


async def _run_one(url: str) -> list[str]:
    from playwright.async_api import async_playwright

    problems: list[str] = []
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS)
        await _session(browser, url, ["SLE", "RA", "pSS"], problems)
        await browser.close()
    return problems
