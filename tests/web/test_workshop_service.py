"""The workshop service (DESIGN §7) on SQLite and PostgreSQL: sessions, joining, votes and every
control, and how the room's decisions flow into the assessment."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from planner.answers import parse_answers
from planner.catalog import SHIPPED_DIR
from planner.engine import workshop as engine
from planner.engine.scoring import score
from planner.extensions import db
from planner.models import AgreedLevel, AnswerRow, Assessment
from planner.services import Conflict, Gone, NotFound, ServiceError, exchange, workshops
from planner.services import assessments as assessment_service


@pytest.fixture
def room(app, consultant):
    """An IDIC assessment (a draft) and its organisation, inside an app context."""
    assessment_id = consultant.new_assessment(consultant.new_client(), ("idic",))
    with app.test_request_context():
        org = db.session.get(Assessment, assessment_id).organisation_id
        yield org, assessment_id


def test_starting_opens_the_assessment_and_gives_one_session_with_a_clean_code(room):
    org, assessment_id = room
    session = workshops.start(org, assessment_id)
    assert engine.normal_code(session.code) == session.code
    assert not set(session.code) & set("0O1IL")
    assert db.session.get(Assessment, assessment_id).status == "open"  # a draft's workshop opens it
    assert workshops.start(org, assessment_id).id == session.id  # one open session at a time
    items = workshops.items_of(session)
    assert [i.kind for i in items].count(
        "target"
    ) == 4  # IDIC's four dimensions, after the questions
    assert items[0].kind == "question"
    assert items[-1].kind == "target"


def test_another_consultancy_cannot_start_or_control(room):
    org, assessment_id = room
    session = workshops.start(org, assessment_id)
    with pytest.raises(NotFound):
        workshops.start(org + 1000, assessment_id)
    with pytest.raises(NotFound):
        workshops.control(org + 1000, session.code, "next")


def test_a_vote_is_an_answer_and_the_distribution_stays_hidden_until_revealed(room):
    org, assessment_id = room
    session = workshops.start(org, assessment_id)
    minh = workshops.join(session.code.lower(), "Minh", "CEO").participant  # codes: any case
    lan = workshops.join(session.code, "Lan", "Sales").participant
    first = workshops.items_of(session)[0].id
    with pytest.raises(Conflict):  # nothing is open for voting yet
        workshops.vote(session, minh, first, "3", 1)
    workshops.control(org, session.code, "next")
    assert workshops.vote(session, minh, first, "3", 5).client_seq == 5
    assert workshops.vote(session, minh, first, "2", 4).client_seq == 5  # an older retry: no-op
    workshops.vote(session, lan, first, "unknown", 1)
    db.session.commit()  # votes are stored by the group commit, in a session of its own:
    db.session.refresh(session)  # a new read sees them
    state = workshops.public_state(session, minh, "en")
    assert state["phase"] == "voting"
    assert state["votes"] == 2
    assert state["you"] == 3
    assert state["distribution"] is None
    assert state["mean"] is None
    assert state["spread"] is None
    rows = db.session.scalars(select(AnswerRow).where(AnswerRow.question_id == first)).all()
    assert sorted(r.value for r in rows) == ["3", "unknown"]
    workshops.control(org, session.code, "reveal")
    state = workshops.public_state(session, lan, "en")
    assert state["distribution"]["3"] == 1
    assert state["distribution"]["unknown"] == 1
    assert state["mean"] == 3
    assert state["you"] == "unknown"
    with pytest.raises(Conflict):  # voting closed with the reveal
        workshops.vote(session, lan, first, "4", 2)


def test_every_change_raises_the_version_and_the_etag_is_per_reader(room):
    org, assessment_id = room
    session = workshops.start(org, assessment_id)
    minh = workshops.join(session.code, "Minh", None).participant
    lan = workshops.join(session.code, "Lan", None).participant
    db.session.refresh(session)
    versions = [session.version]
    tags = {workshops.etag(session, minh, "en"), workshops.etag(session, lan, "en")}
    assert len(tags) == 2
    for action in ("next", "reveal"):
        workshops.control(org, session.code, action)
        db.session.refresh(session)
        versions.append(session.version)
    assert versions == sorted(set(versions))


def test_agreeing_records_the_level_with_its_note_and_scoring_uses_it(room):
    org, assessment_id = room
    session = workshops.start(org, assessment_id)
    catalog = assessment_service.catalog_of(db.session.get(Assessment, assessment_id))
    [fw] = assessment_service.frameworks_of(db.session.get(Assessment, assessment_id), catalog)
    minh = workshops.join(session.code, "Minh", "CEO").participant
    workshops.control(org, session.code, "next")
    first = workshops.items_of(session)[0].id
    workshops.vote(session, minh, first, "2", 1)
    with pytest.raises(ServiceError):  # off the scale
        workshops.control(org, session.code, "agree", value="9")
    workshops.control(org, session.code, "agree", value="4", note="Two CRMs, merged by hand")
    row = db.session.scalars(select(AgreedLevel).where(AgreedLevel.question_id == first)).one()
    assert row.value == "4"
    answers = assessment_service.as_answers(db.session.get(Assessment, assessment_id))
    assert answers.agreed[first] == 4  # the room's level, not the vote's 2
    assert answers.notes[first] == "Two CRMs, merged by hand"
    card = score(answers, [fw], catalog.crosswalk.equivalent_questions)
    question = next(
        q for d in card.frameworks[0].dimensions for q in d.questions if q.question.full_id == first
    )
    assert question.agreed
    assert question.score == 4
    exported = exchange.export_answers(db.session.get(Assessment, assessment_id))
    again = parse_answers(exported.encode(), "a.yaml", None, SHIPPED_DIR).assessment
    assert again.agreed[first] == 4  # the answers file keeps what the room agreed
    assert again.notes[first] == "Two CRMs, merged by hand"
    with pytest.raises(Conflict):  # agreed already: open it again to change it
        workshops.control(org, session.code, "agree", value="3")


def test_an_agreed_target_becomes_the_assessment_s_target(room):
    org, assessment_id = room
    session = workshops.start(org, assessment_id)
    target = next(i for i in workshops.items_of(session) if i.kind == "target")
    workshops.control(org, session.code, "open", item=target.id)
    with pytest.raises(ServiceError):  # a target is a level, never N/A
        workshops.control(org, session.code, "agree", value="na")
    workshops.control(org, session.code, "agree", value="4", note="By the 2027 budget")
    db.session.expire_all()
    assessment = db.session.get(Assessment, assessment_id)
    assert assessment.targets[target.id] == 4
    assert assessment.notes[target.id] == "By the 2027 budget"


def test_after_close_joining_is_gone_and_the_state_says_closed(room):
    org, assessment_id = room
    session = workshops.start(org, assessment_id)
    minh = workshops.join(session.code, "Minh", None).participant
    workshops.control(org, session.code, "close")
    with pytest.raises(Gone):
        workshops.join(session.code, "Late", None)
    with pytest.raises(Conflict):
        workshops.control(org, session.code, "next")
    db.session.refresh(session)
    assert workshops.public_state(session, minh, "en")["phase"] == "closed"
    fresh = workshops.start(org, assessment_id)  # a later session: a new code, never reused
    assert fresh.id != session.id
    assert fresh.code != session.code


def test_joining_needs_a_name_and_a_known_code(room):
    org, assessment_id = room
    session = workshops.start(org, assessment_id)
    with pytest.raises(ServiceError):
        workshops.join(session.code, "   ", None)
    with pytest.raises(NotFound):
        workshops.join("ZZZZZZ" if session.code != "ZZZZZZ" else "YYYYYY", "Minh", None)
    with pytest.raises(NotFound):
        workshops.join("0O1IL?", "Minh", None)


def test_a_same_name_from_another_browser_is_a_new_participant_marked_as_a_possible_duplicate(room):
    org, assessment_id = room
    session = workshops.start(org, assessment_id)
    workshops.join(session.code, "Minh", None)
    workshops.join(session.code, "minh", None)
    workshops.join(session.code, "Lan", None)
    assert [(r.name, dup) for r, dup in workshops.joined(session)] == [
        ("Minh", True),
        ("minh", True),
        ("Lan", False),
    ]
