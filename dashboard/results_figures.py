"""Pure functions from the registry-results frames (dashboard/results_frames.py) to Plotly figures. Marks sit
at the posted values; their labels are the posted strings; anything computed here says so in the title."""

from __future__ import annotations

import html
import textwrap

import pandas as pd
import plotly.graph_objects as go

from dashboard.figures import _layout
from dashboard.theme import Palette, palette_of_codes, result_group_colour


def _plain(text: object) -> str:
    """Text from a record as Plotly shows it literally: its pseudo-HTML tags and hover-template fields
    ("<=18 years", "%{x}") would otherwise be read as markup."""
    return html.escape(str(text), quote=False).replace("%{", "%&#123;")


def _wrap(text: object, width: int = 28) -> str:
    return "<br>".join(_plain(line) for line in textwrap.wrap(str(text), width)) or _plain(text)


def _errors(g: pd.DataFrame) -> dict | None:
    if g.err_plus.isna().all() and g.err_minus.isna().all():
        return None
    return dict(type="data", symmetric=False, array=list(g.err_plus.astype(float)),
                arrayminus=list(g.err_minus.astype(float)), color="#333333", thickness=1.2, width=4)


def measure_figure(long: pd.DataFrame, kind: str, title: str, unit: str | None, error: str | None) -> go.Figure:
    """A posted outcome measure: bars per group (grouped by class and category), or lines per group over
    time points; error bars show the posted dispersion or limits, named by `error` as posted."""
    fig = go.Figure()
    drawn = long[long.y.notna()]
    for (pos, group), g in drawn.groupby(["group_position", "group"], sort=True):
        custom = [tuple(_plain(v) for v in row) for row in zip(
            g.value, g.spread.fillna(""), g.lower_limit.fillna(""), g.upper_limit.fillna(""), g.denominator.fillna(""),
            strict=True)]
        hover = (f"<b>{_wrap(group, 60)}</b><br>%{{x}}<br>Value (as posted): %{{customdata[0]}}"
                 + (f"<br>{error}: %{{customdata[1]}}%{{customdata[2]}} %{{customdata[3]}}" if error else "")
                 + "<br>Participants analysed: %{customdata[4]}<extra></extra>")
        common = dict(x=[_wrap(x) for x in g.x], y=g.y, name=_wrap(group, 40), customdata=custom,
                      error_y=_errors(g), hovertemplate=hover, marker_color=result_group_colour(int(pos)))
        if kind == "lines":
            fig.add_trace(go.Scatter(mode="lines+markers", line=dict(color=result_group_colour(int(pos))), **common))
        else:
            # The posted value inside the bar's foot: above it, the error bar would cross it.
            fig.add_trace(go.Bar(text=[_plain(v) for v in g.value], textposition="inside", insidetextanchor="start",
                                 textangle=0, **common))
    fig.update_layout(barmode="group")
    y = f"{unit}" if unit else "Value"
    bars = f"; error bars: {error} (as posted)" if error and any(t.error_y.array is not None for t in fig.data) else ""
    fig = _layout(fig, f"{_wrap(title, 70)}<br><sup>as posted{bars}</sup>", "", _wrap(y, 40), 440)
    fig.update_layout(margin=dict(t=90), legend=dict(orientation="h", yanchor="top", y=-0.2, x=0, xanchor="left"))
    return fig


def events_figure(frame: pd.DataFrame, kind: str, shown: int, total: int) -> go.Figure:
    """The most frequent adverse-event terms of one kind: share of participants affected per group
    (computed here from the posted counts), each bar labelled with the posted 'k of n'."""
    fig = go.Figure()
    for (pos, group), g in frame.groupby(["group_position", "group"], sort=True):
        fig.add_trace(go.Bar(
            y=[_wrap(t, 40) for t in g.term], x=g.percent, orientation="h", name=_wrap(group, 40),
            text=list(g.text), textposition="outside", cliponaxis=False, marker_color=result_group_colour(int(pos)),
            customdata=list(g.text),
            hovertemplate=f"<b>%{{y}}</b><br>{_plain(group)}: %{{customdata}} affected (%{{x:.1f}}%, computed here)"
                          "<extra></extra>"))
    name = "Serious" if kind == "serious" else "Other"
    more = f", the {shown} most frequent of {total} terms" if total > shown else ""
    fig.update_layout(barmode="group")
    fig.update_yaxes(autorange="reversed")
    height = 160 + 26 * len(frame) + 10 * frame.term.nunique()
    fig = _layout(fig, f"{name} adverse events{more}<br><sup>participants affected of at risk, as posted; "
                  "% computed here</sup>", "% affected (computed here)", "", max(300, height))
    fig.update_layout(margin=dict(t=90))
    top = float(frame.percent.max()) if len(frame) else 0.0
    fig.update_xaxes(range=[0, min(100.0, top * 1.35 + 2)])  # room for the "k of n" labels beyond the bars
    return fig


def forest_figure(forest: pd.DataFrame, what: str, counted: str = "affected",
                  palette: Palette | None = None) -> go.Figure:
    """Each trial's groups: the share `counted` (posted counts) with its Wilson 95% interval (computed here).
    Marks are coloured by the selection's palette (indications, or areas past seven), as on every page."""
    fig = go.Figure()
    pal = palette or palette_of_codes(forest.indication)
    rows = forest.iloc[::-1].assign(series=[pal.series_of(c) for c in forest.indication.iloc[::-1]])
    for series, g in rows.groupby("series", sort=True):
        fig.add_trace(go.Scatter(
            x=100 * g.proportion, y=[_wrap(x, 50) for x in g.label], mode="markers", name=_plain(series),
            marker=dict(symbol="square", size=10, color=pal.colour_of_series(str(series))),
            error_x=dict(type="data", symmetric=False, array=list(100 * (g.high - g.proportion)),
                         arrayminus=list(100 * (g.proportion - g.low)), color="#333333", thickness=1.3),
            customdata=list(zip(g.affected, g.at_risk, 100 * g.low, 100 * g.high, strict=True)),
            hovertemplate=("<b>%{y}</b><br>%{customdata[0]} of %{customdata[1]} " + counted + " (as posted)<br>"
                           "%{x:.1f}%, 95% CI %{customdata[2]:.1f} to %{customdata[3]:.1f} (Wilson, computed here)"
                           "<extra></extra>")))
    fig.update_yaxes(categoryorder="array", categoryarray=[_wrap(x, 50) for x in rows.label])
    fig = _layout(fig, f"{_wrap(what, 70)}: participants {counted} per group, across trials<br><sup>counts as "
                  "posted on ClinicalTrials.gov; proportions and Wilson 95% intervals computed here</sup>",
                  f"Participants {counted} (%, computed here)", "", 170 + 34 * len(forest))
    fig.update_layout(margin=dict(t=90), legend=dict(title_text="Indication"))
    fig.update_xaxes(range=[-2, 102])
    return fig
