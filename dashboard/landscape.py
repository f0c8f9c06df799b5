"""The dosing landscape: every IL-2 arm of the portfolio on one chart, dose per administration against
administrations per week, flat, per-m² and per-kg doses in separate panels (never on one axis), coloured by
the selection's palette. Pure functions from the regimens frame (dashboard/dosing_view.py describes it) to a
frame, a figure and the table beneath it. No Streamlit here."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dashboard import dosing_view as dv
from dashboard.figures import FONT, wrap_title
from dashboard.theme import Palette, palette_of_codes

BASIS_ORDER = {"flat": 0, "per m²": 1, "per kg": 2}
POINT_COLUMNS = ["nct_id", "indication", "arm", "drug", "source", "dose", "unit", "unit_as_written", "x", "y",
                 "axis", "basis", "converted", "schedule", "drawn", "why_not"]
GL_POINTS = 1000  # past this many points WebGL draws them (SVG slows down)
TITLE = "Every IL-2 arm: dose per administration against administrations per week"


def _reason(r: Any, pw: object) -> str:
    missing = []
    if not dv._number(r.dose):
        missing.append("dose")
    elif dv.axis_unit(r.unit) is None:
        missing.append("unit")
    if not dv._number(pw):
        missing.append("frequency")
    return f"{' and '.join(missing)} not stated or not read" if missing else ""


def points(reg: pd.DataFrame) -> pd.DataFrame:
    """One row per active IL-2 arm (and drug) of `reg`: x = administrations per week (computed here from the
    schedule), y = the first administration's dose in its axis unit (dosing_view.axis_unit: IU units
    converted to IU on their basis, mass units as written), `drawn` False with `why_not` where the dose,
    its unit or the frequency is not known (those are not drawn)."""
    if reg.empty:
        return pd.DataFrame(columns=POINT_COLUMNS)
    act = reg[(reg.role == "active") & reg.is_il2.astype(bool)]
    rows = []
    schedules: dict[object, str] = {}  # thousands of arms share a few schedules: read each once
    for r in act.itertuples():
        if r.phases not in schedules:
            schedules[r.phases] = dv.schedule_text(dv.phase_dicts(r.phases))
        pw = r.per_week if dv._number(r.per_week) else None
        why = _reason(r, pw)
        axis = dv.axis_unit(r.unit)
        rows.append({
            "nct_id": r.nct_id, "indication": r.indication, "arm": r.arm, "drug": r.drug, "source": r.source,
            "dose": r.dose, "unit": r.unit, "unit_as_written": r.unit_as_written,
            "x": pw, "y": dv.axis_dose(r.dose, r.unit), "axis": axis,
            "basis": r.basis if isinstance(r.basis, str) else dv.basis(r.unit),
            "converted": isinstance(r.unit, str) and r.unit != axis,
            "schedule": schedules[r.phases], "drawn": not why, "why_not": why})
    return pd.DataFrame(rows, columns=POINT_COLUMNS)


def not_drawn(pts: pd.DataFrame) -> dict[str, int]:
    """Arms not drawn, counted by why (largest first)."""
    counts = pts.loc[~pts.drawn.astype(bool), "why_not"].value_counts()
    return {str(k): int(v) for k, v in counts.items()}


def panels(pts: pd.DataFrame) -> list[str]:
    """The axis units drawn, one panel each: flat, then per m², then per kg; IU before mass units."""
    drawn = pts[pts.drawn.astype(bool)]
    basis_of = dict(zip(drawn.axis, drawn.basis, strict=True))
    return sorted(basis_of, key=lambda a: (BASIS_ORDER.get(basis_of[a], 3), not a.startswith("IU"), a))


def dodged(g: pd.DataFrame, step: float = 0.2, spread: float = 0.4) -> list[float]:
    """x positions to draw: arms at the same (x, y) set side by side around their x, `step` apart (at most
    `spread` in all), in the frame's order; a lone arm stays at its x. Hover and table give the true x."""
    seen: dict[tuple, int] = {}
    total = g.groupby(["x", "y"]).size().to_dict() if len(g) else {}
    out = []
    for x, y in zip(g.x, g.y, strict=True):
        k, i = total[(x, y)], seen.get((x, y), 0)
        seen[(x, y)] = i + 1
        out.append(float(x) + (i - (k - 1) / 2) * min(step, spread / k))
    return out


def log_ticks(lo: float, hi: float) -> list[float]:
    """Ticks 1, 2 and 5 times each power of ten between lo and hi (1 and 3 times past three decades)."""
    steps = (1, 2, 5) if math.log10(hi / lo) <= 3 else (1, 3)
    return [m * 10.0 ** e for e in range(math.floor(math.log10(lo)), math.ceil(math.log10(hi)) + 1)
            for m in steps if lo <= m * 10.0 ** e <= hi]


def short(v: float) -> str:
    """A tick's label: 1000000 -> "1M", 250000 -> "250k", 0.5 -> "0.5"."""
    for size, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if v >= size:
            return f"{v / size:g}{suffix}"
    return f"{v:g}"


def panel_title(axis: str, basis: str | None) -> str:
    return f"{(basis or 'Unknown basis').capitalize()} doses, {axis}"


def _amount(v: float) -> str:
    """1000000.0 -> "1,000,000"; 0.25 -> "0.25" (never exponent notation in a table)."""
    return f"{int(v):,}" if float(v).is_integer() else f"{v:,.6f}".rstrip("0")


def _written(r: Any) -> str:
    text = f"{r.dose:g} {r.unit}"
    if isinstance(r.unit_as_written, str) and r.unit_as_written != r.unit:
        text += f" (the record writes “{r.unit_as_written}”)"
    return text


def figure(pts: pd.DataFrame, palette: Palette | None = None) -> go.Figure:
    """The landscape: one panel per axis unit (separate y axes, log scale), a point per drawn arm coloured by
    its indication's series, hover naming trial, arm, dose as written and schedule (and the other arms at
    the same point). Each point's customdata[0] is its NCT id (a click opens that trial's record)."""
    drawn = pts[pts.drawn.astype(bool)]
    pal = palette or palette_of_codes(drawn.indication)
    names = panels(pts)
    n = max(len(names), 1)
    basis_of = dict(zip(drawn.axis, drawn.basis, strict=True))
    titles = [panel_title(a, basis_of[a]) for a in names]
    fig = make_subplots(rows=n, cols=1, subplot_titles=titles or None, vertical_spacing=min(0.12, 0.35 / n))
    trace = go.Scattergl if len(drawn) > GL_POINTS else go.Scatter
    shown: set[str] = set()
    top = max([7.0, *drawn.x.astype(float)]) if len(drawn) else 7.0
    rank = {name: i for i, name in enumerate(pal.colours)}

    def series_rank(name: str) -> int:
        return rank.get(name, len(rank))

    for row, axis in enumerate(names, start=1):
        g = drawn[drawn.axis == axis]
        at_point: dict[tuple, list[str]] = {}
        for r in g.itertuples():
            at_point.setdefault((r.x, r.y), []).append(f"{r.nct_id} · {r.arm}")
        # Side by side within a point in the series' order, so each point's colours form blocks.
        g = g.assign(series=[pal.series_of(c) for c in g.indication])
        g = g.sort_values("series", kind="stable", key=lambda c: c.map(series_rank))
        g = g.assign(shown_x=dodged(g))
        for series, s in g.groupby("series", sort=False):
            custom = []
            for r in s.itertuples():
                here = at_point[(r.x, r.y)]  # the first six names suffice: never the whole list per point
                others = [a for a in here[:6] if a != f"{r.nct_id} · {r.arm}"][:5]
                more = len(here) - 1 - len(others)
                also = f"<br>Also at this point: {'; '.join(others)}" + (
                    f" and {more:,} more" if more > 0 else "") if others else ""
                custom.append([r.nct_id, r.arm, _written(r), r.schedule, also, dv.source_label(r.source), r.x])
            fig.add_trace(trace(
                x=list(s.shown_x.astype(float)), y=list(s.y.astype(float)), mode="markers", name=str(series),
                legendgroup=str(series), showlegend=series not in shown, customdata=custom,
                marker=dict(color=pal.colour_of_series(str(series)), size=11, opacity=0.85,
                            line=dict(width=1, color="white")),
                hovertemplate=("<b>%{customdata[0]}</b> · %{customdata[1]}<br>Dose as written: %{customdata[2]}"
                               f"<br>Compared as %{{y:,.6~r}} {axis}<br>Schedule: %{{customdata[3]}}"
                               "<br>%{customdata[6]:.2~f} administrations a week (computed here)"
                               "<br>Source: %{customdata[5]}%{customdata[4]}<extra></extra>")), row=row, col=1)
            shown.add(str(series))
        for (x, y), arms in at_point.items():
            if len(arms) > 1:  # arms at one dose and frequency: set side by side (dodged), and counted above
                fig.add_annotation(x=x, y=math.log10(y), text=f"{len(arms)} arms", showarrow=False, yshift=16,
                                   font=dict(size=11, color="#333333"), row=row, col=1)
        converted = bool(g.converted.any())
        lo, hi = math.log10(g.y.astype(float).min()) - 0.4, math.log10(g.y.astype(float).max()) + 0.4
        vals = log_ticks(10 ** lo, 10 ** hi)
        fig.update_yaxes(type="log", range=[lo, hi], tickvals=vals, ticktext=[short(v) for v in vals],
                         title_text=f"Dose per administration, {axis}"
                         + ("<br>(as written, converted to IU here)" if converted else "<br>(as written)"),
                         row=row, col=1)
        fig.update_xaxes(range=[0, top + 0.6], dtick=1, row=row, col=1,
                         title_text="Administrations a week while dosing<br>(computed here from the schedule)" if row == n
                         else None)
    wrapped = wrap_title(TITLE)
    fig.update_layout(
        title=dict(text=wrapped, x=0, xanchor="left", yref="container", y=1, yanchor="top", pad=dict(t=14)),
        height=230 + 330 * n, font=FONT, plot_bgcolor="white", hoverlabel=dict(namelength=-1),
        margin=dict(l=10, r=10, t=70 + 20 * wrapped.count("<br>"), b=110), clickmode="event+select",
        # At the figure's foot, clear of the panels' titles, wrapping into rows on a phone.
        legend=dict(orientation="h", yref="container", y=0, yanchor="bottom", x=0, xanchor="left",
                    title_text=pal.title + ":"))
    fig.update_xaxes(showgrid=True, gridcolor="#EEEEEE", zeroline=False)
    fig.update_yaxes(showgrid=True, gridcolor="#EEEEEE", zeroline=False)
    if not names:
        fig.add_annotation(text="No IL-2 arm with both a dose and a frequency to draw", showarrow=False,
                           xref="paper", yref="paper", x=0.5, y=0.5)
    return fig


def table(pts: pd.DataFrame) -> pd.DataFrame:
    """The chart's points as a table (the keyboard's and screen reader's way to each trial): every active
    IL-2 arm, a link to its record, and whether it is drawn (or why not)."""
    return pd.DataFrame({
        "NCT id": pts.nct_id, "Record": [f"trial_record?nct={n}" for n in pts.nct_id],
        "Indication": pts.indication, "Arm": pts.arm, "Drug": pts.drug,
        "Dose as written": [_written(r) if dv._number(r.dose) and isinstance(r.unit, str) else
                            f"{r.dose:g} (unit not stated)" if dv._number(r.dose) else dv.NOT_STATED
                            for r in pts.itertuples()],
        "Compared as (computed)": [f"{_amount(y)} {a}" if dv._number(y) else "" for y, a in zip(pts.y, pts.axis, strict=True)],
        "Administrations per week (computed)": ["" if not dv._number(x) else round(float(x), 2) for x in pts.x],
        "Schedule": pts.schedule, "Source": [dv.source_label(s) for s in pts["source"]],
        "On the chart": ["yes" if d else f"no: {w}" for d, w in zip(pts.drawn, pts.why_not, strict=True)],
    })
