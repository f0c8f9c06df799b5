"""The list of flags (trialdb/flags.py), one test per kind, and the registry's quirk records
(tests/fixtures/quirks/, copied from ../shared/fixtures/quirks/) imported as posted: a p-value posted with a
sign kept and flagged, enrolment 99999999 kept in the database and export but left out of every sum, sort
and table. Runs on SQLite and, under TRIALDB_TEST_URL, PostgreSQL (the sums are SQL)."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from sqlalchemy.orm import Session

from tests.conftest import REPO
from tests.results_db import fresh_url
from trialdb import flags, queries
from trialdb.build import build
from trialdb.check import check
from trialdb.export import export
from trialdb.registry.importer import import_files
from trialdb.results.section import flags_of, modelled
from trialdb.store.db import make_engine

QUIRKS = REPO / "tests" / "fixtures" / "quirks"
PVALUE = QUIRKS / "pvalue-with-sign.json"
SENTINEL = QUIRKS / "enrollment-sentinel-99999999.json"


def test_every_kind_has_a_sentence_and_a_source():
    assert set(flags.KINDS) == {"p_value_with_sign", "p_value_not_a_number", "p_value_out_of_range",
                                "count_above_denominator", "denominator_not_whole", "unknown_group",
                                "enrollment_placeholder", "arm_names_unknown_intervention", "enum_value_unknown",
                                "geo_point_out_of_range"}
    for key, kind in flags.KINDS.items():
        assert kind.key == key and kind.sentence and kind.source
    assert flags.sentence("p_value_with_sign").startswith("p-value posted with a sign")


@pytest.mark.parametrize(("posted", "kind"), [
    ("<0.001", None), ("< .05", None), ("<=0.05", None), ("≥0.99", None), ("0.0001", None), ("1", None),
    ("1e-5", None), ("0", None),
    ("=0.247", "p_value_with_sign"), ("=0.31", "p_value_with_sign"), ("p=0.04", "p_value_with_sign"),
    ("P < 0.05", "p_value_with_sign"),
    ("1.7", "p_value_out_of_range"), ("=1.2", "p_value_out_of_range"),
    ("significant", "p_value_not_a_number"), ("NS", "p_value_not_a_number"), ("", "p_value_not_a_number"),
])
def test_p_value_kinds(posted, kind):
    assert flags.p_value_kind(posted) == kind
    assert flags.usable_p_value(posted) is (kind is None)


def test_count_denominator_and_placeholder_checks():
    assert flags.count_above(15, 14) and not flags.count_above(14, 14) and not flags.count_above(None, 3)
    assert flags.whole_number("14") and not flags.whole_number("NA") and not flags.whole_number("14.5")
    assert flags.enrollment_placeholder(99999999) and not flags.enrollment_placeholder(9999999)
    assert flags.enrollment_stated(99999999) is None and flags.enrollment_stated(40) == 40
    assert flags.enrollment_label(99999999, "ESTIMATED", "-") == "not stated (registry placeholder 99999999)"
    assert flags.enrollment_label(40, "ESTIMATED", "-") == "40 (estimated)"
    assert flags.enrollment_label(None, None, "-") == "-"
    assert flags.placeholder_note(1) == "1 trial's enrolment is a registry placeholder (99999999), left out."


def test_coordinates_off_the_globe():
    """A geoPoint within ±90 latitude and ±180 longitude is placed; beyond, or not stated, it is not (a real
    site: Sabadell, NCT03475563)."""
    assert flags.on_the_map(41.54329, 2.10942) and flags.on_the_map(-90, 180) and flags.on_the_map(0, 0)
    assert not flags.on_the_map(95.5, 2.1) and not flags.on_the_map(41.5, -180.5)
    assert not flags.on_the_map(None, 2.1) and not flags.on_the_map(41.5, None)
    assert flags.coordinate_out_of_range(90.01, 90) and not flags.coordinate_out_of_range(None, 90)
    assert not flags.coordinate_out_of_range(-180, 180)


def test_store_refuses_a_kind_not_in_the_list(tmp_path):
    engine = make_engine(fresh_url(tmp_path, "trials_flags_kind"))
    import_files(engine, [SENTINEL])
    with Session(engine) as s, pytest.raises(KeyError):
        flags.store(s, "NCT90000001", [("x", "no_such_kind", "1")])
    engine.dispose()


def test_a_p_value_posted_with_a_sign_is_kept_shown_and_flagged(tmp_path):
    src = json.loads(PVALUE.read_text())
    path = "resultsSection.outcomeMeasuresModule.outcomeMeasures[0].analyses[0].pValue"
    assert flags_of(modelled(src["resultsSection"])) == [(path, "p_value_with_sign", "=0.31")]
    engine = make_engine(fresh_url(tmp_path, "trials_flags_pvalue"))
    assert import_files(engine, [PVALUE]).added == ["NCT90000015"]
    study = export(engine)["studies"][0]
    assert study["resultsSection"] == modelled(src["resultsSection"])  # export equals source
    assert study["resultsSection"]["outcomeMeasuresModule"]["outcomeMeasures"][0]["analyses"][0]["pValue"] == "=0.31"
    with Session(engine) as s:
        assert flags.for_study(s, "NCT90000015") == [(path, "p_value_with_sign", "=0.31")]
    assert check(engine).ok
    engine.dispose()


@pytest.fixture(scope="module")
def sentinel_url(tmp_path_factory) -> str:
    url = fresh_url(tmp_path_factory.mktemp("sentinel"), "trials_flags_sentinel")
    build(url)
    return url


def test_enrolment_placeholder_is_kept_but_left_out_of_sums_sorts_and_tables(sentinel_url):
    engine = make_engine(sentinel_url)
    f = queries.Filters(None)
    before = queries.headline(engine, f)
    by_before = queries.counts_by(engine, f)
    import_files(engine, [SENTINEL])
    after = queries.headline(engine, f)
    # The placeholder adds a trial, not 99,999,999 participants; it is counted as a placeholder.
    assert after["participants"] == before["participants"]
    assert after["trials"] == before["trials"] + 1
    assert after["with_enrolment"] == before["with_enrolment"]
    assert (before["enrolment_placeholders"], after["enrolment_placeholders"]) == (0, 1)
    by = queries.counts_by(engine, f)
    assert int(by.participants.sum()) == int(by_before.participants.sum()) == before["participants"]
    assert int(by.enrolment_placeholders.sum()) == 1 and int(by.participants.max()) < flags.ENROLLMENT_PLACEHOLDER
    # Kept as posted: the database and export hold 99999999, and a flag says what it is.
    study = next(s for s in export(engine)["studies"]
                 if s["protocolSection"]["identificationModule"]["nctId"] == "NCT90000001")
    assert study["protocolSection"]["designModule"]["enrollmentInfo"] == {"count": 99999999, "type": "ESTIMATED"}
    with Session(engine) as s:
        assert flags.for_study(s, "NCT90000001") == [(flags.ENROLLMENT_PATH, "enrollment_placeholder", "99999999")]
    # Tables show it as not stated, and a sort on enrolment puts it with the missing values, last either way.
    from dashboard.frames import trials_table
    from dashboard.sorting import sort_rows

    table = trials_table(queries.studies(engine, f))
    row = table[table["NCT id"].str.endswith("NCT90000001")]
    assert list(row.Enrolment) == ["not stated (registry placeholder 99999999)"]
    for descending in (False, True):
        ordered = sort_rows(table, "Enrolment", descending)
        stated = ordered.Enrolment[~ordered.Enrolment.str.startswith("not stated")]
        first = int(stated.iloc[0].split()[0])
        assert first == (max if descending else min)(int(e.split()[0]) for e in stated)
        assert ordered.index.get_loc(row.index[0]) > max(ordered.index.get_loc(i) for i in stated.index)
    assert pd.notna(table.Enrolment).all()
    engine.dispose()


def test_the_outcomes_tables_show_the_flag_beside_the_value_as_posted(tmp_path):
    from dashboard.results import frames as results_frames
    from trialdb.results import queries as results_queries

    engine = make_engine(fresh_url(tmp_path, "trials_flags_shown"))
    import_files(engine, [PVALUE])
    measures = results_queries.outcome_measures(engine, "NCT90000015")
    mid = int(measures.id[measures.title == "Time to First Severe Flare"].iloc[0])
    detail = results_queries.measure_data(engine, mid)
    table = results_frames.analyses_table(detail)
    assert list(table["p-value (as posted)"]) == ["=0.31"]
    assert list(table.Flag) == [f"⚑ flagged: {flags.sentence('p_value_with_sign')}"]
    long = results_frames.measure_long(detail)
    assert list(long.flag) == ["", ""] and "Flag" not in results_frames.measure_table(long, None, "months").columns
    engine.dispose()
