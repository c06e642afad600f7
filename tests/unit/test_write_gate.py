"""The SQLite write gate: writers queue in order, a full waiting room or a deadline is told at once."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

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
    assert time.monotonic() - started < 0.5  # woken at once, no polling


def test_a_full_waiting_room_is_told_at_once():
    gate = WriteGate(room=1)

    def wait() -> None:
        with gate.held(5):
            pass

    with taken(gate):
        waiter = threading.Thread(target=wait)
        waiter.start()
        time.sleep(0.05)
        started = time.monotonic()
        with pytest.raises(DatabaseBusy, match="too many"), gate.held(5):
            pass
        assert time.monotonic() - started < 0.2
    waiter.join(5)


def test_a_writer_past_the_deadline_is_busy_and_the_time_left_shrinks():
    gate = WriteGate(room=3)
    with taken(gate), pytest.raises(DatabaseBusy, match="stayed taken"), gate.held(0.2):
        pass
    with gate.held(2) as left:
        assert 1.5 < left <= 2
