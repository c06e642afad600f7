"""Where a poll finds a workshop's version without asking the database (DESIGN §7, §12).

Two hundred phones poll every 2 s and two thirds of the polls find nothing changed; each of those
would cost a database round trip or three (a connection check, the query, the rollback). The board
is a small file per open session in the instance folder — `<code>`: session id, version, the
assessment's language — that every app process of this host reads (a stat and a read, no lock) and
that each change rewrites after its commit, before it answers:

- `publish` writes an entry under a host-wide flock (write, then rename) unless the board holds a
  newer version already, so two writers finishing in either order leave the newest version there;
- a file older than `FRESH` seconds is not trusted (a process killed between its commit and its
  publish cannot leave a stale version for long): the poll asks the database and publishes what
  it read.

The database stays the authority: a missing, stale or unreadable file only sends the poll the
database's way. Several hosts need a shared board (Redis, issue 14); this one is per host.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from flask import current_app

FRESH = 10.0  # seconds a board entry is trusted without a database check


@dataclass(frozen=True)
class Entry:
    session_id: int
    version: int
    language: str
    # where the room stands, so a vote can be checked without a query (the commit checks again)
    assessment_id: int = 0  # 0: not known (written by a poll)
    phase: str = ""
    item: str | None = None


def _folder() -> Path:
    return Path(current_app.instance_path) / "workshop-board"


def read(code: str) -> Entry | None:
    """The session's version if the board has a fresh entry for this (normalised) code."""
    try:
        fd = os.open(_folder() / code, os.O_RDONLY)
    except OSError:
        return None
    try:
        if time.time() - os.fstat(fd).st_mtime > FRESH:
            return None
        fields = os.read(fd, 400).decode().split()
        session_id, version, language = fields[:3]
        if len(fields) == 6:
            assessment_id, phase, item = fields[3:]
            return Entry(
                int(session_id),
                int(version),
                language,
                int(assessment_id),
                phase,
                None if item == "-" else item,
            )
        return Entry(int(session_id), int(version), language)
    except (OSError, ValueError, UnicodeDecodeError):
        return None
    finally:
        os.close(fd)


@contextmanager
def _locked() -> Iterator[Path]:
    folder = _folder()
    folder.mkdir(parents=True, exist_ok=True)  # writers make it; a poll only reads
    with open(folder / ".lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield folder
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _write(folder: Path, code: str, entry: Entry) -> None:
    temporary = folder / f".{code}.{os.getpid()}"
    text = f"{entry.session_id} {entry.version} {entry.language}"
    if entry.assessment_id:
        text += f" {entry.assessment_id} {entry.phase} {entry.item or '-'}"
    temporary.write_text(text + "\n", "utf-8")
    os.replace(temporary, folder / code)


def publish(code: str, entry: Entry) -> None:
    """After a commit that changed the session (its new version from the statement's RETURNING),
    and after a poll that read the database: the entry onto the board, never over a newer one."""
    try:
        with _locked() as folder:
            try:
                there = (folder / code).read_text("utf-8").split()
                if int(there[1]) > entry.version:
                    return
                if int(there[1]) == entry.version and len(there) > 3 and not entry.assessment_id:
                    os.utime(folder / code)  # a poll's check: keep what the change wrote, fresher
                    return
            except (OSError, ValueError, IndexError):
                pass
            _write(folder, code, entry)
    except OSError:
        current_app.logger.warning("the workshop board could not be written", exc_info=True)
