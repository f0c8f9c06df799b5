"""The dosing landscape: every IL-2 arm of the portfolio on one chart, dose per administration against
administrations per week, flat, per-m² and per-kg doses in separate panels (never on one axis), coloured by
the selection's palette. Pure functions from the regimens frame (dashboard/dosing/view.py describes it) to a
frame, Vega-Lite charts (a panel each) and the table beneath them. No Streamlit here."""

from __future__ import annotations

import json
import math
from collections import namedtuple
from typing import Any

import altair as alt
import pandas as pd

from dashboard.dosing import view as dv
from dashboard.figures import vl_legend, vl_title, vl_top
from dashboard.theme import Palette, palette_of_codes

BASIS_ORDER = {"flat": 0, "per m²": 1, "per kg": 2}
LINKED = 10  # trials a marker names for a click (the page links them; the table under the chart links every arm)
POINT_COLUMNS = ["nct_id", "indication", "arm", "drug", "source", "dose", "unit", "unit_as_written", "x", "y",
                 "axis", "basis", "converted", "schedule", "drawn", "why_not"]
MARKER_COLUMNS = ["x", "per_week", "y", "arms", "series", "first", "written", "compared", "schedule",
                  "source", "here", "others", "trials", "n_trials", "description"]  # a chart's rows, one per marker (charts)
TITLE = "Every IL-2 arm: dose per administration against administrations per week"
PICK = "pick"  # the charts' point selection: a click on a marker
SELECTED = ["x", "y", "trials", "n_trials"]  # what a selection holds of its marker (x and y tell markers apart)
PANEL_HEIGHT = 320  # px of each panel's plot
MIN_PX, MAX_PX = 9, 30  # a marker's width for one arm, and for the most arms of any marker (size_scale)


_Point = namedtuple("_Point", ["x", "y", "series", "nct_id", "arm", "dose", "unit", "unit_as_written", "schedule",
                               "source"])  # the points columns a marker reads
_Arm = namedtuple("_Arm", ["nct_id", "indication", "arm", "drug", "source", "dose", "unit", "unit_as_written",
                           "per_week", "basis", "phases"])  # the regimens columns `points` reads


def _reason(dose: object, axis: str | None, pw: object) -> str:
    missing = []
    if not dv._number(dose):
        missing.append("dose")
    elif axis is None:
        missing.append("unit")
    if not dv._number(pw):
        missing.append("frequency")
    if missing:
        return f"{' and '.join(missing)} not stated or not read"
    return "" if float(dose) > 0 else "a dose of 0 or less: not on a log scale"  # type: ignore[arg-type]


def points(reg: pd.DataFrame) -> pd.DataFrame:
    """One row per active IL-2 arm (and drug) of `reg`: x = administrations per week (computed here from the
    schedule), y = the first administration's dose in its axis unit (dosing_view.axis_unit: IU units
    converted to IU on their basis, mass units as written), `drawn` False with `why_not` where the dose,
    its unit or the frequency is not known (those are not drawn)."""
    if reg.empty:
        return pd.DataFrame(columns=POINT_COLUMNS)
    act = reg[(reg.role == "active") & reg.is_il2.astype(bool)]
    rows = []
    # Thousands of arms share a few schedules and units: each read once.
    schedules: dict[object, str] = {}
    axes: dict[object, tuple[str | None, str | None]] = {}  # unit -> (axis unit, basis)
    # The columns read below, each as a list (itertuples walks every column of Arrow-backed strings element by
    # element: 0.15 s at 10,000 arms).
    for r in map(_Arm._make, zip(*(act[c].tolist() for c in _Arm._fields), strict=True)):
        if r.phases not in schedules:
            schedules[r.phases] = dv.schedule_text(dv.phase_dicts(r.phases))
        if r.unit not in axes:
            axes[r.unit] = (dv.axis_unit(r.unit), dv.basis(r.unit))
        axis, basis = axes[r.unit]
        pw = r.per_week if dv._number(r.per_week) else None
        why = _reason(r.dose, axis, pw)
        rows.append((r.nct_id, r.indication, r.arm, r.drug, r.source, r.dose, r.unit, r.unit_as_written, pw,
                     dv.axis_dose(r.dose, r.unit), axis, r.basis if isinstance(r.basis, str) else basis,
                     isinstance(r.unit, str) and r.unit != axis, schedules[r.phases], not why, why))
    return pd.DataFrame.from_records(rows, columns=POINT_COLUMNS)  # tuples in POINT_COLUMNS' order


def not_drawn(pts: pd.DataFrame) -> dict[str, int]:
    """Arms not drawn, counted by why (largest first)."""
    counts = pts.loc[~pts.drawn.astype(bool), "why_not"].value_counts()
    return {str(k): int(v) for k, v in counts.items()}


def panels(pts: pd.DataFrame) -> list[str]:
    """The axis units drawn, one panel each: flat, then per m², then per kg; IU before mass units."""
    drawn = pts[pts.drawn.astype(bool)]
    basis_of = dict(zip(drawn.axis.tolist(), drawn.basis.tolist(), strict=True))
    return sorted(basis_of, key=lambda a: (BASIS_ORDER.get(basis_of[a], 3), not a.startswith("IU"), a))


def offsets(k: int, step: float = 0.08, spread: float = 0.4) -> list[float]:
    """x offsets of `k` markers sharing one dose and frequency (one per series), `step` apart and at most
    `spread` in all, centred on the true x: a lone marker stays at its x. Hover and table give the true x."""
    gap = min(step, spread / k) if k > 1 else 0.0
    return [(i - (k - 1) / 2) * gap for i in range(k)]


def size_scale(most: int) -> alt.Scale:
    """Marker areas (px²) growing linearly with the number of arms: one arm MIN_PX across, the largest count of
    the landscape (`most`) MAX_PX; shared by a landscape's charts so one area means one count on each."""
    return alt.Scale(type="linear", domain=[1, max(most, 2)], range=[MIN_PX ** 2, MAX_PX ** 2], zero=False)


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
    if v < 1e-4:  # 0.00001, not 1e-05
        return f"{v:.12f}".rstrip("0")
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


def charts(pts: pd.DataFrame, palette: Palette | None = None) -> list[alt.Chart]:
    """The landscape as Vega-Lite charts, one per axis unit (flat, per m², per kg: never one axis), each a log-scale
    dose axis: a marker per dose, frequency and series (the palette's indications or areas) whose area grows with
    its number of arms, markers of one dose and frequency side by side within ±0.2 of their x (the tooltip and
    the table give the true x). The first chart carries the title, the last the legend. Each marker's row
    (MARKER_COLUMNS), the largest markers first (so a smaller one is drawn over them, seen and clicked): x (drawn),
    per_week (true), y, arms (its number of arms: its area, size_scale), series, first (its first arm, "NCT · arm"), written (dose as written), compared (in the axis unit, computed),
    schedule, source, here (the arms of its series at this point, in words), others (other series' arms at this
    point), trials (the NCT ids of its first LINKED trials, joined by ";"), n_trials (how many it has) and
    description (the marker in one sentence: its aria-label for a screen reader). A click selects a marker
    (point selection PICK, its fields SELECTED): the page opens its trial, or links the trials of a marker of
    several. [] when no arm has both a dose and a
    frequency. Separate charts, not concatenated: only a single view fits a page's width (as
    dashboard.figures.counts_pair)."""
    drawn = pts[pts.drawn.astype(bool)]
    pal = palette or palette_of_codes(drawn.indication)
    names = panels(pts)
    basis_of = dict(zip(drawn.axis.tolist(), drawn.basis.tolist(), strict=True))
    top = max([7.0, *drawn.x.astype(float).tolist()]) if len(drawn) else 7.0
    rank = {name: i for i, name in enumerate(pal.colours)}
    series_of = {c: pal.series_of(c) for c in set(drawn.indication.tolist())}
    order = sorted(set(series_of.values()), key=lambda n: (rank.get(n, len(rank)), n))
    colour_scale = alt.Scale(domain=order, range=[pal.colour_of_series(s) for s in order])
    x_axis = alt.X("x:Q", title=["Administrations a week while dosing", "(computed here from the schedule)"],
                   scale=alt.Scale(domain=[0, top + 0.6], nice=False),
                   axis=alt.Axis(values=list(range(0, math.floor(top + 0.6) + 1)), format="d"))
    pick = alt.selection_point(name=PICK, fields=SELECTED, on="click", toggle=False)
    # Every arm of a marker has its dose and frequency; the words, schedule and source are its first arm's.
    tooltip = [alt.Tooltip("series:N", title=pal.title), alt.Tooltip("arms:Q", title="Arms"),
               alt.Tooltip("compared:N", title="Dose compared as (computed)"),
               alt.Tooltip("per_week:Q", title="Administrations a week (computed here)", format=".2~f"),
               alt.Tooltip("first:N", title="First arm"), alt.Tooltip("written:N", title="Its dose as written"),
               alt.Tooltip("schedule:N", title="Its schedule"), alt.Tooltip("source:N", title="Its source"),
               alt.Tooltip("here:N", title="Arms here"),
               alt.Tooltip("others:N", title="Other arms at this dose and frequency")]
    marker_rows = {axis: _markers(g.assign(series=[series_of[c] for c in g.indication.tolist()]), rank,
                                  pal.title.lower() + "s", axis)
                   for axis, g in ((axis, drawn[drawn.axis == axis]) for axis in names)}
    sizes = size_scale(max((int(r.arms.max()) for r in marker_rows.values()), default=1))
    out = []
    for i, axis in enumerate(names):
        g = drawn[drawn.axis == axis]
        rows = marker_rows[axis]
        converted = bool(g.converted.any())
        lo, hi = math.log10(g.y.astype(float).min()) - 0.4, math.log10(g.y.astype(float).max()) + 0.4
        vals = log_ticks(10 ** lo, 10 ** hi)
        labels = " : ".join(f"datum.value == {v!r} ? {json.dumps(short(v))}" for v in vals) + " : ''"
        y_axis = alt.Y("y:Q", title=[f"Dose per administration, {axis}",
                                     "(as written, converted to IU here)" if converted else "(as written)"],
                       scale=alt.Scale(type="log", domain=[10 ** lo, 10 ** hi], nice=False),
                       axis=alt.Axis(values=vals, labelExpr=labels))
        legend = vl_legend(pal.title + ":") if i == len(names) - 1 else None
        if legend is not None:
            legend.symbolType = "circle"
        chart = alt.Chart(rows).mark_circle(stroke="white", strokeWidth=1).encode(
            x=x_axis, y=y_axis, color=alt.Color("series:N", scale=colour_scale, legend=legend),
            size=alt.Size("arms:Q", scale=sizes, legend=None),
            opacity=alt.condition(pick, alt.value(0.9), alt.value(0.3)), tooltip=tooltip,
            description="description:N").add_params(pick)
        title = panel_title(axis, basis_of[axis])
        out.append(vl_top(chart.properties(height=PANEL_HEIGHT, title=vl_title(TITLE, title) if i == 0 else
                                           vl_title(title))))
    return out


def _markers(g: pd.DataFrame, rank: dict[str, int], plural: str, axis: str) -> pd.DataFrame:
    """One row per dose, frequency and series of `g` (the drawn points of one panel, with a `series` column), in
    the order each first appears: the columns `charts` describes. `plural`: what the series are ("indications",
    "disease areas"). Grouped in plain Python: a pandas group per marker cost 0.13 s at 10,000 trials."""
    cols = ["x", "y", "series", "nct_id", "arm", "dose", "unit", "unit_as_written", "schedule", "source"]
    cells: dict[tuple[float, float, str], list[Any]] = {}
    for r in map(_Point._make, zip(*(g[c].tolist() for c in cols), strict=True)):
        cells.setdefault((r.x, r.y, r.series), []).append(r)
    present: dict[tuple[float, float], list[str]] = {}
    arms_at: dict[tuple[float, float], int] = {}
    for (x, y, series), m in cells.items():
        present.setdefault((x, y), []).append(series)
        arms_at[(x, y)] = arms_at.get((x, y), 0) + len(m)
    for names in present.values():
        names.sort(key=lambda n: (rank.get(n, len(rank)), n))
    rows = []
    for (x, y, series), m in cells.items():
        arms = [f"{r.nct_id} · {r.arm}" for r in m]
        trials = list(dict.fromkeys(r.nct_id for r in m))
        first = m[0]
        others = arms_at[(x, y)] - len(m)
        written, compared = _written(first), f"{_amount(float(y))} {axis}"
        rows.append({
            "x": float(x) + offsets(len(present[(x, y)]))[present[(x, y)].index(series)], "per_week": float(x),
            "y": float(y), "arms": len(m), "series": series,
            "first": arms[0], "written": written, "compared": compared, "schedule": first.schedule,
            "source": dv.source_label(first.source),
            "here": (f"{len(m):,} of {series}: {'; '.join(arms[:5])}" + (f" and {len(arms) - 5:,} more" if len(arms) > 5
                                                                        else "")) if len(m) > 1 else "this arm alone",
            "others": f"{others:,} arm(s) of other {plural}" if others else "none",
            "trials": ";".join(trials[:LINKED]), "n_trials": len(trials),
            "description": (f"{series}: {len(m):,} arm(s) at {compared} (computed), {float(x):.2f} administrations a week "
                            f"(computed here); first {arms[0]}, {written}, {first.schedule}")})
    return pd.DataFrame(rows, columns=MARKER_COLUMNS).sort_values("arms", ascending=False, kind="stable")


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
