"""The app's tables as a test reads them: dashboard.ui.table draws HTML (st.html), a few pages draw a Markdown
table inside a Markdown element (dashboard.ui.markdown_table). Both read as rows of cells, the header row first,
each cell as rendered (escapes undone) with a link written as Markdown, "[text](target)"."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import NamedTuple


class _Tables(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[list[list[str]]] = []
        self._cell: list[str] | None = None
        self._href: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self._cell = []
        elif tag == "a" and self._cell is not None:
            self._href = dict(attrs).get("href")
            self._cell.append("[")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.tables[-1][-1].append("".join(self._cell).strip())
            self._cell = None
        elif tag == "a" and self._cell is not None:
            self._cell.append(f"]({self._href})")

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def html_tables(body: str) -> list[list[list[str]]]:
    """The tables of an HTML body (st.html's), each a list of rows of cells."""
    parser = _Tables()
    parser.feed(body)
    return parser.tables


def markdown_tables(body: str) -> list[list[list[str]]]:
    """The Markdown tables of a Markdown element's body (blocks apart by blank lines)."""
    out = []
    for block in body.split("\n\n"):
        lines = block.splitlines()
        if len(lines) >= 2 and lines[0].startswith("| ") and re.fullmatch(r"\|( -+:? \|)+", lines[1]):
            rows = [re.split(r"(?<!\\)\|", ln.strip()[1:-1]) for ln in lines[:1] + lines[2:]]
            out.append([[re.sub(r"\\(.)", r"\1", c.strip()) for c in r] for r in rows])
    return out


def page_tables(at) -> list[list[list[str]]]:
    """Every table of an AppTest page (main area and sidebar), in the page's order."""
    found: list[list[list[str]]] = []

    def walk(node) -> None:
        kind = getattr(node, "type", None)
        if kind == "html":
            found.extend(html_tables(str(node.value)))
        elif kind == "markdown":
            found.extend(markdown_tables(str(node.value)))
        children = getattr(node, "children", None)
        for child in (children.values() if isinstance(children, dict) else []):
            walk(child)

    walk(at.main)
    walk(at.sidebar)
    return found


def tables_text(at) -> str:
    """Every cell of the page's HTML tables, a row a line (for text searches over what a page shows)."""
    return "\n".join(" | ".join(r) for h in at.html for t in html_tables(str(h.value)) for r in t)


class Bar(NamedTuple):
    """One bar of the overview's charts at a glance as drawn: its label, trials, link (None: an empty slot)."""

    label: str
    trials: int
    href: str | None


_BAR_NAME = re.compile(r"(?P<label>.*?): (?P<n>[\d,]+) (?:trials?|study|studies)(?: \(.*\))?")


class _Glance(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.charts: dict[str, list[Bar]] = {}
        self._chart: list[Bar] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "section" and "gl-chart" in (a.get("class") or ""):
            self._chart = self.charts.setdefault(a.get("aria-label") or "", [])
        elif tag == "a" and self._chart is not None and (m := _BAR_NAME.fullmatch(a.get("aria-label") or "")):
            self._chart.append(Bar(m["label"], int(m["n"].replace(",", "")), a.get("href")))
        elif tag == "span" and self._chart is not None and "gl-empty" in (a.get("class") or ""):
            self._chart.append(Bar((a.get("title") or "").removesuffix(": none"), 0, None))


def glance_bars(body: str) -> dict[str, list[Bar]]:
    """The overview's charts at a glance in an HTML body (dashboard.glance.bars): chart title -> its bars in order,
    each read from its link's name ("SLE: 2 trials"), as a screen reader reads it."""
    parser = _Glance()
    parser.feed(body)
    return parser.charts
