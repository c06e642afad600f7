"""Child processes report what happened to them at once: a result, an error, a death or a timeout."""

from __future__ import annotations

import os
import time

import pytest

from planner import isolation

MEMORY = 512 * 1024 * 1024


def test_a_result_comes_back():
    assert isolation.run(divmod, (7, 2), 10, MEMORY) == (3, 1)


def test_an_error_is_reported_with_its_message():
    with pytest.raises(isolation.Failed, match="ZeroDivisionError"):
        isolation.run(divmod, (1, 0), 10, MEMORY)


def test_a_child_that_dies_is_reported_at_once_not_at_the_time_limit():
    started = time.monotonic()
    with pytest.raises(isolation.Failed, match="died"):
        isolation.run(os.abort, (), 60, MEMORY)
    assert time.monotonic() - started < 10  # the limit was 60 s


def test_a_child_past_its_time_limit_is_stopped():
    started = time.monotonic()
    with pytest.raises(isolation.Timeout):
        isolation.run(time.sleep, (30,), 0.5, MEMORY)
    assert time.monotonic() - started < 10
