"""The overview at a glance (issue 33), its pure part: the Vega-Lite spec of each small chart (trials by indication or
disease area, by status, by year of stated start, from dashboard.frames' glance_* frames) and what a click on it asks
the filter for. No Streamlit and no Altair here: dashboard/glance/view.py draws them; see `bars` for why a dict."""

from __future__ import annotations

from typing import Any

import pandas as pd

GLANCE_PICK = "pick"  # the overview's charts' point selection: a click (shift-click adds) on a bar
GLANCE_BAR = 22  # px a horizontal bar of the overview's charts takes
GLANCE_HEIGHT = 110  # px of the plot of the chart by year (its axis labels under it make it about as tall as the others)


def bars(frame: pd.DataFrame, title: str, axis_title: str, horizontal: bool = True) -> dict[str, Any]:
    """One of the overview's small charts (`frame`: a frames.glance_* frame, one row per bar): trials per label,
    each bar in its `colour` with its number beside it, horizontal (a bar per series or status, long labels
    readable) or vertical (years, in order). A click on a bar selects it (point selection GLANCE_PICK of its
    `value` and `param`: the filter it sets; shift-click adds bars); the page applies it as the sidebar would.
    Each bar's `description` is its sentence for a screen reader.

    A Vega-Lite spec written as a dict, drawn in a column's width (as figures.vl_top draws): Altair's objects for three charts
    this small cost the overview's first load more than the rest of its charts' work (its import, about 0.3 s,
    and 0.05 to 0.1 s a chart to build the spec), and the overview must not pay for its charts (issue 33)."""
    rows = frame.assign(description=[f"{lab}: {n:,} trial{'s' if n != 1 else ''}"
                                     for lab, n in zip(frame.label, frame.trials, strict=True)])
    order = [str(x) for x in rows.label]
    top = max(int(rows.trials.max()) if len(rows) else 1, 1)
    count: dict[str, Any] = {"field": "trials", "type": "quantitative",
                             "scale": {"domain": [0, round(top * 1.18, 2)], "nice": False}}
    tooltip = [{"field": "label", "type": "nominal", "title": axis_title},
               {"field": "trials", "type": "quantitative", "title": "Trials", "format": ",d"}]
    if (rows.detail != "").any():
        tooltip.append({"field": "detail", "type": "nominal", "title": "Which"})
    axis = {"format": ",d", "tickMinStep": 1, "tickCount": 4}
    if horizontal:
        cat = {"field": "label", "type": "nominal", "sort": order, "title": None, "axis": {"labelLimit": 150}}
        bar_enc = {"y": cat, "x": {**count, "title": "Trials", "axis": axis}}
        text = {"mark": {"type": "text", "align": "left", "dx": 3, "fontSize": 12},
                "encoding": {"y": cat, "x": count, "text": {"field": "trials", "type": "quantitative", "format": ",d"}}}
        height = GLANCE_BAR * max(len(rows), 1)
    else:
        cat = {"field": "label", "type": "nominal", "sort": order, "title": axis_title,
               "axis": {"labelAngle": -90, "labelOverlap": False, "labelFontSize": 10}}  # every year named, "not stated" too
        bar_enc = {"x": cat, "y": {**count, "title": "Trials", "axis": axis}}
        text = {"mark": {"type": "text", "baseline": "bottom", "dy": -2, "fontSize": 10},
                "encoding": {"x": cat, "y": count, "text": {"field": "trials", "type": "quantitative", "format": ",d"}}}
        height = GLANCE_HEIGHT
    bars = {"mark": {"type": "bar", "cursor": "pointer"},
            "params": [{"name": GLANCE_PICK, "select": {"type": "point", "fields": ["value", "param"], "on": "click"}}],
            "encoding": {**bar_enc, "color": {"field": "colour", "type": "nominal", "scale": None, "legend": None},
                         "opacity": {"condition": {"param": GLANCE_PICK, "value": 1.0}, "value": 0.35},
                         "tooltip": tooltip, "description": {"field": "description", "type": "nominal"}}}
    # Numbers over years are left to the tooltip once the bars are too narrow to hold them.
    layers = [bars, text] if horizontal or len(rows) <= 15 else [bars]
    return {"title": {"text": title, "anchor": "start", "fontSize": 15, "offset": 12},
            "height": height, "autosize": {"type": "fit-x", "contains": "padding"}, "config": {"view": {"stroke": None}},
            "data": {"name": "bars"}, "datasets": {"bars": rows.to_dict(orient="records")}, "layer": layers}


def picked(points: list) -> tuple[str, list[str]] | None:
    """The filter a chart's selection asks for: (param, values) of its points (each the fields `value`, its values
    ";"-joined, and `param`, of one bar; a chart's bars share one param), None for no point."""
    marks = [p for p in points if isinstance(p, dict) and p.get("param") and p.get("value")]
    if not marks:
        return None
    values = [v for p in marks for v in str(p["value"]).split(";") if v]
    return str(marks[0]["param"]), list(dict.fromkeys(values))
