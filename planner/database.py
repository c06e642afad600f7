"""Engine set-up and the one way to write: `with transaction() as session:`.

SQLite: WAL, busy_timeout, foreign keys, synchronous=FULL, and BEGIN IMMEDIATE for every write
transaction (a deferred transaction that upgrades from reader to writer fails at once with
"database is locked", whatever the busy timeout). PostgreSQL needs none of this.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy.orm import Session

from planner.extensions import db

_writing: ContextVar[bool] = ContextVar("writing", default=False)

SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA foreign_keys=ON",
    "PRAGMA synchronous=FULL",
)


def configure(engine: Engine, busy_seconds: float = 5) -> None:
    """Busy timeout: a write that cannot get the lock within it fails, and the app answers 503."""
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout={int(busy_seconds * 1000)}")  # first: WAL may wait
        for pragma in SQLITE_PRAGMAS:
            cursor.execute(pragma)
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE" if _writing.get() else "BEGIN")


@contextmanager
def transaction() -> Iterator[Session]:
    """One write transaction: committed when the block ends, rolled back if it raises."""
    session = db.session
    if session.in_transaction():
        session.commit()  # end the read transaction the view may have started
    token = _writing.set(True)
    try:
        with session.begin():
            yield session
    finally:
        _writing.reset(token)
