"""Vega-Lite pieces as plain dicts, shared by the charts built with Altair (dashboard/figures.py) and the one
written as a plain spec without it (dashboard/geography.py's map: Altair's import and its walk over inline data
were most of that page's first load, docs/performance.md). No Streamlit, no Altair here."""

from __future__ import annotations

from typing import Any

TITLE_LINE = 44  # characters of a chart title's line: what a phone's width (390 px) shows
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


def title(text: str, subtitle: str | None = None) -> dict[str, Any]:
    """A Vega-Lite chart title (TitleParams) at the top left, in lines of at most TITLE_LINE characters (Streamlit
    cuts a long one line short with an ellipsis at the chart's width: on a phone most of it would be lost)."""
    out: dict[str, Any] = {"text": wrap_title(text).split("<br>"), "anchor": "start", "fontSize": 15, "offset": 12,
                           "subtitleFontSize": 12}
    if subtitle:
        out["subtitle"] = wrap_title(subtitle).split("<br>")
    return out


def legend(text: str | None = None) -> dict[str, Any]:
    """A legend (Vega-Lite Legend) under the chart, in four columns on a wide screen and two on a phone (Vega-Lite
    never wraps a horizontal legend by itself, and a row of seven names would run off a 390 px screen); its title
    whole up to a phone's width (Vega's default cut "Disease area with the most trials at the place" at 180 px)."""
    return {"orient": "bottom", "direction": "horizontal", "title": text, "titleLimit": 340, "labelLimit": 220,
            "symbolType": "square",
            "columns": {"expr": f"{PHONE} ? 2 : 4"}}


# A chart ready to draw: fitted to the page's width while its height stays the plot's (Streamlit's theme fits both,
# so the axis labels and legend under a plot ate its height on a phone); no frame. Top-level properties of a spec.
TOP: dict[str, Any] = {"autosize": {"type": "fit-x", "contains": "padding"}, "config": {"view": {"stroke": None}}}


def chosen_trials(points: list, ids: str, count: str) -> tuple[list[str], bool]:
    """The trials of the marks a click chose on a chart whose marks name their first trials (the dosing landscape,
    the world map): each point is the chart's selection of one mark, its field `ids` the NCT ids it names joined by
    ";" and `count` how many trials it has. Returns the NCT ids in order, once each, and whether the marks hold more
    trials than they name. Points that are not dicts (a malformed selection) are ignored."""
    marks = [p for p in points if isinstance(p, dict)]
    listed = [str(p.get(ids) or "").split(";") for p in marks]
    ncts = list(dict.fromkeys(n for names in listed for n in names if n))
    more = any(int(p.get(count) or 0) > len(names) for p, names in zip(marks, listed, strict=True))
    return ncts, more
