"""Engine set-up and the one way to write: `with transaction() as session:`.

SQLite: WAL, busy_timeout, foreign keys, synchronous=FULL, and BEGIN IMMEDIATE for every write
transaction (a deferred transaction that upgrades from reader to writer fails at once with
"database is locked", whatever the busy timeout). PostgreSQL needs none of this.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from flask import current_app
from sqlalchemy import Engine, event
from sqlalchemy.orm import Session

from planner.extensions import db

_writing: ContextVar[bool] = ContextVar("writing", default=False)
_busy_ms: ContextVar[int] = ContextVar("busy_ms", default=5000)

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
        if _writing.get():
            connection.exec_driver_sql(f"PRAGMA busy_timeout={_busy_ms.get()}")
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            connection.exec_driver_sql("BEGIN")


class DatabaseBusy(Exception):
    """A write could not start in time; the web answers 503 with Retry-After."""


class WriteGate:
    """SQLite has one writer at a time: this process's writers queue here, in order, and wake the
    moment the one before them is done, instead of polling in SQLite's busy handler.

    At most `room` threads wait; a writer that finds the room full, or waits past the deadline,
    is told at once (DatabaseBusy). So when someone else holds the lock, a few threads wait and
    the rest of the server's threads go on serving pages.
    """

    def __init__(self, room: int) -> None:
        self.room = room
        self._lock = threading.Lock()
        self._count = threading.Lock()
        self._waiting = 0

    @contextmanager
    def held(self, seconds: float) -> Iterator[float]:
        """Hold the gate; yield the seconds left of `seconds` for SQLite's own lock."""
        started = time.monotonic()
        with self._count:
            if self._waiting >= self.room:
                raise DatabaseBusy("too many writes are waiting")
            self._waiting += 1
        try:
            acquired = self._lock.acquire(timeout=seconds)
        finally:
            with self._count:
                self._waiting -= 1
        if not acquired:
            raise DatabaseBusy("the write lock stayed taken")
        try:
            yield max(0.05, seconds - (time.monotonic() - started))
        finally:
            self._lock.release()


_gates: dict[str, WriteGate] = {}
_gates_lock = threading.Lock()


def _gate(engine: Engine, room: int) -> WriteGate:
    with _gates_lock:
        return _gates.setdefault(str(engine.url), WriteGate(room))


@contextmanager
def transaction() -> Iterator[Session]:
    """One write transaction: committed when the block ends, rolled back if it raises.

    On SQLite the write first passes this process's gate, then takes SQLite's lock with what is
    left of the busy time (BEGIN IMMEDIATE); past it, DatabaseBusy (a 503).
    """
    session = db.session
    if _writing.get():  # already inside a write transaction of this request
        yield session
        return
    if session.in_transaction():
        session.commit()  # end the read transaction the view may have started
    engine = db.engine
    if engine.dialect.name != "sqlite":
        with _written(session):
            yield session
        return
    config = current_app.config
    gate = _gate(engine, int(config.get("SQLITE_WRITERS_WAITING", 3)))
    with gate.held(float(config.get("SQLITE_BUSY_SECONDS", 5))) as left:
        budget = _busy_ms.set(int(left * 1000))
        try:
            with _written(session):
                yield session
        finally:
            _busy_ms.reset(budget)


@contextmanager
def _written(session: Session) -> Iterator[None]:
    token = _writing.set(True)
    try:
        with session.begin():
            yield
    finally:
        _writing.reset(token)
