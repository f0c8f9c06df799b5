"""Primary keys given before a flush, so an import of many records writes its rows in one flush (one
executemany per table) rather than one flush per row that others point at."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table, func, select, text
from sqlalchemy.orm import Session


def _sqlite_counters(session: Session) -> dict[str, int]:
    """The next id of each table, for this transaction (SQLite); opens the transaction and defers its
    foreign-key checks to the commit on first use."""
    tx = session.get_transaction()
    held = session.info.get("trialdb_next_ids")
    if held is None or held[0] is not tx:  # counters live for one transaction (another may write between)
        held = session.info["trialdb_next_ids"] = (tx, {})
        conn = session.connection()
        if not conn.connection.dbapi_connection.in_transaction:  # type: ignore[union-attr]
            # sqlite3 opens its transaction at the first write, and the pragma lasts one transaction.
            conn.exec_driver_sql("BEGIN")
        conn.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
    return held[1]


def _take(session: Session, nxt: dict[str, int], table: Table, n: int) -> int:
    """The first of `n` consecutive ids of `table` (SQLite: one above the largest, counted on)."""
    if table.name not in nxt:
        nxt[table.name] = (session.scalar(select(func.max(table.c.id))) or 0) + 1
    first = nxt[table.name]
    nxt[table.name] += n
    return first


def give_ids(session: Session, *rows: Any) -> None:
    """Primary keys for new rows that other rows point at. On SQLite they are given here as SQLite gives
    them (one above the largest in the table), so a record's results need no flush each and go in with
    the rest of an import, one executemany per table; elsewhere (PostgreSQL's sequences) by a flush.
    The unit of work orders tables by relationships, and result rows have none, so on SQLite the foreign
    keys are checked at the commit (`PRAGMA defer_foreign_keys`, for this transaction only)."""
    if session.get_bind().dialect.name != "sqlite":
        session.add_all(rows)
        session.flush()
        return
    nxt = _sqlite_counters(session)
    for row in rows:
        row.id = _take(session, nxt, type(row).__table__, 1)
    session.add_all(rows)


def reserve_ids(session: Session, table: Table, n: int) -> list[int]:
    """`n` new primary keys of `table` (its integer `id`), for rows written by a Core insert that others
    point at. SQLite: as `give_ids` gives them (foreign keys checked at the commit); PostgreSQL: taken from
    the column's sequence (`nextval`), so later inserts without an id never collide with them."""
    if n <= 0:
        return []
    if session.get_bind().dialect.name == "sqlite":
        first = _take(session, _sqlite_counters(session), table, n)
        return list(range(first, first + n))
    return list(session.scalars(text("SELECT nextval(pg_get_serial_sequence(:t, 'id')) FROM generate_series(1, :n)"),
                                {"t": table.name, "n": n}))
