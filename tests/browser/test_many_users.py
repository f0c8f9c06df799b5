"""Twenty sessions at once on the real server (issue 5), each with its own filter, visiting every page the app
registers: no errors, each sees exactly its own filter's results, and memory returns when they leave. All traffic
stays on 127.0.0.1 and the run is bounded (one pass per session, fixed time-outs).

The sessions are Streamlit websocket clients (tests/streamlit_ws.py), which issue 5 allows beside browser sessions:
twenty Chromium pages on a two-core machine spent most of this test's 230 s painting, the server's work a small part,
and visited five of the pages for it. What Chromium draws, a page's URL kept across pages among it, is the other
browser tests' part (tests/browser/test_browser.py)."""

from __future__ import annotations

import asyncio
import gc
import re
import time

from tests.browser_support import StreamlitServer
from tests.pages import registered_pages, url_path
from tests.streamlit_ws import Session

FILTERS = [["SLE"], ["RA"], ["pSS"], ["SLE", "RA"], ["RA", "pSS"], ["SLE", "pSS"], ["SLE", "RA", "pSS"]]
TRIALS = {"SLE": {"NCT02465580", "NCT05262686"}, "RA": {"NCT02467504"}, "pSS": {"NCT02464319"}}
SESSIONS = 20
READING = 0.5  # s a person reads a page before the next: the sessions overlap all through


async def _session(url: str, inds: list[str], problems: list[str], delay: float = 0.0) -> None:
    await asyncio.sleep(delay)  # users arrive a moment apart
    mine = set().union(*(TRIALS[i] for i in inds))
    others = set().union(*TRIALS.values()) - mine
    tag = "+".join(inds)
    try:
        async with Session(url) as s:
            run = await s.open("&".join(f"indication={i}" for i in inds))
            for page in registered_pages():
                if url_path(page):  # the overview is the first run
                    await asyncio.sleep(READING)
                    run = await s.page(url_path(page))
                if run.finished != "FINISHED_SUCCESSFULLY" or run.exceptions:
                    problems.append(f"{tag}: {page} ended {run.finished} {run.exceptions[:1]}")
                # Every page says how many trials its filter matches, under its title.
                if not run.has(f"**{len(mine)}** of 4 trials match"):
                    problems.append(f"{tag}: {page} does not say {len(mine)} of 4 trials match")
                # No page shows another session's trials; the Outcomes page names, in a notice, the trial whose
                # outcomes a filter without SLE leaves out.
                shown = {n for n in others if run.has(n)}
                if shown and not (page == "outcomes" and "SLE" not in inds and shown <= TRIALS["SLE"]
                                  and run.has("No published outcomes match the filter")):
                    problems.append(f"{tag}: {page} shows {sorted(shown)}")
                if page in ("overview", "trial_record", "dosing") and not any(run.has(n) for n in mine):
                    problems.append(f"{tag}: {page} shows none of {sorted(mine)}")
                if page == "phase_status" and not all(run.has(f"{i} trials") for i in inds):
                    problems.append(f"{tag}: the phase table lacks a column of {inds}")
                if page == "outcomes" and ("SLE" in inds) != run.has("SRI-4"):
                    problems.append(f"{tag}: outcomes {'lacks' if 'SLE' in inds else 'shows'} SLE's SRI-4")
    except Exception as exc:  # noqa: BLE001 - any failure is one session's problem, reported with its filter
        problems.append(f"{tag}: {exc.__class__.__name__}: {str(exc)[:300]}")


async def _run(url: str, sessions: int) -> list[str]:
    problems: list[str] = []
    await asyncio.wait_for(asyncio.gather(*(
        _session(url, FILTERS[i % len(FILTERS)] if sessions > 1 else ["SLE", "RA", "pSS"], problems, delay=0.2 * i)
        for i in range(sessions))), timeout=600)
    return problems


def test_twenty_sessions_each_see_their_own_filter(db_url, tmp_path):
    with StreamlitServer(env={"TRIALDB_URL": db_url}, log=tmp_path / "many.log",
                         args=["--server.disconnectedSessionTTL", "8"]) as srv:
        # Warm up: one session over every page, then let it go, so the baseline holds the caches.
        assert asyncio.run(_run(srv.url, 1)) == []
        time.sleep(10)  # past the session TTL: the warm-up session is gone from the baseline
        baseline = srv.rss_mb()
        started = time.monotonic()
        problems = asyncio.run(_run(srv.url, SESSIONS))
        print(f"{SESSIONS} sessions over {len(registered_pages())} pages in {time.monotonic() - started:.1f} s")
        assert problems == [], "\n".join(problems)
        log = (tmp_path / "many.log").read_text()
        assert not re.search(r"Traceback|Uncaught app exception", log), log[-3000:]
        during = srv.peak_rss_mb()
        deadline = time.monotonic() + 90
        after = srv.rss_mb()
        while after > baseline + 40 and time.monotonic() < deadline:
            time.sleep(2)
            after = srv.rss_mb()
        gc.collect()
        print(f"server RSS: baseline {baseline:.0f} MB, peak {during:.0f} MB, after sessions left {after:.0f} MB")
        assert after <= baseline + 40, f"memory did not return: baseline {baseline:.0f} MB, after {after:.0f} MB"
