"""Statuses that say what is true (issue 12 item 2): each respondent's state in both languages,
open / closed for answers with close and reopen, the invite form only where it can apply, a
submitted questionnaire read-only, and the deadline with the days left."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from planner.engine.status import RESPONDENT_STATES, days_left, respondent_state
from planner.extensions import db
from planner.models import AnswerRow, Assessment, Respondent
from tests.web.conftest import Actions, csrf_token

QUESTION = "idic.identify.one-customer-id"
NOW = datetime(2026, 12, 4, 12, 0)


@pytest.mark.parametrize(
    ("submitted", "revoked", "opened", "answered", "state"),
    [
        (None, None, None, 0, "invited"),
        (None, None, NOW, 0, "opened"),
        (None, None, NOW, 3, "in_progress"),
        (NOW, None, NOW, 3, "submitted"),
        (None, NOW, NOW, 2, "withdrawn"),
        (NOW, NOW, None, 5, "submitted"),  # withdrawn after submitting, or imported: submitted
    ],
)
def test_the_state_of_a_respondent(submitted, revoked, opened, answered, state):
    found = respondent_state(
        submitted_at=submitted, revoked_at=revoked, opened_at=opened, answered=answered
    )
    assert found == state
    assert found in RESPONDENT_STATES


def test_days_left():
    today = date(2026, 12, 4)
    assert days_left(date(2026, 12, 7), today) == 3
    assert days_left(today, today) == 0
    assert days_left(date(2026, 12, 2), today) == -2


def _respondent_browser(app, link: str):  # type: ignore[no-untyped-def]
    browser = app.test_client()
    assert browser.get(link).status_code == 302
    return browser, csrf_token(browser, "/respond/page/1")


def _answer(browser, token: str, value: str = "3", seq: int = 1):  # type: ignore[no-untyped-def]
    return browser.post(
        "/respond/save",
        json={"question": QUESTION, "value": value, "client_seq": seq},
        headers={"X-CSRFToken": token},
    )


def _states(html: str) -> dict[str, tuple[str, str]]:
    """Each respondent on the assessment page: name -> (state, label)."""
    found = re.findall(
        r'<strong>([^<]+)</strong>.*?data-state="(\w+)">([^<]*)</span>', html, flags=re.S
    )
    return {name: (state, label.strip()) for name, state, label in found}


@pytest.fixture
def five(app, consultant: Actions) -> int:
    """An assessment with one respondent in each state."""
    assessment_id = consultant.new_assessment(consultant.new_client())
    links = {
        name: consultant.invite(assessment_id, name) for name in ("An", "Bình", "Chi", "Dũng", "Hà")
    }
    _respondent_browser(app, links["Bình"])  # opened only
    chi, token = _respondent_browser(app, links["Chi"])
    assert _answer(chi, token).status_code == 200
    dung, token = _respondent_browser(app, links["Dũng"])
    assert _answer(dung, token).status_code == 200
    assert dung.post("/respond/submit", data={"csrf_token": token}).status_code == 302
    with app.app_context():
        ha = db.session.scalars(select(Respondent).where(Respondent.name == "Hà")).one()
    assert consultant.post(f"/assessments/respondents/{ha.id}/revoke").status_code == 302
    return assessment_id


ENGLISH = {
    "An": ("invited", "invited, link not opened yet"),
    "Bình": ("opened", "opened, nothing answered yet"),
    "Chi": ("in_progress", "in progress (1 of {m} answered)"),
    "Dũng": ("submitted", "submitted"),
    "Hà": ("withdrawn", "link withdrawn"),
}
VIETNAMESE = {
    "An": "đã mời, chưa mở liên kết",
    "Bình": "đã mở, chưa trả lời câu nào",
    "Chi": "đang trả lời (1/{m} câu)",
    "Dũng": "đã gửi",
    "Hà": "đã thu hồi liên kết",
}


def test_each_respondent_state_in_english_and_vietnamese(app, consultant, five):
    html = consultant.client.get(f"/assessments/{five}").get_data(as_text=True)
    asked = int(re.search(r"1 of (\d+) answered\)", html).group(1))
    states = _states(html)
    assert {n: s for n, (s, _) in states.items()} == {n: s for n, (s, _) in ENGLISH.items()}
    for name, (_, label) in ENGLISH.items():
        assert states[name][1] == label.format(m=asked), name
    consultant.post("/language/vi", {"next": "/"})
    html = consultant.client.get(f"/assessments/{five}").get_data(as_text=True)
    for name, label in VIETNAMESE.items():
        assert _states(html)[name][1] == label.format(m=asked), name
    results = consultant.client.get(f"/assessments/{five}/results").get_data(as_text=True)
    assert 'data-state="submitted"' in results
    assert "đã thu hồi liên kết" in results


def test_closing_never_turns_submitted_into_withdrawn(app, consultant, five):
    assert consultant.post(f"/assessments/{five}/status", {"status": "closed"}).status_code == 302
    html = consultant.client.get(f"/assessments/{five}").get_data(as_text=True)
    assert _states(html)["Dũng"] == ("submitted", "submitted")
    assert _states(html)["Chi"][0] == "in_progress"  # what they gave is kept, and said so


def test_imported_respondents_are_submitted_not_withdrawn(app, consultant):
    from tests.web.test_consultant import EXAMPLES

    assessment_id = consultant.import_assessment(
        (EXAMPLES / "an-phat-vi.yaml").read_bytes(), "an-phat-vi.yaml"
    )
    html = consultant.client.get(f"/assessments/{assessment_id}").get_data(as_text=True)
    states = {s for s, _ in _states(html).values()}
    assert states == {"submitted"}


@pytest.mark.parametrize(
    ("language", "open_label", "closed_label", "close", "reopen"),
    [
        ("en", "Open for answers", "Closed for answers", "Close for answers", "Reopen for answers"),
        ("vi", "Mở để trả lời", "Đã đóng, không nhận trả lời", "Đóng, ngừng nhận trả lời", "Mở lại để trả lời"),
    ],
)  # fmt: skip
def test_open_then_closed_then_reopened(
    app, consultant, language, open_label, closed_label, close, reopen
):
    consultant.post(f"/language/{language}", {"next": "/"})
    assessment_id = consultant.new_assessment(consultant.new_client())
    link = consultant.invite(assessment_id)
    page = consultant.client.get(f"/assessments/{assessment_id}").get_data(as_text=True)
    assert f'data-status="open">{open_label}<' in page  # open from creation: there is no draft
    assert f'id="close">{close}<' in page
    assert 'name="role"' in page  # the invite form
    browser = app.test_client()
    assert browser.get(link).status_code == 302  # the link works at once

    assert (
        consultant.post(f"/assessments/{assessment_id}/status", {"status": "closed"}).status_code
        == 302
    )
    page = consultant.client.get(f"/assessments/{assessment_id}").get_data(as_text=True)
    assert f'data-status="closed">{closed_label}<' in page
    assert f'id="reopen">{reopen}<' in page
    assert 'name="role"' not in page
    assert "invite-closed" in page
    assert browser.get("/respond").status_code == 410
    refused = consultant.post(f"/assessments/{assessment_id}/respondents", {"name": "Late"})
    assert refused.status_code == 409
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Respondent)) == 1

    assert (
        consultant.post(f"/assessments/{assessment_id}/status", {"status": "open"}).status_code
        == 302
    )
    with app.app_context():
        assessment = db.session.get(Assessment, assessment_id)
        assert assessment.status == "open"
        assert assessment.closed_at is None
    assert browser.get("/respond").status_code == 200  # the same link works again
    assert 'name="role"' in consultant.client.get(f"/assessments/{assessment_id}").get_data(
        as_text=True
    )


@pytest.mark.parametrize("status", ["draft", "", "CLOSED", "x" * 500])
def test_an_unknown_status_is_refused(app, consultant, status):
    assessment_id = consultant.new_assessment(consultant.new_client())
    response = consultant.post(f"/assessments/{assessment_id}/status", {"status": status})
    assert response.status_code == 400
    assert "Unknown status" in response.get_data(as_text=True)


def test_a_submitted_questionnaire_is_read_only(app, consultant):
    assessment_id = consultant.new_assessment(consultant.new_client())
    browser, token = _respondent_browser(app, consultant.invite(assessment_id))
    assert _answer(browser, token, "3").status_code == 200
    assert browser.post("/respond/submit", data={"csrf_token": token}).status_code == 302

    for url in ("/respond", "/respond/review"):
        html = browser.get(url).get_data(as_text=True)
        assert "locked-note" in html, url
    page = browser.get("/respond/page/1").get_data(as_text=True)
    assert "Submitted: your answers are shown read-only." in page
    assert page.count('class="question"') == page.count("disabled>") - page.count(
        'class="importance"'
    )
    assert 'name="go"' not in page  # moving on is a link, not a form that would send answers
    assert "/respond/page/2" in page

    with app.app_context():
        before = db.session.scalars(select(AnswerRow.value)).all()
    refused = browser.post(
        "/respond/page/1", data={"csrf_token": token, f"q-{QUESTION}": "5", "client_seq": "99"}
    )
    assert refused.status_code == 409
    assert "submitted" in refused.get_data(as_text=True)
    assert _answer(browser, token, "5", 100).status_code == 409
    with app.app_context():
        assert db.session.scalars(select(AnswerRow.value)).all() == before == ["3"]


def _set_deadline(app, assessment_id: int, day: date) -> None:
    from planner.database import transaction

    with app.app_context(), transaction() as session:
        session.get(Assessment, assessment_id).deadline = day


@pytest.mark.parametrize(
    ("offset", "english", "vietnamese"),
    [
        (3, "3 days left", "còn 3 ngày"),
        (1, "1 day left", "còn 1 ngày"),
        (0, "due today", "hết hạn hôm nay"),
        (-2, "overdue by 2 days", "quá hạn 2 ngày"),
    ],
)
def test_the_deadline_with_days_left(app, consultant, offset, english, vietnamese):
    assessment_id = consultant.new_assessment(consultant.new_client())
    browser, _ = _respondent_browser(app, consultant.invite(assessment_id))
    day = date.today() + timedelta(days=offset)
    _set_deadline(app, assessment_id, day)
    page = consultant.client.get(f"/assessments/{assessment_id}").get_data(as_text=True)
    assert f'data-days-left="{offset}">{english}<' in page
    assert f"{day.day} {day:%B %Y}" in page  # formats.day: 7 December 2026 / 07/12/2026
    for url in ("/respond", "/respond/page/1"):
        html = browser.get(url).get_data(as_text=True)
        assert f">{english}<" in html, url
    browser.post(
        "/language/vi", data={"csrf_token": csrf_token(browser, "/respond"), "next": "/respond"}
    )
    for url in ("/respond", "/respond/page/1"):
        html = browser.get(url).get_data(as_text=True)
        assert f">{vietnamese}<" in html, url
        assert f"{day:%d/%m/%Y}" in html, url
    consultant.post("/language/vi", {"next": "/"})
    page = consultant.client.get(f"/assessments/{assessment_id}").get_data(as_text=True)
    assert f">{vietnamese}<" in page
    assert f"{day:%d/%m/%Y}" in page


def test_no_deadline_shows_none(app, consultant):
    assessment_id = consultant.new_assessment(consultant.new_client())
    page = consultant.client.get(f"/assessments/{assessment_id}").get_data(as_text=True)
    assert "data-days-left" not in page


def test_migration_0009_opens_every_draft(database_url):
    """The links of a draft always worked: after 0009 a stored draft is open, and a respondent who
    had started counts as having opened their link."""
    from sqlalchemy import create_engine, text

    from planner.migrate import upgrade

    upgrade(database_url, "0008")
    engine = create_engine(database_url)
    try:
        with engine.begin() as conn:
            conn.execute(
                text("INSERT INTO organisations (id, name, created_at) VALUES (1, 'O', :t)"),
                {"t": NOW},
            )
            conn.execute(
                text(
                    "INSERT INTO clients (id, organisation_id, name, created_at) VALUES (1, 1, 'C', :t)"
                ),
                {"t": NOW},
            )
            for number, status in ((1, "draft"), (2, "closed")):
                conn.execute(
                    text("INSERT INTO assessments (id, organisation_id, client_id, title, language, status,"
                         " framework_ids, targets, max_parallel, roadmap, notes, created_at)"
                         " VALUES (:id, 1, 1, 'A', 'en', :s, '[]', '{}', 3, '{}', '{}', :t)"),
                    {"id": number, "s": status, "t": NOW},
                )  # fmt: skip
            conn.execute(
                text("INSERT INTO respondents (id, assessment_id, name, token_hash, token_expires_at,"
                     " started_at, created_at) VALUES (1, 1, 'R', 'h', :t, :t, :t)"),
                {"t": NOW},
            )  # fmt: skip
        upgrade(database_url)
        with engine.connect() as conn:
            statuses = dict(conn.execute(text("SELECT id, status FROM assessments")).all())
            opened = conn.execute(text("SELECT opened_at FROM respondents")).scalar()
        assert statuses == {1: "open", 2: "closed"}
        assert opened is not None
    finally:
        engine.dispose()
