"""Pure functions for the "What's new" page: registry changes grouped by trial, and the chart of changes
over time. No Streamlit here (tests/test_figures.py tests them on their data)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.figures import FONT
from dashboard.theme import CHANGE_KIND_COLOURS
from trialdb.registry.changes import KIND_ORDER, KINDS, NEW_TRIAL, display, field_label, from_json

NOT_STATED_MONTH = "not stated"


def last_update_phrase(last_update: object) -> str:
    """The record's last update (lastUpdatePostDateStruct) as a phrase of a sentence, plain text (escape it to
    show): "record last updated 2024-03-01", or "the record does not say when it was last updated", never
    "record last updated not stated in source"."""
    if isinstance(last_update, str) and last_update:
        return f"record last updated {last_update}"
    return "the record does not say when it was last updated"


def trial_order(changes: pd.DataFrame) -> pd.DataFrame:
    """One row per trial with changes, newest first (by when a sync found its latest change, then by the
    record's own last update): nct_id, brief_title, indication, last_update, detected, new (a trial new
    to the portfolio). Vectorised: at 5,000 changes this is one groupby, not a frame per trial."""
    cols = ["nct_id", "brief_title", "indication", "last_update", "detected", "new"]
    if changes.empty:
        return pd.DataFrame(columns=cols)
    out = (changes.assign(new=changes.field == NEW_TRIAL)
           .groupby("nct_id", sort=False)
           .agg(brief_title=("brief_title", "first"), indication=("indication", "first"),
                last_update=("last_update", "max"), detected=("detected", "max"), new=("new", "any"))
           .reset_index())
    return out.sort_values(["detected", "last_update", "nct_id"], ascending=[False, False, True],
                           na_position="last").reset_index(drop=True)[cols]


def trial_table(changes: pd.DataFrame, nct_id: str) -> pd.DataFrame:
    """One trial's changes as the page lists them: field, before, after (readable), and the date found."""
    rows = changes[changes.nct_id == nct_id]
    return pd.DataFrame({
        "Field": [field_label(f) for f in rows.field],
        "Before": [display(f, from_json(o)) or "—" for f, o in zip(rows.field, rows.old, strict=True)],
        "After": [display(f, from_json(n)) or "—" for f, n in zip(rows.field, rows.new, strict=True)],
        "Found": [str(d)[:10] for d in rows.detected],  # the sync's date (UTC); the time is in the CSV
    })


def changes_csv(changes: pd.DataFrame) -> pd.DataFrame:
    """Every change as the CSV download holds it: API v2 paths and values as the registry wrote them."""
    return pd.DataFrame({
        "nct_id": changes.nct_id, "indication": changes.indication, "field": changes.field,
        "old": changes.old, "new": changes.new, "last_update": changes.last_update, "detected": changes.detected,
    })


def by_month_and_kind(by_month: pd.DataFrame) -> pd.DataFrame:
    """Changes per month of the record's last update and kind of change; months without a stated date
    are left out (counted apart by `undated`)."""
    if by_month.empty:
        return pd.DataFrame(columns=["month", "kind", "changes"])
    df = by_month.assign(kind=[KINDS.get(f, "design and other") for f in by_month.field])
    df = df[df.month.notna()]
    return df.groupby(["month", "kind"], as_index=False)["changes"].sum().sort_values(["month", "kind"])


def undated(by_month: pd.DataFrame) -> int:
    return int(by_month.loc[by_month.month.isna(), "changes"].sum()) if not by_month.empty else 0


def changes_over_time(frame: pd.DataFrame) -> go.Figure:
    """Stacked bars: changes per month of the record's own last-update date, by kind of change."""
    fig = go.Figure()
    for kind in KIND_ORDER:
        g = frame[frame.kind == kind]
        if g.empty:
            continue
        fig.add_bar(x=pd.to_datetime(g.month + "-01"), y=g.changes, name=kind.capitalize(),
                    marker_color=CHANGE_KIND_COLOURS[kind], xperiod="M1", xperiodalignment="middle",
                    hovertemplate=f"%{{x|%B %Y}}<br>{kind}: %{{y}} change(s)<extra></extra>")
    top = int(frame.groupby("month")["changes"].sum().max()) if not frame.empty else 1
    fig.update_layout(barmode="stack", title=dict(text="Changes by month of last update",
                                                  x=0, xanchor="left"),
                      xaxis_title="Month the registry record was last updated", yaxis_title="Changes", height=340,
                      font=FONT, margin=dict(l=10, r=10, t=60, b=10), plot_bgcolor="white",
                      legend=dict(orientation="h", yanchor="bottom", y=1.0, x=1, xanchor="right"))
    fig.update_xaxes(showgrid=True, gridcolor="#EEEEEE", tickformat="%b %Y")
    fig.update_yaxes(showgrid=True, gridcolor="#EEEEEE", tickformat=",d", dtick=max(1, -(-top // 5)) if top < 50 else None,
                     rangemode="tozero")
    return fig
