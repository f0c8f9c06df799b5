"""The registry's free text as a reader means it. ClinicalTrials.gov API v2 writes its text fields
(briefSummary, detailedDescription, eligibilityCriteria, arm, intervention and outcome descriptions, the
results' descriptions and limitations) as CommonMark Markdown, escaping what it means literally with a
backslash: "Fasting plasma glucose \\<126 mg/dL", "\\>1 month", "stenosis\\> 30%". The database keeps the
text as posted (provenance, `check` and `export` compare it with the source); this module undoes the
Markdown for display and search.

The Markdown is parsed by markdown-it-py (CommonMark), with raw HTML off: a tag in the text is text, never
markup, so nothing from the registry can become HTML. Emphasis, links and code are reduced to their text
(a link keeps its address in brackets when the text differs); paragraphs and list items stay apart, with
their list depth, so a page can draw lists as lists. No Streamlit here: dashboard.ui turns the blocks into
safe Markdown."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token

# "commonmark" with html off: `<b>` and `<script>` are parsed as literal text (CommonMark spec, raw HTML).
_MD = MarkdownIt("commonmark", {"html": False})


@dataclass(frozen=True)
class Block:
    """One paragraph or list item of registry text, as plain text (escapes undone, no Markdown left).
    `depth` is 0 for a paragraph, 1 for an item of a top-level list, 2 for an item nested in it, ...;
    `marker` is "-" for a bullet item, the item's number as posted ("1.", "2)") for a numbered one, and ""
    for a paragraph (at depth > 0: a further paragraph of the list item above it)."""

    text: str
    depth: int = 0
    marker: str = ""


def _inline(children: list[Token]) -> str:
    out: list[str] = []
    href: list[str | None] = []
    start: list[int] = []
    for t in children:
        if t.type in ("text", "code_inline", "html_inline"):
            out.append(t.content)
        elif t.type == "softbreak":
            out.append(" ")
        elif t.type == "hardbreak":
            out.append("\n")
        elif t.type == "image":  # an image from the registry is never loaded: its description stands in
            out.append(_inline(t.children or []) or t.content)
        elif t.type == "link_open":
            href.append(str(t.attrGet("href") or ""))
            start.append(len(out))
        elif t.type == "link_close" and href:
            url, first = href.pop(), start.pop()
            text = "".join(out[first:])
            if url and url not in (text, "mailto:" + text):
                out.append(f" ({url})")
    return "".join(out)


@lru_cache(maxsize=4096)
def _blocks(markdown: str) -> tuple[Block, ...]:
    out: list[Block] = []
    numbers: list[int | None] = []  # per open list: the next number of an ordered list, None for bullets
    items: list[str | None] = []  # per open list item: its marker until its first block is out, then None
    for t in _MD.parse(markdown):
        if t.type in ("bullet_list_open", "ordered_list_open"):
            numbers.append(int(t.attrGet("start") or 1) if t.type == "ordered_list_open" else None)
        elif t.type in ("bullet_list_close", "ordered_list_close"):
            numbers.pop()
        elif t.type == "list_item_open":
            n = numbers[-1]
            items.append("-" if n is None else f"{t.info or n}{t.markup or '.'}")
            if n is not None:
                numbers[-1] = n + 1
        elif t.type == "list_item_close":
            marker = items.pop()
            if marker is not None:  # an empty item: still an item
                out.append(Block("", len(numbers), marker))
        elif t.type in ("inline", "code_block", "fence", "html_block"):
            text = _inline(t.children or []) if t.type == "inline" else t.content.rstrip("\n")
            # An item's first block carries its marker; a later paragraph of the item has none ("").
            out.append(Block(text, len(numbers), (items[-1] or "") if items else ""))
            if items:
                items[-1] = None
    return tuple(out)


def blocks(markdown: str | None) -> list[Block]:
    """Registry Markdown as its paragraphs and list items, in order, each as plain text ([] for None or "").

    "Inclusion Criteria:\\n\\n* glucose \\<126 mg/dL\\n* \\>1 month" gives
    [Block("Inclusion Criteria:"), Block("glucose <126 mg/dL", 1, "-"), Block(">1 month", 1, "-")]."""
    return list(_blocks(markdown)) if markdown else []


def plain_text(markdown: str | None) -> str:
    """Registry Markdown as plain text, one line per paragraph or list item (list markers dropped): what a
    reader reads, for search and for places that show text flat (a table cell). None and "" give ""."""
    return "\n".join(b.text for b in blocks(markdown))
