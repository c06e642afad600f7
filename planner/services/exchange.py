"""Import and export: the answers file (round trip), CSV of responses, JSON of scorecard and roadmap."""

from __future__ import annotations

import csv
import io
import json
import secrets
from datetime import date, datetime, time, timedelta
from pathlib import Path

from sqlalchemy import select

from planner.answers import AnswersError, dump_answers, parse_answers, roadmap_settings_data
from planner.catalog import CatalogError
from planner.database import transaction
from planner.engine.rescore import counted_only
from planner.models import (
    AgreedLevel,
    AnswerRow,
    Assessment,
    AssessmentFile,
    Client,
    ImportanceRating,
    Respondent,
)
from planner.models.base import utcnow
from planner.report.present import roadmap_data, scorecard_data
from planner.services import ServiceError, prerender, results
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


def import_answers(
    organisation_id: int, data: bytes, name: str, frameworks_dir: Path
) -> Assessment:
    """A new assessment (and client, when new) from an answers file, e.g. typed up after a paper workshop."""
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
    with transaction() as session:
        client = session.scalars(
            select(Client).where(Client.organisation_id == organisation_id, Client.name == a.client)
        ).first()
        if client is None:
            client = Client(organisation_id=organisation_id, name=a.client)
            session.add(client)
            session.flush()
        assessment = Assessment(
            organisation_id=organisation_id,
            client_id=client.id,
            title=a.title or "Imported assessment",
            language=a.language,
            framework_ids=[fw.id for fw in loaded.frameworks],
            targets=dict(a.targets),
            notes=dict(a.notes),
            max_parallel=a.roadmap.max_parallel,
            roadmap={
                key: value
                for key, value in roadmap_settings_data(a.roadmap, a.language).items()
                if key != "max_parallel"
            },
            status="closed",
            closed_at=_closed_at(a.date),
            baseline_scores=dict(a.baseline.scores) if a.baseline and a.baseline.scores else None,
        )
        assessment.files = [
            AssessmentFile(position=i, kind=k, name=n, file_hash=h)
            for i, (k, n, h) in enumerate(files)
        ]
        session.add(assessment)
        session.flush()
        for person in a.respondents:
            respondent = Respondent(
                assessment_id=assessment.id,
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
            session.add(AgreedLevel(assessment_id=assessment.id, question_id=qid, value=str(level)))
    prerender.changed(assessment.id)
    return assessment
