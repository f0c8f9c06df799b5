"""Readiness for Streamlit Community Cloud: pinned requirements, theme, and a database that finds a
writable home even when the repository is read-only."""

from __future__ import annotations

import os
import re
import tomllib

from tests.conftest import REPO
from trialdb import db


def test_requirements_are_pinned_and_test_tools_kept_apart():
    reqs = [ln for ln in (REPO / "requirements.txt").read_text().splitlines() if ln and not ln.startswith("#")]
    assert reqs and all(re.fullmatch(r"[A-Za-z0-9_.\[\]-]+==[0-9][\w.]*", r) for r in reqs), reqs
    assert {r.split("==")[0].lower() for r in reqs} == {"streamlit", "pandas", "plotly", "sqlalchemy", "psycopg[binary]",
                                                      "requests", "urllib3", "markdown-it-py", "mdurl"}
    test_reqs = (REPO / "requirements-test.txt").read_text()
    assert "pytest==" in test_reqs and "playwright==" in test_reqs and "pytest" not in (REPO / "requirements.txt").read_text()


def test_theme_config():
    config = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text())
    assert config["theme"]["primaryColor"] and config["server"]["fileWatcherType"] == "none"


def test_read_only_repository_falls_back_to_a_temporary_folder(tmp_path, monkeypatch):
    folder = tmp_path / "repo" / "var"
    folder.parent.mkdir()
    monkeypatch.setattr(db, "DEFAULT_DB", folder / "trials.sqlite3")
    assert db.default_db_path() == folder / "trials.sqlite3"  # writable: inside the repository
    folder.rmdir()
    (tmp_path / "repo" / "var").write_text("not a folder")  # mkdir fails as it would on a read-only checkout
    fallback = db.default_db_path()
    assert fallback.parent.name == "il2-trialdb" and str(fallback).startswith(os.environ.get("TMPDIR", "/tmp"))


def test_the_app_builds_its_database_where_it_can(tmp_path, monkeypatch):
    from trialdb.build import ensure_database

    monkeypatch.delenv("TRIALDB_URL", raising=False)
    monkeypatch.setattr(db, "DEFAULT_DB", tmp_path / "var" / "trials.sqlite3")
    url = ensure_database(db.database_url())
    assert (tmp_path / "var" / "trials.sqlite3").exists() and url.endswith("trials.sqlite3")
