"""How current the database is: whether it was built from the current seed_data/ (what the app asks at every
start), and the meta keys of the last registry sync.

Kept apart from trialdb.build so that the answer costs no import of the builder (its parsers, importer and
checks, about 0.1 s): the dashboard loads trialdb.build only when a build is due (dashboard.data.engine).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from trialdb.store import models as m
from trialdb.store.db import REGISTRY, SEED_DIR, make_engine, sqlite_path

PACKAGE = Path(__file__).resolve().parents[1]  # trialdb/
# Meta keys of the last successful sync: its time (UTC), query, API and id.
META_AT, META_QUERY, META_API, META_ID = "registry_synced_at", "registry_sync_query", "registry_sync_api", "registry_sync_id"


def fingerprint(seed_dir: Path = SEED_DIR) -> str:
    """Hash (sha256, hex) of the seed files (with the registry records `sync` keeps in seed_data/registry/ and the PubMed articles in seed_data/pubmed/)
    and of this package's code: a change to either means a rebuild."""
    h = hashlib.sha256()
    files = sorted(p for p in seed_dir.iterdir() if p.suffix in (".txt", ".toml"))
    files += sorted((seed_dir / REGISTRY).glob("*.json"))
    files += sorted((seed_dir / "pubmed").glob("*.xml"))  # trialdb.pubmed.folder.PUBMED (store imports no concept)
    files += sorted(PACKAGE.rglob("*.py"))
    for p in files:
        h.update(p.name.encode() + b"\0" + p.read_bytes() + b"\0")
    return h.hexdigest()


def meta(url: str) -> dict[str, str] | None:
    """The database's meta table (key to value), or None when there is no database of ours at `url`."""
    path = sqlite_path(url)
    if path is not None and not path.exists():
        return None
    engine = make_engine(url, readonly=True)
    try:
        with Session(engine) as session:
            return {r.key: r.value for r in session.scalars(select(m.Meta))}
    except SQLAlchemyError:  # no tables, or not a database: nothing of ours to keep
        return None
    finally:
        engine.dispose()


def is_fresh(url: str, seed_dir: Path = SEED_DIR) -> bool:
    """Whether the database needs no (re)build: built from these seeds, or not built from seeds at all
    (a synthetic or otherwise generated database the app is pointed at is never overwritten)."""
    found = meta(url)
    if not found:
        return False
    return found.get("origin") != "seed" or found.get("fingerprint") == fingerprint(seed_dir)
