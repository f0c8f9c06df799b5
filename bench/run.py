"""Benchmark (issue 21): every page of app.py's st.navigation (read from app.py, so a new page joins
without editing a list) and a few deep links, in headless Chromium, as ratios to a minimal Streamlit page
measured the same way in the same run, with the server's peak memory; on the seed portfolio and on a
synthetic one of 10,000 trials; and the cold start of the app as Streamlit Community Cloud meets it (a copy
of the repository whose seed_data/ holds `--records` synced records, no database: process start to the
overview drawn). Writes bench/RESULTS.md: one table with a pass/fail column per target, and per page
where the time goes (connecting, the server's run until its last message, messages and bytes sent, the
browser's drawing after it).

    python bench/run.py [--runs 3] [--n 10000] [--records 1000]
    python bench/run.py --pages "" dosing --runs 1 --portfolios seed   # a quick check, to bench/out/
    python bench/run.py --only cold-start [--records 1000]              # printed, not written
    python bench/run.py --only registry [--runs 3] [--n 10000] [--records 1000] [--changes 5000]
    python bench/run.py --only build [--runs 5] [--records 1000] [--articles 500]

`--only registry` runs the registry cases alone (issue 11) and writes bench/RESULTS_registry.md: a sync of
`--records` records from the local protocol server (tests/ctgov_server.py) timed against `import` of the
same files, and the "What's new" page at `--n` synthetic trials with `--changes` changes, as a ratio to
the minimal page at a page path.

`--only build` (issue 31) times `python -m trialdb build` as a whole process: from a copy of seed_data/ holding
`--records` synced records and `--articles` PubMed articles (bench/sync_seed.py), against the seeds alone, run in
turn, the ratio pair by pair (target: 5x); written to bench/RESULTS_build.md. The cold start also starts from
`--records` records and `--articles` articles.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.browser_support import CONNECTED, READY, TABLES, TITLE, StreamlitServer, free_port, launch  # noqa: E402
from tests.pages import registered_pages, url_path  # noqa: E402

OUT = REPO / "bench" / "out"
PAGES = [url_path(stem) for stem in registered_pages()]  # every page of st.navigation, in its order
# Pages that need trials of one portfolio, measured after PAGES: Compare with three trials, and on the
# synthetic portfolio the registry results of its two largest posted results (issue 12): NCT90000002 posts
# 300 outcome measures, NCT90000012 1,500 adverse-event terms (its adverse-events tab).
# The parts a page draws one at a time (a tab kept in the URL) are measured too where they are heaviest: the
# Dosing page's calendar and cumulative dose, Compare's dosing calendar of three trials, and the seed SLE
# publication's other outcomes (two charts) on the Outcomes page.
CALENDAR = "dosing?dosing_show=Calendar"
SEED_PAGES = ["compare?nct=NCT02465580&nct=NCT05262686&nct=NCT02467504",
              "compare?nct=NCT02465580&nct=NCT05262686&nct=NCT02467504&compare_show=Dosing+on+one+time+axis",
              CALENDAR, "dosing?dosing_show=Cumulative+dose", "outcomes?outcomes_part=Other+outcomes"]
SYNTHETIC_PAGES = ["compare?nct=NCT90000000&nct=NCT90000001&nct=NCT90000002",
                   "outcomes?outcomes_nct=NCT90000002",
                   "outcomes?outcomes_nct=NCT90000012&results_part=Adverse+events",
                   CALENDAR]
# Issue 21's targets: ratios to the minimal page in the same run (warm: median of 3 loads a run), the server's
# peak memory at the synthetic size, and seconds from process start to the overview drawn with 1,000 records.
TARGETS = {"warm": 2.5, "cold": 5.0, "filter": 1.5, "rss_mb": 400, "cold_start_s": 10.0}
REPORTED = {"search": 3.0, "sort": 3.0}  # issue 14's cases, reported beside the table (no longer targets)
# The overview searched (sidebar search, full-text in the database) and sorted (all rows, before paging),
# each opened as a shared link, warm: ratios to the minimal page at "/".
SEARCH_URL = "/?q=IL-2"
SORT_URL = "/?overview_trials_sort=Start&overview_trials_order=descending"

# Rendered = the run finished and every chart and table the page draws is on screen (counts learnt
# once per page, since charts and tables are lazily loaded components that mount after the run). A chart is
# Plotly's (drawn: its SVG) or Vega-Lite's (`st.altair_chart`, drawn: its canvas or SVG of marks), so a figure
# moved from one to the other is measured the same way. A Vega-Lite SVG counts once it holds its marks (g.role-mark):
# Vega makes the SVG before data it loads from a URL (the world map's countries) has arrived and been drawn.
CHARTS = "[data-testid='stPlotlyChart'], [data-testid='stVegaLiteChart']"
RENDERED_JS = """([charts, tables]) => {
  const c = [...document.querySelectorAll(CHARTS)];
  const t = [...document.querySelectorAll(TABLES)];
  return c.length >= charts && t.length >= tables && c.every(x => x.querySelector('svg.main-svg, canvas.marks, svg.marks g.role-mark'))
    && t.every(x => x.querySelectorAll("tbody tr").length > 0);
}""".replace("TABLES", json.dumps(TABLES)).replace("CHARTS", json.dumps(CHARTS))


class Frames:
    """The websocket frames of a browser page, with the time each was seen (Playwright's events): the
    browser's requests (BackMsg: the rerun) and the server's messages (ForwardMsg: every element, figure
    and table, then "script finished")."""

    def __init__(self, page) -> None:
        self.events: list[tuple[float, str, int]] = []  # (perf_counter, "sent" | "received", bytes)
        page.on("websocket", self._attach)

    def _attach(self, ws) -> None:
        ws.on("framesent", lambda payload: self.events.append((time.perf_counter(), "sent", len(payload))))
        ws.on("framereceived", lambda payload: self.events.append((time.perf_counter(), "received", len(payload))))

    def split(self, t0: float, t_end: float) -> dict[str, float]:
        """Where one load's time went: connect (navigation until the browser asks for the run), server
        (until the server's last message), draw (from it until every chart and table is on screen), and
        the messages and bytes the server sent."""
        ev = [e for e in self.events if t0 <= e[0] <= t_end]
        sent = [e[0] for e in ev if e[1] == "sent"]
        got = [e for e in ev if e[1] == "received"]
        t_req = sent[0] if sent else t0
        t_last = got[-1][0] if got else t_req
        return {"connect": t_req - t0, "server": t_last - t_req, "draw": t_end - t_last,
                "messages": float(len(got)), "kb": sum(e[2] for e in got) / 1024}


TRACES: dict[str, list[dict[str, float]]] = {}  # "portfolio|page" -> the split of each warm load


def timed_load(page, url: str, expect: tuple[int, int], trace: str | None = None) -> float:
    t0 = time.perf_counter()
    page.goto(url)
    page.wait_for_selector(CONNECTED, state="attached", timeout=300_000)
    page.wait_for_selector(TITLE, state="attached", timeout=300_000)
    page.wait_for_selector(READY, state="attached", timeout=300_000)
    page.wait_for_function(RENDERED_JS, arg=list(expect), timeout=300_000)
    t_end = time.perf_counter()
    frames = getattr(page, "_bench_frames", None)
    if trace and frames is not None:
        TRACES.setdefault(trace, []).append(frames.split(t0, t_end))
    return t_end - t0


def new_page(browser):
    """A page in a 1400 px wide context, its websocket frames recorded (Frames)."""
    ctx = browser.new_context(viewport={"width": 1400, "height": 900})
    page = ctx.new_page()
    page._bench_frames = Frames(page)
    return ctx, page


def learn(page, url: str) -> tuple[int, int]:
    page.goto(url)
    page.wait_for_selector(TITLE, state="attached", timeout=300_000)
    page.wait_for_selector(READY, state="attached", timeout=300_000)
    page.wait_for_load_state("networkidle", timeout=300_000)
    page.wait_for_timeout(500)
    return (page.locator(CHARTS).count(),
            page.locator(TABLES).count())


def filter_change(page, url: str, expect) -> float:
    """Remove one of two indications from the filter on the overview (opened with SLE and RA chosen:
    an empty choice means every indication); done when the headline count changed."""
    timed_load(page, url + "?indication=SLE&indication=RA", expect)
    before = page.locator("[data-testid='stMetric']").first.inner_text()
    chip = page.locator("[data-testid='stMultiSelect']").filter(has_text="SLE").locator("button[aria-label^='Remove']").first
    t0 = time.perf_counter()
    chip.click()
    page.wait_for_function(
        """(before) => { const m = document.querySelector("[data-testid='stMetric']");
                        const app = document.querySelector("[data-testid='stApp']");
                        return m && m.innerText !== before && app.dataset.testScriptState === 'notRunning'; }""",
        arg=before, timeout=300_000)
    page.wait_for_function(RENDERED_JS, arg=[0, 1], timeout=300_000)
    return time.perf_counter() - t0


def search_and_sort(page, url: str, expect, res: dict, times: int = 3) -> None:
    """The searched and the sorted overview, each loaded once to warm its cache, then timed."""
    for case, path in (("search", SEARCH_URL), ("sort", SORT_URL)):
        timed_load(page, url + path, (expect[0], min(expect[1], 1)))
        for _ in range(times):
            res[case].append(timed_load(page, url + path, (expect[0], min(expect[1], 1))))


def search_sort_only(browser, dbs: dict[str, Path], runs: int, log: Path) -> str:
    """`--only search-sort`: the minimal page and the overview warm, then the search and the sort cases."""
    minimal: list[float] = []
    ctx = browser.new_context(viewport={"width": 1400, "height": 900})
    page = ctx.new_page()
    with StreamlitServer(script=REPO / "bench" / "minimal_app.py", log=log) as srv:
        timed_load(page, f"{srv.url}/", (0, 0))
        minimal += [timed_load(page, f"{srv.url}/", (0, 0)) for _ in range(3 * runs)]
    base = statistics.median(minimal)
    lines = [f"Minimal page at `/`, warm: {spread(minimal)}", "",
             "| portfolio | case | warm | ratio (target 3x) |", "| --- | --- | --- | --- |"]
    for name, db in dbs.items():
        with StreamlitServer(env={"TRIALDB_URL": f"sqlite:///{db}"}, log=log) as srv:
            expect = learn(page, f"{srv.url}/")
            res: dict[str, list[float]] = {"overview": [], "search": [], "sort": []}
            timed_load(page, f"{srv.url}/", expect)
            res["overview"] = [timed_load(page, f"{srv.url}/", expect) for _ in range(3 * runs)]
            search_and_sort(page, srv.url, expect, res, times=3 * runs)
        for case, xs in res.items():
            lines.append(f"| {name} | {case} | {spread(xs)} | {statistics.median(xs) / base:.2f}x |")
    ctx.close()
    return "\n".join(lines)


def spread(xs: list[float]) -> str:
    return f"{statistics.median(xs):.3f} s (min {min(xs):.3f}, max {max(xs):.3f}, n={len(xs)})"


def measure_portfolio(browser, db: Path, runs: int, rebuild: bool, log: Path, pages: list[str],
                      name: str = "") -> dict:
    """Cold: each page as the first request to a fresh server (database built first when `rebuild`);
    warm: the same page loaded again (its time split, TRACES[name|page]); filter: a change of indication
    on the overview."""
    env = {"TRIALDB_URL": f"sqlite:///{db}"}
    res: dict = {"cold": {p: [] for p in pages}, "warm": {p: [] for p in pages}, "filter": [], "rss": [],
                 "search": [], "sort": [], "pages": pages}
    ctx, page = new_page(browser)
    with StreamlitServer(env=env, log=log) as srv:
        expect = {p: learn(page, f"{srv.url}/{p}") for p in pages}
    for _ in range(runs):
        for p in pages:
            if rebuild:
                db.unlink(missing_ok=True)
            with StreamlitServer(env=env, log=log) as srv:
                res["cold"][p].append(timed_load(page, f"{srv.url}/{p}", expect[p]))
                for _ in range(3):
                    res["warm"][p].append(timed_load(page, f"{srv.url}/{p}", expect[p], trace=f"{name}|{p}"))
        with StreamlitServer(env=env, log=log) as srv:
            for p in pages:
                timed_load(page, f"{srv.url}/{p}", expect[p])
            for _ in range(3):
                res["filter"].append(filter_change(page, f"{srv.url}/", expect[""]))
            search_and_sort(page, srv.url, expect[""], res)
            res["rss"].append(srv.peak_rss_mb())
    ctx.close()
    return res


def measure_minimal(browser, runs: int, log: Path) -> dict:
    """The minimal page at the root ("/") and at a page path ("/other"), cold and warm."""
    res: dict[str, dict[str, list[float]]] = {where: {"cold": [], "warm": []} for where in ("root", "page")}
    ctx, page = new_page(browser)
    for _ in range(max(1, runs * len(PAGES) // 2)):
        for where, path in (("root", ""), ("page", "other")):
            with StreamlitServer(script=REPO / "bench" / "minimal_app.py", log=log) as srv:
                res[where]["cold"].append(timed_load(page, f"{srv.url}/{path}", (0, 0)))
                for _ in range(3):
                    res[where]["warm"].append(timed_load(page, f"{srv.url}/{path}", (0, 0), trace=f"minimal|{path}"))
    ctx.close()
    return res


def wall(cmd: list[str], runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(cmd, cwd=REPO, check=True, capture_output=True)
        out.append(time.perf_counter() - t0)
    return out


def bench_sync(records: int, runs: int) -> dict:
    """`python -m trialdb sync --full` of `records` records from the local protocol server, against
    `python -m trialdb import` of the files that sync wrote, each into a database freshly built from a copy
    of seed_data/ (the build is not timed)."""
    from tests.ctgov_server import CtgovServer, Registry, copies
    from trialdb.build import build

    res: dict = {"sync": [], "import": []}
    with CtgovServer(Registry(copies(records))) as srv:
        for r in range(runs):
            work = OUT / f"sync{r}"
            shutil.rmtree(work, ignore_errors=True)
            seed = work / "seed"
            shutil.copytree(REPO / "seed_data", seed, ignore=shutil.ignore_patterns("NCT*.json", "changes.json", "SHA256SUMS"))
            build(f"sqlite:///{work / 'sync.sqlite3'}", seed)
            build(f"sqlite:///{work / 'import.sqlite3'}", seed)  # the same seeds, before any record is there
            res["sync"] += wall([sys.executable, "-m", "trialdb", "sync", "--api", srv.api, "--rate", "0",
                                 "--page-size", "1000", "--full", "--db", str(work / "sync.sqlite3"),
                                 "--seed", str(seed), "--no-pubmed"], 1)
            files = sorted(str(p) for p in (seed / "registry").glob("NCT*.json"))
            assert len(files) == records, len(files)
            res["import"] += wall([sys.executable, "-m", "trialdb", "import", *files, "--db",
                                   str(work / "import.sqlite3")], 1)
    return res


def measure_whats_new(browser, db: Path, runs: int, log: Path) -> dict:
    """The "What's new" page, cold (first request to a fresh server) and warm, as measure_portfolio does."""
    env = {"TRIALDB_URL": f"sqlite:///{db}"}
    res: dict = {"cold": [], "warm": []}
    ctx = browser.new_context(viewport={"width": 1400, "height": 900})
    page = ctx.new_page()
    with StreamlitServer(env=env, log=log) as srv:
        expect = learn(page, f"{srv.url}/whats_new")
    for _ in range(runs):
        with StreamlitServer(env=env, log=log) as srv:
            res["cold"].append(timed_load(page, f"{srv.url}/whats_new", expect))
            for _ in range(3):
                res["warm"].append(timed_load(page, f"{srv.url}/whats_new", expect))
    ctx.close()
    return res


def main_registry(args) -> int:
    from playwright.sync_api import sync_playwright

    from trialdb.synthetic import add_changes, generate

    OUT.mkdir(parents=True, exist_ok=True)
    log = OUT / "streamlit.log"
    sync_times = bench_sync(args.records, args.runs)
    synth_db = OUT / "synthetic_changes.sqlite3"
    generate(f"sqlite:///{synth_db}", args.n)
    add_changes(f"sqlite:///{synth_db}", args.changes)
    with sync_playwright() as p:
        browser = launch(p)
        minimal = measure_minimal(browser, max(1, args.runs // 3), log)
        page = measure_whats_new(browser, synth_db, args.runs, log)
        browser.close()
    base = {k: statistics.median(v) for k, v in minimal["page"].items()}
    rc, rw = statistics.median(page["cold"]) / base["cold"], statistics.median(page["warm"]) / base["warm"]
    sr = statistics.median(sync_times["sync"]) / statistics.median(sync_times["import"])
    lines = [
        "# Benchmark: registry sync and the What's new page", "",
        f"- Date: {dt.datetime.now(dt.UTC).strftime('%Y-%m-%d %H:%M UTC')}; {os.cpu_count()} cores, Python {platform.python_version()}",
        f"- Command: `python bench/run.py --only registry --runs {args.runs} --n {args.n} --records {args.records} "
        f"--changes {args.changes}`",
        "- Method: as bench/RESULTS.md (headless Chromium, until the run finished and every chart and table is on",
        "  screen), against the minimal page at a page path (`/other`) measured in the same run.", "",
        f"## Sync of {args.records:,} records from the local protocol server (no rate limit, pages of 1,000)", "",
        f"- `python -m trialdb sync --full`: {spread(sync_times['sync'])}",
        f"- `python -m trialdb import` of the same {args.records:,} files: {spread(sync_times['import'])}",
        f"- Ratio sync / import: {sr:.2f}x (the sync also validates each record in a scratch database, compares it",
        "  with the stored one, copies the database aside and writes the files)", "",
        f"## What's new at {args.n:,} synthetic trials with {args.changes:,} changes", "",
        f"- Minimal page at `/other`: cold {spread(minimal['page']['cold'])}; warm {spread(minimal['page']['warm'])}",
        f"- What's new: cold {spread(page['cold'])}, ratio {rc:.2f}x (target 6x); warm {spread(page['warm'])}, "
        f"ratio {rw:.2f}x (target 3x)", "",
        f"Targets met: {'yes' if rc <= TARGETS['cold'] and rw <= TARGETS['warm'] else 'no'}", "",
    ]
    (REPO / "bench" / "RESULTS_registry.md").write_text("\n".join(lines))
    print("\n".join(lines))
    return 0


def bench_build(records: int, articles: int, runs: int) -> dict:
    """Seconds of `python -m trialdb build` (a new database each time, whole process) from a seed copy with
    `records` records and `articles` articles and from the seeds alone, alternately, after one of each unmeasured;
    {"full": [...], "seeds": [...], "ratios": [...]} (full / seeds, pair by pair)."""
    from sync_seed import write_seed_copy  # bench/sync_seed.py (this folder is on sys.path)

    work = OUT / "build"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    full_seed = write_seed_copy(work / "seed_full", records, articles)
    only_seed = write_seed_copy(work / "seed_only", 0)

    def once(seed: Path) -> float:
        db = work / "b.sqlite3"
        db.unlink(missing_ok=True)
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "trialdb", "build", "--seed", str(seed), "--db", str(db)], cwd=REPO,
                       check=True, capture_output=True)
        return time.perf_counter() - t0

    once(full_seed), once(only_seed)  # warm the file cache and the interpreter's .pyc files
    full, seeds = [], []
    for _ in range(runs):
        full.append(once(full_seed))
        seeds.append(once(only_seed))
    return {"full": full, "seeds": seeds, "ratios": [f / s for f, s in zip(full, seeds, strict=True)]}


def main_build(args: argparse.Namespace) -> int:
    got = bench_build(args.records, args.articles, args.runs)
    ratio = statistics.median(got["ratios"])
    lines = [
        "# Build benchmark (bench/run.py --only build)", "",
        f"- Date: {dt.date.today().isoformat()}; machine: {platform.machine()}, {os.cpu_count()} CPUs; "
        f"Python {platform.python_version()}",
        f"- Command: `python bench/run.py --only build --runs {args.runs} --records {args.records} "
        f"--articles {args.articles}`", "",
        f"`python -m trialdb build` from seed_data/ with {args.records:,} synced records and {args.articles:,} PubMed "
        f"articles: {spread(got['full'])}", "",
        f"The same from the seeds alone: {spread(got['seeds'])}", "",
        f"Ratio, pair by pair: median {ratio:.2f}x (min {min(got['ratios']):.2f}x, max {max(got['ratios']):.2f}x); "
        f"target 5x: {'met' if ratio <= 5 else 'missed'}", "",
    ]
    (REPO / "bench" / "RESULTS_build.md").write_text("\n".join(lines))
    print("\n".join(lines))
    return 0


def cold_start(browser, records: int, log: Path, articles: int = 0) -> dict:
    """Streamlit Community Cloud's start after a restart or a wake-up: a copy of the repository (its tracked
    files) whose seed_data/ holds `records` synced records (bench/sync_seed.py) and no database. Seconds from
    `streamlit run app.py` started to the overview drawn (the database built from seed_data/ in between)."""
    from playwright.sync_api import Error as PlaywrightError
    from sync_seed import write_seed_copy  # bench/sync_seed.py (this folder is on sys.path)

    app = OUT / "cold_start"
    shutil.rmtree(app, ignore_errors=True)
    tracked = subprocess.run(["git", "ls-files"], cwd=REPO, check=True, capture_output=True, text=True).stdout.split()
    for name in tracked:
        if name.split("/")[0] in ("tests", "docs", "bench", "seed_data") or not (REPO / name).is_file():
            continue
        (app / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / name, app / name)
    write_seed_copy(app / "seed_data", records, articles)
    env = {k: v for k, v in os.environ.items() if k != "TRIALDB_URL"}
    port = free_port()
    ctx, page = new_page(browser)
    with open(log, "a") as out:
        t0 = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
                                 "--server.port", str(port), "--server.address", "127.0.0.1",
                                 "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
                                cwd=app, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            url = f"http://127.0.0.1:{port}/"
            while True:
                try:
                    page.goto(url, timeout=2_000)
                    break
                except PlaywrightError:  # not listening yet
                    if proc.poll() is not None or time.perf_counter() - t0 > 300:
                        raise RuntimeError("streamlit did not start") from None
                    time.sleep(0.1)
            page.wait_for_selector(READY, state="attached", timeout=300_000)
            page.wait_for_selector(TITLE, state="attached", timeout=300_000)
            page.wait_for_function(RENDERED_JS, arg=[0, 0], timeout=300_000)  # every chart and table present drawn
            seconds = time.perf_counter() - t0
            drawn = learn(page, url)  # the overview's charts and tables, loaded again once drawn
            db = app / "var" / "trials.sqlite3"
            with contextlib.closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as con:
                trials = con.execute("SELECT count(*) FROM studies").fetchone()[0]
        finally:
            proc.terminate()
            proc.wait(10)
    ctx.close()
    return {"seconds": seconds, "records": records, "trials": trials, "drawn": drawn}


def server_profile(db: Path, pages: list[str], top: int = 3) -> dict[str, dict]:
    """Per page (a path, with its query string), the script's run on the server measured in AppTest in this
    process, warm (the run after one that filled the caches), and the functions of the app's own code
    (dashboard/, trialdb/) that took most of that run under cProfile, by cumulative time."""
    import cProfile
    import pstats
    import threading
    from urllib.parse import parse_qs

    import streamlit as st
    from streamlit.testing.v1 import AppTest

    previous = os.environ.get("TRIALDB_URL")
    os.environ["TRIALDB_URL"] = f"sqlite:///{db}"
    st.cache_resource.clear()
    st.cache_data.clear()
    stems = {url_path(stem): stem for stem in registered_pages()}
    out: dict[str, dict] = {}
    try:
        for p in pages:
            path, _, query = p.partition("?")

            def run(path: str = path, query: str = query) -> tuple[float, AppTest]:
                at = AppTest.from_file(str(REPO / "app.py"), default_timeout=300)
                for key, values in parse_qs(query).items():
                    at.query_params[key] = values if len(values) > 1 else values[0]
                if path:
                    at.switch_page(f"app_pages/{stems[path]}.py")
                t0 = time.perf_counter()
                at.run()
                return time.perf_counter() - t0, at

            run()  # fills the caches
            prof = cProfile.Profile()
            threading.setprofile(lambda *_, prof=prof: prof.enable())  # AppTest runs the script on a thread of its own
            try:
                seconds, at = run()
            finally:
                threading.setprofile(None)
            stats = pstats.Stats(prof).stats  # type: ignore[attr-defined]
            own = sorted(((v[3], f"{Path(k[0]).parent.name}/{Path(k[0]).name}:{k[2]}") for k, v in stats.items()
                          if f"{os.sep}dashboard{os.sep}" in k[0] or f"{os.sep}trialdb{os.sep}" in k[0]), reverse=True)
            out[p] = {"seconds": seconds, "top": own[:top], "exception": bool(at.exception)}
    finally:
        if previous is None:
            os.environ.pop("TRIALDB_URL", None)
        else:
            os.environ["TRIALDB_URL"] = previous
        st.cache_resource.clear()
        st.cache_data.clear()
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--n", type=int, default=10_000, help="trials in the synthetic portfolio")
    ap.add_argument("--pages", nargs="+", metavar="PATH",
                    help="measure only these page paths (\"\" is the overview; a query string may follow, e.g. "
                         "'outcomes?outcomes_nct=NCT90000002', the synthetic trial with 300 posted outcome measures); "
                         "results then go to bench/out/RESULTS.md, not bench/RESULTS.md")
    ap.add_argument("--portfolios", choices=("both", "seed", "synthetic"), default="both")
    ap.add_argument("--only", choices=["all", "search-sort", "registry", "cold-start", "build"], default="all",
                    help="search-sort: only the search and sort cases (and the overview), printed, not written; "
                         "registry: only the sync and What's new cases, written to bench/RESULTS_registry.md; "
                         "cold-start: only the cold start with --records synced records, printed; "
                         "build: only the build with --records and --articles against the seeds alone, written to "
                         "bench/RESULTS_build.md")
    ap.add_argument("--records", type=int, default=1_000,
                    help="synced records: in seed_data/ for the cold start, fetched by the sync benchmark")
    ap.add_argument("--articles", type=int, default=500,
                    help="PubMed articles in seed_data/pubmed/ for the cold start and the build benchmark")
    ap.add_argument("--no-cold-start", action="store_true", help="skip the cold start (with --pages, for a quick look)")
    ap.add_argument("--changes", type=int, default=5_000, help="synthetic changes for the What's new page")
    args = ap.parse_args()
    if args.only == "registry":
        return main_registry(args)
    if args.only == "build":
        return main_build(args)
    if args.pages:
        PAGES[:] = args.pages  # the functions below read the module's list
    from playwright.sync_api import sync_playwright

    from trialdb.synthetic import generate

    shutil.rmtree(OUT, ignore_errors=True)
    OUT.mkdir(parents=True)
    log = OUT / "streamlit.log"
    if args.only == "cold-start":
        with sync_playwright() as p:
            browser = launch(p)
            print(json.dumps(cold_start(browser, args.records, log, args.articles)))
            browser.close()
        return 0
    seed_db, synth_db = OUT / "seed.sqlite3", OUT / "synthetic.sqlite3"
    t0 = time.perf_counter()
    if args.portfolios != "seed" or args.only == "search-sort":
        generate(f"sqlite:///{synth_db}", args.n)
    gen_s = time.perf_counter() - t0

    if args.only == "search-sort":
        from trialdb.build import build as build_db

        build_db(f"sqlite:///{seed_db}")
        with sync_playwright() as p:
            browser = launch(p)
            print(search_sort_only(browser, {"seed": seed_db, f"synthetic {args.n:,}": synth_db}, args.runs, log))
            browser.close()
        return 0

    with sync_playwright() as p:
        browser = launch(p)
        minimal = measure_minimal(browser, args.runs, log)
        portfolios = {}
        if args.portfolios in ("both", "seed"):
            name = "seed portfolio (5 documents)"
            portfolios[name] = measure_portfolio(
                browser, seed_db, args.runs, rebuild=True, log=log, pages=PAGES + ([] if args.pages else SEED_PAGES),
                name=name)
        if args.portfolios in ("both", "synthetic"):
            name = f"synthetic, {args.n:,} trials"
            portfolios[name] = measure_portfolio(
                browser, synth_db, args.runs, rebuild=False, log=log,
                pages=PAGES + ([] if args.pages else SYNTHETIC_PAGES), name=name)
        start = None if args.no_cold_start else cold_start(browser, args.records, log, args.articles)
        browser.close()
    dbs = {name: seed_db if name.startswith("seed") else synth_db for name in portfolios}
    for name, r in portfolios.items():
        r["profile"] = server_profile(dbs[name], r["pages"])

    target = write_results(args, minimal, portfolios, start, gen_s)
    print(target.read_text())
    return 0


def _split(key: str) -> dict[str, float]:
    """The median of each part of a page's warm loads (TRACES)."""
    runs = TRACES.get(key, [])
    return {k: statistics.median(r[k] for r in runs) for k in runs[0]} if runs else {}


def _mark(ok: bool) -> str:
    return "pass" if ok else "**FAIL**"


def write_results(args, minimal, portfolios, start, gen_s) -> Path:
    med = {w: {k: statistics.median(v) for k, v in r.items()} for w, r in minimal.items()}
    cpu = next((ln.split(":", 1)[1].strip() for ln in Path("/proc/cpuinfo").read_text().splitlines()
                if ln.startswith("model name")), platform.processor())
    t = TARGETS
    lines = [
        "# Benchmark results", "",
        f"- Date: {dt.datetime.now(dt.UTC).strftime('%Y-%m-%d %H:%M UTC')}",
        f"- Machine: {platform.system()} {platform.machine()}, {os.cpu_count()} cores, {cpu}; Python {platform.python_version()}",
        f"- Command: `python bench/run.py --runs {args.runs} --n {args.n} --records {args.records}"
        + (f" --pages {' '.join(repr(p) for p in args.pages)}" if args.pages else "")
        + (f" --portfolios {args.portfolios}" if args.portfolios != "both" else "")
        + (" --no-cold-start" if args.no_cold_start else "") + "`",
        "- Pages: every page of app.py's `st.navigation` (read from app.py), then the deep links of bench/run.py.",
        "- Method: headless Chromium (Debian), each time from navigation until Streamlit reports the run finished",
        "  and every chart (Plotly's SVG, or Vega-Lite's marks) and table (rows) of the page is on screen. Cold: the page is the first",
        "  request to a freshly started server (for the seed portfolio the database file is deleted first, so",
        "  the cold time includes building it). Warm: the same page loaded again, 3 times a run. Filter change: one",
        "  indication removed on the overview (of SLE and RA), until the headline count changes. Ratios divide",
        "  medians by the minimal page (a title and a line of text) measured the same way in the same run, at the",
        "  same kind of URL: the overview against the minimal page at `/`, the other pages against it at a page",
        "  path (`/other`). Cold ratios divide by its cold time. Cold start: `streamlit run app.py` in a copy of",
        f"  the repository whose seed_data/ holds {args.records:,} synced records and no database, from process start",
        "  to the overview drawn (Streamlit Community Cloud after a restart).", "",
        f"Minimal page at `/`: cold {spread(minimal['root']['cold'])}; warm {spread(minimal['root']['warm'])}.",
        f"Minimal page at `/other`: cold {spread(minimal['page']['cold'])}; warm {spread(minimal['page']['warm'])}.", "",
        "## Targets", "",
        f"| portfolio | page | warm ratio | warm ≤ {t['warm']}x | cold ratio | cold ≤ {t['cold']}x | filter change ratio | "
        f"filter ≤ {t['filter']}x | peak server RSS | RSS < {t['rss_mb']} MB | cold start | cold start ≤ {t['cold_start_s']:g} s |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    verdicts = []
    extra = []
    for name, r in portfolios.items():
        for p in r["pages"]:
            c, w = statistics.median(r["cold"][p]), statistics.median(r["warm"][p])
            base = med["root" if p == "" else "page"]
            rc, rw = c / base["cold"], w / base["warm"]
            verdicts += [rw <= t["warm"], rc <= t["cold"]]
            lines.append(f"| {name} | {p or 'overview'} | {rw:.2f}x ({w:.2f} s) | {_mark(rw <= t['warm'])} | "
                         f"{rc:.2f}x ({c:.2f} s) | {_mark(rc <= t['cold'])} | | | | | | |")
        fc = statistics.median(r["filter"]) / med["root"]["warm"]
        peak = max(r["rss"])
        verdicts += [fc <= t["filter"], peak < t["rss_mb"]]
        lines.append(f"| {name} | filter change, memory | | | | | {fc:.2f}x ({statistics.median(r['filter']):.2f} s) | "
                     f"{_mark(fc <= t['filter'])} | {peak:.0f} MB | {_mark(peak < t['rss_mb'])} | | |")
        searched, ordered = (statistics.median(r[k]) / med["root"]["warm"] for k in ("search", "sort"))
        extra += [f"- {name}: search (`{SEARCH_URL}`, warm) {spread(r['search'])}, ratio {searched:.2f}x; "
                  f"sort (`{SORT_URL}`, warm) {spread(r['sort'])}, ratio {ordered:.2f}x (issue 14's 3x)"]
    if start is not None:
        ok = start["seconds"] <= t["cold_start_s"]
        verdicts.append(ok)
        lines.append(f"| {start['records']:,} synced records ({start['trials']:,} trials) | overview, cold start | | | | | | | | | "
                     f"{start['seconds']:.1f} s | {_mark(ok)} |")
    lines += ["", f"All targets met: {'yes' if all(verdicts) else 'no'} ({sum(verdicts)} of {len(verdicts)})", "",
              *extra, *([f"- Generating the synthetic portfolio: {gen_s:.1f} s"] if gen_s > 0.05 else []), "",
              "## Where each page's time goes (warm loads, medians)", "",
              "Connect: navigation until the browser asks for the run (page, scripts, websocket). Server: from that",
              "request to the server's last message (the script's run and the messages' transfer). Draw: from the",
              "last message until every chart and table is on screen (the browser's drawing). Messages and KiB: what",
              "the server sent (websocket frames, Playwright's events). Script: the page's run alone in AppTest",
              "(in the benchmark's process, warm), and the app's own functions that took most of it (cProfile,",
              "cumulative seconds; profiling slows them).", "",
              "| portfolio | page | total | connect | server | draw | messages | KiB | script (AppTest) | most of it |",
              "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    rows = [("minimal", f"minimal|{p}", p or "/", None) for p in ("", "other")]
    rows += [(name, f"{name}|{p}", p or "overview", r.get("profile", {}).get(p))
             for name, r in portfolios.items() for p in r["pages"]]
    for name, key, label, prof in rows:
        sp = _split(key)
        if sp:
            total = sp["connect"] + sp["server"] + sp["draw"]
            script = f"{prof['seconds']:.3f} s" + (" (exception)" if prof["exception"] else "") if prof else ""
            top = ", ".join(f"`{f}` {c:.2f} s" for c, f in prof["top"]) if prof else ""
            lines.append(f"| {name} | {label} | {total:.3f} s | {sp['connect']:.3f} s | {sp['server']:.3f} s | "
                         f"{sp['draw']:.3f} s | {sp['messages']:.0f} | {sp['kb']:.0f} | {script} | {top} |")
    lines.append("")
    target = (OUT / "RESULTS.md" if args.pages or args.portfolios != "both" or args.no_cold_start
              else REPO / "bench" / "RESULTS.md")
    target.write_text("\n".join(lines))
    return target


if __name__ == "__main__":
    raise SystemExit(main())
