"""Figure-building functions on their data: bars, days, cumulative totals, intervals."""

from __future__ import annotations

import datetime as dt

import pytest

from dashboard import figures, frames
from dashboard.theme import INDICATION_COLOURS, status_colour
from trialdb import queries as q

ALL = q.Filters(("SLE", "RA", "pSS"))


@pytest.fixture(scope="module")
def reg(engine):
    return q.regimens(engine, ALL)


def test_stacked_bars_by_phase(engine):
    frame = frames.counts_long(q.counts_by(engine, ALL), "phase")
    fig = figures.stacked_bars(frame, "phase", "trials", "Trials by phase", "Trials")
    bars = {t.name: dict(zip(t.x, t.y, strict=True)) for t in fig.data if t.type == "bar"}
    assert bars == {"RA": {"Phase 2": 1}, "SLE": {"Phase 2": 1, "Phase 3": 1}, "pSS": {"Phase 2": 1}}
    # The seeded three keep their colours: SLE blue, RA orange, pSS green (Okabe-Ito), largest first.
    assert {t.name: t.marker.color for t in fig.data if t.type == "bar"} == {
        "SLE": "#0072B2", "RA": "#E69F00", "pSS": "#009E73"} == {k: INDICATION_COLOURS[k] for k in ("SLE", "RA", "pSS")}
    assert [t.name for t in fig.data if t.type == "bar"] == ["SLE", "RA", "pSS"]
    totals = next(t for t in fig.data if t.name == "total")
    assert dict(zip(totals.x, totals.text, strict=True)) == {"Phase 2": "3", "Phase 3": "1"}
    assert fig.layout.yaxis.tickformat == ",d"
    assert fig.layout.barmode == "stack" and fig.layout.xaxis.title.text and fig.layout.yaxis.title.text
    participants = frames.counts_long(q.counts_by(engine, ALL), "status")
    assert participants.groupby("status").participants.sum().to_dict() == {"Completed": 107, "Unknown": 70}


def test_counts_pair_has_both_measures_in_one_figure(engine):
    frame = frames.counts_long(q.counts_by(engine, ALL), "status")
    fig = figures.counts_pair(frame, "status")
    bars = [(t.name, t.xaxis, dict(zip(t.x, t.y, strict=True))) for t in fig.data if t.type == "bar"]
    assert ("SLE", "x2", {"Unknown": 70}) in bars and ("SLE", "x", {"Unknown": 2}) in bars
    assert [t.name for t in fig.data if t.showlegend] == ["SLE", "RA", "pSS"]
    assert "stacked by indication" in fig.layout.title.text  # the title names the colours (no legend title)
    assert fig.layout.yaxis2.title.text == "Participants planned"


def test_timeline_bars_dates_and_today(engine):
    dated, n = q.timeline(engine, ALL)
    pubs = q.publications(engine, ALL)
    fig = figures.timeline(dated, frames.milestones(dated, pubs), dt.date(2026, 11, 22))
    bar = fig.data[0]
    assert n == 1 and bar.y == ("SLE · NCT02465580",) and bar.marker.color == status_colour("UNKNOWN")
    assert str(bar.base[0])[:10] == "2015-06-30"
    assert bar.x[0] == pytest.approx((dt.date(2017, 12, 31) - dt.date(2015, 6, 30)).days * 86400000)
    markers = {t.name: list(t.x) for t in fig.data[1:]}
    assert set(markers) == {"Last registry update", "Publication (epub)", "Publication (print issue)"}
    assert str(markers["Publication (epub)"][0])[:10] == "2019-09-19"
    assert fig.layout.shapes[0].x0 == dt.datetime(2026, 11, 22) or str(fig.layout.shapes[0].x0)[:10] == "2026-11-22"


def test_timeline_start_without_completion_is_a_marker_not_an_invented_end():
    import pandas as pd

    df = pd.DataFrame([{"nct_id": "NCT00000001", "brief_title": "t", "indication": "RA", "status": "RECRUITING",
                        "start_date": "2021-03", "start_date_type": "ESTIMATED", "completion_date": None,
                        "completion_date_type": None, "last_update_posted_date": None}])
    fig = figures.timeline(df, frames.milestones(df, pd.DataFrame(columns=["nct_ids"])), dt.date(2026, 1, 1))
    assert fig.data[0].type == "scatter" and "not stated in source" in fig.data[0].hovertemplate


def test_dosing_calendar_days(reg):
    rows = reg[(reg.nct_id == "NCT05262686") & (reg.arm == "belimumab plus low dose IL-2")]
    fig = figures.dosing_calendar(rows, "t")
    traces = {t.name.split(" (")[0]: list(t.x) for t in fig.data}
    assert traces["Belimumab"] == [0, 28, 56, 84, 112, 140]
    assert len(traces["Interleukin-2"]) == 54 and traces["Interleukin-2"][-1] == 161
    assert list(fig.layout.yaxis.ticktext) == ["Belimumab", "Interleukin-2"]


def test_cycles_and_rests_are_shaded(reg):
    rows = reg[(reg.nct_id == "NCT02465580") & (reg.arm == "hrIL-2 active")]
    fig = figures.dosing_calendar(rows, "t")
    fills = [s.fillcolor for s in fig.layout.shapes]
    assert len(fills) == 6 and fills[1] != fills[0]  # 3 dosing periods and 3 rests
    assert [a.text for a in fig.layout.annotations].count("rest") == 3


def test_cumulative_totals(reg):
    fig = figures.cumulative_il2(reg[reg.is_il2])
    ends = {t.name: t.y[-1] for t in fig.data}
    assert ends["NCT02465580 · hrIL-2 active (overlaps)"] == 21.0
    assert ends["NCT05262686 · low dose IL-2 (overlaps)"] == 54.0
    assert ends["NCT02465580 · hrIL-2 placebo (placebo) (overlaps)"] == 0.0
    sle = next(t for t in fig.data if t.name.startswith("NCT02465580 · hrIL-2 active"))
    assert "Same curve as: NCT02467504 · Experimental; NCT02464319 · Experimental: hrIL-2 active" in sle.hovertemplate
    assert all(t.line.shape == "hv" for t in fig.data)


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
    fig = figures.outcome_bars(g[g.measure == "SRI-4 response"], "SRI-4")
    il2 = fig.data[0]
    assert list(il2.y) == [55.17, 65.52] and list(il2.text) == ["55.17%", "65.52%"]
    assert il2.error_y.array[0] == pytest.approx(71.6 - 55.17, abs=0.1)
    # p-values as published, in lines short enough not to widen the axis (one line each, plus "primary endpoint").
    assert [a.text for a in fig.layout.annotations] == ["p=0.052 (published)<br>primary endpoint", "p=0.027 (published)"]
    assert all(len(line) <= 24 for a in fig.layout.annotations for line in a.text.split("<br>"))
    rd = frames.risk_differences(g)
    assert list(rd["Risk difference (pp)"]) == [25.2, 28.9, 37.2, -6.7]
    forest = figures.forest(rd)
    assert "computed here" in forest.layout.title.text
    assert list(forest.data[0].y) == list(reversed(rd["Outcome"]))


def test_other_outcomes_in_one_figure_a_panel_each(engine):
    """The measures other than SRI-4 share one figure (one chart draws faster than several): a panel each, one
    under another, each with its own title, y axis (percent, or events as published) and p-value; one legend."""
    g = frames.outcome_groups(q.outcomes(engine, ALL))
    cr, inf = g[g.measure.str.startswith("Complete")], g[g.measure == "Serious infections"]
    fig = figures.outcome_bars_grid([("Complete remission", cr, False), ("Serious infections (safety)", inf, True)],
                                    "Other outcomes, IL-2 vs placebo")
    assert [(t.xaxis, t.yaxis, list(t.text)) for t in fig.data] == [
        ("x", "y", ["53.85%"]), ("x", "y", ["16.67%"]), ("x2", "y2", ["0"]), ("x2", "y2", ["2"])]
    assert [t.showlegend for t in fig.data] == [True, True, False, False]
    assert fig.data[2].error_y.array is None and fig.data[0].error_y.array[0] == pytest.approx(76.8 - 53.85, abs=0.1)
    assert fig.layout.yaxis.title.text.startswith("Responders") and fig.layout.yaxis2.title.text.startswith("Events")
    notes = {(a.text, a.xref, a.yref) for a in fig.layout.annotations}
    assert {("Complete remission", "paper", "paper"), ("p=0.036 (published)", "x", "y"),
            ("no p-value published", "x2", "y2")} <= notes
    assert fig.layout.yaxis.domain[0] > fig.layout.yaxis2.domain[1]  # one under another


def test_infections_drawn_as_counts(engine):
    g = frames.outcome_groups(q.outcomes(engine, ALL))
    fig = figures.outcome_bars(g[g.measure == "Serious infections"], "Serious infections", counts=True)
    assert [list(t.y) for t in fig.data] == [[0.0], [2.0]] and fig.data[0].error_y.array is None


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
