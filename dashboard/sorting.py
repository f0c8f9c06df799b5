"""Ordering a table's rows by one of its columns, on the values behind the text: numbers as numbers
("40 (estimated)" by 40), ISO dates as dates, words case-blind; missing values ("not stated in
source", blank) last whichever way. Pure pandas, no Streamlit."""

from __future__ import annotations

import re

import pandas as pd

from dashboard.frames import filter_link_parts
from trialdb import flags
from trialdb.enums import NOT_APPLICABLE
from trialdb.queries import NOT_STATED

_ISO_DATE = re.compile(r"\d{4}(-\d{2}){0,2}")
_LEADING_NUMBER = re.compile(r"[-+]?\d[\d,]*(?:\.\d+)?(?=$|[\s%/)])")
REGISTRY_PREFIX = re.compile(r"^https?://\S+/")


def is_missing(value: object) -> bool:
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return True
    text = str(value).strip()
    return (text == "" or NOT_STATED in text.lower() or text == NOT_APPLICABLE
            or text.startswith(flags.PLACEHOLDER_LABEL))


def _link_text(text: str) -> str:
    """The text a link shows (a registry link its NCT id, a filter link its name), or the text itself."""
    link = filter_link_parts(text)
    return link[0] if link else REGISTRY_PREFIX.sub("", text)


def sort_key(column: pd.Series) -> pd.Series:
    """The values to order `column` by: numbers, or folded text; NaN for missing (sorted last)."""
    missing = column.map(is_missing)
    if pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column):
        return column.astype(float).where(~missing)
    present = column[~missing].map(lambda v: str(v).strip())
    if len(present) and present.map(lambda t: _ISO_DATE.fullmatch(t) is not None).all():
        keys = present  # partial ISO dates order correctly as text ("2015-06" before "2015-06-01")
    elif len(present) and present.map(lambda t: _LEADING_NUMBER.match(t) is not None).all():
        keys = present.map(lambda t: float(_LEADING_NUMBER.match(t).group(0).replace(",", "")))  # type: ignore[union-attr]  # matched just above
    else:
        keys = present.map(lambda t: _link_text(t).casefold())  # a link sorts by its text
    return keys.reindex(column.index)


def sort_rows(df: pd.DataFrame, column: str, descending: bool = False) -> pd.DataFrame:
    """All rows of `df` ordered by `column` (stable: ties keep their order), missing values last."""
    if column not in df.columns or df.empty:
        return df
    return df.sort_values(column, key=sort_key, ascending=not descending, na_position="last", kind="stable")
