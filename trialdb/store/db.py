"""Where the database lives and how it is opened: one place for paths, URLs and engines."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

REPO = Path(__file__).resolve().parents[2]
SEED_DIR = REPO / "seed_data"
DEFAULT_DB = REPO / "var" / "trials.sqlite3"
REGISTRY = "registry"  # folder of seed_data/ holding the records `sync` fetched (trialdb.registry.folder)


def default_db_path() -> Path:
    """var/trials.sqlite3 in the repository, or a temporary folder when the repository is read-only."""
    folder = DEFAULT_DB.parent
    try:
        folder.mkdir(exist_ok=True)
        probe = folder / f".write-probe-{os.getpid()}"
        probe.touch()
        probe.unlink()
        return DEFAULT_DB
    except OSError:
        return Path(tempfile.gettempdir()) / "il2-trialdb" / DEFAULT_DB.name


def database_url(path: str | Path | None = None) -> str:
    if path is not None:
        return f"sqlite:///{Path(path).resolve()}"
    return os.environ.get("TRIALDB_URL") or f"sqlite:///{default_db_path()}"


def sqlite_path(url: str) -> Path | None:
    """The file behind a SQLite URL; None for other databases (and for in-memory SQLite)."""
    u = make_url(url)
    if u.get_backend_name() != "sqlite" or not u.database or u.database == ":memory:":
        return None
    return Path(u.database)


def make_engine(url: str, readonly: bool = False, scratch: bool = False) -> Engine:
    """An engine for `url`. `readonly`: the app's (SQLite mode=ro and query_only). `scratch`: a SQLite
    file being built aside, written without per-statement syncs (build fsyncs it once before the rename)."""
    path = sqlite_path(url)
    if path is not None and readonly:
        # mode=ro: the app cannot write, whatever a page does; query_only guards the connection too.
        engine = create_engine(f"sqlite:///file:{path}?mode=ro&uri=true")
    elif readonly and make_url(url).get_backend_name() == "postgresql":
        engine = create_engine(url, pool_pre_ping=True,
                               connect_args={"options": "-c default_transaction_read_only=on"})
    else:
        engine = create_engine(url, pool_pre_ping=make_url(url).get_backend_name() != "sqlite")
    if engine.dialect.name == "sqlite":
        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn, _record):
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys = ON")
            if readonly:
                cur.execute("PRAGMA query_only = ON")
            if scratch:
                cur.execute("PRAGMA synchronous = OFF")
                cur.execute("PRAGMA journal_mode = MEMORY")
            cur.close()
    return engine
