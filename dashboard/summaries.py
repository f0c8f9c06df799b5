"""One-line summaries built from the data (never typed in), for the overview."""

from __future__ import annotations

import pandas as pd


def key_result(outcomes: pd.DataFrame, pmid: str) -> str | None:
    """The primary outcome of a publication in one line, numbers exactly as published."""
    rows = outcomes[(outcomes.pmid == pmid) & outcomes.is_primary]
    if rows.empty:
        return None
    first = rows.iloc[0]
    when = f" at week {int(first.timepoint_weeks)}" if pd.notna(first.timepoint_weeks) else ""
    groups = " vs ".join(f"{r.percent}% ({r.group_name})" for r in rows.itertuples() if isinstance(r.percent, str))
    p = f", p={first.p_value}" if isinstance(first.p_value, str) else ""
    note = f". {first.note}" if isinstance(first.note, str) else ""
    return f"Primary endpoint, {first.measure}{when}: {groups}{p}{note}"


def authors_short(first_author: str | None, n_authors: int) -> str:
    if not first_author:
        return "Authors not stated in source"
    surname = first_author.split(",")[0]
    return f"{surname} et al." if n_authors > 1 else surname
