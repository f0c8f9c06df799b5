"""Rows written by Core inserts beside the ORM's unit of work: a record's leaf rows (its conditions,
eligibility criteria, sponsors, posted results, ...) as plain column dicts, held by the session and written
after its next flush, one executemany a table for a whole import.

Why: at 1,000 synced records a build stores tens of thousands of such rows; as ORM objects they made
most of its time (object construction, attribute events, the unit of work's bookkeeping). Rows here are
never read back as objects in the session that adds them; other rows may point at them only by an id
given ahead (trialdb/store/ids.py `reserve_ids`). After the flush their parents (the studies just flushed) are
in the database, so foreign keys hold on every engine. Within a table rows are written in the order
added (their database ids follow it, as the ORM's would); tables in the order of their foreign keys."""

from __future__ import annotations

import functools
from typing import Any

from sqlalchemy import Table, event, insert
from sqlalchemy.orm import Session

from trialdb.store.models import Base

_KEY = "trialdb_pending_rows"


@functools.cache
def _order() -> dict[str, int]:
    """Each table's place in the order of foreign keys: read on first use, when every table's module (this
    package's, trialdb.results.models ...) has been imported by whoever holds rows for it."""
    return {t.name: i for i, t in enumerate(Base.metadata.sorted_tables)}


def add_rows(session: Session, table: Table, rows: list[dict[str, Any]]) -> None:
    """Hold `rows` (column -> value, every row of one call with the same columns) for `table`, to be
    written after the session's next flush. Not readable through the ORM before then."""
    if rows:
        pending: dict[str, tuple[Table, list[dict[str, Any]]]] = session.info.setdefault(_KEY, {})
        pending.setdefault(table.name, (table, []))[1].extend(rows)


def write_rows(session: Session) -> None:
    """Write the rows held for `session` now (after_flush calls this; so may a caller about to query)."""
    pending = session.info.pop(_KEY, None)
    if not pending:
        return
    conn = session.connection()
    for name in sorted(pending, key=_order().__getitem__):
        table, rows = pending[name]
        _write(conn, table, rows)


def _write(conn: Any, table: Table, rows: list[dict[str, Any]]) -> None:
    """One executemany per set of columns (a table's rows mostly share one)."""
    start = 0
    for i in range(1, len(rows) + 1):
        if i == len(rows) or rows[i].keys() != rows[start].keys():
            conn.execute(insert(table), rows[start:i])
            start = i


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _context: Any) -> None:
    write_rows(session)


@event.listens_for(Session, "after_soft_rollback")
def _after_rollback(session: Session, _previous: Any) -> None:
    session.info.pop(_KEY, None)
