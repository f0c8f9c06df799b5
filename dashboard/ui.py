"""Small Streamlit pieces every page uses: safe text, tables with CSV download, empty states, links."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import streamlit as st

from dashboard.frames import DOI, PUBMED, REGISTRY
from trialdb.queries import NOT_STATED

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:^=&])")


def safe_md(text: object) -> str:
    """Text from a document or a URL, escaped so Markdown renders it as plain text (no links,
    images, HTML or emoji codes can come from the data)."""
    return _MD_SPECIAL.sub(r"\\\1", str(text)).replace("\n", "  \n")


RECORD_LINK = "trial_record?"


def record_link(nct_id: str) -> str:
    return f"{RECORD_LINK}nct={nct_id}"


PAGE_ROWS = 25  # rows per page of a table: a static table of this size draws faster than any grid


def page_of(n_rows: int, page: int, size: int = PAGE_ROWS) -> tuple[int, int, int]:
    """(pages, first row, end row) of page `page` (1-based, clamped) of a table of `n_rows` rows."""
    pages = max(1, -(-n_rows // size))
    page = min(max(1, page), pages)
    return pages, (page - 1) * size, min(page * size, n_rows)


def _cell_md(value: object) -> str:
    """One cell of a static table as safe Markdown: our own links become links, all else plain text."""
    if isinstance(value, bool | np.bool_):
        return "yes" if value else "no"
    text = "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)
    if text.startswith(REGISTRY):
        return f"[{safe_md(text.removeprefix(REGISTRY))}]({text})"
    if text.startswith(RECORD_LINK):
        return f"[open record]({text})"
    return safe_md(text)


def markdown_table(df: pd.DataFrame) -> str:
    """A GitHub-flavoured Markdown table of escaped cells. One Markdown element draws in the browser
    several times faster than st.table, which renders every cell as a Markdown element of its own."""
    def row(cells) -> str:
        # A line break (safe_md's "  \n") would end the row: a space instead.
        return "| " + " | ".join(c.replace("  \n", " ").replace("\n", " ") for c in cells) + " |"

    numeric = [pd.api.types.is_numeric_dtype(df[c]) and not pd.api.types.is_bool_dtype(df[c]) for c in df.columns]
    lines = [row(safe_md(c) for c in df.columns), "|" + "".join(" ---: |" if n else " --- |" for n in numeric)]
    lines += [row(_cell_md(v) for v in r) for r in df.itertuples(index=False)]
    return "\n".join(lines)


def table(df: pd.DataFrame, key: str, filename: str, caption: str | None = None,
          csv: pd.DataFrame | None = None, matching: int | None = None) -> None:
    """A static table, every cell escaped, with its CSV download beneath (links exported as their URLs;
    `csv`, when given, is downloaded instead, e.g. the long form of a pivot). Longer than a page, it is
    shown a page at a time (the page number a widget, the CSV all rows). `matching`: how many rows match
    when the query returned only the first len(df); the table then says so."""
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
    st.markdown(markdown_table(shown))
    cols = st.columns([1, 3])
    # The CSV is made when the button is clicked, not on every run of the page.
    out = df if csv is None else csv
    cols[0].download_button("Download CSV", lambda: out.to_csv(index=False).encode("utf-8"), file_name=filename,
                            mime="text/csv", key=f"{key}_csv", icon=":material/download:", on_click="ignore")
    if caption:
        cols[1].caption(caption)


# A table wider than the page (many columns on a phone) scrolls inside its own box, never the page; and
# tables are set a size smaller (as Streamlit's own grids are), so ten or eleven columns fit a laptop.
_FIT_CSS = ("<style>[data-testid='stMarkdownContainer'] table {display: block; overflow-x: auto; max-width: 100%;"
            " font-size: 0.875rem;} [data-testid='stMarkdownContainer'] :is(th, td) {padding: 0.375rem;}</style>")


def fit_tables_to_width() -> None:
    """Once per run, in the entrypoint: see _FIT_CSS."""
    st.html(_FIT_CSS)


def empty_state(what: str = "trials") -> None:
    st.info(f"No {what} match the current filter. Choose at least one phase and one status in the sidebar, "
            "or other areas or indications (none chosen means every one).", icon=":material/filter_alt_off:")


def not_stated(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value == "":
        return f"*{NOT_STATED}*"
    return safe_md(value)


def pubmed_url(pmid: str) -> str:
    return f"{PUBMED}{pmid}/"


def doi_url(doi: str) -> str:
    return f"{DOI}{doi}"


def plot(fig, key: str) -> None:
    st.plotly_chart(fig, width="stretch", key=key, config={"displaylogo": False})
