"""The workshop's HTTP contract (DESIGN §7): pages, the polled state with its ETag and 304s, votes
and controls, who may see and do what."""

from __future__ import annotations

import re

import pytest

from tests.web.conftest import Actions, csrf_token

CODE = re.compile(r'data-join-code="([A-Z0-9]{6})"')


@pytest.fixture
def live(app, consultant):
    """A workshop on a new IDIC assessment: (code, assessment id)."""
    assessment_id = consultant.new_assessment(consultant.new_client(), ("idic",))
    page = consultant.client.get(f"/assessments/{assessment_id}/workshop")
    assert page.status_code == 200
    return CODE.search(page.get_data(as_text=True)).group(1), assessment_id


def phone(app, code, name="Minh", role="CEO"):
    browser = app.test_client()
    page = browser.get(f"/w/{code.lower()}", follow_redirects=True)  # codes: any case
    assert page.status_code == 200
    assert 'name="name"' in page.get_data(as_text=True)
    token = csrf_token(browser, f"/w/{code}")
    joined = browser.post(f"/w/{code}/join", data={"name": name, "role": role, "csrf_token": token})
    assert joined.status_code == 302
    assert code not in (joined.headers.get("Set-Cookie") or "")  # the cookie is signed, no token
    return browser, token


def control(consultant, code, action, **fields):
    token = csrf_token(consultant.client, "/")
    return consultant.client.post(
        f"/w/{code}/control", json={"action": action, **fields}, headers={"X-CSRFToken": token}
    )


def test_the_facilitator_screen_needs_a_consultant(app, live):
    code, assessment_id = live
    stranger = app.test_client()
    assert stranger.get(f"/assessments/{assessment_id}/workshop").status_code == 302  # to log-in
    assert stranger.get(f"/w/{code}/state").status_code == 404


def test_state_is_polled_with_a_strong_etag_and_answers_304_when_unchanged(app, consultant, live):
    code, _ = live
    browser, _ = phone(app, code)
    first = browser.get(f"/w/{code}/state")
    assert first.status_code == 200
    tag = first.headers["ETag"]
    assert tag.startswith('"')  # strong
    assert first.get_json()["phase"] == "waiting"
    assert browser.get(f"/w/{code}/state", headers={"If-None-Match": tag}).status_code == 304
    assert control(consultant, code, "next").status_code == 200
    moved = browser.get(f"/w/{code}/state", headers={"If-None-Match": tag})
    assert moved.status_code == 200
    assert moved.headers["ETag"] != tag
    state = moved.get_json()
    assert state["phase"] == "voting"
    assert state["version"] > first.get_json()["version"]
    assert state["distribution"] is None


def test_an_unchanged_poll_is_answered_from_the_board_without_the_database(
    app, consultant, live, tmp_path
):
    """DESIGN §12: a participant's 304 costs no query; every change reaches the board before it
    is acknowledged, so the next poll sees it; a stale or missing board only means a query."""
    import os
    from pathlib import Path

    from sqlalchemy import event

    from planner.extensions import db
    from planner.services import board

    code, _ = live
    browser, token = phone(app, code)
    tag = browser.get(f"/w/{code}/state").headers["ETag"]
    statements = []

    def count(*_args):
        statements.append(1)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        for _ in range(3):
            assert (
                browser.get(f"/w/{code}/state", headers={"If-None-Match": tag}).status_code == 304
            )
        assert statements == []
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert control(consultant, code, "next").status_code == 200  # published before it answered
    moved = browser.get(f"/w/{code}/state", headers={"If-None-Match": tag})
    assert moved.status_code == 200
    assert moved.get_json()["phase"] == "voting"
    tag = moved.headers["ETag"]
    item = moved.get_json()["item"]["id"]
    vote = browser.post(
        f"/w/{code}/vote",
        json={"item": item, "value": "3", "client_seq": 1},
        headers={"X-CSRFToken": token},
    )
    assert vote.status_code == 200
    after_vote = browser.get(f"/w/{code}/state", headers={"If-None-Match": tag})
    assert after_vote.status_code == 200
    assert after_vote.get_json()["you"] == 3
    tag = after_vote.headers["ETag"]
    # a board entry older than FRESH is not trusted: the poll asks the database, and still 304s
    entry = Path(app.instance_path) / "workshop-board" / code
    stale = entry.stat().st_mtime - board.FRESH - 5
    os.utime(entry, (stale, stale))
    assert browser.get(f"/w/{code}/state", headers={"If-None-Match": tag}).status_code == 304
    assert entry.stat().st_mtime > stale  # refreshed for the next polls
    entry.unlink()  # missing: the same
    assert browser.get(f"/w/{code}/state", headers={"If-None-Match": tag}).status_code == 304
    assert control(consultant, code, "reveal").status_code == 200
    assert browser.get(f"/w/{code}/state", headers={"If-None-Match": tag}).status_code == 200


def test_a_phone_votes_with_the_autosave_protocol_and_sees_the_reveal(app, consultant, live):
    code, _ = live
    browser, token = phone(app, code)
    other, other_token = phone(app, code, "Lan", "Sales")
    control(consultant, code, "next")
    item = browser.get(f"/w/{code}/state").get_json()["item"]["id"]
    headers = {"X-CSRFToken": token}
    voted = browser.post(
        f"/w/{code}/vote", json={"item": item, "value": 2, "client_seq": 7}, headers=headers
    )
    assert voted.status_code == 200
    assert voted.get_json() == {"item": item, "client_seq": 7}
    replay = browser.post(
        f"/w/{code}/vote", json={"item": item, "value": 4, "client_seq": 6}, headers=headers
    )
    assert replay.get_json()["client_seq"] == 7  # an older retry changes nothing
    other.post(
        f"/w/{code}/vote",
        json={"item": item, "value": "na", "client_seq": 1},
        headers={"X-CSRFToken": other_token},
    )
    before = browser.get(f"/w/{code}/state").get_json()
    assert before["votes"] == 2
    assert before["you"] == 2
    assert before["distribution"] is None  # nobody sees it before the reveal
    assert control(consultant, code, "reveal").status_code == 200
    after = other.get(f"/w/{code}/state").get_json()
    assert after["distribution"]["2"] == 1
    assert after["distribution"]["na"] == 1
    assert after["you"] == "na"
    late = browser.post(
        f"/w/{code}/vote", json={"item": item, "value": 3, "client_seq": 9}, headers=headers
    )
    assert late.status_code == 409  # voting is over for this item


def test_refusals_are_clear_4xx(app, consultant, live):
    code, _ = live
    browser, token = phone(app, code)
    assert control(consultant, code, "reveal").status_code == 409  # nothing to reveal yet
    assert control(consultant, code, "fly").status_code == 400
    no_csrf = consultant.client.post(f"/w/{code}/control", json={"action": "next"})
    assert no_csrf.status_code == 400
    bad = browser.post(
        f"/w/{code}/vote",
        json={"item": "x", "value": 3, "client_seq": 1},
        headers={"X-CSRFToken": token},
    )
    assert bad.status_code == 409  # not open for voting
    assert app.test_client().get("/w/ABCDE0/state").status_code == 404  # not a code's shape


def test_another_consultancy_cannot_control_or_read_the_room(app, live):
    code, _ = live
    rival = Actions(app, app.test_client())
    rival.sign_up("Rival Partners", "an@rival.example")
    assert control(rival, code, "next").status_code == 404
    assert rival.client.get(f"/w/{code}/state").status_code == 404


def test_after_close_phones_read_closed_and_joining_is_gone(app, consultant, live):
    code, _ = live
    browser, _ = phone(app, code)
    assert control(consultant, code, "close").status_code == 200
    assert browser.get(f"/w/{code}/state").get_json()["phase"] == "closed"
    latecomer = app.test_client()
    assert latecomer.get(f"/w/{code}").status_code == 410
    token = csrf_token(latecomer, "/login")
    joining = latecomer.post(f"/w/{code}/join", data={"name": "Late", "csrf_token": token})
    assert joining.status_code == 410


def test_what_the_room_agreed_shows_on_the_results_page(app, consultant, live):
    code, assessment_id = live
    browser, token = phone(app, code)
    control(consultant, code, "next")
    state = browser.get(f"/w/{code}/state").get_json()
    browser.post(
        f"/w/{code}/vote",
        json={"item": state["item"]["id"], "value": 2, "client_seq": 1},
        headers={"X-CSRFToken": token},
    )
    agreed = control(consultant, code, "agree", value="3", note="Two CRMs, merged by hand")
    assert agreed.status_code == 200
    assert agreed.get_json()["phase"] == "agreed"
    assert browser.get(f"/w/{code}/state").get_json()["agreed"] == 3
    page = consultant.client.get(f"/assessments/{assessment_id}/results").get_data(as_text=True)
    assert "Agreed in the workshop" in page
    assert state["item"]["text"] in page
    assert "“Two CRMs, merged by hand”" in page
    screen = consultant.client.get(f"/assessments/{assessment_id}/workshop").get_data(as_text=True)
    first = re.search(
        r'<li aria-current="step" class="ws-done"><button name="item" value="([^"]+)"', screen
    )
    assert first is not None
    assert first.group(1) == state["item"]["id"]
    assert screen.count('class="ws-done"') == 1
    assert re.search(r"1 of \d+ agreed", screen)


def test_a_room_voting_at_once_is_stored_whole_by_the_group_commit(app, consultant, live):
    import threading

    from sqlalchemy import func, select

    from planner.extensions import db
    from planner.models import WorkshopVote

    code, _ = live
    phones = [phone(app, code, f"P{i}") for i in range(12)]
    control(consultant, code, "next")
    item = phones[0][0].get(f"/w/{code}/state").get_json()["item"]["id"]
    answers: list[int] = []
    start = threading.Barrier(len(phones))

    def vote(browser, token, value):
        start.wait()
        response = browser.post(
            f"/w/{code}/vote",
            json={"item": item, "value": value, "client_seq": 1},
            headers={"X-CSRFToken": token},
        )
        answers.append(response.status_code)

    threads = [
        threading.Thread(target=vote, args=(b, t, 1 + i % 5)) for i, (b, t) in enumerate(phones)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers == [200] * len(phones)
    with app.app_context():
        stored = db.session.scalar(select(func.count()).select_from(WorkshopVote))
    assert stored == len(phones)
    state = consultant.client.get(f"/w/{code}/state").get_json()
    assert state["votes"] == len(phones)
    assert state["version"] >= len(phones)  # every vote is a change


def test_a_vote_checked_on_the_board_is_still_guarded_by_the_commit(app, consultant, live):
    """The board only decides what it can: a board trailing a commit sends the vote the database's
    way, and a board that says "voting" after the reveal cannot get a vote stored (409)."""
    from pathlib import Path

    code, _ = live
    browser, token = phone(app, code)
    assert control(consultant, code, "next").status_code == 200
    state = browser.get(f"/w/{code}/state").get_json()
    item = state["item"]["id"]
    entry = Path(app.instance_path) / "workshop-board" / code
    fields = entry.read_text().split()
    assert fields[4:] == ["voting", item]  # what the control published

    def vote(seq, value="3"):
        return browser.post(
            f"/w/{code}/vote",
            json={"item": item, "value": value, "client_seq": seq},
            headers={"X-CSRFToken": token},
        )

    assert vote(1).get_json() == {"item": item, "client_seq": 1}
    entry.write_text(" ".join([*fields[:4], "waiting", "-"]) + "\n")  # trailing the commit
    assert vote(2, "4").get_json() == {"item": item, "client_seq": 2}
    assert control(consultant, code, "reveal").status_code == 200
    entry.write_text(" ".join(fields) + "\n")  # a board that lies: still "voting"
    assert vote(3, "5").status_code == 409
    entry.unlink()  # (a board never trails a commit past its acknowledgement; this one did)
    revealed = browser.get(f"/w/{code}/state").get_json()
    assert revealed["you"] == 4
    assert revealed["distribution"]["4"] == 1
