"""Readiness for Streamlit Community Cloud: pinned requirements, theme, and a database that finds a
writable home even when the repository is read-only."""

from __future__ import annotations

import os
import re
import tomllib

import pytest

from tests.conftest import REPO
from trialdb.store import db


def test_requirements_are_pinned_and_test_tools_kept_apart():
    reqs = [ln for ln in (REPO / "requirements.txt").read_text().splitlines() if ln and not ln.startswith("#")]
    assert reqs and all(re.fullmatch(r"[A-Za-z0-9_.\[\]-]+==[0-9][\w.]*", r) for r in reqs), reqs
    assert {r.split("==")[0].lower() for r in reqs} == {"streamlit", "pandas", "plotly", "sqlalchemy", "psycopg[binary]",
                                                      "requests", "urllib3", "markdown-it-py", "mdurl", "defusedxml",
                                                      "rispy", "bibtexparser", "pylatexenc"}
    test_reqs = (REPO / "requirements-test.txt").read_text()
    assert "pytest==" in test_reqs and "playwright==" in test_reqs and "pytest" not in (REPO / "requirements.txt").read_text()


def test_theme_config():
    config = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text())
    assert config["theme"]["primaryColor"] and config["server"]["fileWatcherType"] == "none"


def test_the_benchmark_yardstick_keeps_streamlits_defaults_for_what_the_app_tunes():
    """The app turns Streamlit's runner options (magic, the full collection after each run) to its own
    values; the benchmark's minimal page (bench/minimal_app.py, with the script-level config beside it)
    must stay a bare Streamlit page, so each such option is set back to Streamlit's default there."""
    from streamlit import config as st_config

    app = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text())["runner"]
    yardstick = tomllib.loads((REPO / "bench" / ".streamlit" / "config.toml").read_text())["runner"]
    assert app == {"magicEnabled": False, "postScriptGC": False}
    defaults = {name: st_config.get_config_options()[f"runner.{name}"].default_val for name in app}
    assert yardstick == defaults and all(yardstick[name] != app[name] for name in app)


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


START = """
import sys
from streamlit.testing.v1 import AppTest
at = AppTest.from_file({app!r}, default_timeout=300).run()
assert not at.exception, [e.value for e in at.exception]
print("builder loaded" if "trialdb.build" in sys.modules else "builder not loaded", at.metric[0].value)
"""


def _start_app(url: str) -> str:
    """The overview run in a fresh process (as a server starts), against `url`: what it printed."""
    import subprocess
    import sys

    env = {**os.environ, "TRIALDB_URL": url}
    done = subprocess.run([sys.executable, "-c", START.format(app=str(REPO / "app.py"))], env=env, cwd=REPO,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout.strip()


@pytest.mark.sqlite_only
def test_a_start_with_a_fresh_database_does_not_load_the_builder(db_path):
    # trialdb.build (its parsers, importer and checks) costs about 0.1 s to import: the app asks
    # trialdb.store.freshness whether a build is due and loads the builder only then (issue 21, cold start).
    assert _start_app(f"sqlite:///{db_path}") == "builder not loaded 4"


@pytest.mark.sqlite_only
def test_a_start_without_a_database_builds_it_first(tmp_path):
    path = tmp_path / "trials.sqlite3"
    assert _start_app(f"sqlite:///{path}") == "builder loaded 4"
    assert path.exists()
