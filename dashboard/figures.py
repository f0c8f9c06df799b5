"""Pure functions from prepared frames to Plotly figures: every figure has a title, labelled axes,
hover details and the same colours for the same things. No Streamlit here."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import plotly.graph_objects as go

from dashboard.theme import (
    ARM_COLOURS,
    DOSING_FILL,
    OTHER_DRUG_COLOUR,
    REST_FILL,
    ROLE_COLOURS,
    Palette,
    palette_of_codes,
    status_colour,
)
from trialdb.dosing.schedules import cumulative_dose, is_complete, is_il2, periods, phases_from_json
from trialdb.enums import label

FONT = dict(family="Source Sans Pro, sans-serif", size=13)
SEGMENT_LABELS = 15  # stacked segments up to which each carries its number
TITLE_LINE = 44  # characters of a chart title's line: what a phone's width (390 px) shows


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


def stacked_bars(frame: pd.DataFrame, by: str, value: str, title: str, value_label: str,
                 palette: Palette | None = None) -> go.Figure:
    """Bars per `by` (phase or status), stacked by the palette's series (indications, or disease areas
    when there are too many indications to tell apart), the stack's total above each bar. A series of
    several indications names them on hover. Segment labels too small to read are hidden; past
    SEGMENT_LABELS segments there are none (each is a text the browser measures, and the hover and the
    table beneath give the numbers)."""
    pal = palette or palette_of_codes(frame.indication, frame.trials)
    categories = list(dict.fromkeys(frame[by]))
    f = frame.assign(series=[pal.series_of(c) for c in frame.indication])
    seg = f.groupby(["series", by], sort=False)[value].sum().reset_index()
    seg = seg[seg[value] > 0]  # an empty segment draws nothing but a hover target (trials with no enrolment stated)
    labelled = len(seg) <= SEGMENT_LABELS
    grouped = pal.by != "indication"
    present = list(dict.fromkeys(seg.series))
    fig = go.Figure()
    for name in [n for n in pal.colours if n in present] + [n for n in present if n not in pal.colours]:
        g = seg[seg.series == name]
        customdata, detail = None, ""
        if grouped:  # name the segment's indications, largest first
            parts = f[f.series == name].groupby([by, "indication"], sort=False)[value].sum()
            customdata = []
            for cat in g[by]:
                top = parts.loc[cat].sort_values(ascending=False)
                top = top[top > 0]
                more = f" and {len(top) - 6} more" if len(top) > 6 else ""
                customdata.append(", ".join(f"{i} {v:,}" for i, v in top.head(6).items()) + more)
            detail = "<br>%{customdata}"
        fig.add_bar(x=list(g[by]), y=list(g[value]), name=name, marker_color=pal.colour_of_series(name),
                    text=list(g[value]) if labelled else None, textposition="inside", insidetextanchor="middle",
                    customdata=customdata,
                    hovertemplate=f"%{{x}}<br>{name}: %{{y:,}} {value_label.lower()}{detail}<extra></extra>")
    totals = frame.groupby(by, sort=False)[value].sum().reindex(categories)
    fig.add_trace(go.Scatter(x=list(totals.index), y=list(totals.values), mode="text", text=[f"{v:,}" for v in totals],
                             textposition="top center", showlegend=False, hoverinfo="skip", name="total"))
    top = max(totals.max() if len(totals) else 1, 1)
    fig.update_layout(barmode="stack", uniformtext=dict(minsize=10, mode="hide"), legend_title_text=pal.title)
    fig.update_xaxes(categoryorder="array", categoryarray=categories)
    # Counts are whole numbers: no 0.5-trial ticks.
    fig.update_yaxes(range=[0, top * 1.15], tickformat=",d", dtick=max(1, -(-top // 6)) if top < 60 else None)
    return _layout(fig, title, by.capitalize(), value_label, 380)


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


def timeline_by_year(frame: pd.DataFrame) -> go.Figure:
    """Trials starting per year, by status: the timeline for selections too large to draw one bar each."""
    fig = go.Figure()
    for status, g in frame.groupby("status", sort=True):
        g = g.groupby("year", as_index=False)["trials"].sum()
        fig.add_bar(x=g.year, y=g.trials, name=label(status), marker_color=status_colour(status),
                    hovertemplate=f"%{{x}}: %{{y}} trials starting ({label(status)})<extra></extra>")
    fig.update_layout(barmode="stack")
    return _layout(fig, "Trials by year of stated start, coloured by status", "Year of start", "Trials")


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


def _outcome_panel(fig: go.Figure, groups: pd.DataFrame, counts: bool, row: int | None = None,
                   col: int | None = None, legend: bool = True) -> None:
    """One measure's grouped bars (IL-2 vs placebo per time point) with their intervals and published p-values,
    added to `fig` (at `row`, `col` of a figure made by make_subplots, or the whole figure)."""
    at = {"row": row, "col": col} if row is not None else {}
    for name, g in groups.groupby("group_name", sort=False):
        colour = ARM_COLOURS.get(name, "#0072B2")
        if counts:
            y = g.responders.astype(float)
            text = [f"{int(v)}" for v in y]
            hover = [f"{name}: {int(v)} (as published); percentage not published" for v in y]
            error = None
        else:
            y = g.percent_value
            text = [f"{p}%" for p in g.percent]
            hover = [f"{name}: {p}% (as published)<br>" + (
                f"{int(k)}/{int(n)}{' (counts computed here)' if d else ''}<br>95% CI {lo:.1f}–{hi:.1f}% "
                "(Wilson, computed here)" if pd.notna(lo) else "denominator not stated: no interval")
                for p, k, n, d, lo, hi in zip(g.percent, g.responders, g.n, g.derived, g.ci_low, g.ci_high, strict=True)]
            error = dict(type="data", symmetric=False, array=(g.ci_high - y).tolist(),
                         arrayminus=(y - g.ci_low).tolist(), color="#333333", thickness=1.5, width=6)
        # Labels sit level at the bar's base (or above a zero bar), where the interval's whisker rarely
        # reaches; turned on end in a narrow bar (a phone), the whisker ran through them.
        fig.add_bar(x=g.timepoint, y=y, name=name, marker_color=colour, text=text, textangle=0,
                    textposition="outside" if counts else "inside", insidetextanchor="start", error_y=error,
                    hovertext=hover, hovertemplate="%{hovertext}<extra></extra>", legendgroup=name,
                    showlegend=legend, **at)
    top = (groups.responders.max() if counts else groups.ci_high.fillna(groups.percent_value).max())
    for i, (tp, g) in enumerate(groups.groupby("timepoint", sort=False)):
        p = g.p_value.iloc[0]
        # Short lines, every other label two lines higher: Plotly widens the axis until an annotation fits, so one
        # long line pushed a phone's bars into the right half, and neighbouring labels ran into each other.
        label = f"p={p} (published)" if isinstance(p, str) else "no p-value published"
        fig.add_annotation(x=tp, y=top * 1.08 if top else 1, showarrow=False, yanchor="bottom", yshift=30 * (i % 2),
                           text=label + ("<br>primary endpoint" if bool(g.is_primary.iloc[0]) else ""), **at)
    fig.update_yaxes(range=[0, (top or 1) * 1.35], rangemode="tozero", **at)


def outcome_bars(groups: pd.DataFrame, title: str, counts: bool = False) -> go.Figure:
    """Grouped bars, IL-2 vs placebo per time point: the published percentage (or, with `counts`, the
    number of events), with the computed 95% interval and the published p-value above each pair."""
    fig = go.Figure()
    _outcome_panel(fig, groups, counts)
    fig.update_layout(barmode="group")
    return _layout(fig, title, "Time point", "Events (number, as published)" if counts else
                   "Responders (% of group, as published)", 400)


def outcome_bars_grid(measures: list[tuple[str, pd.DataFrame, bool]], title: str) -> go.Figure:
    """Several measures' bars as outcome_bars draws each, in one figure: a panel per measure, one under another
    (two side by side did not fit a phone's 390 px: labels ran into each other), each with its own title and y
    axis (percentages, or with its `counts` flag the number of events), one legend at the foot. One figure is
    drawn faster than one per measure (issue 21). `measures`: (panel title, groups, counts) in order."""
    from plotly.subplots import make_subplots

    rows = max(1, len(measures))
    fig = make_subplots(rows=rows, cols=1, subplot_titles=[wrap_title(t, 30) for t, _, _ in measures] or None,
                        vertical_spacing=min(0.2, 0.45 / rows))
    _layout(fig, title, "", "", 190 + 360 * rows)
    # Room above the first row for the panels' titles (two lines), under the figure's; the legend at the foot,
    # clear of them at any width.
    fig.update_layout(barmode="group", margin=dict(t=120 + 20 * wrap_title(title).count("<br>"), b=90),
                      legend=dict(orientation="h", yref="container", y=0, yanchor="bottom", x=0, xanchor="left"))
    for row, (_, groups, counts) in enumerate(measures, start=1):
        _outcome_panel(fig, groups, counts, row=row, col=1, legend=row == 1)
        fig.update_xaxes(title_text="Time point", row=row, col=1)
        fig.update_yaxes(title_text="Events (number, as published)" if counts else
                         "Responders (% of group,<br>as published)", row=row, col=1)
    return fig


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


def counts_pair(frame: pd.DataFrame, by: str, palette: Palette | None = None) -> go.Figure:
    """Trials and planned participants per `by`, stacked by the palette's series, one above the other in
    one figure (one chart to draw instead of two; a shared legend of at most MAX_SERIES entries)."""
    from plotly.subplots import make_subplots

    pal = palette or palette_of_codes(frame.indication, frame.trials)
    # One above the other, sharing the category axis: side by side, a phone gave each plot a third of its
    # width and the legend lay over them. No subplot titles: the y axes name the measures.
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.08)
    for row, (value, name) in enumerate((("trials", "Trials"), ("participants", "Participants planned")), start=1):
        part = stacked_bars(frame, by, value, "", name, pal)
        for trace in part.data:
            trace.legendgroup = trace.name
            trace.showlegend = row == 1 and trace.name != "total"
            fig.add_trace(trace, row=row, col=1)
        fig.update_yaxes(title_text=name, tickformat=",d", range=part.layout.yaxis.range,
                         dtick=part.layout.yaxis.dtick, row=row, col=1)
        fig.update_xaxes(categoryorder="array", categoryarray=part.layout.xaxis.categoryarray, row=row, col=1)
    fig.update_layout(barmode="stack", uniformtext=dict(minsize=10, mode="hide"))
    _layout(fig, f"Trials and planned participants by {by}, stacked by {pal.title.lower()}", "", "Trials", 640)
    fig.update_xaxes(title_text=by.capitalize(), row=2, col=1)
    # At the figure's foot, across its whole width (container refs: clear of the tilted category labels and of
    # the y axes' titles), so at most MAX_SERIES entries wrap into a few rows on a phone. No legend title: the
    # figure's title says what the colours are, and a title beside a horizontal legend took a phone's width.
    fig.update_layout(legend=dict(orientation="h", xref="container", x=0, xanchor="left", yref="container", y=0,
                                  yanchor="bottom", title_text=""))
    return fig
