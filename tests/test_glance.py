"""The overview's charts at a glance (issue 33) on their data: the year of stated start as a filter (never guessed),
the frames of bars by series, status and year, the Vega-Lite chart with its click selection, and what a click
asks the filter for."""

from __future__ import annotations

import altair as alt
import pandas as pd

from dashboard import frames
from dashboard.glance import specs as glance
from dashboard.theme import AREA_COLOURS, OTHER_COLOUR, palette, palette_of_codes, status_colour
from tests import vega
from trialdb import queries as q

NOT_STATED = q.NOT_STATED


def test_years_of_start_are_counted_as_stated_and_the_others_as_not_stated(engine):
    # The seed portfolio: NCT02465580 starts 2015-06-30; the three others' sources state no start date.
    years = q.counts_by_start_year(engine, q.Filters(None))
    assert list(years.itertuples(index=False, name=None)) == [("2015", 1), (NOT_STATED, 3)]
    assert q.filter_options(engine)["start_years"] == [("2015", "2015", 1), (NOT_STATED, NOT_STATED, 3)]
    studies = q.studies(engine, q.Filters(None, start_years=("2015",)))
    assert list(studies.nct_id) == ["NCT02465580"]
    undated = q.studies(engine, q.Filters(None, start_years=(NOT_STATED,)))
    assert set(undated.nct_id) == {"NCT02467504", "NCT05262686", "NCT02464319"}
    assert undated.start_date.isna().all()
    assert q.studies(engine, q.Filters(None, start_years=("1999",))).empty
    # With the rest of the filter: the SLE trials of 2015.
    assert q.headline(engine, q.Filters(("SLE",), start_years=("2015",)))["trials"] == 1


def test_bars_by_series_follow_the_palette_indication_area_or_largest():
    counts = pd.DataFrame({"indication": ["SLE", "RA", "SLE", "pSS"], "phase": ["P2"] * 4,
                           "status": ["COMPLETED", "COMPLETED", "UNKNOWN", "UNKNOWN"], "trials": [2, 1, 1, 1]})
    bars = frames.glance_by_series(counts, palette_of_codes(counts.indication, counts.trials), {})
    assert list(bars.label) == ["SLE", "RA", "pSS"] and list(bars.trials) == [3, 1, 1]
    assert set(bars.param) == {"indication"} and list(bars.value) == ["SLE", "RA", "pSS"]
    assert list(bars.colour) == ["#0072B2", "#E69F00", "#009E73"]
    # Eight indications in two areas: a bar per area, and a click filters on the area.
    areas = {f"R{i}": "rheumatology" for i in range(5)} | {f"D{i}": "dermatology" for i in range(3)}
    many = pd.DataFrame({"indication": list(areas), "phase": "P2", "status": "COMPLETED", "trials": range(1, 9)})
    pal = palette((c, areas[c], n) for c, n in zip(many.indication, many.trials, strict=True))
    bars = frames.glance_by_series(many, pal, areas)
    assert list(bars.label) == ["Dermatology", "Rheumatology"] and list(bars.trials) == [21, 15]
    assert list(bars.param) == ["area", "area"] and list(bars.value) == ["dermatology", "rheumatology"]
    assert list(bars.colour) == [AREA_COLOURS["dermatology"], AREA_COLOURS["rheumatology"]]
    assert bars.detail[0] == "D2 8, D1 7, D0 6"
    # Eight in one area: its six largest, and the others together, whose click filters on the two it holds.
    one = {c: "rheumatology" for c in areas}
    pal = palette((c, one[c], n) for c, n in zip(many.indication, many.trials, strict=True))
    bars = frames.glance_by_series(many, pal, one)
    assert len(bars) == 7 and bars.label.iloc[-1] == "Other (2 indications)"
    assert bars.value.iloc[-1] == "R1;R0" and bars.colour.iloc[-1] == OTHER_COLOUR and bars.trials.iloc[-1] == 3
    assert set(bars.param) == {"indication"}


def test_bars_by_status_in_the_status_order_and_colours(engine):
    bars = frames.glance_by_status(q.counts_by(engine, q.Filters(None)))
    assert list(bars.label) == ["Completed", "Unknown"] and list(bars.trials) == [2, 2]
    assert list(bars.value) == ["COMPLETED", "UNKNOWN"] and set(bars.param) == {"status"}
    assert list(bars.colour) == [status_colour("COMPLETED"), status_colour("UNKNOWN")]


def test_bars_by_year_leave_no_gap_out_and_never_date_an_undated_trial():
    years = pd.DataFrame({"year": ["2012", "2015", NOT_STATED], "trials": [2, 1, 4]})
    bars = frames.glance_by_year(years)
    assert list(bars.label) == ["2012", "2013", "2014", "2015", frames.YEAR_NOT_STATED]
    assert list(bars.trials) == [2, 0, 0, 1, 4]
    assert bars.value.iloc[-1] == NOT_STATED and bars.colour.iloc[-1] == OTHER_COLOUR
    assert "never given a year" in bars.detail.iloc[-1]
    only_undated = frames.glance_by_year(pd.DataFrame({"year": [NOT_STATED], "trials": [3]}))
    assert list(only_undated.label) == [frames.YEAR_NOT_STATED]
    assert frames.glance_by_year(pd.DataFrame({"year": ["2020"], "trials": [5]})).label.tolist() == ["2020"]


def test_a_glance_chart_draws_each_bar_and_selects_it_on_click():
    years = frames.glance_by_year(pd.DataFrame({"year": ["2014", "2015", NOT_STATED], "trials": [2, 1, 4]}))
    spec = glance.bars(years, "Trials by year of stated start", "Year of start", horizontal=False)
    bars, numbers = vega.layers(spec)
    assert bars["mark"] == "bar" and numbers["mark"] == "text"
    assert [(r["label"], r["trials"], r["colour"]) for r in bars["rows"]] == [
        ("2014", 2, frames.YEAR_COLOUR), ("2015", 1, frames.YEAR_COLOUR), ("not stated", 4, OTHER_COLOUR)]
    assert [r["description"] for r in bars["rows"]] == ["2014: 2 trials", "2015: 1 trial", "not stated: 4 trials"]
    assert bars["encoding"]["x"]["sort"] == ["2014", "2015", "not stated"]
    (param,) = spec["layer"][0]["params"]
    assert param["name"] == glance.GLANCE_PICK and param["select"]["fields"] == ["value", "param"]
    assert param["select"]["on"] == "click"
    assert vega.title(spec) == "Trials by year of stated start"
    assert bars["encoding"]["opacity"]["condition"]["param"] == glance.GLANCE_PICK
    # A valid Vega-Lite spec (written as a dict, not with Altair: see glance.bars), checked by Altair.
    alt.LayerChart.from_dict(spec, validate=True)
    # A horizontal chart of statuses grows with its bars.
    status = frames.glance_by_status(pd.DataFrame({"indication": ["SLE"] * 3, "status": ["COMPLETED", "RECRUITING",
                                                                                         "UNKNOWN"], "trials": 1}))
    spec = glance.bars(status, "Trials by status", "Status")
    assert spec["height"] == 3 * glance.GLANCE_BAR and spec["layer"][0]["encoding"]["y"]["field"] == "label"


def test_what_a_click_asks_the_filter_for():
    assert glance.picked([]) is None
    assert glance.picked([{"value": "COMPLETED", "param": "status"}]) == ("status", ["COMPLETED"])
    # Shift-click adds bars; the "Other" bar of several indications sets each of them.
    assert glance.picked([{"value": "R1;R0", "param": "indication"}, {"value": "SLE", "param": "indication"}]) == (
        "indication", ["R1", "R0", "SLE"])
    assert glance.picked([{"value": NOT_STATED, "param": "start_year"}]) == ("start_year", [NOT_STATED])
    assert glance.picked(["not a point", {"param": "status"}]) is None


FRESH = """
import sys
from streamlit.testing.v1 import AppTest
at = AppTest.from_file({app!r}, default_timeout=300).run()
assert not at.exception, [e.value for e in at.exception]
print(len(at.get("vega_lite_chart")), sorted(m for m in ("altair", "dashboard.figures") if m in sys.modules))
"""


def test_the_overview_draws_its_charts_without_loading_altair(db_path):
    """Its charts are Vega-Lite specs written as dicts (glance.bars): a fresh server's first overview does not import
    Altair and dashboard.figures (about 0.3 s, and 0.05 to 0.1 s a chart's spec: issue 33's cold overview)."""
    import os
    import subprocess
    import sys

    from tests.conftest import REPO

    done = subprocess.run([sys.executable, "-c", FRESH.format(app=str(REPO / "app.py"))], cwd=REPO, text=True,
                          env={**os.environ, "TRIALDB_URL": f"sqlite:///{db_path}"}, capture_output=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.strip() == "3 []"
