"""Editing (issue 12 item 3): rename and edit clients and assessments, models only while nobody
answered, delete with a confirmation that says what goes, archive, and re-importing the same
answers file. Another consultancy gets 404 on every one of these routes and changes nothing."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
import yaml
from sqlalchemy import func, select

from planner.extensions import db
from planner.models import (
    AnswerRow,
    Assessment,
    AssessmentFile,
    Client,
    ImportanceRating,
    Respondent,
    ShareLink,
    WorkshopSession,
)
from planner.models.mail import MailSend
from planner.services import Conflict, editing
from tests.security.conftest import snapshot
from tests.web.conftest import Actions, csrf_token

EXAMPLE = (Path(__file__).parents[2] / "examples" / "an-phat-vi.yaml").read_bytes()
QUESTION = "idic.identify.one-customer-id"


def _count(app, model, *where) -> int:  # type: ignore[no-untyped-def]
    with app.app_context():
        return int(db.session.scalar(select(func.count()).select_from(model).where(*where)))


def _answered(app, consultant: Actions, assessment_id: int, name: str = "Minh") -> None:
    browser = app.test_client()
    browser.get(consultant.invite(assessment_id, name))
    token = csrf_token(browser, "/respond/page/1")
    saved = browser.post(
        "/respond/save",
        json={"question": QUESTION, "value": "3", "client_seq": 1},
        headers={"X-CSRFToken": token},
    )
    assert saved.status_code == 200


# --- clients -----------------------------------------------------------------------------------


def test_rename_a_client(app, consultant):
    client_id = consultant.new_client("An Phat")
    form = consultant.client.get(f"/clients/{client_id}/edit").get_data(as_text=True)
    assert 'value="An Phat"' in form
    saved = consultant.post(
        f"/clients/{client_id}/edit", {"name": "  An Phát Retail ", "sector": "Bán lẻ"}
    )
    assert saved.status_code == 302
    page = consultant.client.get(f"/clients/{client_id}").get_data(as_text=True)
    assert "<h1>An Phát Retail</h1>" in page
    assert "Bán lẻ" in page
    with app.app_context():
        assert db.session.get(Client, client_id).name == "An Phát Retail"


@pytest.mark.parametrize(
    ("fields", "message"),
    [({"name": ""}, "This field is required."), ({"name": "x" * 201}, "200")],
)
def test_a_bad_client_name_is_refused(app, consultant, fields, message):
    client_id = consultant.new_client("An Phat")
    refused = consultant.post(f"/clients/{client_id}/edit", fields)
    assert refused.status_code == 400
    assert message in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Client, client_id).name == "An Phat"


# --- assessments -------------------------------------------------------------------------------


def test_edit_title_language_deadline_and_models_before_anyone_answers(app, consultant):
    assessment_id = consultant.new_assessment(consultant.new_client(), ("idic", "gartner-8"))
    consultant.post(f"/assessments/{assessment_id}/targets", {"t-idic": "3", "t-gartner-8": "4", "max_parallel": "3"})  # fmt: skip
    form = consultant.client.get(f"/assessments/{assessment_id}/edit").get_data(as_text=True)
    assert 'value="CRM review"' in form
    assert 'name="frameworks"' in form
    saved = consultant.post(
        f"/assessments/{assessment_id}/edit",
        {"title": "Đánh giá CRM 2027", "language": "vi", "deadline": "2027-01-15",
         "frameworks": ["gartner-8", "qci"]},
    )  # fmt: skip
    assert saved.status_code == 302, saved.get_data(as_text=True)
    with app.app_context():
        assessment = db.session.get(Assessment, assessment_id)
        assert assessment.title == "Đánh giá CRM 2027"
        assert assessment.language == "vi"
        assert assessment.deadline == date(2027, 1, 15)
        assert assessment.framework_ids == ["gartner-8", "qci"]
        assert assessment.targets == {"gartner-8": 4.0}  # the removed model's target went with it
        names = {f.name for f in assessment.files}
        assert {"gartner-8.yaml", "qci.yaml"} <= names
    page = consultant.client.get(f"/assessments/{assessment_id}").get_data(as_text=True)
    assert "Đánh giá CRM 2027" in page
    assert "15 January 2027" in page


def test_models_are_fixed_once_someone_answered(app, consultant):
    assessment_id = consultant.new_assessment(consultant.new_client(), ("idic",))
    _answered(app, consultant, assessment_id)
    form = consultant.client.get(f"/assessments/{assessment_id}/edit").get_data(as_text=True)
    assert "models-fixed" in form
    assert 'name="frameworks"' not in form
    saved = consultant.post(
        f"/assessments/{assessment_id}/edit",
        {"title": "Renamed", "language": "en", "frameworks": ["qci"]},
    )
    assert saved.status_code == 302
    with app.app_context():
        assessment = db.session.get(Assessment, assessment_id)
        assert assessment.title == "Renamed"
        assert assessment.framework_ids == ["idic"]  # the title changed, the models did not
        organisation_id = assessment.organisation_id
        with pytest.raises(Conflict):
            editing.edit_assessment(
                organisation_id, assessment_id, "Renamed", "en", None, ["qci"], Path("frameworks")
            )
    assert _count(app, AnswerRow) == 1


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"title": "", "language": "en"}, "This field is required."),
        ({"title": "x" * 201, "language": "en"}, "200"),
        ({"title": "Ok", "language": "fr"}, "Not a valid choice"),
        ({"title": "Ok", "language": "en", "deadline": "next friday"}, "Not a valid date"),
        (
            {"title": "Ok", "language": "en", "frameworks": ["no-such-model"]},
            "is not a valid choice",
        ),
    ],
)
def test_bad_assessment_edits_are_refused(app, consultant, fields, message):
    assessment_id = consultant.new_assessment(consultant.new_client())
    refused = consultant.post(f"/assessments/{assessment_id}/edit", fields)
    assert refused.status_code == 400
    assert message in refused.get_data(as_text=True)
    with app.app_context():
        assessment = db.session.get(Assessment, assessment_id)
        assert (assessment.title, assessment.language) == ("CRM review", "en")


def test_no_model_at_all_is_refused(app, consultant):
    assessment_id = consultant.new_assessment(consultant.new_client())
    refused = consultant.post(
        f"/assessments/{assessment_id}/edit", {"title": "Ok", "language": "en"}
    )
    assert refused.status_code == 400
    assert "Choose at least one model." in refused.get_data(as_text=True)


# --- delete ------------------------------------------------------------------------------------


def _mail_sent(app, assessment_id: int) -> None:  # type: ignore[no-untyped-def]
    """An invitation e-mail recorded for the assessment's first respondent."""
    from planner.database import transaction

    with app.app_context(), transaction() as session:
        assessment = session.get(Assessment, assessment_id)
        session.add(
            MailSend(
                organisation_id=assessment.organisation_id,
                assessment_id=assessment_id,
                respondent_id=assessment.respondents[0].id,
                kind="invitation",
                recipient="minh@example.com",
                language="en",
                ok=True,
            )
        )


def test_delete_an_assessment_says_what_goes_and_takes_it_all(app, consultant):
    client_id = consultant.new_client()
    assessment_id = consultant.new_assessment(client_id)
    _answered(app, consultant, assessment_id, "Minh")
    consultant.invite(assessment_id, "Lan")
    consultant.post(f"/assessments/{assessment_id}/share")
    consultant.client.get(f"/assessments/{assessment_id}/workshop")  # a workshop session
    later = consultant.post(f"/assessments/{assessment_id}/reassess")
    later_id = int(later.headers["Location"].rsplit("/", 1)[1])
    kept = consultant.new_assessment(client_id)
    _mail_sent(app, assessment_id)
    assert _count(app, WorkshopSession) == 1
    assert _count(app, ShareLink) == 1

    confirm = consultant.client.get(f"/assessments/{assessment_id}/delete")
    assert confirm.status_code == 200  # a GET shows what goes and deletes nothing
    html = confirm.get_data(as_text=True)
    assert '<li data-count="respondents">2 respondents and their invitation links</li>' in html
    assert '<li data-count="answers">1 answer</li>' in html
    assert _count(app, Assessment, Assessment.id == assessment_id) == 1

    unconfirmed = consultant.post(f"/assessments/{assessment_id}/delete", {})
    assert unconfirmed.status_code == 400
    assert "Tick the box" in unconfirmed.get_data(as_text=True)
    assert _count(app, Assessment, Assessment.id == assessment_id) == 1

    deleted = consultant.post(f"/assessments/{assessment_id}/delete", {"confirm": "yes"})
    assert deleted.status_code == 302
    assert deleted.headers["Location"].endswith(f"/clients/{client_id}")
    assert consultant.client.get(f"/assessments/{assessment_id}").status_code == 404
    assert _count(app, Assessment, Assessment.id == assessment_id) == 0
    assert _count(app, AssessmentFile, AssessmentFile.assessment_id == assessment_id) == 0
    assert _count(app, WorkshopSession) == 0
    assert _count(app, ShareLink) == 0
    assert _count(app, AnswerRow) == 0
    assert _count(app, MailSend) == 0  # a table added later goes too, found by its foreign key
    # the re-assessment's respondents stay; it keeps its baseline as scores
    assert _count(app, Respondent) == 2
    with app.app_context():
        survivor = db.session.get(Assessment, later_id)
        assert survivor.baseline_id is None
        assert survivor.baseline_scores
        assert all(k.startswith("idic.") for k in survivor.baseline_scores)
    assert consultant.client.get(f"/assessments/{later_id}").status_code == 200
    assert consultant.client.get(f"/assessments/{kept}").status_code == 200


def test_delete_a_client_with_its_assessments(app, consultant):
    client_id = consultant.new_client("Gone Ltd")
    first = consultant.new_assessment(client_id)
    second = consultant.new_assessment(client_id)
    _answered(app, consultant, first, "Minh")
    _answered(app, consultant, second, "Lan")
    consultant.invite(second, "Hà")
    consultant.post(f"/assessments/{second}/archive", {"archived": "1"})
    other_client = consultant.new_client("Stays Ltd")
    other = consultant.new_assessment(other_client)
    _answered(app, consultant, other, "Tú")

    html = consultant.client.get(f"/clients/{client_id}/delete").get_data(as_text=True)
    assert '<li data-count="assessments">2 assessments (archived ones included)</li>' in html
    assert '<li data-count="respondents">3 respondents and their invitation links</li>' in html
    assert '<li data-count="answers">2 answers</li>' in html
    deleted = consultant.post(f"/clients/{client_id}/delete", {"confirm": "yes"})
    assert deleted.status_code == 302
    flashed = consultant.client.get("/").get_data(as_text=True)
    assert "Deleted Gone Ltd: 2 assessments, 3 respondents and 2 answers." in flashed
    assert consultant.client.get(f"/clients/{client_id}").status_code == 404
    assert _count(app, Assessment) == 1
    assert _count(app, Respondent) == 1
    assert _count(app, AnswerRow) == 1
    assert consultant.client.get(f"/assessments/{other}").status_code == 200


def test_delete_is_post_only_and_needs_the_csrf_token(app, consultant):
    client_id = consultant.new_client()
    assessment_id = consultant.new_assessment(client_id)
    for url in (f"/assessments/{assessment_id}/delete", f"/clients/{client_id}/delete"):
        refused = consultant.client.post(url, data={"confirm": "yes"})  # no CSRF token
        assert refused.status_code == 400
        assert consultant.client.delete(url).status_code == 405
    assert _count(app, Assessment) == 1
    assert _count(app, Client) == 1


# --- archive -----------------------------------------------------------------------------------


def test_archive_hides_from_the_dashboard_and_restore_brings_it_back(app, consultant):
    client_id = consultant.new_client()
    archived = consultant.new_assessment(client_id)
    shown = consultant.new_assessment(client_id)
    assert consultant.post(f"/assessments/{archived}/archive", {"archived": "1"}).status_code == 302
    for url in ("/", f"/clients/{client_id}"):
        page = consultant.client.get(url).get_data(as_text=True)
        assert f'data-assessment="{shown}"' in page
        assert f'data-assessment="{archived}"' not in page
        assert "Show the archived assessment (1)" in page
        only = consultant.client.get(url + "?archived=1").get_data(as_text=True)
        assert f'data-assessment="{archived}"' in only
        assert f'data-assessment="{shown}"' not in only
        assert 'data-archived="1"' in only
    page = consultant.client.get(f"/assessments/{archived}").get_data(as_text=True)
    assert 'id="unarchive"' in page  # still there, as it was
    assert consultant.post(f"/assessments/{archived}/archive", {"archived": "0"}).status_code == 302
    assert f'data-assessment="{archived}"' in consultant.client.get("/").get_data(as_text=True)
    assert (
        consultant.post(f"/assessments/{archived}/archive", {"archived": "maybe"}).status_code
        == 400
    )
    for assessment_id in (archived, shown):
        consultant.post(f"/assessments/{assessment_id}/archive", {"archived": "1"})
    page = consultant.client.get(f"/clients/{client_id}").get_data(as_text=True)
    assert "Every assessment here is archived." in page
    assert "No assessment yet" not in page


# --- re-import ---------------------------------------------------------------------------------


def _same_content_other_layout(data: bytes) -> bytes:
    """The same answers with other spacing, key order and no comments."""
    return yaml.safe_dump(yaml.safe_load(data), allow_unicode=True, sort_keys=True).encode()


def _upload_field(html: str) -> str:
    return re.search(r'name="upload" value="([0-9a-f]{64})"', html).group(1)


@pytest.mark.parametrize(
    "again", [EXAMPLE, _same_content_other_layout(EXAMPLE)], ids=["bytes", "content"]
)
def test_reimporting_the_same_file_warns_and_updates_instead(app, consultant, again):
    first = consultant.import_assessment(EXAMPLE, "an-phat-vi.yaml")
    consultant.post(f"/assessments/{first}/targets", {"t-idic": "2", "max_parallel": "3"})
    respondents = _count(app, Respondent)

    warned = consultant.upload_answers(again, "typed-again.yaml")
    assert warned.status_code == 409
    html = warned.get_data(as_text=True)
    assert "This file was imported before." in html
    assert f'name="assessment" value="{first}"' in html
    assert _count(app, Assessment) == 1  # nothing imported yet

    updated = consultant.post(
        "/assessments/import/again",
        {"upload": _upload_field(html), "assessment": str(first), "then": "update"},
    )
    assert updated.status_code == 302
    assert updated.headers["Location"].endswith(f"/assessments/{first}")
    assert _count(app, Assessment) == 1
    assert _count(app, Respondent) == respondents  # replaced, not doubled
    with app.app_context():
        assert db.session.get(Assessment, first).targets == {"idic": 4, "idic.customize": 3}
    assert _count(app, ImportanceRating) > 0


def test_reimport_as_a_new_assessment_on_purpose(app, consultant):
    consultant.import_assessment(EXAMPLE, "an-phat-vi.yaml")
    html = consultant.upload_answers(EXAMPLE, "an-phat-vi.yaml").get_data(as_text=True)
    made = consultant.post(
        "/assessments/import/again", {"upload": _upload_field(html), "then": "new"}
    )
    assert made.status_code == 302
    assert _count(app, Assessment) == 2


def test_a_changed_file_imports_without_a_warning(app, consultant):
    consultant.import_assessment(EXAMPLE, "an-phat-vi.yaml")
    changed = EXAMPLE.replace(
        b"idic.identify.one-customer-id: 3", b"idic.identify.one-customer-id: 4", 1
    )
    assert consultant.upload_answers(changed, "an-phat-v2.yaml").status_code == 302
    assert _count(app, Assessment) == 2


@pytest.mark.parametrize(
    ("fields", "status"),
    [
        ({"upload": "0" * 64, "then": "new"}, 404),
        ({"upload": "../../etc/passwd", "then": "new"}, 404),
        ({"upload": "0" * 64, "then": "merge"}, 400),
        ({"upload": "0" * 64, "then": "update"}, 400),
        ({"upload": "0" * 64, "then": "update", "assessment": "abc"}, 400),
        ({"upload": "0" * 64, "then": "update", "assessment": str(2**63)}, 400),
    ],
)
def test_a_bad_reimport_answer_is_refused(app, consultant, fields, status):
    response = consultant.post("/assessments/import/again", fields)
    assert response.status_code == status
    assert _count(app, Assessment) == 0


# --- tenancy -----------------------------------------------------------------------------------


def test_another_consultancy_gets_404_on_every_new_route_and_changes_nothing(app):
    owner = Actions(app, app.test_client())
    owner.sign_up("First Consulting", "a@first.example")
    owner.import_assessment(EXAMPLE, "an-phat-vi.yaml")
    html = owner.upload_answers(EXAMPLE, "an-phat-vi.yaml").get_data(as_text=True)
    upload = _upload_field(html)
    with app.app_context():
        assessment_id = db.session.scalars(select(Assessment.id)).one()
        client_id = db.session.scalars(select(Client.id)).one()
    intruder = Actions(app, app.test_client())
    intruder.sign_up("Second Consulting", "b@second.example")
    with app.app_context():
        before = snapshot()
    for url in (
        f"/clients/{client_id}/edit",
        f"/clients/{client_id}/delete",
        f"/assessments/{assessment_id}/edit",
        f"/assessments/{assessment_id}/delete",
    ):
        assert intruder.client.get(url).status_code == 404, url
        posted = intruder.post(url, {"name": "x", "title": "x", "language": "en", "confirm": "yes"})
        assert posted.status_code == 404, url
    assert (
        intruder.post(f"/assessments/{assessment_id}/archive", {"archived": "1"}).status_code == 404
    )
    for then in ("update", "new"):  # the owner's upload, the owner's assessment
        again = intruder.post(
            "/assessments/import/again",
            {"upload": upload, "assessment": str(assessment_id), "then": then},
        )
        assert again.status_code == 404
    with app.app_context():
        assert snapshot() == before
