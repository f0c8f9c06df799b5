"""Pure functions from the registry-results frames (dashboard/results/frames.py) to figures (a posted measure in
Vega-Lite, the rest in Plotly). Marks sit at the posted values; their labels are the posted strings; anything
computed here says so in the title."""

from __future__ import annotations

import html
import textwrap

import altair as alt
import pandas as pd
import plotly.graph_objects as go

from dashboard.figures import _layout, vl_legend, vl_title, vl_top
from dashboard.results.frames import posted_dispersion
from dashboard.theme import Palette, ink_on, palette_of_codes, result_group_colour


def _plain(text: object) -> str:
    """Text from a record as Plotly shows it literally: its pseudo-HTML tags and hover-template fields
    ("<=18 years", "%{x}") would otherwise be read as markup."""
    return html.escape(str(text), quote=False).replace("%{", "%&#123;")


def _wrap(text: object, width: int = 28) -> str:
    return "<br>".join(_plain(line) for line in textwrap.wrap(str(text), width)) or _plain(text)


def measure_figure(long: pd.DataFrame, kind: str, title: str, unit: str | None, error: str | None) -> alt.LayerChart:
    """A posted outcome measure as a Vega-Lite chart: bars per group (grouped by class and category), or lines
    per group over time points; whiskers show the posted dispersion or limits, named by `error` as posted. Each
    bar carries the posted value, as posted, at its foot. Text from the record (groups, classes, titles) is
    drawn as text: Vega-Lite reads no markup in it. `long`: results_frames.measure_long."""
    drawn = long[long.y.notna()].reset_index(drop=True)
    xs = list(dict.fromkeys(drawn.x))
    groups = drawn.drop_duplicates("group").sort_values("group_position")
    names = [str(g) for g in groups.group]
    colours = [result_group_colour(int(p)) for p in groups.group_position]
    rows = pd.DataFrame({
        "x": [str(x) for x in drawn.x], "group": [str(g) for g in drawn.group], "y": drawn.y.astype(float),
        "value": [str(v) for v in drawn.value], "ink": [ink_on(result_group_colour(int(p))) for p in drawn.group_position],
        "spread": [posted_dispersion(*v) for v in zip(drawn.spread, drawn.lower_limit, drawn.upper_limit, strict=True)],
        "denominator": [str(d) if pd.notna(d) and d != "" else "not stated" for d in drawn.denominator],
        "low": drawn.y - drawn.err_minus.astype(float), "high": drawn.y + drawn.err_plus.astype(float)})
    whiskers = bool(error) and bool(rows.low.notna().any() or rows.high.notna().any())
    # Long classes in lines of 28 characters (the axis splits them where the frame put a newline).
    x = alt.X("x:N", sort=[_lines(v) for v in xs], title=None,
              axis=alt.Axis(labelAngle=0, labelLimit=400, labelExpr="split(datum.label, '\\n')"))
    colour = alt.Color("group:N", title=None, legend=vl_legend(), scale=alt.Scale(domain=names, range=colours))
    y_title = textwrap.wrap(unit, 40) if unit else "Value"
    tooltip = [alt.Tooltip("group:N", title="Group"), alt.Tooltip("x:N", title="Class or time point"),
               alt.Tooltip("value:N", title="Value (as posted)")]
    if error:
        tooltip.append(alt.Tooltip("spread:N", title=f"{error} (as posted)"))
    tooltip.append(alt.Tooltip("denominator:N", title="Participants analysed"))
    base = alt.Chart(rows.assign(x=[_lines(v) for v in rows.x]))
    offset: dict = {} if kind == "lines" else {"xOffset": alt.XOffset("group:N", sort=names)}
    y = alt.Y("y:Q", title=y_title)
    if kind == "lines":
        layers: list[alt.Chart] = [base.mark_line(point=alt.OverlayMarkDef(size=50, filled=True)).encode(
            x=x, y=y, color=colour, tooltip=tooltip)]
    else:
        layers = [base.mark_bar().encode(x=x, y=y, color=colour, tooltip=tooltip, **offset)]
    if whiskers:
        ends = base.transform_filter("isValid(datum.low) && isValid(datum.high)")
        layers.append(ends.mark_rule(color="#333333", strokeWidth=1.2).encode(
            x=x, y="low:Q", y2="high:Q", tooltip=tooltip, **offset))
        for end in ("low", "high"):
            layers.append(ends.mark_tick(color="#333333", thickness=1.2, size=8, orient="horizontal").encode(
                x=x, y=f"{end}:Q", **offset))
    if kind != "lines":
        # The posted value inside the bar's foot (above it, the whisker would cross it), over a halo in the bar's
        # colour where a whisker reaches that low.
        foot = {"x": x, "y": alt.datum(0), "text": "value:N", **offset}
        layers.append(base.mark_text(baseline="bottom", dy=-4, fontSize=11, strokeWidth=4, strokeJoin="round")
                      .encode(stroke=alt.Color("group:N", scale=alt.Scale(domain=names, range=colours), legend=None),
                              **foot))
        layers.append(base.mark_text(baseline="bottom", dy=-4, fontSize=11).encode(
            color=alt.Color("ink:N", scale=None), **foot).properties(name="posted_value"))  # drawn as .posted_value_marks
    bars = f"; error bars: {error} (as posted)" if whiskers else ""
    return vl_top(alt.LayerChart(layer=layers, height=340, title=vl_title(str(title), f"as posted{bars}")))


def _lines(text: object, width: int = 28) -> str:
    return "\n".join(textwrap.wrap(str(text), width)) or str(text)


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
