"""A database holding the seeds and the real registry records with posted results, for the results tests
(importer, AppTest, browser): a SQLite file, or under TRIALDB_TEST_URL a second PostgreSQL database on the
same server, so both runs of the suite exercise the results tables on their own engine."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.conftest import REPO, TEST_URL, WORKER

CTGOV = REPO / "tests" / "fixtures" / "ctgov"
WITH_RESULTS = ("NCT00763412", "NCT05594173")  # real records with a resultsSection
NEITHER = "NCT03418623"  # a real record with no results and no publication here
PUBLICATION_ONLY = "NCT02465580"  # the seed SLE trial: its publication, no posted results
FILES = [CTGOV / f"{n}.json" for n in (*WITH_RESULTS, NEITHER)]


def fresh_url(folder: Path, name: str) -> str:
    """An empty database: a SQLite file in `folder`, or a new PostgreSQL database beside TRIALDB_TEST_URL's."""
    if not TEST_URL:
        return f"sqlite:///{folder / (name + '.sqlite3')}"
    name += WORKER  # each pytest-xdist worker its own (two workers building one database at once would race)
    url = make_url(TEST_URL)
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


def build_results_database(folder: Path, name: str = "trials_results") -> str:
    """Seeds plus the fixture records (two with results, one with neither), imported as a user would, kept in
    the portfolio by a reviewed decision (tests/portfolio_support.py: they give no IL-2)."""
    from tests import portfolio_support
    from trialdb.build import build
    from trialdb.registry.importer import import_files
    from trialdb.store.db import make_engine

    url = fresh_url(folder, name)
    build(url)
    engine = make_engine(url)
    import_files(engine, FILES, portfolio_support.inputs())
    engine.dispose()
    return url
