"""Pure functions from prepared frames to figures (Plotly, and Vega-Lite through Altair where a page must draw
fast: it draws in about a third of Plotly's time, issue 21): every figure has a title, labelled axes,
hover details and the same colours for the same things. No Streamlit here."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import TypeVar

import altair as alt
import pandas as pd
import plotly.graph_objects as go

from dashboard import vl
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
from dashboard.vl import PHONE, wrap_title
from trialdb.dosing.schedules import cumulative_dose, is_complete, is_il2, periods, phases_from_json
from trialdb.enums import label

FONT = dict(family="Source Sans Pro, sans-serif", size=13)
SEGMENT_LABELS = 15  # stacked segments up to which each carries its number
PANEL_HEIGHT = 220  # px of each of counts_pair's two plots
VL = TypeVar("VL", alt.Chart, alt.LayerChart)  # a Vega-Lite chart of one view (what fits a page's width)


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
    """A Vega-Lite chart title at the top left (dashboard.vl.title, as Altair's TitleParams)."""
    return alt.TitleParams(**vl.title(title, subtitle))


def vl_legend(title: str | None = None) -> alt.Legend:
    """A legend under the chart, four columns wide, two on a phone (dashboard.vl.legend, as Altair's Legend)."""
    return alt.Legend(**vl.legend(title))


def vl_top(chart: VL) -> VL:
    """A chart ready to draw: fitted to the page's width while its height stays the plot's (Streamlit's
    theme fits both, so the axis labels and legend under a plot ate its height on a phone); no frame."""
    return chart.properties(autosize=alt.AutoSizeParams(type="fit-x", contains="padding")).configure_view(stroke=None)


def counts_pair(frame: pd.DataFrame, by: str, palette: Palette | None = None,
                noun: str = "Trials") -> list[alt.LayerChart]:
    """Trials and planned participants per `by`, stacked by the palette's series (stack_segments): two Vega-Lite
    charts drawn one above the other, the first with the title, the second with the axis title and the one
    legend (at most MAX_SERIES entries). Each stack's total sits above it, and each segment's number inside it
    while there are at most SEGMENT_LABELS segments and it is tall enough to hold it (the tooltip and the table
    beneath give every number). `noun` names the count ("Studies" when it holds observational studies or expanded
    access). Two charts, not one concatenated: only a single view can fit a page's width
    (Vega-Lite's autosize "fit"); concatenated, the axes ran past the right edge."""
    pal = palette or palette_of_codes(frame.indication, frame.trials)
    categories = list(dict.fromkeys(frame[by]))
    measures = (("trials", noun), ("participants", "Participants planned"))  # noun: "Studies" of several types
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


STAR = ("M0,-1L0.225,-0.309L0.951,-0.309L0.363,0.118L0.588,0.809L0,0.382L-0.588,0.809L-0.363,0.118L-0.951,-0.309"
        "L-0.225,-0.309Z")  # a five-pointed star, as a Vega-Lite shape (SVG path in a unit square)
MILESTONE_SHAPES = {"Last registry update": "diamond", "Publication (epub)": STAR, "Publication (print issue)": STAR}


def timeline_rows(trials: pd.DataFrame, milestones: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The timeline's rows: one per trial ("indication · NCT id", ordered by indication, start and NCT id) with
    its stated start and completion as dates (a partial date, "2020-01", at its first day) and the words shown
    on hover; and the milestones on the rows of the trials drawn, with their dates. A trial without a stated
    completion has end None: it is drawn as its start alone, never with an invented end."""
    rows = trials.sort_values(["indication", "start_date", "nct_id"]).reset_index(drop=True)
    def stated(value: object, kind: object) -> str:
        return f"{value} ({kind.lower()})" if isinstance(kind, str) else str(value)

    out = pd.DataFrame({
        "row": [f"{i} · {n}" for i, n in zip(rows.indication, rows.nct_id, strict=True)],
        "nct_id": rows.nct_id, "indication": rows.indication, "title": rows.brief_title,
        "status": [label(v) for v in rows.status], "colour": [status_colour(v) for v in rows.status],
        "start": [_date(v).strftime("%Y-%m-%d") for v in rows.start_date],
        "end": [_date(v).strftime("%Y-%m-%d") if isinstance(v, str) else None for v in rows.completion_date],
        "start_stated": [stated(v, k) for v, k in zip(rows.start_date, rows.start_date_type, strict=True)],
        "end_stated": [stated(v, k) if isinstance(v, str) else "not stated in source"
                       for v, k in zip(rows.completion_date, rows.completion_date_type, strict=True)]})
    row_of = dict(zip(out.nct_id, out.row, strict=True))
    m = milestones[milestones.nct_id.isin(row_of)]
    marks = pd.DataFrame({"row": [row_of[n] for n in m.nct_id], "kind": list(m.kind),
                          "date": [_date(d).strftime("%Y-%m-%d") for d in m.date], "stated": list(m.date),
                          "detail": list(m.detail)})
    return out, marks


def timeline(trials: pd.DataFrame, milestones: pd.DataFrame, today: dt.date) -> alt.LayerChart:
    """Each trial from stated start to stated completion on a calendar axis (UTC days), coloured by status, rows
    grouped by indication (timeline_rows); a trial without a stated completion is a triangle at its start;
    milestones as diamonds (last registry update) and stars (publication: filled epub, hollow print issue), named
    in the page's caption and the tooltip rather than a second legend; a dotted line for today. A Vega-Lite chart;
    the tooltips give the dates as stated."""
    rows, marks = timeline_rows(trials, milestones)
    order = list(rows.row)
    statuses = list(dict.fromkeys(rows.status))
    y = alt.Y("row:N", sort=order, title="Indication · trial", axis=alt.Axis(labelLimit=200))
    def at(field: str) -> alt.X:  # every layer on one UTC calendar axis
        return alt.X(f"{field}:T", scale=alt.Scale(type="utc"), title="Calendar date")

    colour = alt.Color("status:N", title=None, legend=vl_legend(),
                       scale=alt.Scale(domain=statuses, range=[rows.colour[rows.status == s].iloc[0] for s in statuses]))
    tooltip = [alt.Tooltip("nct_id:N", title="Trial"), alt.Tooltip("indication:N", title="Indication"),
               alt.Tooltip("title:N", title="Title"), alt.Tooltip("status:N", title="Status"),
               alt.Tooltip("start_stated:N", title="Start"), alt.Tooltip("end_stated:N", title="Completion")]
    ended = rows[rows.end.notna()]
    open_ended = rows[rows.end.isna()]
    layers: list[alt.Chart] = []
    if len(ended):
        layers.append(alt.Chart(ended).mark_bar(height={"band": 0.5}).encode(
            x=at("start"), x2="end:T", y=y, color=colour, tooltip=tooltip))
    if len(open_ended):
        layers.append(alt.Chart(open_ended).mark_point(shape="triangle-right", size=160, filled=True, opacity=1)
                      .encode(x=at("start"), y=y, color=colour, tooltip=tooltip))
    kinds = [k for k in MILESTONE_SHAPES if k in set(marks.kind)] + sorted(set(marks.kind) - set(MILESTONE_SHAPES))
    if len(marks):
        # No legend for them (a second legend beside the statuses' ran off a phone): the caption under the chart
        # says which shape is which, and so does the tooltip.
        layers.append(alt.Chart(marks).mark_point(size=150, stroke="#000000", strokeWidth=1.5, opacity=1).encode(
            x=at("date"), y=y,
            shape=alt.Shape("kind:N", title=None, legend=None, scale=alt.Scale(
                domain=kinds, range=[MILESTONE_SHAPES.get(k, "circle") for k in kinds])),
            fill=alt.Fill("kind:N", title=None, legend=None, scale=alt.Scale(
                domain=kinds, range=["#FFFFFF" if k == "Publication (print issue)" else "#000000" for k in kinds])),
            tooltip=[alt.Tooltip("kind:N", title="Milestone"), alt.Tooltip("stated:N", title="Date"),
                     alt.Tooltip("detail:N", title="Detail")]))
    now = pd.DataFrame({"date": [today.isoformat()], "label": [f"today ({today.isoformat()})"]})
    layers.append(alt.Chart(now).mark_rule(color="#444444", strokeDash=[2, 3]).encode(x=at("date")))
    layers.append(alt.Chart(now).mark_text(align="right", baseline="bottom", dx=-3, dy=-2, fontSize=11,
                                           color="#444444").encode(
        x=at("date"), y=alt.value(0), text="label:N"))
    return vl_top(alt.LayerChart(layer=layers, height=max(120, 34 * len(rows)), title=vl_title(
        "Trial periods, from stated start to stated completion")))


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


@dataclass(frozen=True)
class CalendarParts:
    """What a dosing calendar draws, as frames (one row per thing drawn), so that it can be tested on its data:
    `marks` (row, day, week, drug, name, colour, placebo, dose, route, administration), `bands` (row, x0, x1, fill,
    dashed: a dosing period, a rest, or the weeks of a pattern whose duration is not stated), `notes` (row, x, y,
    text, align, size: "rest", "duration not stated in source →", what is known when no day can be drawn), the
    row `names`, the last day drawn and the x grid `step` in days."""

    marks: pd.DataFrame
    bands: pd.DataFrame
    notes: pd.DataFrame
    names: list[str]
    last_day: int
    step: int


def calendar_parts(rows: pd.DataFrame, labels: list[str] | None = None) -> CalendarParts:
    """One row per drug of one arm (or, with `labels`, the rows of several trials on one time axis): a mark on
    each administration day, dosing periods and rests shaded. A schedule whose duration (or number of cycles)
    is not stated shows its known pattern over its first dosing_view.PATTERN_WEEKS weeks only, in a dashed band
    labelled "duration not stated in source": never an invented end. A drug whose schedule the source does not
    state says so on its row. Days are trialdb.dosing.schedules' (day 0 = first dose)."""
    from dashboard.dosing import view as dv

    names = labels if labels is not None else list(rows.drug)
    marks: list[dict] = []
    bands: list[dict] = []
    notes: list[dict] = []
    last_day = 0
    for i, r in enumerate(rows.itertuples()):
        pdicts = dv.phase_dicts(r.phases)
        complete = is_complete(phases_from_json(r.phases))
        if complete:
            for kind, start, length in periods(phases_from_json(r.phases)):
                bands.append({"row": i, "x0": start - 0.5, "x1": start + length - 0.5, "dashed": False,
                              "fill": DOSING_FILL if kind == "dosing" else REST_FILL})
                if kind == "rest":
                    notes.append({"row": i, "x": start + length / 2 - 0.5, "y": i + 0.3, "text": "rest",
                                  "align": "center", "size": 10})
            days = list(r.days)
        elif pdicts:  # the known pattern of the first phase, for a few weeks, and what is not stated
            days = dv.pattern_days(pdicts[0])
            end = 7 * dv.PATTERN_WEEKS
            if days:  # a dashed band, open to the right, over the weeks drawn; short enough for a phone
                bands.append({"row": i, "x0": -0.5, "x1": end - 0.5, "dashed": True, "fill": DOSING_FILL})
                notes.append({"row": i, "x": end - 0.5, "y": i + 0.28, "text": "duration not stated in source →",
                              "align": "right", "size": 11})
                last_day = max(last_day, end)
            else:  # nothing to place on a day: say what is known, and nothing else
                notes.append({"row": i, "x": 0, "y": i, "align": "left", "size": 12,
                              "text": wrap_title(f"{dv.schedule_text(pdicts[:1])}: days not drawn", 38).replace(
                                  "<br>", "\n")})
        else:
            days = []
        if not days:
            if not pdicts:  # two lines: a phone's plot is narrow
                notes.append({"row": i, "x": 0, "y": i, "text": "dose and schedule\nnot stated in source",
                              "align": "left", "size": 12})
            continue
        last_day = max(last_day, days[-1])
        placebo = r.role == "placebo"
        colour = ROLE_COLOURS["placebo"] if placebo else (ROLE_COLOURS["active"] if is_il2(r.drug) else OTHER_DRUG_COLOUR)
        route = r.route if isinstance(r.route, str) else "route not stated"
        of = f" of {len(days)}" if complete else (
            f" (pattern only: duration not stated; its first {dv.PATTERN_WEEKS} weeks drawn)")
        marks += [{"row": i, "day": d, "week": d // 7 + 1, "drug": r.drug, "colour": colour,
                   "name": f"{r.drug} ({'placebo' if placebo else route})", "placebo": placebo,
                   "dose": dv.dose_text(r), "route": route, "administration": f"Administration {n + 1}{of}"}
                  for n, d in enumerate(days)]
    # Several trials: the grid coarser on long schedules so the day numbers stay apart on a narrow screen.
    step = 7 * max(1, -(-max(last_day, 14) // 70)) if labels is not None else 7
    columns = {"marks": ["row", "day", "week", "drug", "colour", "name", "placebo", "dose", "route", "administration"],
               "bands": ["row", "x0", "x1", "dashed", "fill"], "notes": ["row", "x", "y", "text", "align", "size"]}
    return CalendarParts(pd.DataFrame(marks, columns=columns["marks"]), pd.DataFrame(bands, columns=columns["bands"]),
                         pd.DataFrame(notes, columns=columns["notes"]), names, last_day, step)


def dosing_calendar(rows: pd.DataFrame, title: str, labels: list[str] | None = None) -> alt.LayerChart:
    """The calendar of calendar_parts as a Vega-Lite chart: a row per drug (named on the axis), or with `labels`
    a row per trial, arm and drug named above its band (a phone has no margin for them) and no legend. Marks are
    filled, placebo's hollow, in the role's colour; the tooltip gives the day, week, dose as stated, route and
    which administration it is."""
    parts = calendar_parts(rows, labels)
    n = max(len(parts.names), 1)
    x_end = max(parts.last_day, 14) + 9
    x_scale = alt.Scale(domain=[-2, x_end], nice=False, zero=False)
    y_scale = alt.Scale(domain=[n - 0.4, -0.6], nice=False, zero=False)  # the first row at the top
    several = labels is not None
    names = json.dumps(parts.names)
    y_axis = alt.Axis(values=list(range(len(parts.names))), title="" if several else "Drug", grid=False,
                      labels=not several, ticks=False, labelLimit=180,
                      labelExpr=f"{names}[datum.value] || ''")
    x_axis = alt.Axis(values=list(range(0, x_end + 1, parts.step)), title=(
        f"Study day (grid every {parts.step} days)" if several else "Study day (day 0 = first dose; grid every 7 days)"))

    def at(x: str, y: str) -> dict[str, alt.X | alt.Y]:  # every layer on the same two scales and axes
        return {"x": alt.X(f"{x}:Q", scale=x_scale, axis=x_axis), "y": alt.Y(f"{y}:Q", scale=y_scale, axis=y_axis)}

    layers: list[alt.Chart] = []
    if len(parts.bands):
        for dashed, g in parts.bands.groupby("dashed", sort=False):
            layers.append(alt.Chart(g.assign(y0=g.row - 0.42, y1=g.row + 0.42)).mark_rect(
                stroke="#999999" if dashed else None, strokeDash=[5, 3] if dashed else alt.Undefined,
                strokeWidth=1 if dashed else 0).encode(
                **at("x0", "y0"), x2="x1:Q", y2="y1:Q", fill=alt.Fill("fill:N", scale=None)))
    if len(parts.marks):
        legend = None if several else alt.Legend(orient="bottom", direction="horizontal", title=None, labelLimit=300,
                                                 symbolType="circle", columns=alt.ExprRef(f"{PHONE} ? 1 : 3"))
        order = list(dict.fromkeys(parts.marks.name))
        colours = [parts.marks.colour[parts.marks.name == m].iloc[0] for m in order]
        # Active drugs filled, placebo hollow: a layer each, so the legend draws each name's symbol as its marks.
        for placebo, g in parts.marks.groupby("placebo", sort=True):
            layers.append(alt.Chart(g).mark_point(shape="circle", size=80, strokeWidth=2, opacity=1,
                                                  filled=not placebo).encode(
                **at("day", "row"),
                color=alt.Color("name:N", scale=alt.Scale(domain=order, range=colours), legend=legend),
                tooltip=[alt.Tooltip("drug:N", title="Drug"), alt.Tooltip("day:Q", title="Study day"),
                         alt.Tooltip("week:Q", title="Week"), alt.Tooltip("dose:N", title="Dose"),
                         alt.Tooltip("route:N", title="Route"),
                         alt.Tooltip("administration:N", title="Administration")]))
    for (align, size), g in parts.notes.groupby(["align", "size"], sort=False):
        layers.append(alt.Chart(g).mark_text(align=align, baseline="middle", fontSize=int(size), lineBreak="\n",
                                             color="#333333" if size > 10 else "#555555").encode(
            **at("x", "y"), text="text:N"))
    if several:  # each row's name above its band, at the left
        named = pd.DataFrame({"x": -2, "y": [i - 0.42 for i in range(len(parts.names))], "text": parts.names})
        layers.append(alt.Chart(named).mark_text(align="left", baseline="top", dx=4, dy=2, fontSize=11,
                                                 color="#1F2933").encode(
            **at("x", "y"), text="text:N"))
    return vl_top(alt.LayerChart(layer=layers, height=max(120, 70 * n), title=vl_title(title)))


def cumulative_points(reg: pd.DataFrame, highlight: tuple[str, str] | None = None,
                      palette: Palette | None = None) -> pd.DataFrame:
    """The cumulative active IL-2 dose of each arm with days over study days, computed here from the stated
    schedule (trialdb.dosing.schedules.cumulative_dose), a row per step: arm ("NCT · arm", with " (placebo)"
    and " (overlaps)" where they apply), nct_id, day (0, then each administration), total (in the arm's unit;
    placebo stays at 0), unit, colour (the palette's series of its indication), placebo, chosen (the
    `highlight` (NCT id, arm)), overlaps (the other arms that draw the same curve, in words, else "")."""
    pal = palette or palette_of_codes(reg.indication)
    curves = []
    for r in reg.itertuples():
        days = list(r.days)
        if days:
            placebo = r.role == "placebo"
            curves.append((r, placebo, cumulative_dose(days, 0.0 if placebo else float(r.dose))))
    same: dict[tuple, list[str]] = {}
    for r, _, points in curves:
        same.setdefault(tuple(points), []).append(f"{r.nct_id} · {r.arm}")
    rows = []
    for r, placebo, points in curves:
        own = f"{r.nct_id} · {r.arm}"
        others = [n for n in same[tuple(points)] if n != own]
        name = own + (" (placebo)" if placebo else "") + (" (overlaps)" if others else "")
        unit = "(placebo)" if placebo else (r.unit if isinstance(r.unit, str) else "")
        for day, total in [(0, 0.0), *points]:
            rows.append({"arm": name, "nct_id": r.nct_id, "day": day, "total": total, "unit": unit,
                         "colour": pal.colour(r.indication), "placebo": placebo,
                         "chosen": highlight == (r.nct_id, r.arm), "overlaps": "; ".join(others)})
    return pd.DataFrame(rows, columns=["arm", "nct_id", "day", "total", "unit", "colour", "placebo", "chosen",
                                       "overlaps"])


def cumulative_il2(reg: pd.DataFrame, highlight: tuple[str, str] | None = None, palette: Palette | None = None,
                   title: str = "Cumulative IL-2 dose over time (computed here from the stated schedule)") -> alt.LayerChart:
    """Cumulative active IL-2 dose over study days (cumulative_points), one step line per arm in the palette's
    colour of its indication, placebo dotted at zero, the chosen arm thicker; a point on each administration
    carries the tooltip. Arms with the same schedule draw the same curve: their names and tooltip say which
    overlap. A Vega-Lite chart."""
    pts = cumulative_points(reg, highlight, palette)
    arms = list(dict.fromkeys(pts.arm))
    pts = pts.sort_values("chosen", kind="stable")  # the chosen arm drawn last: on top of the curves it overlaps
    colours = [pts.colour[pts.arm == a].iloc[0] for a in arms]
    units = sorted({u for u in reg.unit if isinstance(u, str)})
    colour = alt.Color("arm:N", scale=alt.Scale(domain=arms, range=colours), legend=alt.Legend(
        orient="bottom", direction="horizontal", title=None, symbolType="stroke",
        labelLimit=alt.ExprRef(f"{PHONE} ? 230 : 400"),  # a phone's legend stands right of the y axis
        columns=alt.ExprRef(f"{PHONE} ? 1 : 2")))
    x = alt.X("day:Q", title="Study day (day 0 = first dose)", scale=alt.Scale(nice=False))
    y = alt.Y("total:Q", title=f"Cumulative IL-2 dose ({', '.join(units) or 'no active dose'})",
              axis=alt.Axis(format=",~r"))
    lines = alt.Chart(pts).mark_line(interpolate="step-after").encode(
        x=x, y=y, color=colour, detail="arm:N",
        strokeDash=alt.StrokeDash("placebo:N", scale=alt.Scale(domain=[False, True], range=[[1, 0], [2, 3]]),
                                  legend=None),
        strokeWidth=alt.StrokeWidth("chosen:N", scale=alt.Scale(domain=[False, True], range=[2, 4]), legend=None))
    tooltip = [alt.Tooltip("arm:N", title="Arm"), alt.Tooltip("day:Q", title="Study day"),
               alt.Tooltip("total:Q", title="Cumulative IL-2 (computed here)", format=",.6~r"),
               alt.Tooltip("unit:N", title="Unit"), alt.Tooltip("overlaps:N", title="Same curve as")]
    points = alt.Chart(pts).mark_point(filled=True, size=18).encode(x=x, y=y, color=colour, tooltip=tooltip)
    return vl_top(alt.LayerChart(layer=[lines, points], height=300 + 10 * len(arms), title=vl_title(title)))


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
