"""Colours that keep meaning at thirty indications: the palette, the figures drawn with it and the
phase/status tables, on frames of the 30-indication synthetic portfolio and on every kind of subset."""

from __future__ import annotations

import random

import altair as alt
import pandas as pd
import pytest

from dashboard import figures, frames, theme
from dashboard.filters import resolve_indications
from tests import vega
from trialdb import queries as q
from trialdb.indications import AREAS, BY_CODE
from trialdb.synthetic import INDICATION_WEIGHTS, generate


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    from trialdb.store.db import make_engine

    db = tmp_path_factory.mktemp("thirty") / "synthetic.sqlite3"
    generate(f"sqlite:///{db}", n=300)
    eng = make_engine(f"sqlite:///{db}", readonly=True)
    yield eng
    eng.dispose()


def counts(engine, indications=None) -> pd.DataFrame:
    return q.counts_by(engine, q.Filters(indications))


def series_colours(fig) -> dict[str, str]:
    """Each legend entry (series) of a figure and its colour; a series drawn twice keeps one colour. A frame of
    segments (figures.stack_segments), an Altair chart or a list of them (figures.counts_pair), or a Plotly figure."""
    if isinstance(fig, pd.DataFrame):
        pairs = list(zip(fig.series, fig.colour, strict=True))
    elif isinstance(fig, list | alt.TopLevelMixin):
        charts = fig if isinstance(fig, list) else [fig]
        pairs = [p for c in charts for p in vega.series_colours(c).items()]
    else:
        pairs = [(t.name, t.marker.color if t.type == "bar" else t.line.color) for t in fig.data
                 if t.type == "bar" or (t.type == "scatter" and t.mode == "lines")]
    out: dict[str, set[str]] = {}
    for name, colour in pairs:
        out.setdefault(name, set()).add(colour)
    assert all(len(c) == 1 for c in out.values()), out
    return {name: next(iter(c)) for name, c in out.items()}


def assert_distinct(colours: dict[str, str]) -> None:
    assert len(set(colours.values())) == len(colours), colours


def test_the_synthetic_portfolio_has_thirty_indications_in_seven_areas(synthetic):
    opts = q.filter_options(synthetic)
    assert len(opts["indications"]) == 30 == len(INDICATION_WEIGHTS)
    assert [a for a, _, _ in opts["areas"]] == [a.code for a in AREAS]  # all seven, in the table's order
    assert sum(n for _, _, n in opts["areas"]) == 300
    assert {c: a for c, a, _ in opts["indication_areas"]} == {c: BY_CODE[c].area for c, _ in INDICATION_WEIGHTS}
    big = [c for c, _, _ in opts["indications"][:4]]
    assert set(big) == {"SLE", "RA", "T1D", "GVHD"}  # the weights favour them


def test_every_area_has_its_own_colour_and_the_seeds_keep_theirs():
    assert set(theme.AREA_COLOURS) == {a.code for a in AREAS}
    assert len(set(theme.AREA_COLOURS.values())) == len(AREAS)
    assert theme.INDICATION_COLOURS == {"SLE": "#0072B2", "RA": "#E69F00", "pSS": "#009E73"}
    assert len(theme.SERIES_COLOURS) == theme.MAX_SERIES == 7 and "#F0E442" not in theme.SERIES_COLOURS


def test_thirty_indications_are_coloured_by_area(synthetic):
    frame = frames.counts_long(counts(synthetic), "phase")
    assert frame.indication.nunique() == 30
    pal = theme.palette_of_codes(frame.indication, frame.trials)
    assert pal.by == "area" and len(pal.colours) == 7
    pair = figures.counts_pair(frame, "phase")
    for fig in (figures.stack_segments(frame, "phase", "trials"), pair):
        colours = series_colours(fig)
        assert_distinct(colours)
        assert set(colours) == {a.code.capitalize() for a in AREAS}  # at most MAX_SERIES legend entries
        assert colours["Rheumatology"] == "#0072B2" and colours["Other"] == theme.OTHER_COLOUR
    assert "stacked by disease area" in vega.title(pair[0])  # the title names the colours (no legend title)
    # A segment of several indications names them on hover, largest first.
    seg = figures.stack_segments(frame, "phase", "trials")
    bar = seg[seg.series == "Rheumatology"]
    for text, total in zip(bar.detail, bar.value, strict=True):
        shown = [int(part.rsplit(" ", 1)[1]) for part in text.split(" and ")[0].split(", ")]
        assert shown == sorted(shown, reverse=True) and (sum(shown) == total or " more" in text)
    assert "detail" in [t["field"] for t in vega.layers(pair[0])[0]["encoding"]["tooltip"]]
    # phase 2 (one synthetic SLE trial of phase 2 is not low-dose IL-2: set aside from the portfolio)
    assert bar.detail.iloc[2].startswith("SLE 25, RA 16, pSS 11")


def test_one_area_of_many_indications_shows_the_largest_and_other(synthetic):
    rheum = tuple(c for c, a in ((c, BY_CODE[c].area) for c, _ in INDICATION_WEIGHTS) if a == "rheumatology")
    frame = frames.counts_long(counts(synthetic, rheum), "status")
    assert frame.indication.nunique() == 10
    fig = figures.counts_pair(frame, "status")
    colours = series_colours(fig)
    assert_distinct(colours)
    assert len(colours) == theme.MAX_SERIES and "Other (4 indications)" in colours
    assert colours["SLE"] == "#0072B2" and colours["RA"] == "#E69F00" and colours["pSS"] == "#009E73"
    assert colours["Other (4 indications)"] == theme.OTHER_COLOUR
    bars, *_, total = vega.layers(fig[0])
    assert all(r["value"] > 0 for r in bars["rows"])  # no empty segments drawn
    # Each trial counted once: the stacks add up to the totals.
    assert sum(r["total"] for r in total["rows"]) == sum(r["value"] for r in bars["rows"]) == frame.trials.sum()


def test_any_selection_gets_distinct_colours_on_one_chart(synthetic):
    """Random selections of 1 to 30 indications (and every area alone): on each chart no two series
    share a colour, and there are never more series than MAX_SERIES."""
    codes = [c for c, _ in INDICATION_WEIGHTS]
    rng = random.Random(15)
    selections = [tuple(rng.sample(codes, k)) for k in range(1, 31) for _ in range(2)]
    selections += [tuple(c for c in codes if BY_CODE[c].area == a.code) for a in AREAS]
    for sel in selections:
        frame = frames.counts_long(counts(synthetic, sel), "phase")
        fig = figures.stack_segments(frame, "phase", "trials")  # the core of counts_pair
        colours = series_colours(fig)
        assert_distinct(colours)
        assert 1 <= len(colours) <= theme.MAX_SERIES, (sel, colours)
        assert frame.indication.nunique() > theme.MAX_SERIES or set(colours) == set(frame.indication)
        # The table beneath has a column per series, never one per indication.
        wide = frames.counts_wide(frame, "phase", "Phase")
        assert len(wide.columns) == 1 + len(colours) + 3, (sel, list(wide.columns))


def test_few_indications_are_drawn_each_in_its_own_colour(synthetic):
    frame = frames.counts_long(counts(synthetic, ("SLE", "T1D", "GVHD", "AA")), "phase")
    colours = series_colours(figures.stack_segments(frame, "phase", "trials"))
    # SLE its seeded blue; the others their area's colour where it is free (T1D orange: endocrinology).
    assert colours == {"SLE": "#0072B2", "T1D": "#E69F00", "GVHD": "#009E73", "AA": "#CC79A7"}


def test_the_synthetic_trials_set_aside_are_beyond_the_portfolio(synthetic):
    """generate(n=300) makes 300 portfolio trials and, beyond them, 4% more that the registry query also
    matched (an IL-2 receptor antibody, engineered IL-2, a fusion toxin): listed, counted on no page."""
    aside = q.also_matched(synthetic, q.Filters(None))
    assert len(aside) == 12 and set(aside.category) <= {"receptor-antibody", "engineered", "fusion-toxin"}
    assert set(aside.nct_id).isdisjoint(q.studies(synthetic, q.Filters(None)).nct_id)


def test_cumulative_dose_lines_follow_the_palette(synthetic):
    reg = q.regimens(synthetic, q.Filters(None))
    il2 = reg[reg.is_il2].groupby("indication").head(1)  # one arm of each of the 30 indications
    assert il2.indication.nunique() == 30
    pal = theme.palette_of_codes(counts(synthetic).indication, counts(synthetic).trials)
    colours = vega.series_colours(figures.cumulative_il2(il2, palette=pal))  # arm -> colour
    by_area: dict[str, set[str]] = {}
    for nct, arm, ind in zip(il2.nct_id, il2.arm, il2.indication, strict=True):
        by_area.setdefault(BY_CODE[ind].area, set()).update(c for a, c in colours.items() if a.startswith(f"{nct} · {arm}"))
    assert all(len(c) == 1 for c in by_area.values())  # one colour per area...
    assert len({next(iter(c)) for c in by_area.values()}) == len(by_area) == 7  # ...and no two areas alike


def test_counts_wide_at_thirty_indications_has_area_columns_and_the_csv_every_indication(synthetic):
    long = frames.counts_long(counts(synthetic), "status")
    wide = frames.counts_wide(long, "status", "Status")
    assert list(wide.columns)[:8] == ["Status", "Rheumatology", "Transplant", "Endocrinology", "Gastroenterology",
                                     "Neurology", "Dermatology", "Other"]
    assert list(wide.columns)[8:] == ["All trials", "Participants planned (sum, computed)", "Trials stating enrolment"]
    assert wide.Status.is_unique and wide["All trials"].sum() == 300
    assert (wide[[a.code.capitalize() for a in AREAS]].sum(axis=1) == wide["All trials"]).all()
    areas = {c: BY_CODE[c].area for c, _ in INDICATION_WEIGHTS}
    detail = frames.counts_by_indication(long, "status", "Status", areas)
    assert detail.Indication.nunique() == 30 and detail.Trials.sum() == 300
    assert set(detail["Disease area"]) == {a.code for a in AREAS}


def test_area_and_indication_choices_resolve_to_indications():
    area_of = {"SLE": "rheumatology", "RA": "rheumatology", "T1D": "endocrinology", "GD": "endocrinology",
               "GVHD": "transplant"}
    assert resolve_indications([], [], area_of) is None  # nothing chosen: everything
    assert resolve_indications(["rheumatology"], [], area_of) == ("SLE", "RA")
    assert resolve_indications(["rheumatology"], ["T1D"], area_of) == ("SLE", "RA", "T1D")
    assert resolve_indications([], ["GD", "SLE"], area_of) == ("SLE", "GD")  # the options' order
    assert resolve_indications(["rheumatology"], ["SLE"], area_of) == ("SLE", "RA")
    assert resolve_indications(["rheumatology", "endocrinology", "transplant"], [], area_of) is None  # all of them


QUERIES = (q.studies, q.counts_by, q.timeline, q.timeline_by_year, q.undated, q.publications, q.outcomes, q.regimens,
           q.trials_without_regimen, q.study_choices)


def _every_query(engine, f: q.Filters) -> int:
    n = q.headline(engine, f)["trials"]
    assert len(q.studies(engine, f)) == n and int(q.counts_by(engine, f).trials.sum()) == n
    for query in QUERIES:
        query(engine, f)
    return n


def test_every_query_runs_with_areas_resolved(synthetic):
    """On every indication (None), one area's indications, and nothing (an empty tuple)."""
    opts = q.filter_options(synthetic)
    endo = tuple(c for c, a, _ in opts["indication_areas"] if a == "endocrinology")
    assert _every_query(synthetic, q.Filters(None)) == 300
    assert _every_query(synthetic, q.Filters(endo)) == sum(n for c, a, n in opts["indication_areas"] if c in endo) > 0
    assert set(q.studies(synthetic, q.Filters(endo)).indication) == set(endo) == {"T1D", "GD"}
    assert _every_query(synthetic, q.Filters(())) == 0


def test_every_query_runs_on_the_session_database(engine):
    """The same on the seed database: SQLite, or PostgreSQL when the suite runs there."""
    opts = q.filter_options(engine)
    assert opts["areas"] == [("rheumatology", "Rheumatology", 4)]
    assert sorted(opts["indication_areas"]) == [("RA", "rheumatology", 1), ("SLE", "rheumatology", 2),
                                                ("pSS", "rheumatology", 1)]
    assert _every_query(engine, q.Filters(None)) == 4
    assert _every_query(engine, q.Filters(("SLE", "RA", "pSS"))) == 4
    assert _every_query(engine, q.Filters(("RA",))) == 1
    assert _every_query(engine, q.Filters(())) == 0
