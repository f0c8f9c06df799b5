"""Shared fixtures: a real SQLite database built from seed_data/ once per test session, and
throwaway copies of seed_data/ for the bad-input tests."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "seed_data"


# TRIALDB_TEST_URL (set by `python -m tests.pg_server`) runs the suite against that database, such as
# PostgreSQL; otherwise the session's database is a SQLite file, the default.
TEST_URL = os.environ.get("TRIALDB_TEST_URL")
# Under pytest-xdist ("gw0", "gw1", ...): a suffix for the PostgreSQL databases a worker makes, so that two workers
# never build the same one at once ("" in a plain run). SQLite files are apart already (each worker's tmp_path).
WORKER = "_" + os.environ["PYTEST_XDIST_WORKER"] if os.environ.get("PYTEST_XDIST_WORKER") else ""


def pytest_configure(config) -> None:
    config.addinivalue_line("markers", "sqlite_only: the test makes and reads SQLite databases of its own, whatever "
                                       "the engine; on PostgreSQL (TRIALDB_TEST_URL) it is not run again")


def pytest_collection_modifyitems(config, items) -> None:
    """On PostgreSQL, leave out the tests marked sqlite_only: they would run on SQLite a second time (CI's time)."""
    if not TEST_URL:
        return
    again = [i for i in items if i.get_closest_marker("sqlite_only")]
    if again:
        config.hook.pytest_deselected(items=again)
        items[:] = [i for i in items if not i.get_closest_marker("sqlite_only")]


@pytest.fixture(scope="session")
def db_path(tmp_path_factory) -> Path:
    """A SQLite file built from seed_data/, for tests that need a file of their own to copy."""
    from trialdb.build import build

    path = tmp_path_factory.mktemp("db") / "trials.sqlite3"
    build(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def db_url(db_path) -> str:
    """The session's database, built from seed_data/: PostgreSQL under TRIALDB_TEST_URL, else SQLite."""
    if TEST_URL:
        from trialdb.build import build

        url = TEST_URL
        if WORKER:  # a worker's own database beside TRIALDB_TEST_URL's (tests.results_db.fresh_url makes it)
            from sqlalchemy.engine import make_url

            from tests.results_db import fresh_url

            url = fresh_url(db_path.parent, make_url(TEST_URL).database or "trials")
        build(url)
        return url
    return f"sqlite:///{db_path}"


@pytest.fixture(scope="session")
def engine(db_url):
    from trialdb.store.db import make_engine

    eng = make_engine(db_url, readonly=True)
    yield eng
    eng.dispose()


@pytest.fixture(scope="session", autouse=True)
def _app_database(db_url):
    # The app (AppTest, and servers the browser tests start) reads the session's database.
    os.environ["TRIALDB_URL"] = db_url
    yield


@pytest.fixture
def seed_copy(tmp_path) -> Path:
    dest = tmp_path / "seed"
    shutil.copytree(SEED, dest)
    return dest


def file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
