"""The SQLite write gate: writers queue in order while the queue moves; when it is stuck, or past a
deadline, the writers beyond the waiting room are told at once."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from planner.database import DatabaseBusy, WriteGate


@contextmanager
def taken(gate: WriteGate) -> Iterator[None]:
    """Another thread holds the gate for the duration of the block."""
    holding, done = threading.Event(), threading.Event()

    def hold() -> None:
        with gate.held(5):
            holding.set()
            done.wait(5)

    holder = threading.Thread(target=hold)
    holder.start()
    holding.wait(5)
    try:
        yield
    finally:
        done.set()
        holder.join(5)


def test_writers_take_turns_and_wake_when_the_one_before_is_done():
    gate = WriteGate(room=5)
    order: list[int] = []
    release = threading.Event()

    def first() -> None:
        with gate.held(5):
            release.wait(5)
            order.append(1)

    def second() -> None:
        with gate.held(5):
            order.append(2)

    a = threading.Thread(target=first)
    a.start()
    time.sleep(0.05)
    b = threading.Thread(target=second)
    b.start()
    time.sleep(0.05)
    assert order == []  # the second waits for the first
    started = time.monotonic()
    release.set()
    b.join(5)
    a.join(5)
    assert order == [1, 2]
    assert time.monotonic() - started < 0.1  # woken at once, not at the next poll


def writers(gate: WriteGate, count: int, outcome: list[str]) -> list[threading.Thread]:
    """`count` writers queued on `gate` one after another; each appends its number or 'busy'."""

    def write(number: int) -> None:
        try:
            with gate.held(5):
                outcome.append(str(number))
        except DatabaseBusy:
            outcome.append("busy")

    threads = [threading.Thread(target=write, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
        time.sleep(0.02)  # so they queue in this order
    return threads


def test_while_the_queue_moves_every_writer_waits_its_turn_in_order():
    gate = WriteGate(room=1, stuck=5)
    outcome: list[str] = []
    with taken(gate):
        queued = writers(gate, 5, outcome)  # more than the room, but the queue is not stuck
        time.sleep(0.1)
    for thread in queued:
        thread.join(5)
    assert outcome == ["0", "1", "2", "3", "4"]


def test_when_the_queue_is_stuck_only_the_room_stays_and_newcomers_are_told_at_once():
    gate = WriteGate(room=1, stuck=0.2)
    outcome: list[str] = []
    with taken(gate):
        queued = writers(gate, 4, outcome)
        time.sleep(0.4)  # the head has held the gate past `stuck`
        assert outcome == ["busy", "busy", "busy"]  # the three beyond the room were let go
        started = time.monotonic()
        with pytest.raises(DatabaseBusy, match="too many"), gate.held(5):
            pass
        assert time.monotonic() - started < 0.05
    for thread in queued:
        thread.join(5)
    assert outcome == ["busy", "busy", "busy", "0"]  # the one in the room wrote once it was free


def test_a_writer_past_the_deadline_is_busy_and_the_time_left_shrinks():
    gate = WriteGate(room=3)
    with taken(gate), pytest.raises(DatabaseBusy, match="stayed taken"), gate.held(0.2):
        pass
    with gate.held(2) as left:
        assert 1.5 < left <= 2


# --- the cross-process half: an flock on a file beside the database ------------------------------

HOLDER = """
import fcntl, os, sys, time
fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o600)
fcntl.flock(fd, fcntl.LOCK_EX)
print("held", flush=True)
sys.stdin.readline()
released = time.monotonic()
fcntl.flock(fd, fcntl.LOCK_UN)
print(released, flush=True)
"""


class OtherProcess:
    """Another process holding the writers' lock file until `release()`."""

    def __init__(self, path: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", HOLDER, str(path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout.readline().strip() == "held"

    def release(self) -> float:
        """Let go; the time.monotonic() (system-wide) at which it did."""
        self.process.stdin.write("\n")
        self.process.stdin.flush()
        released = float(self.process.stdout.readline())
        self.process.communicate(timeout=5)  # closes the pipes
        return released


def free_elsewhere(path: Path) -> bool:
    """Could a third process take the lock file right now?"""
    probe = "import fcntl, os, sys; fd = os.open(sys.argv[1], os.O_RDWR); fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)"
    return (
        subprocess.run([sys.executable, "-c", probe, str(path)], capture_output=True).returncode
        == 0
    )


def test_a_writer_waits_for_another_process_and_wakes_when_it_lets_go(tmp_path):
    path = tmp_path / "db.sqlite3-writers"
    gate = WriteGate(room=3, path=str(path))
    other = OtherProcess(path)
    got: list[float] = []

    def write() -> None:
        with gate.held(5):
            got.append(time.monotonic())

    writer = threading.Thread(target=write)
    writer.start()
    time.sleep(0.3)
    assert got == []  # waiting for the other process
    released = other.release()
    writer.join(5)
    assert got
    assert got[0] - released < 0.05  # woken by the kernel, not by a poll
    assert free_elsewhere(path)  # and let go when done


def test_the_file_lock_is_held_for_the_whole_write(tmp_path):
    path = tmp_path / "db.sqlite3-writers"
    gate = WriteGate(room=3, path=str(path))
    with gate.held(5):
        assert not free_elsewhere(path)
    assert free_elsewhere(path)


def test_a_writer_gives_up_on_another_process_at_the_deadline_and_keeps_no_late_grant(tmp_path):
    path = tmp_path / "db.sqlite3-writers"
    gate = WriteGate(room=3, path=str(path))
    other = OtherProcess(path)
    started = time.monotonic()
    with pytest.raises(DatabaseBusy, match="stayed taken"), gate.held(0.3):
        pass
    assert 0.25 < time.monotonic() - started < 1
    other.release()
    time.sleep(0.2)  # the helper is granted the lock nobody waits for any more: it lets it go
    assert free_elsewhere(path)
    with gate.held(2):  # and the gate works on
        assert not free_elsewhere(path)
    assert free_elsewhere(path)


def test_a_forked_worker_takes_its_own_lock(tmp_path):
    """gunicorn forks workers: a child must not share the parent's open file, hence its lock."""
    path = tmp_path / "db.sqlite3-writers"
    gate = WriteGate(room=3, path=str(path))
    with gate.held(1):
        pass  # the parent has opened the file
    with gate.held(5):
        pid = os.fork()
        if pid == 0:  # the child: the parent holds the lock, so the child must wait and give up
            try:
                with gate.held(0.2):
                    os._exit(1)
            except DatabaseBusy:
                os._exit(0)
            os._exit(2)
        _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
