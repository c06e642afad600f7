"""The respondent's questionnaire: links, autosave protocol, no-JavaScript path, submit (DESIGN §11)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from planner.extensions import db
from planner.models import AnswerRow, Respondent
from planner.models.base import utcnow
from tests.web.conftest import csrf_token

Q1 = "idic.identify.one-customer-id"
Q2 = "idic.identify.known-transactions"


def open_link(consultant, models=("idic",)):
    client_id = consultant.new_client()
    assessment_id = consultant.new_assessment(client_id, models)
    link = consultant.invite(assessment_id)
    return assessment_id, link


def respondent_client(app, link):
    browser = app.test_client()
    response = browser.get(link)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/respond")
    assert "/r/" not in response.headers["Location"]  # the token leaves the URL at once
    return browser


def save(browser, question, value, seq, comment=None, token=None):
    token = token or csrf_token(browser, "/respond/page/1")
    return browser.post(
        "/respond/save",
        json={"question": question, "value": value, "comment": comment, "client_seq": seq},
        headers={"X-CSRFToken": token},
    )


def stored(app, question=Q1):
    with app.app_context():
        row = db.session.scalars(select(AnswerRow).where(AnswerRow.question_id == question)).first()
        return None if row is None else (row.value, row.comment, row.client_seq)


def test_welcome_names_client_and_time(app, consultant):
    _, link = open_link(consultant)
    browser = respondent_client(app, link)
    page = browser.get("/respond").get_data(as_text=True)
    assert "An Phát Retail" in page
    assert "minutes" in page


def test_autosave_acknowledges_after_commit(app, consultant):
    _, link = open_link(consultant)
    browser = respondent_client(app, link)
    response = save(browser, Q1, "3", 10, "Only in Hanoi")
    assert response.status_code == 200
    assert response.get_json() == {"saved": True, "question": Q1, "client_seq": 10}
    assert stored(app) == ("3", "Only in Hanoi", 10)


def test_replay_and_out_of_order_are_no_ops(app, consultant):
    _, link = open_link(consultant)
    browser = respondent_client(app, link)
    token = csrf_token(browser, "/respond/page/1")
    assert save(browser, Q1, "2", 5, token=token).status_code == 200
    assert save(browser, Q1, "4", 7, token=token).status_code == 200
    late = save(browser, Q1, "3", 6, token=token)  # an older retry arrives last
    assert late.status_code == 200
    assert late.get_json()["client_seq"] == 7
    assert save(browser, Q1, "4", 7, token=token).status_code == 200  # a replay
    assert stored(app) == ("4", None, 7)


def test_no_javascript_page_submit(app, consultant):
    _, link = open_link(consultant)
    browser = respondent_client(app, link)
    token = csrf_token(browser, "/respond/page/1")
    response = browser.post(
        "/respond/page/1",
        data={
            "csrf_token": token,
            "client_seq": "100",
            f"q-{Q1}": "2",
            f"c-{Q1}": "<b>bold</b>",
            f"q-{Q2}": "na",
            "go": "next",
        },
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/respond/page/2")
    assert stored(app) == ("2", "<b>bold</b>", 100)
    assert stored(app, Q2)[0] == "na"
    page = browser.get("/respond/page/1").get_data(as_text=True)
    assert "&lt;b&gt;bold&lt;/b&gt;" in page  # a comment is text, not markup
    assert f'name="q-{Q1}" value="2" checked' in page


def test_resume_on_another_device(app, consultant):
    _, link = open_link(consultant)
    first = respondent_client(app, link)
    save(first, Q1, "3", 1)
    second = respondent_client(app, link)
    assert f'name="q-{Q1}" value="3" checked' in second.get("/respond/page/1").get_data(
        as_text=True
    )


def test_submit_locks_and_is_idempotent(app, consultant):
    _assessment_id, link = open_link(consultant)
    browser = respondent_client(app, link)
    token = csrf_token(browser, "/respond/page/1")
    save(browser, Q1, "3", 1, token=token)
    assert browser.post("/respond/submit", data={"csrf_token": token}).status_code == 302
    assert browser.post("/respond/submit", data={"csrf_token": token}).status_code == 302
    late = save(browser, Q1, "5", 2, token=token)
    assert late.status_code == 409
    assert stored(app) == ("3", None, 1)
    # the consultant reopens it
    with app.app_context():
        respondent_id = db.session.scalars(select(Respondent.id)).first()
    assert consultant.post(f"/assessments/respondents/{respondent_id}/reopen").status_code == 302
    assert save(browser, Q1, "5", 3, token=token).status_code == 200


def test_forged_expired_and_revoked_links(app, consultant):
    _assessment_id, link = open_link(consultant)
    assert app.test_client().get("/r/not-a-real-token").status_code == 404
    with app.app_context():
        respondent = db.session.scalars(select(Respondent)).first()
        respondent.token_expires_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
    assert app.test_client().get(link).status_code == 410
    with app.app_context():
        respondent = db.session.scalars(select(Respondent)).first()
        respondent.token_expires_at = utcnow() + timedelta(days=1)
        db.session.commit()
    browser = respondent_client(app, link)
    with app.app_context():
        respondent_id = db.session.scalars(select(Respondent.id)).first()
    consultant.post(f"/assessments/respondents/{respondent_id}/revoke")
    assert app.test_client().get(link).status_code == 410
    assert (
        save(browser, Q1, "3", 1, token=csrf_token(browser, "/login")).status_code == 410
    )  # the session dies too


def test_missing_csrf_is_refused(app, consultant):
    _, link = open_link(consultant)
    browser = respondent_client(app, link)
    response = browser.post("/respond/save", json={"question": Q1, "value": "3", "client_seq": 1})
    assert response.status_code == 400
    assert stored(app) is None


def test_bad_autosave_payloads(app, consultant):
    _, link = open_link(consultant)
    browser = respondent_client(app, link)
    token = csrf_token(browser, "/respond/page/1")
    assert save(browser, "idic.identify.nope", "3", 1, token=token).status_code == 400
    assert save(browser, Q1, "9", 1, token=token).status_code == 400
    assert save(browser, Q1, "3", -1, token=token).status_code == 400
    assert save(browser, Q1, "3", 1, comment="x" * 5000, token=token).status_code == 400
    response = browser.post(
        "/respond/save",
        data="not json",
        headers={"X-CSRFToken": token, "Content-Type": "application/json"},
    )
    assert response.status_code == 400
    assert stored(app) is None


def test_without_a_session_the_questionnaire_is_404(app):
    assert app.test_client().get("/respond").status_code == 404


def test_equivalent_questions_are_asked_once(app, consultant):
    _, link = open_link(consultant, models=("idic", "gartner-8", "payne-frow"))
    browser = respondent_client(app, link)
    pages = "".join(browser.get(f"/respond/page/{n}").get_data(as_text=True) for n in range(1, 25))
    asked = pages.count('class="question"')
    with app.app_context():
        from planner.catalog import load_catalog
        from planner.engine.questionnaire import unique_questions

        catalog = load_catalog()
        expected = unique_questions(
            [catalog.framework(f) for f in ("idic", "gartner-8", "payne-frow")],
            catalog.crosswalk.equivalent_questions,
        )
    total = sum(catalog.framework(f).question_count for f in ("idic", "gartner-8", "payne-frow"))
    assert asked == len(expected) < total


def test_questionnaire_in_vietnamese(app, consultant):
    client_id = consultant.new_client()
    assessment_id = consultant.new_assessment(client_id, ("idic",), language="vi")
    link = consultant.invite(assessment_id)
    browser = respondent_client(app, link)
    page = browser.get("/respond/page/1").get_data(as_text=True)
    assert "Nhận diện khách hàng" in page
    assert "Không áp dụng" in page
    assert "Tự phát" in page
    token = csrf_token(browser, "/respond/page/1")
    browser.post("/language/en", data={"csrf_token": token, "next": "/respond/page/1"})
    english = browser.get("/respond/page/1").get_data(as_text=True)
    assert "Identify" in english
    assert "Not applicable" in english


def test_importance_ratings_autosave_and_page_submit(app, consultant):
    from planner.models import ImportanceRating

    _, link = open_link(consultant)
    browser = respondent_client(app, link)
    token = csrf_token(browser, "/respond/page/1")

    def rate(value, seq):
        return browser.post(
            "/respond/importance",
            json={"dimension": "idic.identify", "value": value, "client_seq": seq},
            headers={"X-CSRFToken": token},
        )

    assert rate("4", 5).get_json() == {"saved": True, "dimension": "idic.identify", "client_seq": 5}
    assert rate("2", 3).get_json()["client_seq"] == 5  # an older retry changes nothing
    assert rate("9", 6).status_code == 400
    assert (
        browser.post(
            "/respond/importance",
            json={"dimension": "qci.proposition", "value": "3", "client_seq": 7},
            headers={"X-CSRFToken": token},
        ).status_code
        == 400
    )
    with app.app_context():
        assert db.session.scalars(select(ImportanceRating.value)).all() == [4]
    page = browser.post(
        "/respond/page/1",
        data={"csrf_token": token, "client_seq": "100", "i-idic.identify": "5", "go": "next"},
    )
    assert page.status_code == 302
    assert 'name="i-idic.identify" value="5" checked' in browser.get("/respond/page/1").get_data(
        as_text=True
    )
    with app.app_context():
        from planner.models import Assessment
        from planner.services import assessments

        answers = assessments.as_answers(db.session.scalars(select(Assessment)).first())
    assert answers.respondents[0].importance == {"idic.identify": 5}


def test_browser_sized_sequences_save_on_every_database(app, consultant):
    """autosave.js sends Date.now() (~1.8e12): a 32-bit column failed on PostgreSQL."""
    _, link = open_link(consultant)
    browser = respondent_client(app, link)
    now_ms = 1_800_000_000_123
    assert save(browser, Q1, "2", now_ms).status_code == 200
    assert save(browser, Q1, "4", 2**53 + 1).status_code == 200
    assert stored(app) == ("4", None, 2**53 + 1)
    assert save(browser, Q1, "1", now_ms).json["client_seq"] == 2**53 + 1  # older: a no-op
    assert save(browser, Q1, "1", 2**63).status_code == 400  # beyond 64 bits
    assert stored(app) == ("4", None, 2**53 + 1)
    page = browser.post(
        "/respond/page/1",
        data={"csrf_token": csrf_token(browser, "/respond/page/1"), f"q-{Q2}": "3"},
    )
    assert page.status_code == 302  # the no-JavaScript path's time.time() * 1000 fits too
    assert stored(app, Q2)[0] == "3"


def test_a_new_link_ends_the_sessions_of_the_old_one(app, consultant):
    _, link = open_link(consultant)
    old_browser = respondent_client(app, link)
    assert save(old_browser, Q1, "3", 1).status_code == 200
    with app.app_context():
        respondent_id = db.session.scalars(select(Respondent.id)).first()
    consultant.post(f"/assessments/respondents/{respondent_id}/reissue")
    token = csrf_token(old_browser, "/login")
    refused = save(old_browser, Q1, "5", 2, token=token)
    assert refused.status_code == 410
    assert "replaced" in refused.json["error"]
    assert old_browser.get("/respond").status_code == 410
    assert stored(app) == ("3", None, 1)
