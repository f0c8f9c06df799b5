"""Reading a Vega-Lite chart (Altair's, or the spec Streamlit sent) as tests need it: each layer's mark,
encoding and rows, and each series' colour."""

from __future__ import annotations

import json
from typing import Any


def spec(chart: Any) -> dict:
    """The chart's Vega-Lite spec: an Altair chart's to_dict(), the JSON of an AppTest element's proto, or the
    spec itself."""
    if isinstance(chart, dict):
        return chart
    if hasattr(chart, "to_dict"):
        return chart.to_dict()
    return json.loads(chart.proto.spec)


def app_charts(at: Any) -> list[dict]:
    """Every chart an AppTest run drew, as its spec: the Plotly figures' (a "layout" key), then the Vega-Lite
    charts'."""
    return [json.loads(c.proto.spec) for c in (*at.get("plotly_chart"), *at.get("vega_lite_chart"))]


def chart_title(chart: dict) -> str:
    """A Plotly figure's or a Vega-Lite chart's title in one line (a wrapped title's lines joined by spaces)."""
    if "layout" in chart:
        return chart["layout"]["title"]["text"].replace("<br>", " ")
    return title(chart)


def _datasets(chart: Any) -> dict[str, list]:
    """The chart's named datasets (Altair's), read from the Arrow IPC streams Streamlit sends beside the spec."""
    if hasattr(chart, "proto"):
        import pyarrow as pa

        return {d.name: pa.ipc.open_stream(d.data.data).read_all().to_pylist() for d in chart.proto.datasets}
    return spec(chart).get("datasets", {})


def lookup_rows(chart: Any) -> list[list[dict]]:
    """The rows of each lookup transform's data (a layer's, in layer order): what a map shades its shapes by."""
    s, datasets = spec(chart), _datasets(chart)
    return [datasets.get(t["from"]["data"].get("name"), t["from"]["data"].get("values", []))
            for layer in s.get("layer", [s]) for t in layer.get("transform", []) if "lookup" in t]


def layers(chart: Any) -> list[dict]:
    """Each layer (a single view is its own one layer) as {"mark" (its type), "style" (the mark's properties),
    "encoding", "rows"}; the rows are the layer's data (Altair's named datasets, or inline values)."""
    s, datasets = spec(chart), _datasets(chart)
    out = []
    for layer in s.get("layer", [s]):
        data = layer.get("data", s.get("data", {}))
        rows = datasets.get(data.get("name"), data.get("values", []))
        mark = layer["mark"] if isinstance(layer["mark"], dict) else {"type": layer["mark"]}
        out.append({"mark": mark["type"], "style": mark, "encoding": layer.get("encoding", {}), "rows": rows})
    return out


def title(chart: Any) -> str:
    """The chart's title as one line (its lines joined by spaces), "" without one."""
    t = spec(chart).get("title", "")
    text = t.get("text", "") if isinstance(t, dict) else t
    return " ".join(text) if isinstance(text, list) else text


def series_colours(chart: Any) -> dict[str, str]:
    """Each series of the chart's colour scale (the legend's entries) and its colour."""
    for layer in layers(chart):
        scale = layer["encoding"].get("color", {}).get("scale")
        if scale and "domain" in scale:
            return dict(zip(scale["domain"], scale["range"], strict=True))
    return {}
