"""A database held by someone else (DESIGN §11): a write answers 503 with Retry-After within the busy
timeout, reads go on meanwhile, and nothing acknowledged is lost."""

from __future__ import annotations

import sqlite3
import time

import pytest

from tests.web.test_respond import Q1, open_link, respondent_client, save, stored


@pytest.fixture
def held_lock(app, database_url):
    if not database_url.startswith("sqlite"):
        pytest.skip("the write lock is SQLite's")
    path = database_url.removeprefix("sqlite:///")

    def hold() -> sqlite3.Connection:
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # another process's write transaction
        return other

    return hold


def test_a_held_write_lock_gives_503_and_reads_go_on(app, consultant, held_lock):
    _, link = open_link(consultant)
    browser = respondent_client(app, link)
    assert save(browser, Q1, "2", 1).status_code == 200
    other = held_lock()
    try:
        started = time.monotonic()
        refused = save(browser, Q1, "4", 2)
        waited = time.monotonic() - started
        assert refused.status_code == 503
        assert refused.headers["Retry-After"].isdigit()
        assert "not saved yet" in refused.json["error"]
        assert 4 <= waited < 8  # the 5 s busy timeout, not 30 s
        started = time.monotonic()
        assert browser.get("/respond/page/1").status_code == 200  # reads are served meanwhile
        assert time.monotonic() - started < 1
    finally:
        other.rollback()
        other.close()
    assert stored(app)[0] == "2"  # the acknowledged answer is intact
    assert save(browser, Q1, "4", 2).status_code == 200  # the retry lands once the lock is free
    assert stored(app)[0] == "4"
