"""The dosing landscape: every IL-2 arm of the portfolio on one chart, dose per administration against
administrations per week, flat, per-m² and per-kg doses in separate panels (never on one axis), coloured by
the selection's palette. Pure functions from the regimens frame (dashboard/dosing_view.py describes it) to a
frame, a figure and the table beneath it. No Streamlit here."""

from __future__ import annotations

import math
from collections import namedtuple
from typing import Any

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dashboard import dosing_view as dv
from dashboard.figures import FONT, wrap_title
from dashboard.theme import Palette, palette_of_codes

BASIS_ORDER = {"flat": 0, "per m²": 1, "per kg": 2}
LINKED = 50  # arms a marker names for a click (the page links ten; the table under the chart links every arm)
POINT_COLUMNS = ["nct_id", "indication", "arm", "drug", "source", "dose", "unit", "unit_as_written", "x", "y",
                 "axis", "basis", "converted", "schedule", "drawn", "why_not"]
TITLE = "Every IL-2 arm: dose per administration against administrations per week"


_Arm = namedtuple("_Arm", ["nct_id", "indication", "arm", "drug", "source", "dose", "unit", "unit_as_written",
                           "per_week", "basis", "phases"])  # the regimens columns `points` reads


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
    # The columns read below, each as a list (itertuples walks every column of Arrow-backed strings element by
    # element: 0.15 s at 10,000 arms).
    for r in map(_Arm._make, zip(*(act[c].tolist() for c in _Arm._fields), strict=True)):
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


def offsets(k: int, step: float = 0.08, spread: float = 0.4) -> list[float]:
    """x offsets of `k` markers sharing one dose and frequency (one per series), `step` apart and at most
    `spread` in all, centred on the true x: a lone marker stays at its x. Hover and table give the true x."""
    gap = min(step, spread / k) if k > 1 else 0.0
    return [(i - (k - 1) / 2) * gap for i in range(k)]


def size(n: int) -> float:
    """A marker's diameter for `n` arms: its area grows with the count (9 px for one arm, 30 at most)."""
    return min(30.0, 9.0 * math.sqrt(n))


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
    """The landscape: one panel per axis unit (separate y axes, log scale); a marker per dose, frequency and
    series (the palette's indications or areas) whose area grows with its number of arms, markers of one
    dose and frequency side by side within ±0.2 of their x; hover names the arms, dose as written, schedule
    and source. Each marker's customdata: [NCT id when it is one arm else "", first arm, dose as written,
    schedule, the other arms in words, source, true x, number of arms, "NCT · arm" of its first LINKED arms
    joined by ";"] (a click on a one-arm marker opens its trial's record; on several, the page links each)."""
    drawn = pts[pts.drawn.astype(bool)]
    pal = palette or palette_of_codes(drawn.indication)
    names = panels(pts)
    n = max(len(names), 1)
    basis_of = dict(zip(drawn.axis, drawn.basis, strict=True))
    titles = [panel_title(a, basis_of[a]) for a in names]
    fig = make_subplots(rows=n, cols=1, subplot_titles=titles or None, vertical_spacing=min(0.12, 0.35 / n))
    shown: set[str] = set()
    top = max([7.0, *drawn.x.astype(float)]) if len(drawn) else 7.0
    rank = {name: i for i, name in enumerate(pal.colours)}
    for row, axis in enumerate(names, start=1):
        g = drawn[drawn.axis == axis].assign(series=lambda d: [pal.series_of(c) for c in d.indication])
        # One marker per dose, frequency and series: its size counts the arms; markers of one dose and
        # frequency side by side in the palette's order.
        cells = g.groupby(["x", "y"], sort=False).series.agg(
            lambda v: sorted(set(v), key=lambda n: rank.get(n, len(rank)))).to_dict()
        arms_at = g.groupby(["x", "y"], sort=False).size().to_dict()
        markers: dict[str, list[dict]] = {}
        for (x, y, series), m in g.groupby(["x", "y", "series"], sort=False):
            present = cells[(x, y)]
            arms = [f"{nct} · {arm}" for nct, arm in zip(m.nct_id.tolist(), m.arm.tolist(), strict=True)]
            first = m.iloc[0]
            others = arms_at[(x, y)] - len(m)
            here = f"<br>{len(m):,} arms of {series} here: {'; '.join(arms[:5])}" + (
                f" and {len(arms) - 5:,} more" if len(arms) > 5 else "") if len(m) > 1 else ""
            if others:
                here += f"<br>{others:,} more arm(s) of other {pal.title.lower()} at this dose and frequency"
            markers.setdefault(str(series), []).append({
                "x": float(x) + offsets(len(present))[present.index(series)], "y": float(y), "n": len(m),
                "custom": [first.nct_id if len(m) == 1 else "", first.arm, _written(first), first.schedule, here,
                           dv.source_label(first.source), float(x), len(m), ";".join(arms[:LINKED])]})
        for series in sorted(markers, key=lambda n: rank.get(n, len(rank))):
            ms = markers[series]
            fig.add_trace(go.Scatter(
                x=[m["x"] for m in ms], y=[m["y"] for m in ms], mode="markers", name=series, legendgroup=series,
                showlegend=series not in shown, customdata=[m["custom"] for m in ms],
                marker=dict(color=pal.colour_of_series(series), size=[size(m["n"]) for m in ms], opacity=0.9,
                            line=dict(width=1, color="white")),
                hovertemplate=("<b>%{customdata[7]} arm(s)</b> · first: %{customdata[1]}<br>Dose as written: "
                               f"%{{customdata[2]}}<br>Compared as %{{y:,.6~r}} {axis}<br>Schedule: %{{customdata[3]}}"
                               "<br>%{customdata[6]:.2~f} administrations a week (computed here)"
                               "<br>Source: %{customdata[5]}%{customdata[4]}<extra>" + series + "</extra>")),
                row=row, col=1)
            shown.add(series)
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
