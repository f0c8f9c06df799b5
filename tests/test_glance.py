"""The overview's charts at a glance (issue 33) on their data: the year of stated start as a filter (never guessed),
the frames of bars by series, status and year, and the HTML bars, each a link to its filter."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard import frames
from dashboard.glance import bars
from dashboard.theme import AREA_COLOURS, OTHER_COLOUR, palette, palette_of_codes, status_colour
from tests.tables import glance_bars
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


def test_a_glance_chart_draws_each_bar_as_a_link_to_its_filter():
    years = frames.glance_by_year(pd.DataFrame({"year": ["2013", "2015", NOT_STATED], "trials": [2, 1, 4]}))
    kept = [("indication", "SLE"), ("start_year", "2020"), ("q", "belimumab <b>")]
    drawn = bars.chart(years, "Trials by year of stated start", kept, horizontal=False)
    (chart,) = glance_bars(drawn).values()
    assert [(b.label, b.trials) for b in chart] == [("2013", 2), ("2014", 0), ("2015", 1), ("not stated", 4)]
    # A bar's link sets its year (the undated trials' as the URL names them), keeps the rest of the filter and
    # search but not the year chosen before; a year of no trial is no link (its filter would show nothing).
    assert chart[0].href == "./?start_year=2013&indication=SLE&q=belimumab+%3Cb%3E"
    assert chart[1].href is None
    assert chart[3].href == "./?start_year=not+stated&indication=SLE&q=belimumab+%3Cb%3E"
    # Heights against the tallest year, colours from the palette, every number over its column. The undated trials
    # are a line of their own under the years, never a column on their scale (it read as a jump after the last year).
    assert "height:100.0%;background:#0072B2" in drawn and "height:50.0%;background:#0072B2" in drawn
    assert drawn.count('class="gl-n"') == 2 and "<b>" not in drawn
    assert drawn.count('class="gl-col') == 3 and "Start not stated: 4 trials</a>" in drawn
    assert f"height:100.0%;background:{OTHER_COLOUR}" not in drawn
    # Many years: every number still drawn, written up its column (gl-many).
    many = frames.glance_by_year(pd.DataFrame({"year": [str(y) for y in range(2000, 2020)], "trials": range(1, 21)}))
    drawn = bars.chart(many, "Trials by year of stated start", [], horizontal=False, noun="studies")
    assert drawn.count('class="gl-n"') == 20 and "gl-years gl-many" in drawn
    assert len(glance_bars(drawn)["Trials by year of stated start"]) == 20 and "2019: 20 studies" in drawn
    # Only undated trials: the line alone.
    only = bars.chart(frames.glance_by_year(pd.DataFrame({"year": [NOT_STATED], "trials": [1]})), "T", [],
                      horizontal=False)
    assert "gl-years" not in only and "Start not stated: 1 trial</a>" in only


def test_a_bar_sets_its_filter_and_clears_what_would_widen_it():
    # An indication clears the area (an area and an indication chosen together mean both), and the reverse.
    kept = [("area", "rheumatology"), ("indication", "RA"), ("status", "Completed")]
    assert bars.link("indication", "pSS", kept) == "./?indication=pSS&status=Completed"
    assert bars.link("area", "dermatology", kept) == "./?area=dermatology&status=Completed"
    # The "Other" bar sets each indication it holds; a status as the URL labels it.
    assert bars.link("indication", "R1;R0", []) == "./?indication=R1&indication=R0"
    assert bars.link("status", "ACTIVE_NOT_RECRUITING", kept) == (
        "./?status=Active%2C+not+recruiting&area=rheumatology&indication=RA")
    # A study type, a sponsor and a search are kept; anything else a caller passes is left out of the link.
    assert bars.link("status", "COMPLETED", [("study_type", ""), ("sponsor", "A & B"), ("x", "y")]) == (
        "./?status=Completed&study_type=&sponsor=A+%26+B")


def test_bars_are_escaped_and_coloured_only_from_the_palette():
    hostile = pd.DataFrame([{"label": '<img src=x onerror=alert(1)>"', "trials": 3, "colour": "red;background:url(x)",
                             "param": "indication", "value": '"><script>', "detail": "<i>x</i>"}],
                           columns=frames.GLANCE_COLUMNS)
    drawn = bars.charts([(hostile, "Trials by <indication>", True)], [])
    assert "<img" not in drawn and "<script" not in drawn and "<i>" not in drawn and "url(x)" not in drawn
    assert f"background:{OTHER_COLOUR}" in drawn
    ((title, (bar,)),) = glance_bars(drawn).items()
    assert title == "Trials by <indication>" and bar.trials == 3
    assert bar.href == "./?indication=%22%3E%3Cscript%3E"
    assert "No trial." in bars.chart(pd.DataFrame(columns=frames.GLANCE_COLUMNS), "Trials by status", [])


FRESH = """
import sys
from streamlit.testing.v1 import AppTest
at = AppTest.from_file({app!r}, default_timeout=300).run()
assert not at.exception, [e.value for e in at.exception]
print(len(at.get("vega_lite_chart")), sum("gl-chart" in str(h.value) for h in at.html), sorted(m for m in ("altair", "dashboard.figures") if m in sys.modules))
"""


@pytest.mark.sqlite_only  # a fresh process on a SQLite file of its own
def test_the_overview_draws_its_charts_without_loading_altair(db_path):
    """Its charts are HTML (dashboard.glance.bars), no Vega-Lite chart: a fresh server's first overview does not import
    Altair and dashboard.figures (about 0.3 s, and 0.05 to 0.1 s a chart's spec: issue 33's cold overview), and the
    browser never loads Vega's module for it."""
    import os
    import subprocess
    import sys

    from tests.conftest import REPO

    done = subprocess.run([sys.executable, "-c", FRESH.format(app=str(REPO / "app.py"))], cwd=REPO, text=True,
                          env={**os.environ, "TRIALDB_URL": f"sqlite:///{db_path}"}, capture_output=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.strip() == "0 1 []"
