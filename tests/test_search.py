"""Full-text search (trialdb.search) on the session's database, SQLite or PostgreSQL: drugs, other
names, sponsors, collaborators, NCT ids, accents; every word must match; hostile text is inert; the
index follows imports."""

from __future__ import annotations

import shutil

import pytest

from tests import portfolio_support
from tests.conftest import REPO
from trialdb import queries, search

ALL = ("SLE", "RA", "pSS")
SEARCHES = {
    "hrIL-2": {"NCT02465580", "NCT02467504", "NCT02464319"},  # an intervention name, hyphenated
    # a drug; NCT02464319's eligibility criteria name it too (free text is searched as well)
    "belimumab": {"NCT05262686", "NCT02464319"},
    "belim": {"NCT05262686", "NCT02464319"},  # a word's start
    "Loxoprofen": {"NCT02467504"},  # a background drug
    "Monash": {"NCT02465580"},  # a collaborator
    "Peking University People's Hospital": {"NCT02465580"},  # a lead sponsor
    "NCT02467504": {"NCT02467504"},  # an NCT id
    "nct0246758": set(),
    "Sjogren": {"NCT02464319"},  # the source writes Sjögren
    "SJÖGREN": {"NCT02464319"},
    "rheumatoid arthritis": {"NCT02467504"},  # a condition; both words
    "rheumatoid lupus": set(),
    "zzzz": set(),
}
HOSTILE = ['"', '"lupus', "NEAR(lupus", "lupus*", "-lupus", "lupus OR", "NOT lupus", "lupus AND", "^lupus",
           "x' OR 1=1; DROP TABLE studies; --", "<img src=x onerror=alert(1)>", "[x](javascript:alert(1))",
           "lupus:*", "a & b | !c", "(", ")", "\\", "%", "_", "\x00", "a" * 10_000, "lupus " * 5_000]


def matches(engine, text: str) -> set[str]:
    return set(queries.studies(engine, queries.Filters(ALL, query=text)).nct_id)


@pytest.mark.parametrize("text", list(SEARCHES))
def test_search_finds_the_right_trials(engine, text):
    assert matches(engine, text) == SEARCHES[text]


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_text_is_plain_words(engine, text):
    found = matches(engine, text)  # never an error
    words = search.words(text)
    if not words:
        assert found == matches(engine, "")  # nothing to search for: the filter alone
    assert len(queries.studies(engine, queries.Filters(ALL)).nct_id) == 4  # the database is intact


def test_expressions_hold_only_quoted_tokens():
    assert search.fts5_expression('hrIL-2 "NEAR(x" OR*') == '"hril 2"* AND "near x"* AND "or"*'
    assert search.tsquery_expression("hrIL-2 Sjögren") == "(hril <-> 2:*) & (sjogren:*)"
    assert len(search.clean_query("a" * 10_000)) == search.MAX_CHARS
    assert len(search.words("w " * 100)) == search.MAX_WORDS


def test_search_combines_with_the_filter(engine):
    f = queries.Filters(("RA",), query="hrIL-2")
    assert set(queries.studies(engine, f).nct_id) == {"NCT02467504"}
    assert queries.headline(engine, f)["trials"] == 1
    assert set(queries.regimens(engine, queries.Filters(ALL, query="belimumab")).nct_id) == {"NCT05262686", "NCT02464319"}


@pytest.mark.sqlite_only
def test_an_import_refreshes_the_index(tmp_path, db_path):
    """Imported trials (with an acronym, other names, collaborators) are found at once."""
    from trialdb.registry.importer import import_files
    from trialdb.store.db import make_engine

    db = tmp_path / "imported.sqlite3"
    shutil.copy(db_path, db)
    engine = make_engine(f"sqlite:///{db}")
    try:
        assert matches(engine, "BIOSS") == set()
        import_files(engine, [REPO / "tests" / "fixtures" / "ctgov" / "NCT03475563.json"], portfolio_support.inputs())
        inds = tuple(c for c, _, _ in queries.filter_options(engine)["indications"])
        found = set(queries.studies(engine, queries.Filters(inds, query="BIOSS")).nct_id)
        assert found == {"NCT03475563"}  # its acronym
        assert "NCT03475563" in set(queries.studies(engine, queries.Filters(inds, query="NCT03475563")).nct_id)
        assert set(queries.studies(engine, queries.Filters(inds, query="belimumab")).nct_id) == SEARCHES["belimumab"]
    finally:
        engine.dispose()


@pytest.mark.sqlite_only
def test_acronym_is_stored_with_its_source(tmp_path, db_path):
    from sqlalchemy.orm import Session

    from trialdb.check import check
    from trialdb.registry.importer import import_files
    from trialdb.store import models as m
    from trialdb.store.db import make_engine

    db = tmp_path / "acronym.sqlite3"
    shutil.copy(db_path, db)
    engine = make_engine(f"sqlite:///{db}")
    try:
        import_files(engine, [REPO / "tests" / "fixtures" / "ctgov" / "NCT03475563.json"], portfolio_support.inputs())
        with Session(engine) as session:
            assert session.get(m.Study, "NCT03475563").acronym == "BIOSS"
            assert session.get(m.Study, "NCT02465580").acronym is None  # the seed sources state none
            quote = session.query(m.Provenance).filter_by(subject="NCT03475563",
                                                          path="identificationModule.acronym").one().quote
            assert quote == '"BIOSS"'
        assert check(engine, coverage=False).ok
    finally:
        engine.dispose()


@pytest.mark.sqlite_only
def test_synthetic_portfolio_is_searchable(tmp_path):
    from trialdb.store.db import make_engine
    from trialdb.synthetic import generate

    generate(f"sqlite:///{tmp_path / 's.sqlite3'}", n=120)
    engine = make_engine(f"sqlite:///{tmp_path / 's.sqlite3'}", readonly=True)
    try:
        inds = tuple(c for c, _, _ in queries.filter_options(engine)["indications"])
        assert set(queries.studies(engine, queries.Filters(inds, query="NCT90000007")).nct_id) == {"NCT90000007"}
        # A sponsor's name, accents folded, finds the trials it leads or collaborates on (the sponsor filter's)
        sponsor = set(queries.studies(engine, queries.Filters(inds, query="Charite Universitatsmedizin")).nct_id)
        named = queries.Filters(inds, sponsors=("Charité - Universitätsmedizin Berlin",))
        assert sponsor == set(queries.studies(engine, named).nct_id) and len(sponsor) > 3
    finally:
        engine.dispose()
