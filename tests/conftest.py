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


@pytest.fixture(scope="session")
def db_path(tmp_path_factory) -> Path:
    from trialdb.build import build

    path = tmp_path_factory.mktemp("db") / "trials.sqlite3"
    build(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def engine(db_path):
    from trialdb.db import make_engine

    eng = make_engine(f"sqlite:///{db_path}", readonly=True)
    yield eng
    eng.dispose()


@pytest.fixture(scope="session", autouse=True)
def _app_database(db_path):
    # The app (AppTest, and servers the browser tests start) reads the session's database.
    os.environ["TRIALDB_URL"] = f"sqlite:///{db_path}"
    yield


@pytest.fixture
def seed_copy(tmp_path) -> Path:
    dest = tmp_path / "seed"
    shutil.copytree(SEED, dest)
    return dest


def file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
