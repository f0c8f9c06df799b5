"""Primary keys given before a flush, so an import of many records writes its rows in one flush (one
executemany per table) rather than one flush per row that others point at."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session


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
    tx = session.get_transaction()
    held = session.info.get("trialdb_next_ids")
    if held is None or held[0] is not tx:  # counters live for one transaction (another may write between)
        held = session.info["trialdb_next_ids"] = (tx, {})
        conn = session.connection()
        if not conn.connection.dbapi_connection.in_transaction:  # type: ignore[union-attr]
            # sqlite3 opens its transaction at the first write, and the pragma lasts one transaction.
            conn.exec_driver_sql("BEGIN")
        conn.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
    nxt: dict[str, int] = held[1]
    for row in rows:
        table = type(row).__table__
        if table.name not in nxt:
            nxt[table.name] = (session.scalar(select(func.max(table.c.id))) or 0) + 1
        row.id = nxt[table.name]
        nxt[table.name] += 1
    session.add_all(rows)
