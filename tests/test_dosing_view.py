"""The Dosing schedules page's frames and figures (dashboard/dosing/view.py, dashboard/dosing/landscape.py,
dashboard/portfolio_view.py, figures.dosing_calendar) on regimens frames of the agreed shape, built here from
real dosing wording (../shared/fixtures/dosing/README.md): complete and incomplete schedules, flat, per-m² and
per-kg doses, ranges left unread."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from dashboard import figures, frames, portfolio_view
from dashboard.dosing import landscape
from dashboard.dosing import view as dv
from dashboard.theme import palette_of_codes
from tests import vega
from trialdb.dosing.schedules import (
    administration_days,
    administrations_per_week,
    is_complete,
    phases_from_json,
)
from trialdb.queries import NOT_STATED


def phases(*ps: dict) -> str:
    return json.dumps(list(ps))


def row(nct, arm, dose, unit, ph, *, role="active", drug="Aldesleukin", indication="T1D", source="read",
        quote=None, not_read=(), flags=(), unit_as_written=None, route="subcutaneous", **extra):
    parsed = phases_from_json(ph)
    complete = is_complete(parsed)
    days = administration_days(parsed) if complete else []
    return {"id": 0, "nct_id": nct, "brief_title": f"Trial {nct}", "indication": indication, "arm": arm, "drug": drug,
            "role": role, "dose": dose, "unit": unit, "unit_as_written": unit_as_written or unit, "route": route,
            "phases": ph, "interpretation": None, "days": days, "administrations": len(days) if complete else None,
            "treatment_weeks": None, "total_dose": dose * len(days) if complete and dose is not None else None,
            "is_il2": True, "source": source, "quote": quote, "path": "armsInterventionsModule.armGroups[0].description",
            "not_read": [dict(n) for n in not_read], "flags": list(flags), "basis": dv.basis(unit),
            "per_week": administrations_per_week(parsed), "complete": complete, **extra}


DAILY5 = phases({"every_days": 1, "for_days": 5, "rest_days": 0, "cycles": 1})
EVERY3_OPEN = phases({"every_days": 3, "for_days": None, "rest_days": 0, "cycles": 1})
X3_WEEK = phases({"every_days": None, "for_days": None, "rest_days": 0, "cycles": None, "times_per_week": 3})


@pytest.fixture
def reg() -> pd.DataFrame:
    rows = [
        # 1: "placebo or IL2 at 0·33 MIU/day, 1 MIU/day, or 3 MIU/day for a 5-day course" (NCT01353833)
        row("NCT01353833", "0.33 MIU", 0.33, "million IU", DAILY5, quote="0·33 MIU/day"),
        row("NCT01353833", "1 MIU", 1.0, "million IU", DAILY5, quote="1 MIU/day"),
        row("NCT01353833", "Placebo", None, None, DAILY5, role="placebo", drug="Placebo"),
        # 3: "0.26 × 106 IU/m2 ... every 3 days": duration not stated
        row("NCT02265809", "Every 3 days", 0.26, "million IU/m²", EVERY3_OPEN, unit_as_written="× 106 IU/m2",
            not_read=[{"field": "phases.for_days", "reason": "duration not stated", "quote": None, "path": None}]),
        # 5: "100,000–200,000 IU/m2 ×3 per week": a range, three times a week
        row("NCT00000005", "ULD IL-2", None, "IU/m²", X3_WEEK, indication="GVHD",
            not_read=[{"field": "dose", "reason": "a range: 100,000–200,000 IU/m2", "quote": "100,000–200,000 IU/m2",
                       "path": "armsInterventionsModule.armGroups[0].description"}]),
        # a curated per-kg dose, fortnightly
        row("NCT00000006", "Per kg", 30000.0, "IU/kg", phases({"every_days": 14, "for_days": 84}), source="curated",
            indication="SLE", quote="30,000 IU/kg every two weeks"),
        # 8: "1.0 million IU/day on 5 consecutive days per week for 4 weeks"
        row("NCT00000008", "ITP", 1.0, "million IU", phases({"every_days": 1, "for_days": 5, "rest_days": 2,
                                                            "cycles": 4}), indication="ITP",
            flags=["dose far below the low-dose range (kept as written)"]),
    ]
    df = pd.DataFrame(rows)
    df["id"] = range(len(df))
    return df


def test_units_basis_and_conversion():
    assert dv.basis("million IU/m²") == "per m²" and dv.basis("IU/kg") == "per kg" and dv.basis("µg") == "flat"
    assert dv.to_iu(0.26, "million IU/m²") == pytest.approx(260_000) and dv.to_iu(5, "µg") is None
    assert dv.axis_unit("million IU") == "IU" and dv.axis_unit("million IU/m²") == "IU/m²"
    assert dv.axis_unit("µg/kg") == "µg/kg" and dv.axis_unit(None) is None
    assert dv.axis_dose(float("nan"), "IU") is None and dv.axis_dose(2, None) is None


def test_phases_with_missing_keys_and_per_week():
    def per_week(text):
        return administrations_per_week(phases_from_json(text))

    assert per_week(DAILY5) == 7
    assert per_week(EVERY3_OPEN) == pytest.approx(7 / 3)
    assert per_week(X3_WEEK) == 3
    # "on 5 consecutive days per week for 4 weeks": five a week, not seven
    assert per_week(phases({"every_days": 1, "for_days": 5, "rest_days": 2, "cycles": 4})) == 5
    # every other day for 14 days, 14 days' rest: 3.5 a week while dosing
    assert per_week(phases({"every_days": 2, "for_days": 14, "rest_days": 14, "cycles": 3})) == 3.5
    assert not is_complete(phases_from_json(EVERY3_OPEN)) and is_complete(phases_from_json(DAILY5))
    assert dv.schedule_text(dv.phase_dicts(EVERY3_OPEN)) == "every 3 days, duration not stated"
    assert dv.schedule_text(dv.phase_dicts(X3_WEEK)) == ("3 times a week (days not stated), duration not stated; "
                                                         "number of cycles not stated")
    # months as months, the days they span said to be computed here (issue 32)
    months = phases({"every_days": 2, "for_days": 183, "rest_days": 0, "cycles": 1, "for_months": 6})
    assert dv.schedule_text(dv.phase_dicts(months)) == "every 2 days for 6 months (about 183 days, computed here)"
    assert is_complete(phases_from_json(months)) and per_week(months) == 3.5
    monthly = phases({"every_days": 1, "for_days": 5, "rest_days": 25, "cycles": 12, "period_months": 1})
    assert dv.schedule_text(dv.phase_dicts(monthly)) == ("daily for 5 days, every month (about 25 days' rest, computed "
                                                         "here); 12 cycles")
    assert dv.pattern_days(dv.phase_dicts(EVERY3_OPEN)[0]) == list(range(0, 28, 3))
    assert dv.pattern_days(dv.phase_dicts(X3_WEEK)[0]) == []


def test_landscape_points_keep_bases_apart_and_count_what_is_not_drawn(reg):
    pts = landscape.points(reg)
    assert len(pts) == 6  # the active IL-2 arms; placebo is not a point
    drawn = pts[pts.drawn].set_index("arm")
    assert drawn.loc["0.33 MIU", ["x", "y", "axis"]].tolist() == [7.0, pytest.approx(330_000), "IU"]
    assert drawn.loc["Every 3 days", "axis"] == "IU/m²" and drawn.loc["Every 3 days", "y"] == pytest.approx(260_000)
    assert drawn.loc["Per kg", ["x", "axis"]].tolist() == [0.5, "IU/kg"]
    assert landscape.not_drawn(pts) == {"dose not stated or not read": 1}
    assert landscape.panels(pts) == ["IU", "IU/m²", "IU/kg"]


def marker_rows(chart) -> list[dict]:
    return vega.layers(chart)[0]["rows"]


def test_landscape_charts_panels_log_axes_palette_and_links(reg):
    pts = landscape.points(reg)
    pal = palette_of_codes(reg.indication)
    charts = [vega.spec(c) for c in landscape.charts(pts, pal)]
    # a chart per basis, each a log-scale dose axis naming its unit; never flat and per-m² on one axis
    ytitles = [c["encoding"]["y"]["title"] for c in charts]
    assert [t[0] for t in ytitles] == ["Dose per administration, IU", "Dose per administration, IU/m²",
                                       "Dose per administration, IU/kg"]
    assert all(c["encoding"]["y"]["scale"]["type"] == "log" for c in charts)
    assert "converted to IU here" in ytitles[0][1] and "converted to IU here" not in ytitles[2][1]
    assert all("computed here" in " ".join(c["encoding"]["x"]["title"]) for c in charts)
    # the title on the first, each panel named, the legend on the last only
    assert vega.title(charts[0]).startswith("Every IL-2 arm:") and charts[0]["title"]["subtitle"] == ["Flat doses, IU"]
    assert [c["title"]["text"] for c in charts[1:]] == [["Per m² doses, IU/m²"], ["Per kg doses, IU/kg"]]
    assert [c["encoding"]["color"].get("legend", {}) is None for c in charts] == [True, True, False]
    by_axis = [{n for r in marker_rows(c) for n in r["trials"].split(";")} for c in charts]
    assert by_axis == [{"NCT01353833", "NCT00000008"}, {"NCT02265809"}, {"NCT00000006"}]
    colours = vega.series_colours(charts[0])
    assert colours and all(colours[s] == pal.colour_of_series(s) for s in colours)
    t1d = [r for r in marker_rows(charts[0]) if r["series"] == "T1D"]
    assert "0.33 million IU" in t1d[0]["written"] and t1d[0]["schedule"] == "daily for 5 days"
    assert t1d[0]["compared"] == "330,000 IU" and t1d[0]["first"] == "NCT01353833 · 0.33 MIU"
    assert [r["x"] for r in t1d] == [7.0, 7.0]  # two doses at one frequency: not on one spot, so not set apart
    assert [r["arms"] for r in t1d] == [1, 1] and [t1d[0]["trials"], t1d[0]["n_trials"]] == ["NCT01353833", 1]
    # a click selects one marker (its place tells it apart) and brings its trials; the tooltip says what is
    # written and what is computed here
    assert charts[0]["params"][0]["name"] == landscape.PICK
    assert charts[0]["params"][0]["select"]["fields"] == ["x", "y", "trials", "n_trials"]
    tips = {t["title"] for t in charts[0]["encoding"]["tooltip"]}
    assert {"Its dose as written", "Dose compared as (computed)", "Administrations a week (computed here)"} <= tips
    # the y axis labels are `short`'s: the ticks' values, then "1M" for 1,000,000
    axis = charts[0]["encoding"]["y"]["axis"]
    assert all(f"datum.value == {v!r} ? {json.dumps(landscape.short(v))}" in axis["labelExpr"] for v in axis["values"])
    assert t1d[0]["description"].startswith("T1D: 1 arm(s) at 330,000 IU (computed), 7.00 administrations a week "
                                            "(computed here); first NCT01353833 · 0.33 MIU, 0.33 million IU")


def test_no_chart_when_no_arm_has_a_dose_and_a_frequency(reg):
    assert landscape.charts(landscape.points(reg[reg.arm == "ULD IL-2"])) == []


def test_arms_at_one_point_are_one_marker_per_series_sized_by_count(reg):
    same = reg[reg.arm == "1 MIU"]
    twins = pd.concat([same, same.assign(nct_id="NCT09999999", indication="SLE"),
                       same.assign(nct_id="NCT09999998", indication="SLE"),
                       same.assign(nct_id="NCT09999997", indication="RA")], ignore_index=True)
    (chart,) = landscape.charts(landscape.points(twins))
    marks = {r["series"]: r for r in marker_rows(chart)}
    assert len(marker_rows(chart)) == 3 and set(marks) == {"T1D", "SLE", "RA"}  # one marker per series
    xs = sorted(r["x"] for r in marks.values())
    assert xs == pytest.approx([7 - 0.08, 7.0, 7 + 0.08])  # side by side, close to the true x
    assert all(r["per_week"] == 7.0 for r in marks.values())  # the true x on hover
    sle = marks["SLE"]
    assert sle["arms"] == 2 and sle["n_trials"] == 2  # two arms of two trials: the page links both
    assert sle["trials"] == "NCT09999999;NCT09999998"
    assert sle["here"] == "2 of SLE: NCT09999999 · 1 MIU; NCT09999998 · 1 MIU"
    assert sle["arms"] > marks["RA"]["arms"] == 1  # its area counts its arms: one scale for every chart
    assert chart.to_dict()["encoding"]["size"] == {"field": "arms", "type": "quantitative", "legend": None, "scale": {
        "type": "linear", "domain": [1, 2], "range": [81, 900], "zero": False}}
    assert [r["arms"] for r in marker_rows(chart)] == [2, 1, 1]  # the largest first: the others drawn over it
    assert sle["others"] == "2 arm(s) of other indications"
    assert landscape.offsets(1) == [0.0] and max(landscape.offsets(30)) <= 0.2  # never further than ±0.2


def test_landscape_table_links_every_arm_and_says_why_not_drawn(reg):
    t = landscape.table(landscape.points(reg)).set_index("Arm")
    assert t.loc["Per kg", "Record"] == "trial_record?nct=NCT00000006"
    assert t.loc["ULD IL-2", "On the chart"] == "no: dose not stated or not read"
    assert t.loc["ULD IL-2", "Dose as written"] == NOT_STATED
    assert t.loc["Every 3 days", "Dose as written"] == "0.26 million IU/m² (the record writes “× 106 IU/m2”)"
    assert t.loc["1 MIU", "Administrations per week (computed)"] == 7.0
    assert t.loc["1 MIU", "Compared as (computed)"] == "1,000,000 IU"
    assert t.loc["0.33 MIU", "Compared as (computed)"] == "330,000 IU"
    assert t.loc["Per kg", "Source"] == "curated" and t.loc["1 MIU", "Source"] == "read from the registry record"


def test_cumulative_groups_never_sum_across_bases(reg):
    groups = dict(dv.cumulative_groups(reg))
    # the open-ended every-3-days arm and the unread range have no cumulative dose
    assert set(groups) == {"IU", "IU/kg"}
    flat = groups["IU"].set_index("arm")
    assert flat.loc["1 MIU", "total_dose"] == pytest.approx(5_000_000) and flat.loc["1 MIU", "unit"] == "IU"
    assert flat.loc["ITP", "total_dose"] == pytest.approx(20_000_000)
    assert "Placebo" in flat.index  # its trial's placebo arm goes with its active arms
    assert groups["IU/kg"].total_dose.tolist() == [30000.0 * 6]
    y = vega.layers(figures.cumulative_il2(groups["IU"], title="t"))[0]["encoding"]["y"]
    assert y["title"] == "Cumulative IL-2 dose (IU)"  # one unit: IU/m² is never on this axis


def test_comparison_and_unread_tables(reg):
    t = dv.comparison(reg, frames.dose_comparison(reg))
    assert list(t.columns[:2]) == ["NCT id", "Source"]
    by_arm = t.set_index("Arm")
    assert by_arm.loc["0.33 MIU", "Quote (verbatim)"] == "0·33 MIU/day"
    assert by_arm.loc["Per kg", "Source"] == "curated"
    assert by_arm.loc["Every 3 days", "Not stated or not read"] == "phases.for_days: duration not stated"
    assert by_arm.loc["ITP", "Flags (kept as written)"] == "dose far below the low-dose range (kept as written)"
    u = dv.unread(reg)
    assert u["Arm"].tolist() == ["Every 3 days", "ULD IL-2"]
    assert u.set_index("Arm").loc["ULD IL-2", "Words it rests on"] == "100,000–200,000 IU/m2"
    # not_read may come as JSON text from storage
    assert dv.not_read_text(json.dumps([{"field": "dose", "reason": "a range"}])) == "dose: a range"


def test_calendar_with_duration_not_stated_draws_a_labelled_pattern_not_an_end(reg):
    rows = reg[reg.arm == "Every 3 days"]
    parts = figures.calendar_parts(rows)
    assert list(parts.marks.day) == list(range(0, 28, 3))  # four weeks of the pattern, no more
    assert "duration not stated in source →" in list(parts.notes.text)
    assert "first 4 weeks drawn" in parts.marks.administration[0] and "pattern only" in parts.marks.administration[0]
    assert list(parts.bands.dashed) == [True] and parts.bands.x1[0] == 28 - 0.5
    dashed = [layer for layer in vega.layers(figures.dosing_calendar(rows, "t")) if layer["mark"] == "rect"]
    assert len(dashed) == 1 and vega.spec(figures.dosing_calendar(rows, "t"))["layer"][0]["mark"]["strokeDash"] == [5, 3]


def test_calendar_frequency_not_read_draws_no_days(reg):
    parts = figures.calendar_parts(reg[reg.arm == "ULD IL-2"])
    assert parts.marks.empty and parts.bands.empty  # no band: no days known
    assert any("3 times a week (days not stated)" in t for t in parts.notes.text)
    assert [layer["mark"] for layer in vega.layers(figures.dosing_calendar(reg[reg.arm == "ULD IL-2"], "t"))] == ["text"]


def test_calendar_complete_schedule_unchanged(reg):
    parts = figures.calendar_parts(reg[reg.arm == "ITP"])
    assert list(parts.marks.day) == [0, 1, 2, 3, 4, 7, 8, 9, 10, 11, 14, 15, 16, 17, 18, 21, 22, 23, 24, 25]
    assert parts.marks.administration.iloc[-1] == "Administration 20 of 20"
    assert not any("not stated" in t for t in parts.notes.text)


ALSO = pd.DataFrame([
    {"nct_id": "NCT00000101", "brief_title": "Basiliximab induction in kidney transplantation", "indication": "KTX",
     "category": "receptor-antibody", "reason": "anti-IL-2 receptor antibody", "quote": "basiliximab",
     "path": "armsInterventionsModule.interventions[0].name", "source": "classifier"},
    {"nct_id": "NCT00000102", "brief_title": "Efavaleukin alfa in lupus", "indication": "SLE",
     "category": "engineered", "reason": "IL-2 mutein", "quote": "efavaleukin alfa, an IL-2 mutein",
     "path": "descriptionModule.briefSummary", "source": "classifier"},
    {"nct_id": "NCT00000103", "brief_title": "Régulateurs T et IL-2 mesurée", "indication": None,
     "category": "not-given", "reason": "IL-2 only measured", "quote": None, "path": None, "source": "reviewed"},
])


def test_also_matched_choose_counts_and_table():
    assert portfolio_view.choose(ALSO, ["engineered"]).nct_id.tolist() == ["NCT00000102"]
    assert portfolio_view.choose(ALSO, None, "MUTEIN lupus").nct_id.tolist() == ["NCT00000102"]
    assert portfolio_view.choose(ALSO, [], "regulateurs").nct_id.tolist() == ["NCT00000103"]  # accents ignored
    assert portfolio_view.choose(ALSO, ["engineered"], "basiliximab").empty
    c = portfolio_view.counts(ALSO)
    assert c.values.tolist() == [["Engineered IL-2", 1], ["IL-2 receptor antibody", 1], ["IL-2 not given", 1]]
    t = portfolio_view.table(ALSO).set_index("Title")
    row_ = t.loc["Régulateurs T et IL-2 mesurée"]
    assert (row_["Quote (verbatim)"], row_["Indication"], row_["Decided by"]) == (NOT_STATED, NOT_STATED,
                                                                                   "reviewed by a person")
    assert t.loc["Efavaleukin alfa in lupus", "Record"] == "trial_record?nct=NCT00000102"


def test_log_ticks_are_labelled_in_full():
    assert landscape.log_ticks(150_000, 4_000_000) == [200_000, 500_000, 1_000_000, 2_000_000]
    assert [landscape.short(v) for v in (1e6, 2.5e5, 30_000, 500, 0.5)] == ["1M", "250k", "30k", "500", "0.5"]


def test_a_marker_of_many_arms_names_its_first_trials_and_counts_them_all(reg):
    one = reg[reg.arm == "1 MIU"]
    many = pd.concat([one.assign(nct_id=f"NCT0999{i:04d}", indication="SLE") for i in range(12)]
                     + [one.assign(nct_id="NCT09990000", indication="SLE", arm="1 MIU, second arm")], ignore_index=True)
    (chart,) = landscape.charts(landscape.points(many))
    (row,) = marker_rows(chart)
    assert row["arms"] == 13 and row["n_trials"] == 12  # thirteen arms of twelve trials
    assert row["trials"].split(";") == [f"NCT0999{i:04d}" for i in range(landscape.LINKED)]
    assert row["here"].endswith(" and 8 more")


def test_a_dose_of_zero_is_listed_not_drawn_on_the_log_scale(reg):
    zero = reg[reg.arm == "1 MIU"].assign(dose=0.0)
    pts = landscape.points(pd.concat([reg, zero], ignore_index=True))
    assert landscape.not_drawn(pts)["a dose of 0 or less: not on a log scale"] == 1
    assert [len(landscape.charts(pts))] == [3]  # the others drawn as before (no log of 0)


def test_tick_labels_never_use_exponents():
    assert [landscape.short(v) for v in (1e-5, 2e-5, 5e-4, 0.5, 2.5e5)] == ["0.00001", "0.00002", "0.0005", "0.5", "250k"]
