"""Benchmark: page render times in headless Chromium as ratios to a minimal Streamlit page measured
the same way in the same run, the build against a bare interpreter start, and the server's peak memory;
on the seed portfolio and on a synthetic one of 10,000 trials. Writes bench/RESULTS.md.

    python bench/run.py [--runs 3] [--n 10000]
    python bench/run.py --only registry [--runs 3] [--n 10000] [--records 1000] [--changes 5000]

`--only registry` runs the registry cases alone (issue 11) and writes bench/RESULTS_registry.md: a sync of
`--records` records from the local protocol server (tests/ctgov_server.py) timed against `import` of the
same files, and the "What's new" page at `--n` synthetic trials with `--changes` changes, as a ratio to
the minimal page at a page path.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.browser_support import CONNECTED, READY, TABLES, TITLE, StreamlitServer, launch  # noqa: E402

OUT = REPO / "bench" / "out"
PAGES = ["", "timeline", "phase_status", "dosing", "outcomes", "trial_record"]
# Pages that need trials of one portfolio, measured after PAGES: Compare with three trials, and on the
# synthetic portfolio the registry results of its two largest posted results (issue 12): NCT90000002 posts
# 300 outcome measures, NCT90000012 1,500 adverse-event terms (its adverse-events tab).
SEED_PAGES = ["compare?nct=NCT02465580&nct=NCT05262686&nct=NCT02467504"]
SYNTHETIC_PAGES = ["compare?nct=NCT90000000&nct=NCT90000001&nct=NCT90000002",
                   "outcomes?outcomes_nct=NCT90000002",
                   "outcomes?outcomes_nct=NCT90000012&results_part=Adverse+events"]
TARGETS = {"warm": 3.0, "cold": 6.0, "filter": 3.0, "build": 1.5, "rss_mb": 400, "search": 3.0, "sort": 3.0}
# The overview searched (sidebar search, full-text in the database) and sorted (all rows, before paging),
# each opened as a shared link, warm: ratios to the minimal page at "/".
SEARCH_URL = "/?q=IL-2"
SORT_URL = "/?overview_trials_sort=Start&overview_trials_order=descending"

# Rendered = the run finished and every chart and table the page draws is on screen (counts learnt
# once per page, since charts and tables are lazily loaded components that mount after the run).
RENDERED_JS = """([charts, tables]) => {
  const c = [...document.querySelectorAll("[data-testid='stPlotlyChart']")];
  const t = [...document.querySelectorAll(TABLES)];
  return c.length >= charts && t.length >= tables && c.every(x => x.querySelector('svg.main-svg'))
    && t.every(x => x.querySelectorAll("tbody tr").length > 0);
}""".replace("TABLES", json.dumps(TABLES))


def timed_load(page, url: str, expect: tuple[int, int]) -> float:
    t0 = time.perf_counter()
    page.goto(url)
    page.wait_for_selector(CONNECTED, state="attached", timeout=300_000)
    page.wait_for_selector(TITLE, state="attached", timeout=300_000)
    page.wait_for_selector(READY, state="attached", timeout=300_000)
    page.wait_for_function(RENDERED_JS, arg=list(expect), timeout=300_000)
    return time.perf_counter() - t0


def learn(page, url: str) -> tuple[int, int]:
    page.goto(url)
    page.wait_for_selector(TITLE, state="attached", timeout=300_000)
    page.wait_for_selector(READY, state="attached", timeout=300_000)
    page.wait_for_load_state("networkidle", timeout=300_000)
    page.wait_for_timeout(500)
    return (page.locator("[data-testid='stPlotlyChart']").count(),
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


def measure_portfolio(browser, db: Path, runs: int, rebuild: bool, log: Path, pages: list[str]) -> dict:
    """Cold: each page as the first request to a fresh server (database built first when `rebuild`);
    warm: the same page loaded again; filter: a change of indication on the overview."""
    env = {"TRIALDB_URL": f"sqlite:///{db}"}
    res: dict = {"cold": {p: [] for p in pages}, "warm": {p: [] for p in pages}, "filter": [], "rss": [],
                 "search": [], "sort": [], "pages": pages}
    ctx = browser.new_context(viewport={"width": 1400, "height": 900})
    page = ctx.new_page()
    with StreamlitServer(env=env, log=log) as srv:
        expect = {p: learn(page, f"{srv.url}/{p}") for p in pages}
    for _ in range(runs):
        for p in pages:
            if rebuild:
                db.unlink(missing_ok=True)
            with StreamlitServer(env=env, log=log) as srv:
                res["cold"][p].append(timed_load(page, f"{srv.url}/{p}", expect[p]))
                for _ in range(3):
                    res["warm"][p].append(timed_load(page, f"{srv.url}/{p}", expect[p]))
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
    ctx = browser.new_context(viewport={"width": 1400, "height": 900})
    page = ctx.new_page()
    for _ in range(max(1, runs * len(PAGES) // 2)):
        for where, path in (("root", ""), ("page", "other")):
            with StreamlitServer(script=REPO / "bench" / "minimal_app.py", log=log) as srv:
                res[where]["cold"].append(timed_load(page, f"{srv.url}/{path}", (0, 0)))
                for _ in range(3):
                    res[where]["warm"].append(timed_load(page, f"{srv.url}/{path}", (0, 0)))
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
            shutil.copytree(REPO / "seed_data", seed, ignore=shutil.ignore_patterns("NCT*.json", "changes.json"))
            build(f"sqlite:///{work / 'sync.sqlite3'}", seed)
            build(f"sqlite:///{work / 'import.sqlite3'}", seed)  # the same seeds, before any record is there
            res["sync"] += wall([sys.executable, "-m", "trialdb", "sync", "--api", srv.api, "--rate", "0",
                                 "--page-size", "1000", "--full", "--db", str(work / "sync.sqlite3"),
                                 "--seed", str(seed)], 1)
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


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--n", type=int, default=10_000, help="trials in the synthetic portfolio")
    ap.add_argument("--pages", nargs="+", metavar="PATH",
                    help="measure only these page paths (\"\" is the overview; a query string may follow, e.g. "
                         "'outcomes?outcomes_nct=NCT90000002', the synthetic trial with 300 posted outcome measures); "
                         "results then go to bench/out/RESULTS.md, not bench/RESULTS.md")
    ap.add_argument("--portfolios", choices=("both", "seed", "synthetic"), default="both")
    ap.add_argument("--only", choices=["all", "search-sort", "registry"], default="all",
                    help="search-sort: only the search and sort cases (and the overview), printed, not written; "
                         "registry: only the sync and What's new cases, written to bench/RESULTS_registry.md")
    ap.add_argument("--records", type=int, default=1_000, help="records the sync benchmark fetches")
    ap.add_argument("--changes", type=int, default=5_000, help="synthetic changes for the What's new page")
    args = ap.parse_args()
    if args.only == "registry":
        return main_registry(args)
    if args.pages:
        PAGES[:] = args.pages  # the functions below read the module's list
    from playwright.sync_api import sync_playwright

    from trialdb.synthetic import generate

    shutil.rmtree(OUT, ignore_errors=True)
    OUT.mkdir(parents=True)
    log = OUT / "streamlit.log"
    seed_db, synth_db = OUT / "seed.sqlite3", OUT / "synthetic.sqlite3"
    t0 = time.perf_counter()
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

    build = wall([sys.executable, "-m", "trialdb", "build", "--db", str(OUT / "build.sqlite3")], args.runs * 3)
    bare = wall([sys.executable, "-c", "import trialdb.cli, trialdb.build"], args.runs * 3)

    with sync_playwright() as p:
        browser = launch(p)
        minimal = measure_minimal(browser, args.runs, log)
        portfolios = {}
        if args.portfolios in ("both", "seed"):
            portfolios["seed portfolio (5 documents)"] = measure_portfolio(
                browser, seed_db, args.runs, rebuild=True, log=log, pages=PAGES + ([] if args.pages else SEED_PAGES))
        if args.portfolios in ("both", "synthetic"):
            portfolios[f"synthetic, {args.n:,} trials"] = measure_portfolio(
                browser, synth_db, args.runs, rebuild=False, log=log,
                pages=PAGES + ([] if args.pages else SYNTHETIC_PAGES))
        browser.close()

    target = write_results(args, minimal, portfolios, build, bare, gen_s)
    print(target.read_text())
    return 0


def write_results(args, minimal, portfolios, build, bare, gen_s) -> Path:
    med = {w: {k: statistics.median(v) for k, v in r.items()} for w, r in minimal.items()}
    cpu = next((ln.split(":", 1)[1].strip() for ln in Path("/proc/cpuinfo").read_text().splitlines()
                if ln.startswith("model name")), platform.processor())
    lines = [
        "# Benchmark results", "",
        f"- Date: {dt.datetime.now(dt.UTC).strftime('%Y-%m-%d %H:%M UTC')}",
        f"- Machine: {platform.system()} {platform.machine()}, {os.cpu_count()} cores, {cpu}; Python {platform.python_version()}",
        f"- Command: `python bench/run.py --runs {args.runs} --n {args.n}"
        + (f" --pages {' '.join(repr(p) for p in args.pages)}" if args.pages else "")
        + (f" --portfolios {args.portfolios}" if args.portfolios != "both" else "") + "`",
        "- Method: headless Chromium (Debian), each time from navigation until Streamlit reports the run finished",
        "  and every chart (Plotly SVG) and table (rows) of the page is on screen. Cold: the page is the first",
        "  request to a freshly started server (for the seed portfolio the database file is deleted first, so",
        "  the cold time includes building it). Warm: the same page loaded again. Filter change: one indication",
        "  removed on the overview (of SLE and RA), until the headline count changes. Ratios divide medians by the minimal page",
        "  (a title and a line of text) measured the same way in the same run, at the same kind of URL: the",
        "  overview against the minimal page at `/`, the other pages against it at a page path (`/other`),",
        "  where Streamlit itself connects about 0.1 s later. Cold ratios divide by its cold time.",
        "",
        f"Minimal page at `/`: cold {spread(minimal['root']['cold'])}; warm {spread(minimal['root']['warm'])}.",
        f"Minimal page at `/other`: cold {spread(minimal['page']['cold'])}; warm {spread(minimal['page']['warm'])}.", "",
    ]
    verdicts = []
    for name, r in portfolios.items():
        lines += [f"## {name}", "", "| page | cold | cold ratio (target 6x) | warm | warm ratio (target 3x) |",
                  "| --- | --- | --- | --- | --- |"]
        for p in r["pages"]:
            c, w = statistics.median(r["cold"][p]), statistics.median(r["warm"][p])
            base = med["root" if p == "" else "page"]
            rc, rw = c / base["cold"], w / base["warm"]
            verdicts += [rc <= TARGETS["cold"], rw <= TARGETS["warm"]]
            lines.append(f"| {p or 'overview'} | {spread(r['cold'][p])} | {rc:.2f}x | {spread(r['warm'][p])} | {rw:.2f}x |")
        fc = statistics.median(r["filter"]) / med["root"]["warm"]
        peak = max(r["rss"])
        verdicts += [fc <= TARGETS["filter"], peak <= TARGETS["rss_mb"]]
        searched, ordered = (statistics.median(r[k]) / med["root"]["warm"] for k in ("search", "sort"))
        verdicts += [searched <= TARGETS["search"], ordered <= TARGETS["sort"]]
        lines += ["", f"- Search (`{SEARCH_URL}`, warm): {spread(r['search'])}, ratio {searched:.2f}x (target 3x)",
                  f"- Sort (`{SORT_URL}`, warm): {spread(r['sort'])}, ratio {ordered:.2f}x (target 3x)"]
        lines += [f"- Filter change: {spread(r['filter'])}, ratio {fc:.2f}x (target 3x)",
                  f"- Server peak RSS after every page: {peak:.0f} MB (target under {TARGETS['rss_mb']} MB)", ""]
    br = statistics.median(build) / statistics.median(bare)
    verdicts.append(br <= TARGETS["build"])
    lines += ["## Build", "",
              f"- `python -m trialdb build`: {spread(build)}",
              f"- `python -c 'import trialdb.cli, trialdb.build'` (interpreter start-up with trialdb imported): {spread(bare)}",
              f"- Ratio: {br:.2f}x (target 1.5x)",
              f"- Generating the synthetic portfolio: {gen_s:.1f} s", "",
              f"All targets met: {'yes' if all(verdicts) else 'no'} ({sum(verdicts)} of {len(verdicts)})", ""]
    target = OUT / "RESULTS.md" if args.pages or args.portfolios != "both" else REPO / "bench" / "RESULTS.md"
    target.write_text("\n".join(lines))
    return target


if __name__ == "__main__":
    raise SystemExit(main())
