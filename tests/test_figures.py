"""Figure-building functions on their data: bars, days, cumulative totals, intervals."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from dashboard import figures, frames
from dashboard.theme import INDICATION_COLOURS, ink_on, status_colour
from tests import vega
from trialdb import queries as q

ALL = q.Filters(("SLE", "RA", "pSS"))


@pytest.fixture(scope="module")
def reg(engine):
    return q.regimens(engine, ALL)


def test_stack_segments_by_phase(engine):
    frame = frames.counts_long(q.counts_by(engine, ALL), "phase")
    seg = figures.stack_segments(frame, "phase", "trials")
    bars = {s: dict(zip(g.phase, g.value, strict=True)) for s, g in seg.groupby("series", sort=False)}
    assert bars == {"RA": {"Phase 2": 1}, "SLE": {"Phase 2": 1, "Phase 3": 1}, "pSS": {"Phase 2": 1}}
    # The seeded three keep their colours: SLE blue, RA orange, pSS green (Okabe-Ito), largest at the bottom.
    assert dict(zip(seg.series, seg.colour, strict=True)) == {
        "SLE": "#0072B2", "RA": "#E69F00", "pSS": "#009E73"} == {k: INDICATION_COLOURS[k] for k in ("SLE", "RA", "pSS")}
    phase2 = seg[seg.phase == "Phase 2"].sort_values("y0")
    assert list(phase2.series) == ["SLE", "RA", "pSS"] and list(zip(phase2.y0, phase2.y1, strict=True)) == [(0, 1), (1, 2), (2, 3)]
    # Labels inside the bars in the colour that reads on them (WCAG contrast): white on blue, black on orange.
    assert dict(zip(seg.series, seg.ink, strict=True)) == {"SLE": "#FFFFFF", "RA": "#000000", "pSS": "#000000"}
    assert set(seg.detail) == {""}  # one indication per series: nothing more to name
    participants = frames.counts_long(q.counts_by(engine, ALL), "status")
    assert participants.groupby("status").participants.sum().to_dict() == {"Completed": 107, "Unknown": 70}


def test_counts_pair_draws_trials_and_participants_with_totals_and_one_legend(engine):
    frame = frames.counts_long(q.counts_by(engine, ALL), "status")
    trials, participants = figures.counts_pair(frame, "status")
    assert "stacked by indication" in vega.title(trials) and not vega.title(participants)
    for chart, measure, totals in ((trials, "Trials", {"Completed": "2", "Unknown": "2"}),
                                   (participants, "Participants planned", {"Completed": "107", "Unknown": "70"})):
        bars, *labels, total = vega.layers(chart)
        assert bars["mark"] == "bar" and bars["encoding"]["y"]["title"] == measure
        assert bars["encoding"]["y"]["axis"]["format"] == ",d"  # whole numbers: no 0.5-trial ticks
        assert {(r["status"], r["series"], r["value"]) for r in bars["rows"]} >= {("Unknown", "SLE", 2 if
                                                                                   measure == "Trials" else 70)}
        assert [t["field"] for t in bars["encoding"]["tooltip"]] == ["status", "series", "value"]
        assert {r["status"]: r["label"] for r in total["rows"]} == totals
        assert labels and labels[0]["mark"] == "text"  # few segments: each carries its number
    assert vega.series_colours(trials) == {"SLE": "#0072B2", "RA": "#E69F00", "pSS": "#009E73"}
    # One legend, under the second chart, with the axis title; the categories named under both, alike.
    assert vega.layers(trials)[0]["encoding"]["color"]["legend"] is None
    assert vega.layers(participants)[0]["encoding"]["color"]["legend"]["orient"] == "bottom"
    x_top, x_bottom = (vega.layers(c)[0]["encoding"]["x"] for c in (trials, participants))
    assert x_top["axis"] == x_bottom["axis"] and x_top["scale"] == x_bottom["scale"] == {"domain": ["Completed", "Unknown"]}
    assert (x_top["title"], x_bottom["title"]) == (None, "Status")


def test_timeline_bars_dates_and_today(engine):
    dated, n = q.timeline(engine, ALL)
    pubs = q.publications(engine, ALL)
    chart = figures.timeline(dated, frames.milestones(dated, pubs), dt.date(2026, 11, 22))
    bars, *milestones, today, today_label = vega.layers(chart)
    assert n == 1 and bars["mark"] == "bar" and [r["row"] for r in bars["rows"]] == ["SLE · NCT02465580"]
    bar = bars["rows"][0]
    assert (bar["start"], bar["end"], bar["colour"]) == ("2015-06-30", "2017-12-31", status_colour("UNKNOWN"))
    assert (bars["encoding"]["x"]["field"], bars["encoding"]["x2"]["field"]) == ("start", "end")
    assert bars["encoding"]["x"]["scale"]["type"] == "utc"  # a stated day is that day wherever the reader is
    marks = {r["kind"]: r["date"] for layer in milestones for r in layer["rows"]}
    assert set(marks) == {"Last registry update", "Publication (epub)", "Publication (print issue)"}
    assert marks["Publication (epub)"] == "2019-09-19"
    fill = milestones[0]["encoding"]["fill"]["scale"]
    assert dict(zip(fill["domain"], fill["range"], strict=True))["Publication (print issue)"] == "#FFFFFF"  # hollow
    assert today["mark"] == "rule" and today["rows"] == [{"date": "2026-11-22", "label": "today (2026-11-22)"}]
    assert today_label["encoding"]["text"]["field"] == "label"


def test_timeline_start_without_completion_is_a_marker_not_an_invented_end():
    import pandas as pd

    df = pd.DataFrame([{"nct_id": "NCT00000001", "brief_title": "t", "indication": "RA", "status": "RECRUITING",
                        "start_date": "2021-03", "start_date_type": "ESTIMATED", "completion_date": None,
                        "completion_date_type": None, "last_update_posted_date": None}])
    chart = figures.timeline(df, frames.milestones(df, pd.DataFrame(columns=["nct_ids"])), dt.date(2026, 1, 1))
    start, *_ = vega.layers(chart)
    assert start["mark"] == "point" and start["style"]["shape"] == "triangle-right"
    assert [(r["start"], r["end"], r["start_stated"], r["end_stated"]) for r in start["rows"]] == [
        ("2021-03-01", None, "2021-03 (estimated)", "not stated in source")]
    assert not [layer for layer in vega.layers(chart) if layer["mark"] == "bar"]  # no invented end


def test_dosing_calendar_days(reg):
    rows = reg[(reg.nct_id == "NCT05262686") & (reg.arm == "belimumab plus low dose IL-2")]
    parts = figures.calendar_parts(rows)
    days = {d: list(g.day) for d, g in parts.marks.groupby("drug")}
    assert days["Belimumab"] == [0, 28, 56, 84, 112, 140]
    assert len(days["Interleukin-2"]) == 54 and days["Interleukin-2"][-1] == 161
    assert parts.names == ["Belimumab", "Interleukin-2"] and parts.last_day == 161
    # The chart names the rows on its axis and draws a filled mark per administration, coloured by role.
    chart = figures.dosing_calendar(rows, "t")
    marks = next(layer for layer in vega.layers(chart) if layer["mark"] == "point")
    assert len(marks["rows"]) == 60 and '["Belimumab", "Interleukin-2"]' in marks["encoding"]["y"]["axis"]["labelExpr"]
    assert vega.series_colours(chart) == {"Belimumab (intravenous)": "#CC79A7", "Interleukin-2 (subcutaneous)": "#D55E00"}


def test_cycles_and_rests_are_shaded(reg):
    rows = reg[(reg.nct_id == "NCT02465580") & (reg.arm == "hrIL-2 active")]
    parts = figures.calendar_parts(rows)
    fills = list(parts.bands.fill)
    assert len(fills) == 6 and fills[1] != fills[0] and not parts.bands.dashed.any()  # 3 dosing periods and 3 rests
    assert list(parts.notes.text).count("rest") == 3
    rects = [layer for layer in vega.layers(figures.dosing_calendar(rows, "t")) if layer["mark"] == "rect"]
    assert len(rects) == 1 and len(rects[0]["rows"]) == 6


def test_cumulative_totals(reg):
    pts = figures.cumulative_points(reg[reg.is_il2], highlight=("NCT05262686", "low dose IL-2"))
    ends = pts.groupby("arm", sort=False).total.last()
    assert ends["NCT02465580 · hrIL-2 active (overlaps)"] == 21.0
    assert ends["NCT05262686 · low dose IL-2 (overlaps)"] == 54.0
    assert ends["NCT02465580 · hrIL-2 placebo (placebo) (overlaps)"] == 0.0
    sle = pts[pts.arm == "NCT02465580 · hrIL-2 active (overlaps)"]
    assert set(sle.overlaps) == {"NCT02467504 · Experimental; NCT02464319 · Experimental: hrIL-2 active"}
    assert list(sle.day[:3]) == [0, 0, 2] and list(sle.total[:3]) == [0.0, 1.0, 2.0]  # from 0, then each dose
    assert set(pts.arm[pts.chosen]) == {"NCT05262686 · low dose IL-2 (overlaps)"}
    chart = figures.cumulative_il2(reg[reg.is_il2], highlight=("NCT05262686", "low dose IL-2"))
    lines, points = vega.layers(chart)
    assert lines["style"]["interpolate"] == "step-after"  # a step at each administration, flat between
    assert lines["rows"][-1]["chosen"] is True  # drawn last, on top of the curves it overlaps
    assert lines["encoding"]["strokeWidth"]["scale"]["range"] == [2, 4]
    assert "overlaps" in [t["field"] for t in points["encoding"]["tooltip"]]


def test_dose_comparison_table(reg):
    t = frames.dose_comparison(reg).set_index(["NCT id", "Arm", "Drug"])
    row = t.loc[("NCT02464319", "Experimental: hrIL-2 active", "hrIL-2 active")]
    assert (row["Administrations"], row["Total active dose (computed)"], row["Treatment weeks (computed)"]) == (21, "21 million IU", 12.0)
    assert t.loc[("NCT02467504", "Experimental", "MTX")]["Dose per administration"] == "not stated in source"
    assert t.loc[("NCT02465580", "hrIL-2 placebo", "hrIL-2 placebo")]["Total active dose (computed)"] == "none (placebo)"


def test_outcome_intervals_and_forest(engine):
    g = frames.outcome_groups(q.outcomes(engine, ALL))
    cr = g[g.measure.str.startswith("Complete")]
    assert list(cr.ci_low.round(1)) == [29.1, 4.7] and list(cr.ci_high.round(1)) == [76.8, 44.8]
    chart = figures.outcome_bars(g[g.measure == "SRI-4 response"], "SRI-4")
    bars, whisker, low, high, halo, labels, notes = vega.layers(chart)
    assert high["encoding"]["y"]["field"] == "ci_high" and halo["encoding"]["stroke"]["field"] == "group"
    il2 = [r for r in bars["rows"] if r["group"] == "IL-2"]
    assert [r["value"] for r in il2] == [55.17, 65.52] and [r["label"] for r in il2] == ["55.17%", "65.52%"]
    assert (whisker["mark"], low["mark"], labels["mark"]) == ("rule", "tick", "text")
    assert il2[0]["ci_high"] == pytest.approx(71.6, abs=0.1) and whisker["encoding"]["y2"]["field"] == "ci_high"
    assert il2[0]["interval"] == "37.5–71.6%" and il2[0]["counts"] == "16/29 (counts computed here)"
    assert "95% CI (Wilson, computed here)" in [t["title"] for t in bars["encoding"]["tooltip"]]
    assert vega.series_colours(chart) == {"IL-2": "#D55E00", "Placebo": "#7F7F7F"}
    # p-values as published, in lines short enough for a phone (one line each, plus "primary endpoint"), every
    # other one higher so neighbours never meet.
    assert [r["text"] for r in notes["rows"]] == ["p=0.052 (published)\nprimary endpoint", "p=0.027 (published)"]
    assert all(len(line) <= 24 for r in notes["rows"] for line in r["text"].split("\n"))
    assert notes["rows"][1]["at"] > notes["rows"][0]["at"]
    rd = frames.risk_differences(g)
    assert list(rd["Risk difference (pp)"]) == [25.2, 28.9, 37.2, -6.7]
    forest = figures.forest(rd)
    assert "computed here" in forest.layout.title.text
    assert list(forest.data[0].y) == list(reversed(rd["Outcome"]))


def test_infections_drawn_as_counts(engine):
    g = frames.outcome_groups(q.outcomes(engine, ALL))
    chart = figures.outcome_bars(g[g.measure == "Serious infections"], "Serious infections", counts=True)
    bars, labels, notes = vega.layers(chart)  # no whiskers: no interval for a count of events
    assert [r["value"] for r in bars["rows"]] == [0.0, 2.0] and [r["label"] for r in labels["rows"]] == ["0", "2"]
    assert bars["encoding"]["y"]["title"] == "Events (number, as published)"
    assert [r["text"] for r in notes["rows"]] == ["no p-value published"]


def test_page_of_clamps_and_covers_every_row():
    from dashboard.ui import page_of

    assert page_of(0, 1) == (1, 0, 0)
    assert page_of(25, 1) == (1, 0, 25)
    assert page_of(26, 2) == (2, 25, 26)
    assert page_of(60, 99) == (3, 50, 60)  # past the end: the last page
    assert page_of(60, 0) == (3, 0, 25)
    rows = [r for p in range(1, 4) for r in range(*page_of(60, p)[1:])]
    assert rows == list(range(60))


def test_counts_wide_has_one_row_per_phase_and_the_long_totals():
    import pandas as pd

    from dashboard.frames import counts_long, counts_wide

    counts = pd.DataFrame({"indication": ["SLE", "SLE", "RA", "pSS"], "phase": ["PHASE2", "PHASE1", "PHASE2", None],
                           "status": ["COMPLETED"] * 4, "trials": [2, 1, 3, 1], "participants": [60, 10, 90, 0],
                           "trials_with_enrolment": [2, 1, 3, 0]})
    counts["phase"] = counts.phase.fillna("not stated in source")
    long = counts_long(counts, "phase")
    wide = counts_wide(long, "phase", "Phase")
    assert wide.Phase.is_unique and len(wide) == long.phase.nunique()
    assert wide["All trials"].sum() == long.trials.sum() == 7
    assert wide["Participants planned (sum, computed)"].sum() == 160
    row = wide.set_index("Phase").loc["Phase 2"]
    assert (row["SLE trials"], row["RA trials"], row["pSS trials"]) == (2, 3, 0)


def test_markdown_table_escapes_cells_and_keeps_rows_whole():
    import pandas as pd

    from dashboard.ui import markdown_table

    hostile = "a | b\nnext line [x](javascript:alert(1)) <script>"
    md = markdown_table(pd.DataFrame({"NCT id": ["https://clinicaltrials.gov/study/NCT02465580", "NCT1"],
                                      "Note": [hostile, ""], "n": [1, 20], "Derived": [True, False]}))
    lines = md.splitlines()
    assert len(lines) == 4 and lines[1] == "| --- | --- | ---: | --- |"  # header, rule, two rows: no row split
    assert lines[2].startswith("| [NCT02465580](https://clinicaltrials.gov/study/NCT02465580) |")
    assert "a \\| b next line \\[x\\]\\(javascript\\:alert\\(1\\)\\) \\<script\\>" in lines[2]
    assert lines[2].endswith("| 1 | yes |") and lines[3].endswith("| 20 | no |")


def test_outcome_charts_put_the_primary_endpoint_first_and_keep_the_published_order(engine):
    from dashboard import frames
    from trialdb import queries
    from trialdb.queries import Filters

    g = frames.outcome_groups(queries.outcomes(engine, Filters(None)))
    charts = frames.outcome_charts(g[g.pmid == "31537547"])
    assert [(name, len(rows), primary, counts) for name, rows, primary, counts in charts] == [
        ("SRI-4 response", 4, True, False),  # week 12 (the primary endpoint) and week 24, IL-2 and placebo
        ("Complete remission in lupus nephritis", 2, False, False), ("Serious infections (safety)", 2, False, True)]


def test_html_table_escapes_cells_links_only_our_own_and_right_aligns_numbers():
    import pandas as pd

    from dashboard.ui import html_table
    from tests.tables import html_tables

    hostile = 'a | b\nnext <script>alert(1)</script> <a href="javascript:x">y</a> & "q"'
    body = html_table(pd.DataFrame({
        "NCT id": ["https://clinicaltrials.gov/study/NCT02465580", "https://evil.example/study/NCT02465580"],
        "Record": ["trial_record?nct=NCT02465580", "trial_record?nct=<b>"], "Note": [hostile, ""],
        "n": [1, 20], "Derived": [True, False]}))
    assert "<script" not in body and "<b>" not in body and 'href="javascript' not in body
    assert body.count("<a ") == 2  # the registry record and the record here of the first row; nothing else links
    assert '<a href="https://clinicaltrials.gov/study/NCT02465580" target="_blank" rel="noopener noreferrer">' in body
    assert body.count("<th class=num>") == 1 and body.count("<td class=num>") == 2
    (table,) = html_tables(body)
    assert table == [["NCT id", "Record", "Note", "n", "Derived"],
                     ["[NCT02465580](https://clinicaltrials.gov/study/NCT02465580)",
                      "[open record](trial_record?nct=NCT02465580)", hostile, "1", "yes"],
                     ["https://evil.example/study/NCT02465580", "trial_record?nct=<b>", "", "20", "no"]]


def test_timeline_by_year_leaves_a_gap_for_a_year_without_a_start():
    frame = pd.DataFrame({"year": ["2015", "2015", "2018"], "indication": ["SLE", "RA", "SLE"],
                          "status": ["COMPLETED", "UNKNOWN", "COMPLETED"], "trials": [3, 1, 2]})
    chart = figures.timeline_by_year(frame)
    bars, = vega.layers(chart)
    assert bars["encoding"]["x"]["scale"]["domain"] == [2015, 2016, 2017, 2018]  # 2016 and 2017: empty slots
    assert {(r["year"], r["status_label"], r["trials"], r["of_year"]) for r in bars["rows"]} == {
        (2015, "Completed", 3, 4), (2015, "Unknown", 1, 4), (2018, "Completed", 2, 2)}
    # Statuses in the theme's order and colours, on every page alike.
    assert vega.series_colours(chart) == {"Completed": status_colour("COMPLETED"), "Unknown": status_colour("UNKNOWN")}
    assert vega.title(chart) == "Trials by year of stated start, coloured by status"


def test_labels_inside_bars_take_the_more_legible_ink():
    """WCAG 2.2 contrast: white on the blues and indigo; black on orange, sky blue, grey, and on vermilion (5.4:1
    against white's 3.9:1)."""
    assert [ink_on(c) for c in ("#0072B2", "#332288", "#000000")] == ["#FFFFFF"] * 3
    assert [ink_on(c) for c in ("#D55E00", "#E69F00", "#56B4E9", "#7F7F7F", "#FFFFFF")] == ["#000000"] * 5
