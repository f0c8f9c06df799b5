"""Small Streamlit pieces every page uses: safe text, tables with CSV download, empty states, links."""

from __future__ import annotations

import re

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


def nct_link_column(label: str = "NCT id"):
    return st.column_config.LinkColumn(label, display_text=re.escape(REGISTRY) + r"(.*)",
                                       help="Opens the ClinicalTrials.gov record")


def record_link_column():
    return st.column_config.LinkColumn("Full record", display_text="open record",
                                       help="This trial's full record in the dashboard")


SMALL_TABLE = 60  # rows; up to this a static table, which the browser draws in half the time of a grid
MAX_GRID_ROWS = 1000  # a grid of 10,000 rows is slow to send and no easier to read than the CSV


def _cell_md(value: object) -> str:
    """One cell of a static table as safe Markdown: our own links become links, all else plain text."""
    text = "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)
    if text.startswith(REGISTRY):
        return f"[{safe_md(text.removeprefix(REGISTRY))}]({text})"
    if text.startswith(RECORD_LINK):
        return f"[open record]({text})"
    return safe_md(text)


def table(df: pd.DataFrame, key: str, filename: str, column_config: dict | None = None,
          caption: str | None = None) -> None:
    """A table with its CSV download beneath (links exported as their URLs). Small tables are static,
    with every cell escaped; large ones are the interactive grid (sorting, search, scrolling)."""
    df = df.copy()
    for col in df.columns:  # "not stated in source" beside numbers: show the column as text
        if df[col].dtype == object and df[col].map(type).nunique() > 1:
            df[col] = df[col].map(lambda v: v if isinstance(v, str) else str(v))
    if len(df) <= SMALL_TABLE:
        shown = pd.DataFrame({safe_md(c): [_cell_md(v) for v in df[c]] for c in df.columns})
        st.table(shown, hide_index=True, border="horizontal")
    else:
        if len(df) > MAX_GRID_ROWS:
            st.caption(f"Showing the first {MAX_GRID_ROWS:,} of {len(df):,} rows; the CSV download has them all.")
        st.dataframe(df.head(MAX_GRID_ROWS), hide_index=True, width="stretch", column_config=column_config,
                     key=f"{key}_table", height=460)
    cols = st.columns([1, 3])
    # The CSV is made when the button is clicked, not on every run of the page.
    cols[0].download_button("Download CSV", lambda: df.to_csv(index=False).encode("utf-8"), file_name=filename,
                            mime="text/csv", key=f"{key}_csv", icon=":material/download:", on_click="ignore")
    if caption:
        cols[1].caption(caption)


def empty_state(what: str = "trials") -> None:
    st.info(f"No {what} match the current filter. Choose at least one indication, phase and status in "
            "the sidebar, or open the Overview to see the whole portfolio.", icon=":material/filter_alt_off:")


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
