"""Pure functions from prepared frames to figures (Plotly, and Vega-Lite through Altair where a page must draw
fast: it draws in about a third of Plotly's time, issue 21): every figure has a title, labelled axes,
hover details and the same colours for the same things. No Streamlit here."""

from __future__ import annotations

import datetime as dt
from typing import TypeVar

import altair as alt
import pandas as pd
import plotly.graph_objects as go

from dashboard.theme import (
    ARM_COLOURS,
    DOSING_FILL,
    OTHER_DRUG_COLOUR,
    REST_FILL,
    ROLE_COLOURS,
    STATUS_COLOURS,
    Palette,
    ink_on,
    palette_of_codes,
    status_colour,
)
from trialdb.dosing.schedules import cumulative_dose, is_complete, is_il2, periods, phases_from_json
from trialdb.enums import label

FONT = dict(family="Source Sans Pro, sans-serif", size=13)
SEGMENT_LABELS = 15  # stacked segments up to which each carries its number
TITLE_LINE = 44  # characters of a chart title's line: what a phone's width (390 px) shows
PANEL_HEIGHT = 220  # px of each of counts_pair's two plots
VL = TypeVar("VL", alt.Chart, alt.LayerChart)  # a Vega-Lite chart of one view (what fits a page's width)
PHONE = "containerSize()[0] < 700"  # a Vega expression: the chart is drawn on a phone's width (or a narrow column)


def wrap_title(title: str, width: int = TITLE_LINE) -> str:
    """A title in lines of at most `width` characters (Plotly never wraps: on a phone a long title is cut)."""
    lines: list[str] = []
    for word in title.split(" "):
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "<br>".join(lines)


def _layout(fig: go.Figure, title: str, x: str, y: str, height: int = 420) -> go.Figure:
    wrapped = wrap_title(title)
    # At the top of the figure, not centred in the margin: a legend above the plot stays clear of it.
    fig.update_layout(title=dict(text=wrapped, x=0, xanchor="left", yref="container", y=1, yanchor="top",
                                 pad=dict(t=14)), xaxis_title=x, yaxis_title=y,
                      height=height, font=FONT, margin=dict(l=10, r=10, t=60 + 20 * wrapped.count("<br>"), b=10),
                      legend=dict(orientation="h", yanchor="bottom", y=1.0, x=1, xanchor="right"),
                      hoverlabel=dict(namelength=-1), plot_bgcolor="white")
    fig.update_xaxes(showgrid=True, gridcolor="#EEEEEE", zeroline=False)
    fig.update_yaxes(showgrid=True, gridcolor="#EEEEEE", zeroline=False)
    return fig


def stack_segments(frame: pd.DataFrame, by: str, value: str, palette: Palette | None = None) -> pd.DataFrame:
    """The segments of bars per `by` (phase or status) stacked by the palette's series (indications, or disease
    areas when there are too many indications to tell apart): one row per (series, `by`) with `value` > 0 (an
    empty segment draws nothing), columns `by`, series, value, y0 and y1 (its extent: the palette's first
    series at the bottom), colour, ink (the label colour readable on it) and detail (a series of several
    indications names them, largest first, at most six and "and N more"; else "")."""
    pal = palette or palette_of_codes(frame.indication, frame.trials)
    f = frame.assign(series=[pal.series_of(c) for c in frame.indication])
    seg = f.groupby(["series", by], sort=False)[value].sum().reset_index()
    seg = seg[seg[value] > 0]
    present = list(dict.fromkeys(seg.series))
    order = [n for n in pal.colours if n in present] + [n for n in present if n not in pal.colours]
    seg = seg.assign(rank=[order.index(s) for s in seg.series]).sort_values(["rank", by], kind="stable")
    seg["y1"] = seg.groupby(by, sort=False)[value].cumsum()
    seg["y0"] = seg.y1 - seg[value]
    seg["colour"] = [pal.colour_of_series(s) for s in seg.series]
    seg["ink"] = [ink_on(c) for c in seg.colour]
    detail: dict[tuple[str, str], str] = {}
    if pal.by != "indication":
        parts = f.groupby(["series", by, "indication"], sort=False)[value].sum().reset_index()
        parts = parts[parts[value] > 0].sort_values(value, ascending=False, kind="stable")
        for key, g in parts.groupby(["series", by], sort=False):
            more = f" and {len(g) - 6} more" if len(g) > 6 else ""
            detail[key] = ", ".join(f"{ind} {v:,}" for ind, v in zip(g.indication[:6], g[value][:6], strict=True)) + more
    seg["detail"] = [detail.get(key, "") for key in zip(seg.series, seg[by], strict=True)]
    return seg.rename(columns={value: "value"}).drop(columns="rank").reset_index(drop=True)


def vl_title(title: str, subtitle: str | None = None) -> alt.TitleParams:
    """A Vega-Lite chart title at the top left, in lines of at most TITLE_LINE characters (Streamlit cuts a
    long one line short with an ellipsis at the chart's width: on a phone most of it would be lost)."""
    return alt.TitleParams(text=wrap_title(title).split("<br>"), anchor="start", fontSize=15, offset=12,
                           subtitle=wrap_title(subtitle).split("<br>") if subtitle else alt.Undefined,
                           subtitleFontSize=12)


def vl_legend(title: str | None = None) -> alt.Legend:
    """A legend under the chart, in four columns on a wide screen and two on a phone (Vega-Lite never wraps a
    horizontal legend by itself, and a row of seven names would run off a 390 px screen)."""
    return alt.Legend(orient="bottom", direction="horizontal", title=title, labelLimit=220, symbolType="square",
                      columns=alt.ExprRef(f"{PHONE} ? 2 : 4"))


def vl_top(chart: VL) -> VL:
    """A chart ready to draw: fitted to the page's width while its height stays the plot's (Streamlit's
    theme fits both, so the axis labels and legend under a plot ate its height on a phone); no frame."""
    return chart.properties(autosize=alt.AutoSizeParams(type="fit-x", contains="padding")).configure_view(stroke=None)


def counts_pair(frame: pd.DataFrame, by: str, palette: Palette | None = None) -> list[alt.LayerChart]:
    """Trials and planned participants per `by`, stacked by the palette's series (stack_segments): two Vega-Lite
    charts drawn one above the other, the first with the title, the second with the axis title and the one
    legend (at most MAX_SERIES entries). Each stack's total sits above it, and each segment's number inside it
    while there are at most SEGMENT_LABELS segments and it is tall enough to hold it (the tooltip and the table
    beneath give every number). Two charts, not one concatenated: only a single view can fit a page's width
    (Vega-Lite's autosize "fit"); concatenated, the axes ran past the right edge."""
    pal = palette or palette_of_codes(frame.indication, frame.trials)
    categories = list(dict.fromkeys(frame[by]))
    measures = (("trials", "Trials"), ("participants", "Participants planned"))
    segments = {value: stack_segments(frame, by, value, pal) for value, _ in measures}
    order = list(dict.fromkeys(s for value, _ in measures for s in segments[value].series))
    scale = alt.Scale(domain=order, range=[pal.colour_of_series(s) for s in order])
    charts = []
    for i, (value, name) in enumerate(measures):
        seg = segments[value]
        last = i == len(measures) - 1
        # Every category named under each chart, centred on its bar (Streamlit's theme sets labels flush with the
        # axis ends) and tilted on a phone (Vega-Lite would drop labels that overlap). Under both charts: a chart
        # shown on its own (full screen) keeps its categories, and a long last label narrows both plots alike, so
        # their bars line up.
        x = alt.X(f"{by}:N", sort=categories, scale=alt.Scale(domain=categories), title=by.capitalize() if last else None,
                  axis=alt.Axis(labelLimit=160, labelOverlap=False, labelFlush=False,
                                labelAngle=alt.ExprRef(f"{PHONE} ? -45 : 0")))
        totals = frame.groupby(by, sort=False)[value].sum().reindex(categories, fill_value=0)
        top = max(int(totals.max()) if len(totals) else 1, 1)
        domain = alt.Scale(domain=[0, top * 1.15], nice=False)
        # The same room for both y axes' labels, so the two plots' bars line up.
        y = alt.Y("y0:Q", title=name, scale=domain, axis=alt.Axis(format=",d", tickMinStep=1, tickCount=6,
                                                                  minExtent=48, maxExtent=48))
        tooltip = [alt.Tooltip(f"{by}:N", title=by.capitalize()), alt.Tooltip("series:N", title=pal.title),
                   alt.Tooltip("value:Q", title=name, format=",d")]
        if pal.by != "indication":
            tooltip.append(alt.Tooltip("detail:N", title="Indications"))
        colour = alt.Color("series:N", scale=scale, legend=vl_legend() if last else None)
        layers: list[alt.Chart] = [alt.Chart(seg).mark_bar().encode(x=x, y=y, y2="y1:Q", color=colour,
                                                                     tooltip=tooltip)]
        if len(seg) <= SEGMENT_LABELS:  # only where a 12 px number fits the segment's height
            tall = seg[seg.value >= top * 1.15 * 16 / PANEL_HEIGHT]
            layers.append(alt.Chart(tall.assign(mid=(tall.y0 + tall.y1) / 2)).mark_text(fontSize=12).encode(
                x=x, y=alt.Y("mid:Q", scale=domain), text=alt.Text("value:Q", format=",d"),
                color=alt.Color("ink:N", scale=None)))
        rows = pd.DataFrame({by: categories, "total": totals.to_numpy(), "label": [f"{v:,}" for v in totals]})
        layers.append(alt.Chart(rows).mark_text(baseline="bottom", dy=-3, fontSize=alt.ExprRef(f"{PHONE} ? 10 : 12"))
                      .encode(x=x, y=alt.Y("total:Q", scale=domain), text="label:N"))
        charts.append(vl_top(alt.LayerChart(layer=layers, height=PANEL_HEIGHT, title=vl_title(
            f"Trials and planned participants by {by}, stacked by {pal.title.lower()}") if i == 0 else alt.Undefined)))
    return charts


def _date(value: str) -> pd.Timestamp:
    """A registry date, possibly partial ('2020-01'), drawn at its first day."""
    return pd.Timestamp(value + "-01-01"[len(value) - 4 :] if len(value) < 10 else value)


def timeline(trials: pd.DataFrame, milestones: pd.DataFrame, today: dt.date) -> go.Figure:
    """Each trial from start to completion on a calendar axis, coloured by status, grouped by
    indication (rows ordered by indication); milestones as markers; a line for today."""
    rows = trials.sort_values(["indication", "start_date", "nct_id"]).reset_index(drop=True)
    ylabels = [f"{r.indication} · {r.nct_id}" for r in rows.itertuples()]
    fig = go.Figure()
    shown: set[str] = set()
    for i, r in enumerate(rows.itertuples()):
        start = _date(r.start_date)
        colour, name = status_colour(r.status), label(r.status)
        hover = (f"<b>{r.nct_id}</b> ({r.indication})<br>{r.brief_title}<br>Status: {name}<br>"
                 f"Start: {r.start_date}{' (' + r.start_date_type.lower() + ')' if isinstance(r.start_date_type, str) else ''}")
        if isinstance(r.completion_date, str):
            end = _date(r.completion_date)
            hover += (f"<br>Completion: {r.completion_date}"
                      f"{' (' + r.completion_date_type.lower() + ')' if isinstance(r.completion_date_type, str) else ''}")
            fig.add_trace(go.Bar(
                y=[ylabels[i]], x=[(end - start).total_seconds() * 1000], base=[start], orientation="h",
                marker_color=colour, name=name, legendgroup=name, showlegend=name not in shown,
                hovertemplate=hover + "<extra></extra>", width=0.5))
        else:  # no completion date stated: the start alone, never an invented end
            fig.add_trace(go.Scatter(
                y=[ylabels[i]], x=[start], mode="markers", marker=dict(symbol="triangle-right", size=14, color=colour),
                name=name, legendgroup=name, showlegend=name not in shown,
                hovertemplate=hover + "<br>Completion: not stated in source<extra></extra>"))
        shown.add(name)
    symbols = {"Last registry update": "diamond", "Publication (epub)": "star", "Publication (print issue)": "star-open"}
    by_nct = dict(zip(rows.nct_id, ylabels, strict=True))
    for kind, g in milestones[milestones.nct_id.isin(by_nct)].groupby("kind", sort=False):
        fig.add_trace(go.Scatter(
            y=[by_nct[n] for n in g.nct_id], x=[_date(d) for d in g.date], mode="markers", name=kind,
            marker=dict(symbol=symbols.get(kind, "circle"), size=13, color="#000000", line=dict(width=1)),
            customdata=list(zip(g.date, g.detail, strict=True)),
            hovertemplate=f"{kind}: %{{customdata[0]}}<br>%{{customdata[1]}}<extra></extra>"))
    today_ts = pd.Timestamp(today)
    fig.add_shape(type="line", x0=today_ts, x1=today_ts, y0=0, y1=1, yref="paper",
                  line=dict(color="#444444", dash="dot"))
    fig.add_annotation(x=today_ts, y=1, yref="paper", text=f"today ({today.isoformat()})", showarrow=False,
                       yanchor="bottom", font=dict(size=11))
    fig.update_xaxes(type="date")
    fig.update_yaxes(categoryorder="array", categoryarray=list(reversed(ylabels)))
    fig.update_layout(barmode="overlay")
    _layout(fig, "Trial periods, from stated start to stated completion", "Calendar date",
            "Indication · trial", max(340, 150 + 60 * len(rows)))
    # The legend at the figure's foot, with room for it to wrap to four rows on a phone without meeting the
    # axis title (placed relative to the plot, a short plot put it on the title).
    fig.update_layout(legend=dict(orientation="h", yref="container", yanchor="bottom", y=0, x=0, xanchor="left"),
                      margin=dict(b=130))
    return fig


def timeline_by_year(frame: pd.DataFrame) -> alt.LayerChart:
    """Trials starting per year, stacked by status: the timeline for selections too large to draw one bar
    each. `frame`: year ("2015", as the registry's start date begins), status (registry enum), trials. Every
    year from the first to the last has its slot, so a year without a start shows as a gap, not as nothing.
    A Vega-Lite chart (Altair); the statuses in the order of theme.STATUS_COLOURS, each in its colour."""
    g = frame.groupby(["year", "status"], as_index=False)["trials"].sum()
    g["year"] = g.year.astype(int)
    g["of_year"] = g.groupby("year").trials.transform("sum")
    order = [s for s in STATUS_COLOURS if s in set(g.status)] + sorted(set(g.status) - set(STATUS_COLOURS))
    g["status_label"] = [label(s) for s in g.status]
    g["rank"] = [order.index(s) for s in g.status]
    years = list(range(int(g.year.min()), int(g.year.max()) + 1)) if len(g) else []
    labels = [label(s) for s in order]
    bars = alt.Chart(g).mark_bar().encode(
        x=alt.X("year:O", title="Year of start", scale=alt.Scale(domain=years),
                axis=alt.Axis(labelAngle=alt.ExprRef(f"{PHONE} ? -90 : 0"))),
        y=alt.Y("sum(trials):Q", title="Trials", stack="zero", axis=alt.Axis(format=",d", tickMinStep=1)),
        color=alt.Color("status_label:N", title=None, legend=vl_legend(),
                        scale=alt.Scale(domain=labels, range=[status_colour(s) for s in order])),
        order=alt.Order("rank:Q"),
        tooltip=[alt.Tooltip("year:O", title="Year of start"), alt.Tooltip("status_label:N", title="Status"),
                 alt.Tooltip("trials:Q", title="Trials starting", format=","),
                 alt.Tooltip("of_year:Q", title="All trials starting that year", format=",")])
    return vl_top(alt.LayerChart(layer=[bars], height=360, title=vl_title(
        "Trials by year of stated start, coloured by status")))


def dosing_calendar(rows: pd.DataFrame, title: str, labels: list[str] | None = None) -> go.Figure:
    """One row per drug of one arm: a mark on each administration day, dosing periods and rests shaded.
    Placebo is drawn hollow; a drug whose schedule the source does not state says so on its row. A schedule
    whose duration (or number of cycles) is not stated shows its known pattern over its first
    dosing_view.PATTERN_WEEKS weeks only, in a dashed band labelled "duration not stated": never an invented
    end. `labels`: the rows' names when they are not just the drug (several trials on one time axis)."""
    from dashboard import dosing_view as dv

    fig = go.Figure()
    names = labels if labels is not None else list(rows.drug)
    last_day = 0
    for i, r in enumerate(rows.itertuples()):
        pdicts = dv.phase_dicts(r.phases)
        complete = is_complete(phases_from_json(r.phases))
        if complete:
            for kind, start, length in periods(phases_from_json(r.phases)):
                fig.add_shape(type="rect", x0=start - 0.5, x1=start + length - 0.5, y0=i - 0.42, y1=i + 0.42,
                              fillcolor=DOSING_FILL if kind == "dosing" else REST_FILL, line_width=0, layer="below")
                if kind == "rest":
                    fig.add_annotation(x=start + length / 2 - 0.5, y=i + 0.3, text="rest", showarrow=False,
                                       font=dict(size=10, color="#555555"))
            days = list(r.days)
        elif pdicts:  # the known pattern of the first phase, for a few weeks, and what is not stated
            days = dv.pattern_days(pdicts[0])
            end = 7 * dv.PATTERN_WEEKS
            if days:  # a dashed band, open to the right, over the weeks drawn; short enough for a phone
                fig.add_shape(type="rect", x0=-0.5, x1=end - 0.5, y0=i - 0.42, y1=i + 0.42, fillcolor=DOSING_FILL,
                              line=dict(width=1, dash="dash", color="#999999"), layer="below")
                fig.add_annotation(x=end - 0.5, y=i + 0.28, xanchor="right", showarrow=False,
                                   text="duration not stated in source →", font=dict(size=11, color="#333333"),
                                   bgcolor="rgba(255,255,255,0.8)")
                last_day = max(last_day, end)
            else:  # nothing to place on a day: say what is known, and nothing else
                fig.add_annotation(x=0, y=i, xanchor="left", showarrow=False, font=dict(color="#555555"),
                                   align="left", text=wrap_title(f"{dv.schedule_text(pdicts[:1])}: days not drawn", 38))
        else:
            days = []
        if not days:
            if not pdicts:
                fig.add_annotation(x=0, y=i, xanchor="left", showarrow=False, font=dict(color="#555555"),
                                   text="dose and schedule<br>not stated in source")  # two lines: a phone's plot is narrow
            continue
        last_day = max(last_day, days[-1])
        placebo = r.role == "placebo"
        colour = ROLE_COLOURS["placebo"] if placebo else (ROLE_COLOURS["active"] if is_il2(r.drug) else OTHER_DRUG_COLOUR)
        dose = dv.dose_text(r)
        route = r.route if isinstance(r.route, str) else "route not stated"
        of = f" of {len(days)}" if complete else (
            f" (pattern only: duration not stated; its first {dv.PATTERN_WEEKS} weeks drawn)")
        fig.add_trace(go.Scatter(
            x=days, y=[i] * len(days), mode="markers", name=f"{r.drug} ({'placebo' if placebo else route})",
            showlegend=labels is None,  # rows named by trial and arm: their names say it
            marker=dict(symbol="circle-open" if placebo else "circle", size=9,
                        color=colour, line=dict(width=2, color=colour)),
            customdata=[[f"Administration {n + 1}{of}"] for n in range(len(days))],
            hovertemplate=(f"<b>{r.drug}</b><br>Study day %{{x}} (week %{{text}})<br>Dose {dose}, {route}"
                           "<br>%{customdata[0]}<extra></extra>"),
            text=[d // 7 + 1 for d in days]))
    fig.update_yaxes(tickvals=list(range(len(names))), ticktext=names, range=[-0.6, len(names) - 0.4],
                     autorange="reversed", showgrid=False)
    step = 7
    if labels is not None:
        # Several trials: each row named above its band, not in a margin a phone has no room for; the grid
        # coarser on long schedules so the day numbers stay apart on a narrow screen.
        fig.update_yaxes(showticklabels=False)
        for i, text in enumerate(labels):
            fig.add_annotation(xref="paper", x=0, yref="y", y=i - 0.42, xanchor="left", yanchor="top", text=text,
                               showarrow=False, font=dict(size=11, color="#1F2933"), bgcolor="rgba(255,255,255,0.7)")
        step = 7 * max(1, -(-max(last_day, 14) // 70))
    fig.update_xaxes(range=[-2, max(last_day, 14) + 9], dtick=step)
    return _layout(fig, title, "Study day (day 0 = first dose; grid every 7 days)" if labels is None
                   else f"Study day (grid every {step} days)",
                   "Drug" if labels is None else "", 150 + 70 * len(names))


def cumulative_il2(reg: pd.DataFrame, highlight: tuple[str, str] | None = None, palette: Palette | None = None,
                   title: str = "Cumulative IL-2 dose over time (computed here from the stated schedule)") -> go.Figure:
    """Cumulative active IL-2 dose over study days, one step line per arm, coloured by the palette's
    series of its indication; placebo arms stay at zero. Arms with the same schedule draw the same
    curve: their names and hover say which overlap."""
    pal = palette or palette_of_codes(reg.indication)
    fig = go.Figure()
    curves = []
    for r in reg.itertuples():
        days = list(r.days)
        if days:
            placebo = r.role == "placebo"
            curves.append((r, placebo, cumulative_dose(days, 0.0 if placebo else float(r.dose))))
    same: dict[tuple, list[str]] = {}
    for r, _, points in curves:
        same.setdefault(tuple(points), []).append(f"{r.nct_id} · {r.arm}")
    for r, placebo, points in curves:
        x = [0] + [d for d, _ in points]
        y = [0.0] + [t for _, t in points]
        chosen = highlight == (r.nct_id, r.arm)
        others = [n for n in same[tuple(points)] if n != f"{r.nct_id} · {r.arm}"]
        overlap = f"<br>Same curve as: {'; '.join(others)}" if others else ""
        fig.add_trace(go.Scatter(
            x=x, y=y, mode="lines", line_shape="hv",
            name=f"{r.nct_id} · {r.arm}" + (" (placebo)" if placebo else "") + (" (overlaps)" if others else ""),
            line=dict(color=pal.colour(r.indication), width=4 if chosen else 2, dash="dot" if placebo else "solid"),
            hovertemplate=(f"<b>{r.nct_id}</b> · {r.arm}<br>Study day %{{x}}<br>Cumulative IL-2: %{{y:,.6~r}} "
                           f"{r.unit if not placebo else '(placebo)'}{overlap}<extra></extra>")))
    units = sorted({u for u in reg.unit if isinstance(u, str)})
    _layout(fig, title, "Study day (day 0 = first dose)", f"Cumulative IL-2 dose ({', '.join(units) or 'no active dose'})",
            460 + 22 * len(curves))
    fig.update_layout(legend=dict(orientation="h", yanchor="top", y=-0.18, x=0, xanchor="left"))
    return fig


def outcome_bars(groups: pd.DataFrame, title: str, counts: bool = False) -> alt.LayerChart:
    """Grouped bars, IL-2 vs placebo per time point, as a Vega-Lite chart: the published percentage (or, with
    `counts`, the number of events), each labelled with it at the bar's foot (counts: above the bar), the 95%
    Wilson interval computed here as a whisker, and the published p-value above each time point (every other
    one two lines higher, so neighbours never meet on a phone). `groups`: frames.outcome_groups rows of one
    measure. The tooltip says what is published and what is computed here."""
    g = groups.reset_index(drop=True)
    value = g.responders.astype(float) if counts else g.percent_value.astype(float)
    timepoints = list(dict.fromkeys(g.timepoint))
    names = list(dict.fromkeys(g.group_name))
    colours = [ARM_COLOURS.get(n, "#0072B2") for n in names]
    rows = pd.DataFrame({
        "timepoint": g.timepoint, "group": g.group_name, "value": value,
        "label": [f"{int(v)}" for v in value] if counts else [f"{p}%" for p in g.percent],
        "ink": [ink_on(ARM_COLOURS.get(n, "#0072B2")) for n in g.group_name],
        "published": ([f"{int(v)} events; percentage not published" for v in value] if counts else
                      [f"{p}%" for p in g.percent]),
        "counts": [f"{int(k)}/{int(n)}" + (" (counts computed here)" if d else "") if pd.notna(n) else "not stated"
                   for k, n, d in zip(g.responders, g.n, g.derived, strict=True)],
        "interval": [f"{lo:.1f}–{hi:.1f}%" if pd.notna(lo) else "denominator not stated: no interval"
                     for lo, hi in zip(g.ci_low, g.ci_high, strict=True)],
        "ci_low": g.ci_low, "ci_high": g.ci_high})
    top = float(value.max() if counts else g.ci_high.fillna(g.percent_value).max())
    top = top if top > 0 else 1.0
    y_title = "Events (number, as published)" if counts else "Responders (% of group, as published)"
    scale = alt.Scale(domain=[0, top * 1.55], nice=False)  # room above for the p-values' lines
    x = alt.X("timepoint:N", sort=timepoints, title="Time point", scale=alt.Scale(paddingInner=0.3),
              axis=alt.Axis(labelAngle=0, labelLimit=200))
    offset = alt.XOffset("group:N", sort=names, scale=alt.Scale(paddingInner=0.05))
    tooltip = [alt.Tooltip("timepoint:N", title="Time point"), alt.Tooltip("group:N", title="Group"),
               alt.Tooltip("published:N", title="As published")]
    if not counts:
        tooltip += [alt.Tooltip("counts:N", title="Responders / group"),
                    alt.Tooltip("interval:N", title="95% CI (Wilson, computed here)")]
    base = alt.Chart(rows)
    layers: list[alt.Chart] = [base.mark_bar().encode(
        x=x, xOffset=offset, y=alt.Y("value:Q", title=y_title, scale=scale, axis=alt.Axis(
            format=",d", tickMinStep=1, values=alt.Undefined if counts else list(range(0, 101, 20)))),
        color=alt.Color("group:N", title=None, legend=vl_legend(), scale=alt.Scale(domain=names, range=colours)),
        tooltip=tooltip)]
    if counts:  # the number above the bar (a zero bar has no foot to hold it)
        layers.append(base.mark_text(baseline="bottom", dy=-3, fontSize=12).encode(
            x=x, xOffset=offset, y=alt.Y("value:Q", scale=scale), text="label:N"))
    else:
        ci = base.transform_filter("isValid(datum.ci_low)")
        layers.append(ci.mark_rule(color="#333333", strokeWidth=1.5).encode(
            x=x, xOffset=offset, y=alt.Y("ci_low:Q", scale=scale), y2="ci_high:Q", tooltip=tooltip))
        for end in ("ci_low", "ci_high"):
            layers.append(ci.mark_tick(color="#333333", thickness=1.5, size=10, orient="horizontal").encode(
                x=x, xOffset=offset, y=alt.Y(f"{end}:Q", scale=scale)))
        # Level at the bar's foot, over the whisker where it reaches that low: a halo in the bar's colour first.
        foot = {"x": x, "xOffset": offset, "y": alt.datum(0, scale=scale), "text": "label:N"}
        size = alt.ExprRef(f"{PHONE} ? 10 : 12")  # a phone's bars are narrow
        layers.append(base.mark_text(baseline="bottom", dy=-4, fontSize=size, strokeWidth=4, strokeJoin="round")
                      .encode(stroke=alt.Color("group:N", scale=alt.Scale(domain=names, range=colours), legend=None),
                              **foot))
        layers.append(base.mark_text(baseline="bottom", dy=-4, fontSize=size).encode(
            color=alt.Color("ink:N", scale=None), **foot))
    notes = g.groupby("timepoint", sort=False).agg(p=("p_value", "first"), primary=("is_primary", "first"))
    p_rows = pd.DataFrame({
        "timepoint": list(notes.index), "at": [top * (1.1 + 0.16 * (k % 2)) for k in range(len(notes))],
        "text": [(f"p={p} (published)" if isinstance(p, str) else "no p-value published")
                 + ("\nprimary endpoint" if bool(primary) else "") for p, primary in zip(notes.p, notes.primary,
                                                                                     strict=True)],
    })
    layers.append(alt.Chart(p_rows).mark_text(baseline="bottom", fontSize=12, lineHeight=15, lineBreak="\n").encode(
        x=x, y=alt.Y("at:Q", scale=scale), text="text:N"))
    return vl_top(alt.LayerChart(layer=layers, height=300, title=vl_title(title)))


def forest(rd: pd.DataFrame) -> go.Figure:
    """Risk differences IL-2 minus placebo with their 95% intervals (all computed here)."""
    rows = rd.iloc[::-1]
    fig = go.Figure(go.Scatter(
        x=rows["Risk difference (pp)"], y=rows["Outcome"], mode="markers",
        marker=dict(symbol="square", size=11, color=["#CC6677" if h else "#0072B2" for h in rows["Harm"]]),
        error_x=dict(type="data", symmetric=False, array=rows["CI high (pp)"] - rows["Risk difference (pp)"],
                     arrayminus=rows["Risk difference (pp)"] - rows["CI low (pp)"], color="#333333", thickness=1.5),
        customdata=list(zip(rows["CI low (pp)"], rows["CI high (pp)"], rows["Counts used"],
                            ["yes" if d else "no" for d in rows["Counts derived here"]], strict=True)),
        hovertemplate=("<b>%{y}</b><br>Risk difference %{x:.1f} percentage points<br>95% CI %{customdata[0]:.1f} to "
                       "%{customdata[1]:.1f} (Newcombe, computed here)<br>Counts %{customdata[2]}; derived here: "
                       "%{customdata[3]}<extra></extra>"), showlegend=False))
    fig.add_vline(x=0, line=dict(color="#444444", dash="dash"))
    return _layout(fig, "Risk difference, IL-2 minus placebo (computed here, Newcombe 95% CI)",
                   "Risk difference (percentage points); right of 0 = more often with IL-2", "", 140 + 60 * len(rd))
