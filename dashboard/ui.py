"""Small Streamlit pieces every page uses: safe text, tables with CSV download, empty states, links."""

from __future__ import annotations

import html
import re
from pathlib import Path

import numpy as np
import pandas as pd
import streamlit as st

from dashboard.frames import DOI, PUBMED, REGISTRY, filter_link_parts
from dashboard.sorting import sort_rows
from trialdb.queries import NOT_STATED
from trialdb.registry.text import blocks, plain_text
from trialdb.search import MARK_END, MARK_START

_NCT = re.compile(r"NCT\d{8}")
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:^=&])")


def safe_md(text: object) -> str:
    """Text from a document or a URL, escaped so Markdown renders it as plain text (no links,
    images, HTML or emoji codes can come from the data)."""
    return _MD_SPECIAL.sub(r"\\\1", str(text)).replace("\n", "  \n")


def registry_md(markdown: str | None) -> str:
    """Registry free text (Markdown, as posted: "glucose \\<126 mg/dL") as safe Markdown for st.markdown: its
    paragraphs and lists kept (trialdb.registry.text.blocks), every text escaped by safe_md, so it reads
    "glucose <126 mg/dL" and no HTML, link, image or emoji code can come from it. "" for None or ""."""
    lines: list[str] = []
    content = [0]  # per list depth: the column an item's text starts at (0 for paragraphs)
    previous = None
    for b in blocks(markdown):
        del content[b.depth + 1:]
        while len(content) <= b.depth:
            content.append(content[-1] + 2)  # a paragraph of a list item whose marker was not seen
        indent = content[b.depth - 1] if b.marker else content[b.depth]
        if b.marker:
            content[b.depth] = indent + len(b.marker) + 1
        text = safe_md(b.text).replace("\n", "\n" + " " * content[b.depth])
        if previous is not None and not (b.marker and previous.depth):  # a list stays tight
            lines.append("")
        lines.append(" " * indent + (f"{b.marker} " if b.marker else "") + text)
        previous = b
    return "\n".join(lines)


def registry_plain(markdown: str | None) -> str:
    """Registry free text as plain text (not escaped: pass it through safe_md or a table), lines per block."""
    return plain_text(markdown)


def retraction_note(notices: list[tuple[str | None, str | None]]) -> str:
    """"Retracted: retraction notice PMID n (source), as the registry links it", as safe Markdown."""
    parts = [", ".join(x for x in (f"PMID {safe_md(pmid)}" if pmid else None, safe_md(source) if source else None)
                       if x) or "not identified" for pmid, source in notices]
    return (f"**Retracted publication**: retraction notice {'; '.join(parts)}, as the registry links it "
            "(referencesModule retractions) or PubMed records it (RetractionIn, or the type Retracted Publication).")


RECORD_LINK = "trial_record?"


def record_link(nct_id: str) -> str:
    return f"{RECORD_LINK}nct={nct_id}"


PAGE_ROWS = 25  # rows per page of a table: a static table of this size draws faster than any grid


def page_of(n_rows: int, page: int, size: int = PAGE_ROWS) -> tuple[int, int, int]:
    """(pages, first row, end row) of page `page` (1-based, clamped) of a table of `n_rows` rows."""
    pages = max(1, -(-n_rows // size))
    page = min(max(1, page), pages)
    return pages, (page - 1) * size, min(page * size, n_rows)


def _cell_text(value: object) -> tuple[str, str | None]:
    """One cell of a static table as (text, link target): our own links (a registry record, a trial's record
    here) keep their target, all else is plain text with no target."""
    if isinstance(value, bool | np.bool_):
        return ("yes" if value else "no"), None
    text = "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)
    # Links only to an NCT id: no other text from the data may reach a link's target.
    if text.startswith(REGISTRY) and _NCT.fullmatch(text.removeprefix(REGISTRY)):
        return text.removeprefix(REGISTRY), text
    if text.startswith(RECORD_LINK) and _NCT.fullmatch(text.removeprefix(RECORD_LINK + "nct=")):
        return "open record", text
    if (link := filter_link_parts(text)) is not None:  # a sponsor's trials (dashboard.frames.filter_link)
        return link
    return text, None


def _cell_md(value: object) -> str:
    """One cell of a static table as safe Markdown (_cell_text): our own links become links, a search snippet's
    matched words bold, all else plain text."""
    text, target = _cell_text(value)
    return f"[{safe_md(text)}]({target})" if target else safe_md(text).replace(MARK_START, "**").replace(MARK_END, "**")


def _cell_html(value: object) -> str:
    """One cell of a static table as escaped HTML (_cell_text); a link opens in a new tab, as Streamlit's
    Markdown links do."""
    text, target = _cell_text(value)
    if target:
        return f'<a href="{html.escape(target)}" target="_blank" rel="noopener noreferrer">{html.escape(text)}</a>'
    # A search snippet's matched words (trialdb.search.snippet marks them): <mark>, the text itself escaped
    return html.escape(text).replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")


def _numeric(df: pd.DataFrame) -> list[bool]:
    """Per column, whether it holds numbers (right-aligned in a table)."""
    return [pd.api.types.is_numeric_dtype(df[c]) and not pd.api.types.is_bool_dtype(df[c]) for c in df.columns]


def html_table(df: pd.DataFrame) -> str:
    """An HTML table of escaped cells (every text through html.escape; links only as _cell_text allows), numbers
    right-aligned. What ui.table draws, with st.html: a static HTML table draws in the browser in less than half
    the time of the same table as Markdown (0.03 s against 0.08 s for 25 rows, measured for issue 21), and
    Streamlit sanitises it once more (DOMPurify)."""
    numeric = _numeric(df)
    head = "".join(f'<th{" class=num" if n else ""}>{html.escape(str(c))}</th>'
                   for c, n in zip(df.columns, numeric, strict=True))
    rows = ["<tr>" + "".join(f'<td{" class=num" if n else ""}>{_cell_html(v)}</td>'
                             for v, n in zip(r, numeric, strict=True)) + "</tr>" for r in df.itertuples(index=False)]
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def markdown_table(df: pd.DataFrame) -> str:
    """A GitHub-flavoured Markdown table of escaped cells, for a table inside a Markdown element (a trial's
    heading and its table drawn as one); ui.table draws html_table instead."""
    def row(cells) -> str:
        # A line break (safe_md's "  \n") would end the row: a space instead.
        return "| " + " | ".join(c.replace("  \n", " ").replace("\n", " ") for c in cells) + " |"

    numeric = _numeric(df)
    lines = [row(safe_md(c) for c in df.columns), "|" + "".join(" ---: |" if n else " --- |" for n in numeric)]
    lines += [row(_cell_md(v) for v in r) for r in df.itertuples(index=False)]
    return "\n".join(lines)


def boxed(table_html: str, name: str) -> str:
    """An HTML table inside a box that scrolls sideways on a narrow screen (dashboard/any_screen.css).
    The box is a focusable, named region so a keyboard can scroll it (WCAG: scrollable regions)."""
    label = html.escape(f"Table {name.removesuffix('.csv').replace('_', ' ')}, scrolls sideways on a narrow screen")
    return f'<div class="table-box" role="region" tabindex="0" aria-label="{label}">{table_html}</div>'


def table(df: pd.DataFrame, key: str, filename: str, caption: str | None = None,
          csv: pd.DataFrame | None = None, matching: int | None = None, sortable: bool = True) -> None:
    """A static table, every cell escaped, with its CSV download beneath (links exported as their URLs;
    `csv`, when given, is downloaded instead, e.g. the long form of a pivot). Longer than a page, it is
    shown a page at a time (the page number a widget, the CSV all rows). `matching`: how many rows match
    when the query returned only the first len(df); the table then says so. `sortable`: a sort control
    above it orders all rows (before paging; the CSV follows), kept in the URL (`sort_control`)."""
    df = sort_control(df, key) if sortable and len(df) > 1 else df
    shown = df
    if matching is not None and matching > len(df):
        st.caption(f"{matching:,} match the filter; this table and its CSV hold the first {len(df):,}. "
                   "Narrow the filter to reach the others.")
    if len(df) > PAGE_ROWS:
        page_key = f"{key}_page"
        pages, first, end = page_of(len(df), st.session_state.get(page_key, 1))
        st.session_state[page_key] = first // PAGE_ROWS + 1  # clamped when a new filter has fewer pages
        left, right = st.columns([1, 4], vertical_alignment="bottom")
        left.number_input(f"Page (of {pages:,})", min_value=1, max_value=pages, step=1, key=page_key)
        right.caption(f"Rows {first + 1:,}–{end:,} of {len(df):,}, {PAGE_ROWS} to a page; "
                      f"the CSV download has all {len(df):,}.")
        shown = df.iloc[first:end]
    st.html(boxed(html_table(shown), filename))
    cols = st.columns([1, 3])
    # The CSV is made when the button is clicked, not on every run of the page.
    out = df if csv is None else csv
    cols[0].download_button("Download CSV", lambda: unmarked(out).to_csv(index=False).encode("utf-8"), file_name=filename,
                            mime="text/csv", key=f"{key}_csv", icon=":material/download:", on_click="ignore")
    if caption:
        cols[1].caption(caption)


def unmarked(df: pd.DataFrame) -> pd.DataFrame:
    """`df` without the marks of a search snippet's matched words (for the CSV: the words stay, unmarked)."""
    if "Where it matched" not in df.columns:
        return df
    return df.assign(**{"Where it matched": [str(v).replace(MARK_START, "").replace(MARK_END, "")
                                              for v in df["Where it matched"]]})


def empty_state(what: str = "trials") -> None:
    query = getattr(st.session_state.get("_filters"), "query", "")  # the sidebar search (app.py)
    if query:
        st.info(f"No {what} match the search “{safe_md(query[:80])}” with the current filter. Check the "
                "spelling, use fewer or shorter words (a word matches the start of a word), or clear the search "
                "box in the sidebar.", icon=":material/search_off:")
        return
    st.info(f"No {what} match the current filter. Choose other areas, indications, phases or statuses in the "
            "sidebar, or clear some of them (none chosen means every one).", icon=":material/filter_alt_off:")


def not_stated(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value == "":
        return f"*{NOT_STATED}*"
    return safe_md(value)


def pubmed_url(pmid: str) -> str:
    return f"{PUBMED}{pmid}/"


def doi_url(doi: str) -> str:
    return f"{DOI}{doi}"


def plot(fig, key: str) -> None:
    """A figure across the page's width: a Plotly figure, or a Vega-Lite chart's spec as dashboard.data keeps it
    (dashboard.figures says which figures are which)."""
    if isinstance(fig, dict):
        st.vega_lite_chart(spec=fig, width="stretch", key=key)
    else:
        st.plotly_chart(fig, width="stretch", key=key, config={"displaylogo": False})


AS_LISTED = "(as listed)"
ORDERS = ("ascending", "descending")


def sort_control(df: pd.DataFrame, key: str) -> pd.DataFrame:
    """A sort control (column, direction) above a table, kept in the URL as `?<key>_sort=Start&<key>_order=
    descending`; returns all the rows in that order. Missing values go last either way (dashboard.sorting).
    A new order goes back to the table's first page."""
    def first_page() -> None:
        st.session_state[f"{key}_page"] = 1

    left, right, _ = st.columns([2, 2, 3], vertical_alignment="bottom")
    column = left.selectbox("Sort by", [AS_LISTED, *map(str, df.columns)], key=f"{key}_sort", bind="query-params",
                            on_change=first_page, help="Orders every row of the table, not only this page; "
                            "values not stated in the source go last.")
    order = right.radio("Order", ORDERS, horizontal=True, key=f"{key}_order", bind="query-params",
                        on_change=first_page)
    if column == AS_LISTED:
        return df
    return sort_rows(df, column, descending=order == "descending")


_CSS = Path(__file__).with_name("any_screen.css")


def any_screen_css() -> None:
    """The app's small stylesheet (dashboard/any_screen.css): tables scroll in their own box on a phone,
    captions dark enough to read. Called once, from app.py."""
    st.html(f"<style>{_CSS.read_text()}</style>")


def publication(pub: dict, key: str) -> None:
    """One publication as the Evidence and Trial record pages show it (a dict of
    trialdb.queries.evidence_publications): its title as text, citation, types, the trials it is linked to and how,
    links, a retraction notice, seed-versus-PubMed differences, and its abstract as published in an expander
    (RESULTS and CONCLUSIONS first, section labels kept, attributed to the journal and PubMed)."""
    from dashboard.evidence import citation, links, sections_in_order

    with st.container(border=True, key=key):
        st.markdown(f"**{safe_md(pub['title'])}**")
        st.markdown(safe_md(citation(pub)) + f" PMID {safe_md(pub['pmid'])}.")
        if pub["retracted"]:
            st.error(retraction_note(pub["notices"]), icon=":material/block:")
        facts = []
        if pub["types"]:
            facts.append("**Publication types:** " + safe_md("; ".join(pub["types"])))
        how = {"RESULT": "the registry lists it as the trial's results",
               "DERIVED": "the registry links it (derived from PubMed)",
               "BACKGROUND": "the registry lists it as background", "registration": "it names the trial's NCT id"}
        facts.append("**Trials:** " + "; ".join(f"[{n}]({record_link(n)}) ({how.get(x, safe_md(x.lower()))})"
                                               for n, x in pub["links"].items()))
        facts.append("**Links:** " + " · ".join(f"[{label}]({url})" for label, url in links(pub)))
        st.markdown("  \n".join(facts))
        for field_, curated, pubmed in pub["discrepancies"]:
            st.caption(f"The seed document and PubMed differ on the {safe_md(field_)}: seed “{safe_md(curated)}”, "
                       f"PubMed “{safe_md(pubmed)}”. Both are kept; the seed document's is used.")
        if pub["sections"]:
            with st.expander("Abstract, as published (results and conclusions first)"):
                for label_, category, text_ in sections_in_order(pub["sections"]):
                    head = label_ or category
                    st.markdown((f"**{safe_md(head)}.** " if head else "") + safe_md(text_))
                source = "PubMed" if pub["source"] != "curated" else "the seed document"
                st.caption(f"Abstract from {source}: {safe_md(pub['journal'] or 'journal not stated')}, "
                           f"PMID {safe_md(pub['pmid'])}." + (f" {safe_md(pub['copyright'])}" if pub["copyright"] else
                                                             " The publisher may hold its copyright."))
        else:
            st.caption("No abstract stated in source.")
