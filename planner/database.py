"""Engine set-up and the one way to write: `with transaction() as session:`.

SQLite: WAL, busy_timeout, foreign keys, synchronous=FULL, and BEGIN IMMEDIATE for every write
transaction (a deferred transaction that upgrades from reader to writer fails at once with
"database is locked", whatever the busy timeout). PostgreSQL needs none of this.
"""

from __future__ import annotations

import fcntl
import os
import queue
import threading
import time
from collections import deque
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


class FileLock:
    """The cross-process half of the gate: an flock on a file beside the database.

    One writer per process comes here (the in-process gate lets one through at a time). When the
    file is free it takes it at once; when another process holds it, a helper thread blocks in
    flock, so the kernel wakes it the moment the lock is let go, while the writer waits on an
    event it can give up on at its deadline. A grant that comes after the writer gave up is let
    go at once.
    """

    def __init__(self, path: str) -> None:
        self.path = path
        self._pid = 0
        self._fd = -1
        self._mutex = threading.Lock()
        self._pending = 0  # requests the helper thread has not finished with
        self._requests: queue.SimpleQueue[_Request] = queue.SimpleQueue()

    def acquire(self, seconds: float) -> bool:
        with self._mutex:
            self._start()
            if self._pending == 0:  # the helper is idle: it cannot be holding the lock for anyone
                try:
                    fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    return True
                except BlockingIOError:
                    pass
            request = _Request()
            self._pending += 1
            self._requests.put(request)
        if request.granted.wait(seconds):
            return True
        with self._mutex:
            if request.granted.is_set():
                return True
            request.abandoned = True
        return False

    def release(self) -> None:
        fcntl.flock(self._fd, fcntl.LOCK_UN)

    def _start(self) -> None:
        """Open the file and start the helper, once per process (a forked child opens its own)."""
        if self._pid == os.getpid():
            return
        if self._fd >= 0:
            os.close(self._fd)  # the parent's: the same open file, so the same lock
        self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        self._pending = 0
        self._requests = queue.SimpleQueue()
        self._pid = os.getpid()
        threading.Thread(target=self._serve, name="sqlite-writer-lock", daemon=True).start()

    def _serve(self) -> None:
        fd, requests = self._fd, self._requests
        while True:
            request = requests.get()
            fcntl.flock(fd, fcntl.LOCK_EX)
            with self._mutex:
                self._pending -= 1
                if request.abandoned:
                    fcntl.flock(fd, fcntl.LOCK_UN)
                else:
                    request.granted.set()


class _Request:
    def __init__(self) -> None:
        self.granted = threading.Event()
        self.abandoned = False


class WriteGate:
    """SQLite has one writer at a time: writers queue here, first come first served, and wake the
    moment the one before them is done, instead of polling in SQLite's busy handler.

    Two locks, taken in turn: this process's queue and, when the database is a file, a FileLock
    beside it shared by every process. While the queue moves, every writer waits its turn (each
    takes a few milliseconds). When it stops moving — the head has held it for `stuck` seconds,
    because someone else holds SQLite's lock or the disk stalls — at most `room` writers stay: the
    others, and any that arrive, are told at once (DatabaseBusy), so the server's other threads go
    on serving pages. A writer past its deadline is told too.
    """

    def __init__(self, room: int, path: str | None = None, stuck: float = 1.0) -> None:
        self.room = room
        self.stuck = stuck
        self._changed = threading.Condition()
        self._queue: deque[object] = deque()  # the head holds the gate
        self._since = 0.0  # when the head took it
        self._file = FileLock(path) if path else None

    def _is_stuck(self, now: float) -> bool:
        return bool(self._queue) and now - self._since > self.stuck

    @contextmanager
    def held(self, seconds: float) -> Iterator[float]:
        """Hold the gate; yield the seconds left of `seconds` for SQLite's own lock."""
        started = time.monotonic()
        deadline = started + seconds
        me = object()
        with self._changed:
            if self._is_stuck(started) and len(self._queue) > self.room:
                raise DatabaseBusy("too many writes are waiting")
            self._queue.append(me)
            while self._queue[0] is not me:
                now = time.monotonic()
                if now >= deadline or (self._is_stuck(now) and self._queue.index(me) > self.room):
                    self._queue.remove(me)
                    raise DatabaseBusy("the write lock stayed taken")
                self._changed.wait(min(deadline - now, self.stuck / 2))
            self._since = time.monotonic()
        try:
            if self._file is not None and not self._file.acquire(deadline - time.monotonic()):
                raise DatabaseBusy("the write lock stayed taken")
            try:
                yield max(0.05, deadline - time.monotonic())
            finally:
                if self._file is not None:
                    self._file.release()
        finally:
            with self._changed:
                self._queue.popleft()
                self._since = time.monotonic()
                self._changed.notify_all()


_gates: dict[str, WriteGate] = {}
_gates_lock = threading.Lock()


def _gate(engine: Engine, room: int) -> WriteGate:
    database = engine.url.database
    path = f"{database}-writers" if database and database != ":memory:" else None
    with _gates_lock:
        return _gates.setdefault(str(engine.url), WriteGate(room, path))


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
