"""Import and export: the answers file (round trip), CSV of responses, JSON of scorecard and roadmap."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import secrets
from datetime import date, datetime, time, timedelta
from pathlib import Path

import yaml
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from planner.answers import AnswersError, dump_answers, parse_answers, roadmap_settings_data
from planner.answers import Assessment as AnswersAssessment
from planner.catalog import CatalogError
from planner.database import transaction
from planner.engine.rescore import counted_only
from planner.extensions import db
from planner.models import (
    AgreedLevel,
    AnswerRow,
    Assessment,
    AssessmentFile,
    Base,
    Client,
    ImportanceRating,
    Respondent,
    StoredFile,
)
from planner.models.base import utcnow
from planner.report.present import roadmap_data, scorecard_data
from planner.services import (
    Conflict,
    NotFound,
    ServiceError,
    editing,
    prerender,
    results,
    workshops,
)
from planner.services import assessments as assessment_service
from planner.services import catalog as catalog_service

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class BadImport(ServiceError):
    status = 422

    def __init__(self, problems: list[str]) -> None:
        super().__init__(f"{len(problems)} problem(s) in the file")
        self.problems = problems


def export_answers(assessment: Assessment) -> str:
    """The answers file; what a moved model no longer asks stays in the database, not in the file
    (it would not read back)."""
    answers = assessment_service.as_answers(assessment)
    return dump_answers(counted_only(answers, assessment_service.frameworks_of(assessment)))


def export_json(assessment: Assessment) -> str:
    _, _, _, card, road = results.compute(assessment)
    data = {
        "scorecard": scorecard_data(
            card, assessment.language, results.progress_to_date(assessment, card)
        ),
        "roadmap": roadmap_data(road, assessment.language),
    }
    return json.dumps(data, ensure_ascii=False, indent=2)


def _closed_at(day: date | None) -> datetime:
    """An imported assessment is closed: on the file's `date:` (noon UTC), else now."""
    return datetime.combine(day, time(12)) if day is not None else utcnow()


def safe_cell(value: object) -> str:
    """Neutralise spreadsheet formulas: a cell starting with = + - @ is prefixed with a quote."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def export_csv(assessment: Assessment) -> str:
    catalog = assessment_service.catalog_of(assessment)
    texts = {
        q.full_id: q.text.get(assessment.language)
        for fw in catalog.frameworks
        for _, q in fw.questions()
    }
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["respondent", "role", "question_id", "question", "answer", "comment", "updated_at"]
    )
    for respondent in assessment.respondents:
        for row in sorted(respondent.answers, key=lambda r: r.question_id):
            writer.writerow(
                [
                    safe_cell(v)
                    for v in (
                        respondent.name,
                        respondent.role,
                        row.question_id,
                        texts.get(row.question_id, ""),
                        row.value,
                        row.comment,
                        row.updated_at.isoformat(timespec="seconds"),
                    )
                ]
            )
    return out.getvalue()


class Duplicate(ServiceError):
    """The same answers file (same bytes, or the same content however it is laid out) was imported
    before: the caller offers to update that assessment instead of creating a second one."""

    status = 409

    def __init__(self, existing: Assessment, upload: str) -> None:
        super().__init__("This answers file was imported before.")
        self.existing = existing
        self.upload = upload  # the stored file's hash: import_again() takes it


def content_hash(answers: AnswersAssessment) -> str:
    """The file's content as the reader understood it, written back in the one answers format and
    read as data: comments, the order of keys, quoting and spacing do not count (the order of
    respondents does)."""
    data = yaml.safe_load(dump_answers(answers))
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def import_answers(
    organisation_id: int,
    data: bytes,
    name: str,
    frameworks_dir: Path,
    update_id: int | None = None,
    allow_duplicate: bool = False,
) -> Assessment:
    """A new assessment (and client, when new) from an answers file, e.g. typed up after a paper
    workshop; or, with `update_id`, that assessment rewritten from the file (same id, links and
    history; respondents, answers, agreed levels, targets and roadmap from the file). A file imported
    before raises Duplicate unless `allow_duplicate` or `update_id`."""
    files = catalog_service.current_files(organisation_id, frameworks_dir)
    catalog = catalog_service.catalog_from(files)
    library = Path(frameworks_dir)
    try:
        loaded = parse_answers(data, name, None, library)
    except AnswersError as exc:
        raise BadImport([str(p) for p in exc.problems]) from None
    except CatalogError as exc:
        raise BadImport([str(p) for p in exc.problems]) from None
    unknown = [fid for fid in (fw.id for fw in loaded.frameworks) if not catalog.has_framework(fid)]
    if unknown:
        raise BadImport(
            [f"{name}:1:1: upload the model {fid!r} to the catalog first" for fid in unknown]
        )
    a = loaded.assessment
    digest = content_hash(a)
    if update_id is not None:
        assessment_service.get(organisation_id, update_id)  # 404 for another consultancy's
        if workshops.open_session(update_id) is not None:
            raise Conflict("A workshop is open on this assessment: close it first.")
    elif not allow_duplicate:
        existing = db.session.scalars(
            select(Assessment)
            .where(Assessment.organisation_id == organisation_id, Assessment.import_hash == digest)
            .order_by(Assessment.id)
        ).first()
        if existing is not None:
            with transaction():
                upload = catalog_service.store(name, data)
            raise Duplicate(existing, upload)
    with transaction() as session:
        client = session.scalars(
            select(Client).where(Client.organisation_id == organisation_id, Client.name == a.client)
        ).first()
        if client is None:
            client = Client(organisation_id=organisation_id, name=a.client)
            session.add(client)
            session.flush()
        if update_id is None:
            assessment = Assessment(organisation_id=organisation_id)
            session.add(assessment)
        else:
            assessment = assessment_service.get(organisation_id, update_id)
            respondents = [r.id for r in assessment.respondents]
            editing.purge(session, Base.metadata.tables["respondents"], respondents)
            session.execute(delete(AgreedLevel).where(AgreedLevel.assessment_id == update_id))
            assessment.files.clear()
            session.flush()
            session.expire(assessment, ["respondents"])
        assessment.client_id = client.id
        assessment.title = a.title or "Imported assessment"
        assessment.language = a.language
        assessment.framework_ids = [fw.id for fw in loaded.frameworks]
        assessment.targets = dict(a.targets)
        assessment.notes = dict(a.notes)
        assessment.max_parallel = a.roadmap.max_parallel
        assessment.roadmap = {
            key: value
            for key, value in roadmap_settings_data(a.roadmap, a.language).items()
            if key != "max_parallel"
        }
        assessment.status = "closed"
        assessment.closed_at = _closed_at(a.date)
        assessment.baseline_id = None
        assessment.baseline_scores = (
            dict(a.baseline.scores) if a.baseline and a.baseline.scores else None
        )
        assessment.import_hash = digest
        assessment.files = [
            AssessmentFile(position=i, kind=k, name=n, file_hash=h)
            for i, (k, n, h) in enumerate(files)
        ]
        session.flush()
        _add_answers(session, assessment.id, a)
    prerender.changed(assessment.id)
    return assessment


def import_again(
    organisation_id: int, upload: str, frameworks_dir: Path, update_id: int | None
) -> Assessment:
    """The answer to a Duplicate: update that assessment (`update_id`) or import it as a new one."""
    stored = db.session.get(StoredFile, upload) if len(upload) == 64 else None
    if stored is None:
        raise NotFound("That upload is no longer here: choose the file again.")
    return import_answers(
        organisation_id,
        stored.data,
        stored.name,
        frameworks_dir,
        update_id=update_id,
        allow_duplicate=True,
    )


def _add_answers(session: Session, assessment_id: int, a: AnswersAssessment) -> None:
    """The file's respondents (links that never worked: they answered on paper), their answers
    and importance ratings, and the agreed levels."""
    for person in a.respondents:
        respondent = Respondent(
            assessment_id=assessment_id,
            name=person.name,
            role=person.role,
            email=person.email,
            token_hash=assessment_service.hash_token(secrets.token_urlsafe(24)),
            token_expires_at=utcnow() + timedelta(days=1),
            revoked_at=utcnow(),
            submitted_at=utcnow(),
        )
        session.add(respondent)
        session.flush()
        for dimension_id, value in person.importance.items():
            session.add(
                ImportanceRating(
                    respondent_id=respondent.id, dimension_id=dimension_id, value=value
                )
            )
        for qid, answer in person.answers.items():
            session.add(
                AnswerRow(
                    respondent_id=respondent.id,
                    question_id=qid,
                    value=None if answer.value is None else str(answer.value),
                    comment=answer.comment,
                )
            )
    for qid, level in a.agreed.items():
        session.add(AgreedLevel(assessment_id=assessment_id, question_id=qid, value=str(level)))
