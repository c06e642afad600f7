"""Editing what a consultant created: rename and edit clients and assessments, archive, and delete
with everything that belongs to them (issue 12 "Editing"). Every call is scoped by the consultancy."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Table, delete, func, select, update
from sqlalchemy.orm import Session

from planner.database import transaction
from planner.extensions import db
from planner.models import AgreedLevel, AnswerRow, Assessment, AssessmentFile, Base, Respondent
from planner.models.base import utcnow
from planner.services import Conflict, ServiceError, prerender
from planner.services import assessments as assessment_service
from planner.services import catalog as catalog_service
from planner.services import clients as client_service
from planner.services import workshops as workshop_service

MAX_NAME = 200


def _name(text: str | None, what: str) -> str:
    clean = (text or "").strip()
    if not clean:
        raise ServiceError(f"The {what} cannot be empty.")
    if len(clean) > MAX_NAME:
        raise ServiceError(f"The {what} is longer than {MAX_NAME} characters.")
    return clean


# --- clients ---------------------------------------------------------------------------------


def edit_client(organisation_id: int, client_id: int, name: str, sector: str | None) -> None:
    clean = _name(name, "client's name")
    sector = (sector or "").strip() or None
    if sector is not None and len(sector) > MAX_NAME:
        raise ServiceError(f"The sector is longer than {MAX_NAME} characters.")
    with transaction():
        client = client_service.get(organisation_id, client_id)
        client.name = clean
        client.sector = sector
    for assessment in assessment_service.listing(organisation_id, client_id):
        prerender.changed(assessment.id)  # the report names the client


# --- assessments -----------------------------------------------------------------------------


def has_answers(assessment_id: int) -> bool:
    """Whether anyone answered (a respondent, a workshop vote) or the room agreed a level: from
    then on the models are fixed, since answers are kept by the models' question ids."""
    answered = db.session.scalar(
        select(func.count())
        .select_from(AnswerRow)
        .join(Respondent)
        .where(Respondent.assessment_id == assessment_id)
    )
    agreed = db.session.scalar(
        select(func.count())
        .select_from(AgreedLevel)
        .where(AgreedLevel.assessment_id == assessment_id)
    )
    return bool(answered or agreed)


def edit_assessment(
    organisation_id: int,
    assessment_id: int,
    title: str,
    language: str,
    deadline: date | None,
    framework_ids: list[str] | None = None,
    frameworks_dir: Path | None = None,
) -> None:
    """Title, language and deadline at any time; the models (`framework_ids`) only while nobody
    has answered, re-pinned from today's catalog. Targets of a model taken away go with it."""
    clean = _name(title, "title")
    if language not in ("en", "vi"):
        raise ServiceError("The language must be English or Vietnamese.")
    assessment = assessment_service.get(organisation_id, assessment_id)
    models = list(dict.fromkeys(framework_ids or []))
    change_models = framework_ids is not None and models != list(assessment.framework_ids)
    files: list[tuple[str, str, str]] = []
    if change_models:
        if not models:
            raise ServiceError("Choose at least one model.")
        if has_answers(assessment_id):
            raise Conflict("Someone has answered: the models can no longer change.")
        if workshop_service.open_session(assessment_id) is not None:
            raise Conflict("A workshop is open on this assessment: close it first.")
        files = catalog_service.current_files(organisation_id, Path(frameworks_dir or "."))
        catalog = catalog_service.catalog_from(files)
        for fid in models:
            if not catalog.has_framework(fid):
                raise ServiceError(f"Unknown model {fid!r}.")
    with transaction() as session:
        assessment = assessment_service.get(organisation_id, assessment_id)
        assessment.title = clean
        assessment.language = language
        assessment.deadline = deadline
        if change_models:
            if has_answers(assessment_id):  # someone answered since the check above
                raise Conflict("Someone has answered: the models can no longer change.")
            assessment.files.clear()
            session.flush()
            assessment.files = [
                AssessmentFile(position=i, kind=kind, name=name, file_hash=digest)
                for i, (kind, name, digest) in enumerate(files)
            ]
            assessment.framework_ids = models
            assessment.targets = {
                key: value
                for key, value in (assessment.targets or {}).items()
                if key.split(".", 1)[0] in models
            }
    prerender.changed(assessment_id)


def set_archived(organisation_id: int, assessment_id: int, archived: bool) -> None:
    """Archived: off the dashboard (shown under "Archived"), otherwise unchanged."""
    with transaction():
        assessment = assessment_service.get(organisation_id, assessment_id)
        if archived and assessment.archived_at is None:
            assessment.archived_at = utcnow()
        elif not archived:
            assessment.archived_at = None


# --- deleting --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Deletion:
    """What a delete removes, for its confirmation page."""

    assessments: int
    respondents: int
    answers: int


def _counted(assessment_ids: list[int]) -> Deletion:
    respondents = db.session.scalar(
        select(func.count())
        .select_from(Respondent)
        .where(Respondent.assessment_id.in_(assessment_ids))
    )
    answers = db.session.scalar(
        select(func.count())
        .select_from(AnswerRow)
        .join(Respondent)
        .where(Respondent.assessment_id.in_(assessment_ids))
    )
    return Deletion(len(assessment_ids), int(respondents or 0), int(answers or 0))


def _ids_of_client(organisation_id: int, client_id: int) -> list[int]:
    return [a.id for a in assessment_service.listing(organisation_id, client_id)]


def assessment_deletion(organisation_id: int, assessment_id: int) -> Deletion:
    return _counted([assessment_service.get(organisation_id, assessment_id).id])


def client_deletion(organisation_id: int, client_id: int) -> Deletion:
    client_service.get(organisation_id, client_id)
    return _counted(_ids_of_client(organisation_id, client_id))


def delete_assessment(organisation_id: int, assessment_id: int) -> Deletion:
    """The assessment and everything it holds: respondents, answers, links, workshops, versions."""
    assessment_service.get(organisation_id, assessment_id)
    return _delete_assessments(organisation_id, [assessment_id])


def delete_client(organisation_id: int, client_id: int) -> Deletion:
    """The client and all its assessments."""
    client_service.get(organisation_id, client_id)
    ids = _ids_of_client(organisation_id, client_id)
    deleted = _delete_assessments(organisation_id, ids)
    with transaction():
        db.session.delete(client_service.get(organisation_id, client_id))
    return deleted


def _delete_assessments(organisation_id: int, ids: list[int]) -> Deletion:
    counted = _counted(ids)
    if not ids:
        return counted
    # A later assessment measured against a deleted one keeps that baseline as scores.
    later = db.session.scalars(
        select(Assessment).where(
            Assessment.organisation_id == organisation_id,
            Assessment.baseline_id.in_(ids),
            Assessment.id.not_in(ids),
        )
    ).all()
    frozen = {a.id: assessment_service.baseline_scores_of(a) for a in later}
    with transaction() as session:
        for assessment_id, scores in frozen.items():
            session.execute(
                update(Assessment)
                .where(Assessment.id == assessment_id)
                .values(baseline_id=None, baseline_scores=scores or None)
            )
        purge(session, Base.metadata.tables["assessments"], ids)
        session.expunge_all()  # what the identity map held of them is gone
    for assessment_id in frozen:  # their baseline is now stored scores
        prerender.changed(assessment_id)
    return counted


def purge(session: Session, table: Table, ids: list[Any]) -> None:
    """Delete the rows of `table` with these primary keys, after every row anywhere that refers
    to them (read from the foreign keys, so a table added later is deleted with them too); a
    foreign key declared ON DELETE SET NULL is set to null instead."""
    if not ids:
        return
    (key,) = table.primary_key.columns
    for other in Base.metadata.sorted_tables:
        for fk in other.foreign_keys:
            if fk.column.table is not table:
                continue
            if other is table or (fk.ondelete or "").upper() == "SET NULL":
                # a row of the same table (only those deleted here refer to them), or a row
                # that outlives what it names (a sent e-mail keeps its record)
                session.execute(
                    update(other).where(fk.parent.in_(ids)).values({fk.parent.name: None})
                )
                continue
            keys = list(other.primary_key.columns)
            if len(keys) == 1:  # rows others may refer to in turn
                refs = list(session.scalars(select(keys[0]).where(fk.parent.in_(ids))))
                purge(session, other, refs)
            else:  # a row keyed by its parents (a pinned file): nothing refers to it
                session.execute(delete(other).where(fk.parent.in_(ids)))
    session.execute(delete(table).where(key.in_(ids)))
