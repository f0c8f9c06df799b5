"""The studies the registry query also matched but the portfolio leaves out (anti-IL-2-receptor antibodies,
fusion toxins, engineered IL-2, cell therapy, trials that only measure IL-2...), as the "Also matched by the
registry query" page shows them: by category, searchable, each with the reason and the words that decide it.
Pure pandas, no Streamlit. The frame (data.also_matched): nct_id, brief_title, indication, category (a
CATEGORIES key), reason, quote, path (JSON path of the quote in the registry record), source ("classifier" |
"reviewed" | "seed")."""

from __future__ import annotations

import unicodedata

import pandas as pd

from dashboard.frames import REGISTRY
from trialdb.portfolio.classifier import CATEGORIES
from trialdb.queries import NOT_STATED

SOURCE_LABELS = {"classifier": "read from the record (classifier)", "reviewed": "reviewed by a person",
                 "seed": "seed trial"}


def category_label(key: object) -> str:
    return CATEGORIES.get(key, str(key)) if isinstance(key, str) else NOT_STATED


def _fold(text: object) -> str:
    """Lower case without accents, for a search that ignores both."""
    s = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return s.casefold()


def choose(frame: pd.DataFrame, categories: list[str] | None, search: str = "") -> pd.DataFrame:
    """The rows of the chosen categories (None or [] = every category) whose NCT id, title, reason or quote
    contains every word of `search` (case and accents ignored)."""
    out = frame
    if categories:
        out = out[out.category.isin(categories)]
    words = _fold(search).split()
    if words and len(out):
        text = [_fold(" ".join(str(v) for v in vals if isinstance(v, str)))
                for vals in zip(out.nct_id, out.brief_title, out.reason, out["quote"], strict=True)]
        keep = [all(w in t for w in words) for t in text]
        out = out[keep]
    return out


def counts(frame: pd.DataFrame) -> pd.DataFrame:
    """Studies per category, in CATEGORIES order (categories with none left out)."""
    n = frame.category.value_counts()
    rows = [(label, int(n[key])) for key, label in CATEGORIES.items() if key in n.index]
    rows += [(str(k), int(v)) for k, v in n.items() if k not in CATEGORIES]
    return pd.DataFrame(rows, columns=["Category", "Studies"])


def table(frame: pd.DataFrame) -> pd.DataFrame:
    """One row a study: its registry link, its record in this dashboard, category, reason and the verbatim
    words that decide it (with their place in the record)."""
    return pd.DataFrame({
        "NCT id": REGISTRY + frame.nct_id, "Record": [f"trial_record?nct={n}" for n in frame.nct_id],
        "Title": frame.brief_title, "Indication": [x if isinstance(x, str) else NOT_STATED for x in frame.indication],
        "Category": [category_label(c) for c in frame.category], "Reason": frame.reason,
        "Quote (verbatim)": [q if isinstance(q, str) else NOT_STATED for q in frame["quote"]],
        "Where in the record": [p if isinstance(p, str) else "" for p in frame.path],
        "Decided by": [SOURCE_LABELS.get(s, str(s)) if isinstance(s, str) else NOT_STATED for s in frame["source"]],
    })
