"""A real Streamlit server on a free loopback port, and Debian's Chromium driven by Playwright.
Used by the browser tests and by the benchmark."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"]


def chromium_path() -> str | None:
    return CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class StreamlitServer:
    """`streamlit run SCRIPT` on 127.0.0.1; ready when /_stcore/health answers ok."""

    def __init__(self, script: Path = REPO / "app.py", env: dict[str, str] | None = None, log: Path | None = None,
                 args: list[str] | None = None):
        self.script, self.port, self.args = script, free_port(), args or []
        self.env = {**os.environ, **(env or {})}
        self.log = log
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 90) -> StreamlitServer:
        out = open(self.log, "w") if self.log else subprocess.DEVNULL  # noqa: SIM115
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(self.script), "--server.headless", "true",
             "--server.port", str(self.port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
             "--server.fileWatcherType", "none", *self.args], cwd=REPO, env=self.env, stdout=out, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"streamlit exited with {self.proc.returncode}")
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as r:
                    if r.read().strip() == b"ok":
                        return self
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise TimeoutError("streamlit did not become healthy")

    def _pid(self) -> int:
        if self.proc is None:
            raise RuntimeError("the server is not running: use it as a context manager")
        return self.proc.pid

    def rss_mb(self) -> float:
        """Resident memory of the server process now (Linux /proc)."""
        for line in Path(f"/proc/{self._pid()}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def peak_rss_mb(self) -> float:
        for line in Path(f"/proc/{self._pid()}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def __enter__(self) -> StreamlitServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def launch(playwright):
    return playwright.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS)


READY = "[data-testid='stApp'][data-test-script-state='notRunning']"
CONNECTED = "[data-testid='stApp'][data-test-connection-state='CONNECTED']"
TITLE = "[data-testid='stMain'] h1"
TABLES = ".table-box table, [data-testid='stMarkdownContainer'] table"  # HTML (dashboard.ui.table), or inside Markdown
# Charts: Plotly figures, and Vega-Lite ones (st.vega_lite_chart / st.altair_chart); a chart is drawn once its SVG
# (a Vega-Lite SVG once it holds its marks: Vega makes the empty SVG before data from a URL, such as the world
# map's countries, has arrived) or, for thousands of marks, its canvas is there. Their titles and legend entries, whichever library drew them.
CHARTS = "[data-testid='stPlotlyChart'], [data-testid='stVegaLiteChart']"
DRAWN = "svg.main-svg, svg.marks g.role-mark, canvas.marks"
CHART_TITLES = "[data-testid='stPlotlyChart'] .gtitle, [data-testid='stVegaLiteChart'] .role-title-text"
LEGEND_ENTRIES = "g.legend g.traces, .role-legend-label"


def drawn_charts(page) -> int:
    """How many charts on the page are drawn."""
    return page.locator(CHARTS).filter(has=page.locator(DRAWN)).count()


def legend(page, index: int = 0) -> list[str]:
    """The legend entries of the page's index-th chart."""
    return [t.strip() for t in page.locator(CHARTS).nth(index).locator(LEGEND_ENTRIES).all_text_contents()]


@contextlib.contextmanager
def page_at(browser, width: int):
    """A page in a fresh browser context `width` px wide (900 high); under 600 px a phone's (mobile, touch)."""
    context = browser.new_context(viewport={"width": width, "height": 900}, is_mobile=width < 600,
                                  has_touch=width < 600)
    try:
        yield context.new_page()
    finally:
        context.close()


def table_rows(page, index: int = 0) -> list[str]:
    """Rows of the page's index-th table, without its header."""
    return page.locator(TABLES).nth(index).locator("tbody tr").all_inner_texts()


def table_cells(page, index: int = 0) -> tuple[list[str], list[list[str]]]:
    """The page's index-th table as (header cells, rows of cells), read in one go; ([], []) while it is being
    replaced (a rerun's table arrives as a new element: two reads, or a row read mid-change, could straddle it)."""
    header, rows = page.locator(TABLES).nth(index).evaluate(
        "t => [[...t.querySelectorAll('thead th')].map(c => c.innerText),"
        " [...t.querySelectorAll('tbody tr')].map(r => [...r.cells].map(c => c.innerText))]")
    if not header or any(len(r) != len(header) for r in rows):
        return [], []
    return header, rows


def wait_ready(page, timeout_ms: int = 90_000) -> None:
    """Connected, the script finished and every chart drawn (its SVG or canvas present)."""
    page.wait_for_selector(CONNECTED, state="attached", timeout=timeout_ms)
    # The state reads notRunning before the first run too: first see the page's title, then the end.
    page.wait_for_selector(TITLE, state="attached", timeout=timeout_ms)
    page.wait_for_selector(READY, state="attached", timeout=timeout_ms)
    # Charts are lazily loaded components: let their code arrive and mount.
    page.wait_for_load_state("networkidle", timeout=timeout_ms)
    page.wait_for_function(
        """([charts, drawn]) => !document.querySelector("[data-testid='stSkeleton']")
                 && [...document.querySelectorAll(charts)].every(c => c.querySelector(drawn))""", arg=[CHARTS, DRAWN],
        timeout=timeout_ms)


def full_screenshot(page, path: Path, width: int = 1400) -> None:
    """Streamlit scrolls inside its main container: grow the viewport to it, then capture."""
    h = page.evaluate("""Math.max(...[...document.querySelectorAll(
        "[data-testid='stMain'], [data-testid='stAppViewContainer'], section")].map(e => e.scrollHeight), 900)""")
    page.set_viewport_size({"width": width, "height": min(int(h), 12000)})
    page.wait_for_timeout(500)
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size({"width": width, "height": 900})


WIDTH_JS = """() => {
  const main = document.querySelector("[data-testid='stMain']");
  const scrolling = [...document.querySelectorAll('.legend .scrollbar')].filter(s => s.getBBox().height > 0);
  return {doc: document.documentElement.scrollWidth, inner: innerWidth, main: main.scrollWidth,
          mainClient: main.clientWidth, legendScrollbars: scrolling.length};
}"""


def assert_fits(page) -> None:
    """Nothing wider than the screen: the page, Streamlit's main container (wide tables scroll in their own box),
    and no chart's legend scrolls."""
    w = page.evaluate(WIDTH_JS)
    assert w["doc"] <= w["inner"], w
    assert w["main"] <= w["mainClient"], w
    assert w["legendScrollbars"] == 0, w
