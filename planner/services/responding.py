"""The respondent's side: invitation tokens, questionnaire pages, autosave and submit (DESIGN §11)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from planner.catalog import Catalog, Dimension, Framework, Question
from planner.database import transaction
from planner.extensions import db
from planner.inputs import BadText, ascii_int, clean_text
from planner.models import AnswerRow, Assessment, ImportanceRating, Respondent
from planner.models.base import utcnow
from planner.services import Conflict, Gone, NotFound, ServiceError, prerender
from planner.services import assessments as assessment_service
from planner.services.assessments import hash_token

MAX_COMMENT = 2000
MAX_SEQ = 2**63 - 1  # 64-bit sequences: a browser sends Date.now(), about 1.8e12
SPECIAL = ("na", "unknown")


def by_token(token: str) -> Respondent:
    """The respondent an invitation link names: 404 when forged, 410 when expired or revoked."""
    if not token or len(token) > 200:
        raise NotFound("This link is not valid.")
    respondent = db.session.scalars(
        select(Respondent).where(Respondent.token_hash == hash_token(token))
    ).first()
    if respondent is None:
        raise NotFound("This link is not valid.")
    check_live(respondent)
    return respondent


def check_live(respondent: Respondent) -> None:
    if respondent.revoked_at is not None:
        raise Gone("This invitation has been withdrawn. Ask your consultant for a new link.")
    if respondent.token_expires_at < utcnow():
        raise Gone("This invitation has expired. Ask your consultant for a new link.")
    if respondent.assessment.status == "closed":
        raise Gone("This assessment is closed for answers.")


def mark_opened(respondent_id: int) -> None:
    """The first time the link is opened: the consultant sees "opened" rather than "invited"."""
    respondent = db.session.get(Respondent, respondent_id)
    if respondent is None or respondent.opened_at is not None:
        return
    with transaction():
        respondent = db.session.get(Respondent, respondent_id)
        if respondent is not None and respondent.opened_at is None:
            respondent.opened_at = utcnow()


def session_key(respondent: Respondent) -> str:
    """What a browser's session holds of the link it entered by: a new link ends that session."""
    return respondent.token_hash[:16]


def get(respondent_id: int, key: str | None = None) -> Respondent:
    """The respondent, while their link lives; with `key`, only for a session of today's link."""
    respondent = db.session.get(Respondent, respondent_id)
    if respondent is None:
        raise NotFound("This link is not valid.")
    check_live(respondent)
    if key is not None and key != session_key(respondent):
        raise Gone("This invitation link has been replaced. Open the newest link you were sent.")
    return respondent


@dataclass(frozen=True)
class Page:
    """One page of the questionnaire: the asked questions of one dimension."""

    number: int
    framework: Framework
    dimension: Dimension
    questions: tuple[Question, ...]


def pages(assessment: Assessment, catalog: Catalog | None = None) -> list[Page]:
    catalog = catalog or assessment_service.catalog_of(assessment)
    asked = set(assessment_service.asked_questions(assessment, catalog))
    out: list[Page] = []
    for fw in assessment_service.frameworks_of(assessment, catalog):
        for dim in fw.dimensions:
            questions = tuple(q for q in dim.questions if q.full_id in asked)
            if questions:
                out.append(Page(len(out) + 1, fw, dim, questions))
    return out


def answers_of(respondent: Respondent) -> dict[str, AnswerRow]:
    rows = db.session.scalars(select(AnswerRow).where(AnswerRow.respondent_id == respondent.id))
    return {row.question_id: row for row in rows}


@dataclass(frozen=True)
class Saved:
    subject: str  # the question or dimension id
    client_seq: int  # the sequence now stored: higher than the one sent when a newer answer won


def _clean(
    respondent: Respondent, question_id: str, value: str | None, comment: str | None
) -> tuple[str | None, str | None]:
    catalog = assessment_service.catalog_of(respondent.assessment)
    asked = assessment_service.asked_questions(respondent.assessment, catalog)
    if question_id not in asked:
        raise ServiceError("Unknown question.")
    fw = catalog.framework(question_id.split(".", 1)[0])
    value = (value or "").strip() or None
    level = ascii_int(value, min(fw.scale.values), max(fw.scale.values))
    if value is not None and value not in SPECIAL and level not in fw.scale.values:
        raise ServiceError("That answer is not one of the choices.")
    if level is not None:
        value = str(level)  # "03" and "3" are one answer
    try:
        comment = clean_text(comment or "", multiline=True).strip() or None
    except BadText as exc:
        raise ServiceError(str(exc)) from None
    if comment is not None and len(comment) > MAX_COMMENT:
        raise ServiceError(f"The comment is longer than {MAX_COMMENT} characters.")
    return value, comment


def _check_sequence(client_seq: int) -> None:
    if ascii_int(client_seq, 0, MAX_SEQ) is None:
        raise ServiceError("Bad sequence number.")


def _editable(respondent_id: int) -> Respondent:
    """The respondent, inside the caller's transaction, when their answers may still change."""
    respondent = get(respondent_id)
    if respondent.submitted_at is not None:
        raise Conflict("The questionnaire has been submitted; ask your consultant to reopen it.")
    return respondent


def upsert_newer(
    session: Session,
    model: type[Any],
    key: dict[str, Any],
    values: dict[str, Any],
    read_back: bool = True,
) -> int:
    """Insert, or update when `client_seq` is newer than the stored one; return the stored sequence
    (0 without `read_back`, for a caller that does not need it).

    One statement (INSERT … ON CONFLICT … WHERE) on SQLite and PostgreSQL, so replays and
    out-of-order retries are no-ops whatever the interleaving.
    """
    upsert_newer_many(session, model, tuple(key), [{**key, **values}])
    if not read_back:
        return 0
    stored = session.scalar(select(model.client_seq).filter_by(**key))
    return int(stored or 0)


def upsert_newer_many(
    session: Session,
    model: type[Any],
    keys: Sequence[str],
    rows: Sequence[dict[str, Any]],
    returning: Sequence[Any] = (),
) -> list[tuple[Any, ...]]:
    """`upsert_newer` for many rows in one statement per 500: a group commit of a room's votes
    costs a few round trips, not three per vote. Of rows with the same key only the newest is
    sent (PostgreSQL refuses to touch a row twice in one statement, and older loses anyway).
    With `returning`, those columns of the rows written (not of the rows a newer one kept)."""
    newest: dict[tuple[Any, ...], dict[str, Any]] = {}
    for row in rows:
        key = tuple(row[k] for k in keys)
        if key not in newest or newest[key]["client_seq"] < row["client_seq"]:
            newest[key] = row
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    values = list(newest.values())
    written: list[tuple[Any, ...]] = []
    for start in range(0, len(values), 500):
        statement = insert(model).values(values[start : start + 500])
        statement = statement.on_conflict_do_update(
            index_elements=list(keys),
            set_={name: statement.excluded[name] for name in values[0] if name not in keys},
            where=model.client_seq < statement.excluded.client_seq,
        )
        if returning:
            written += [tuple(row) for row in session.execute(statement.returning(*returning))]
        else:
            session.execute(statement)
    return written


def save(
    respondent_id: int, question_id: str, value: str | None, comment: str | None, client_seq: int
) -> Saved:
    """Upsert one answer when `client_seq` is newer than the stored one; replays are no-ops.

    Acknowledged means committed: the caller answers only after this returns. The answer is
    checked against the pinned catalog before the write starts, so the write lock is held only
    for the few statements that store it.
    """
    _check_sequence(client_seq)
    value, comment = _clean(_editable(respondent_id), question_id, value, comment)
    with transaction() as session:
        respondent = _editable(respondent_id)  # submitted, withdrawn or closed since?
        if respondent.started_at is None:
            respondent.started_at = utcnow()
        stored = upsert_newer(
            session,
            AnswerRow,
            {"respondent_id": respondent.id, "question_id": question_id},
            {"value": value, "comment": comment, "client_seq": client_seq, "updated_at": utcnow()},
        )
        assessment_id = respondent.assessment_id
    prerender.changed(assessment_id)
    return Saved(question_id, stored)


def submit(respondent_id: int) -> None:
    """Lock the questionnaire; submitting twice is harmless."""
    with transaction():
        respondent = get(respondent_id)
        if respondent.submitted_at is None:
            respondent.submitted_at = utcnow()
        assessment_id = respondent.assessment_id
    prerender.changed(assessment_id)


IMPORTANCE = range(1, 6)


def importance_of(respondent: Respondent) -> dict[str, int]:
    rows = db.session.scalars(
        select(ImportanceRating).where(ImportanceRating.respondent_id == respondent.id)
    )
    return {row.dimension_id: row.value for row in rows if row.value is not None}


def save_importance(
    respondent_id: int, dimension_id: str, value: str | None, client_seq: int
) -> Saved:
    """How important the respondent rates a dimension (1–5, or cleared); newer sequence wins, as for answers."""
    _check_sequence(client_seq)
    assessment = _editable(respondent_id).assessment
    frameworks = assessment_service.frameworks_of(assessment)
    if dimension_id not in {d.full_id for fw in frameworks for d in fw.dimensions}:
        raise ServiceError("Unknown topic.")
    rating: int | None = None
    if value not in (None, ""):
        rating = ascii_int(value, IMPORTANCE.start, IMPORTANCE.stop - 1)
        if rating is None:
            raise ServiceError("Importance is a number from 1 to 5.")
    with transaction() as session:
        respondent = _editable(respondent_id)
        stored = upsert_newer(
            session,
            ImportanceRating,
            {"respondent_id": respondent.id, "dimension_id": dimension_id},
            {"value": rating, "client_seq": client_seq},
        )
    prerender.changed(assessment.id)
    return Saved(dimension_id, stored)
