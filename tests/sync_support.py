"""Helpers for the sync tests: a database of our own (a SQLite file, or a PostgreSQL database of its own
on the TRIALDB_TEST_URL server), a registry record of a seed trial, and a database with changes."""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import shutil
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from tests.conftest import SEED, TEST_URL
from tests.ctgov_server import CtgovServer, Registry, real_records
from trialdb.build import build
from trialdb.export import study_record
from trialdb.registry.client import Client
from trialdb.registry.sync import SyncReport, sync
from trialdb.store import models as m
from trialdb.store.db import make_engine


@contextlib.contextmanager
def own_database(tmp_path: Path):
    """A database for one test: a SQLite file, or under TRIALDB_TEST_URL a new PostgreSQL database on that
    server (dropped afterwards), so the session's shared database is never touched."""
    if not TEST_URL:
        yield f"sqlite:///{tmp_path / 'sync.sqlite3'}"
        return
    name = f"sync_{uuid.uuid4().hex[:10]}"
    admin = create_engine(make_url(TEST_URL).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(TEST_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def seed_copy(tmp_path: Path) -> Path:
    dest = tmp_path / "seed"
    shutil.copytree(SEED, dest, ignore=shutil.ignore_patterns("NCT*.json", "changes.json", "SHA256SUMS"))
    return dest


def seed_trial_record(url: str, nct: str) -> dict:
    """A registry-shaped record of a seed trial (its export), as the registry would serve it."""
    engine = make_engine(url, readonly=True)
    try:
        with Session(engine) as s:
            rec = study_record(s.get(m.Study, nct))
    finally:
        engine.dispose()
    rec["protocolSection"]["statusModule"]["lastUpdatePostDateStruct"] = {"date": "2024-05-02", "type": "ACTUAL"}
    return rec


def client(srv: CtgovServer, **kw) -> Client:
    opts = {"per_minute": 0, "backoff": 0.01, "retries": 3, "timeout": (2.0, 2.0), "page_size": 3, **kw}
    return Client(srv.api, **opts)


def run_sync(url: str, seed: Path, srv: CtgovServer, **kw) -> SyncReport:
    c = client(srv, **{k: kw.pop(k) for k in list(kw) if k in ("retries", "timeout", "page_size", "backoff")})
    try:
        return sync(url, seed_dir=seed, client=c, **kw)
    finally:
        c.close()


def database_with_changes(url: str, seed: Path) -> dict:
    """Build from `seed`, sync the real records and a registry record of the seed trial NCT02465580, then
    change two records on the server (one real record's status, the seed trial's enrolment) and sync
    again. Returns what changed."""
    build(url, seed)
    today = dt.date.today().isoformat()  # updated today: the next, incremental, sync asks for it again
    reg = Registry({**real_records(), "NCT02465580": seed_trial_record(url, "NCT02465580")})
    with CtgovServer(reg) as srv:
        first = run_sync(url, seed, srv)
        reg.set("NCT03418623", "statusModule.overallStatus", "TERMINATED")
        reg.set("NCT03418623", "statusModule.whyStopped", "Sponsor decision")
        reg.set("NCT03418623", "statusModule.lastUpdatePostDateStruct", {"date": today, "type": "ACTUAL"})
        seed_rec = copy.deepcopy(reg.studies["NCT02465580"])
        seed_rec["protocolSection"]["designModule"]["enrollmentInfo"] = {"count": 100, "type": "ACTUAL"}
        seed_rec["protocolSection"]["statusModule"]["lastUpdatePostDateStruct"] = {"date": today, "type": "ACTUAL"}
        reg.studies["NCT02465580"] = seed_rec
        second = run_sync(url, seed, srv)
    return {"first": first, "second": second}


@contextlib.contextmanager
def synced_for_app(tmp_path: Path):
    """`database_with_changes` in a database of its own, ready for the app to open; yields its URL. The real
    records, which give no IL-2, are kept in the portfolio by reviewed decisions (tests/portfolio_support.py)
    so the pages show them."""
    from tests.portfolio_support import add_to_portfolio_toml

    seed = seed_copy(tmp_path)
    add_to_portfolio_toml(seed)
    with own_database(tmp_path) as url:
        database_with_changes(url, seed)
        # Built from a copy of seed_data/, so its fingerprint is not the repository's: the app would rebuild
        # it from seed_data/ on start. Marked as a generated database, which the app never overwrites.
        engine = make_engine(url)
        with Session(engine) as s, s.begin():
            s.merge(m.Meta(key="origin", value="test: synced from the protocol test server"))
        engine.dispose()
        yield url
