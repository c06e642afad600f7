"""Assessments: creation with pinned model files, status, respondents and their invitation links."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import func, select

from planner.answers import (
    NA,
    Answer,
    AnswersError,
    AnswerValue,
    Baseline,
    Loaded,
    RoadmapSettings,
    read_roadmap,
)
from planner.answers import Assessment as AnswersAssessment
from planner.answers import Respondent as AnswersRespondent
from planner.catalog import Catalog, Framework
from planner.database import transaction
from planner.engine.questionnaire import unique_questions
from planner.engine.scoring import score
from planner.engine.status import ASSESSMENT_STATES, respondent_state
from planner.extensions import db
from planner.inputs import ascii_number
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
from planner.services import Conflict, NotFound, ServiceError, prerender
from planner.services import catalog as catalog_service
from planner.services import clients as client_service

STATUSES = ASSESSMENT_STATES  # open or closed for answers: no draft (docs/decisions.md)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create(
    organisation_id: int,
    client_id: int,
    title: str,
    language: str,
    framework_ids: list[str],
    frameworks_dir: Path,
    targets: dict[str, float] | None = None,
    deadline: date | None = None,
) -> Assessment:
    """A new assessment, pinning the model files as they are now (by content hash)."""
    client_service.get(organisation_id, client_id)
    files = catalog_service.current_files(organisation_id, frameworks_dir)
    catalog = catalog_service.catalog_from(files)
    if not framework_ids:
        raise ServiceError("Choose at least one model.")
    for fid in framework_ids:
        if not catalog.has_framework(fid):
            raise ServiceError(f"Unknown model {fid!r}.")
    if language not in ("en", "vi"):
        raise ServiceError("The language must be English or Vietnamese.")
    clean_targets = _check_targets(catalog, framework_ids, targets or {})
    with transaction() as session:
        assessment = Assessment(
            organisation_id=organisation_id,
            client_id=client_id,
            title=title.strip(),
            language=language,
            framework_ids=list(dict.fromkeys(framework_ids)),
            targets=clean_targets,
            deadline=deadline,
            status="open",
        )
        assessment.files = [
            AssessmentFile(position=i, kind=kind, name=name, file_hash=digest)
            for i, (kind, name, digest) in enumerate(files)
        ]
        session.add(assessment)
    return assessment


def _check_targets(
    catalog: Catalog, framework_ids: list[str], targets: dict[str, Any]
) -> dict[str, float]:
    out: dict[str, float] = {}
    for key, value in targets.items():
        fid = key.split(".", 1)[0]
        if fid not in framework_ids:
            raise ServiceError(f"Target for an unknown model or dimension: {key}.")
        fw = catalog.framework(fid)
        if "." in key and not any(d.full_id == key for d in fw.dimensions):
            raise ServiceError(f"Target for an unknown dimension: {key}.")
        if ascii_number(value, -1e9, 1e9) is None:
            raise ServiceError(f"The target of {key} must be a number.")
        number = ascii_number(value, fw.scale.minimum, fw.scale.maximum)
        if number is None:
            raise ServiceError(
                f"The target of {key} must be between {fw.scale.minimum} and {fw.scale.maximum}."
            )
        out[key] = number
    return out


def set_targets(
    organisation_id: int, assessment_id: int, targets: dict[str, Any], max_parallel: int
) -> None:
    """The agreed targets (per model or per dimension) and how many initiatives may run at once."""
    if not 1 <= max_parallel <= 20:
        raise ServiceError("Initiatives in parallel must be between 1 and 20.")
    assessment = get(organisation_id, assessment_id)
    clean = _check_targets(catalog_of(assessment), assessment.framework_ids, targets)
    with transaction():
        assessment = get(organisation_id, assessment_id)
        assessment.targets = clean
        assessment.max_parallel = max_parallel
    prerender.changed(assessment_id)


def get(organisation_id: int, assessment_id: int) -> Assessment:
    assessment = db.session.get(Assessment, assessment_id)
    if assessment is None or assessment.organisation_id != organisation_id:
        raise NotFound("No such assessment.")
    return assessment


def listing(
    organisation_id: int, client_id: int | None = None, archived: bool | None = None
) -> list[Assessment]:
    """Newest first; `archived` True: only archived ones, False: only the others, None: all."""
    query = select(Assessment).where(Assessment.organisation_id == organisation_id)
    if client_id is not None:
        query = query.where(Assessment.client_id == client_id)
    if archived is not None:
        query = query.where(
            Assessment.archived_at.is_not(None) if archived else Assessment.archived_at.is_(None)
        )
    return list(
        db.session.scalars(query.order_by(Assessment.created_at.desc(), Assessment.id.desc()))
    )


def set_status(organisation_id: int, assessment_id: int, status: str) -> None:
    """Close for answers (the links stop working, answers stay) or reopen (they work again)."""
    if status not in STATUSES:
        raise ServiceError("Unknown status: choose open or closed.")
    with transaction():
        assessment = get(organisation_id, assessment_id)
        if status == "closed" and assessment.status != "closed":
            assessment.closed_at = utcnow()  # a later re-assessment counts its weeks from here
        elif status != "closed":
            assessment.closed_at = None
        assessment.status = status
    prerender.changed(assessment_id)


def catalog_of(assessment: Assessment) -> Catalog:
    """The definitions pinned at creation: later YAML edits never change an old result."""
    return catalog_service.catalog_from([(f.kind, f.name, f.file_hash) for f in assessment.files])


def frameworks_of(assessment: Assessment, catalog: Catalog | None = None) -> list[Framework]:
    catalog = catalog or catalog_of(assessment)
    return [catalog.framework(fid) for fid in assessment.framework_ids]


def asked_questions(assessment: Assessment, catalog: Catalog | None = None) -> list[str]:
    catalog = catalog or catalog_of(assessment)
    return unique_questions(
        frameworks_of(assessment, catalog), catalog.crosswalk.equivalent_questions
    )


# --- respondents -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Invitation:
    respondent: Respondent
    token: str  # shown once, as a link; only its hash is stored


def add_respondent(
    organisation_id: int,
    assessment_id: int,
    name: str,
    role: str | None,
    email: str | None,
    days: int = 30,
) -> Invitation:
    token = secrets.token_urlsafe(24)  # 192 bits
    with transaction() as session:
        assessment = get(organisation_id, assessment_id)
        if assessment.status == "closed":
            raise Conflict("The assessment is closed for answers; reopen it to invite someone.")
        respondent = Respondent(
            assessment_id=assessment.id,
            name=name.strip(),
            role=(role or "").strip() or None,
            email=(email or "").strip() or None,
            token_hash=hash_token(token),
            token_expires_at=utcnow() + timedelta(days=days),
        )
        session.add(respondent)
    return Invitation(respondent, token)


def get_respondent(organisation_id: int, respondent_id: int) -> Respondent:
    respondent = db.session.get(Respondent, respondent_id)
    if respondent is None or respondent.assessment.organisation_id != organisation_id:
        raise NotFound("No such respondent.")
    return respondent


def reissue(organisation_id: int, respondent_id: int, days: int = 30) -> Invitation:
    token = secrets.token_urlsafe(24)
    with transaction():
        respondent = get_respondent(organisation_id, respondent_id)
        respondent.token_hash = hash_token(token)
        respondent.token_expires_at = utcnow() + timedelta(days=days)
        respondent.revoked_at = None
    prerender.changed(respondent.assessment_id)
    return Invitation(respondent, token)


def revoke(organisation_id: int, respondent_id: int) -> None:
    with transaction():
        respondent = get_respondent(organisation_id, respondent_id)
        respondent.revoked_at = utcnow()
    prerender.changed(respondent.assessment_id)


def reopen(organisation_id: int, respondent_id: int) -> None:
    with transaction():
        respondent = get_respondent(organisation_id, respondent_id)
        respondent.submitted_at = None
    prerender.changed(respondent.assessment_id)


@dataclass(frozen=True)
class Progress:
    respondent: Respondent
    answered: int
    asked: int

    @property
    def percent(self) -> int:
        return round(100 * self.answered / self.asked) if self.asked else 0

    @property
    def state(self) -> str:
        """invited, opened, in_progress, submitted or withdrawn (planner.engine.status)."""
        r = self.respondent
        return respondent_state(
            submitted_at=r.submitted_at,
            revoked_at=r.revoked_at,
            opened_at=r.opened_at or r.started_at,
            answered=self.answered,
        )


def progress(assessment: Assessment) -> list[Progress]:
    asked = asked_questions(assessment)
    counts = dict(
        db.session.execute(
            select(AnswerRow.respondent_id, func.count())
            .join(Respondent)
            .where(
                Respondent.assessment_id == assessment.id,
                AnswerRow.value.is_not(None),
                AnswerRow.question_id.in_(asked),
            )
            .group_by(AnswerRow.respondent_id)
        ).all()
    )
    return [Progress(r, counts.get(r.id, 0), len(asked)) for r in assessment.respondents]


# --- the assessment as the pure code sees it -----------------------------------------------------


def roadmap_settings(assessment: Assessment, catalog: Catalog | None = None) -> RoadmapSettings:
    """The assessment's roadmap settings and edits, read as the answers file's `roadmap:`."""
    if not assessment.roadmap:
        return RoadmapSettings(max_parallel=assessment.max_parallel)
    stored = {k: v for k, v in assessment.roadmap.items() if k not in ("history", "revision")}
    stored["max_parallel"] = assessment.max_parallel  # the editor's undo history is not settings
    try:
        return read_roadmap(stored, catalog or catalog_of(assessment), assessment.language)
    except AnswersError as exc:  # only a model moved under stored edits can do this
        current_app.logger.warning(
            "assessment %s: roadmap edits unreadable: %s", assessment.id, exc
        )
        return RoadmapSettings(max_parallel=assessment.max_parallel)


def as_answers(assessment: Assessment, with_baseline: bool = True) -> AnswersAssessment:
    """The assessment as an answers-file Assessment: the one shape scoring, roadmap and exports use."""
    rows = db.session.scalars(
        select(AnswerRow)
        .join(Respondent)
        .where(Respondent.assessment_id == assessment.id)
        .order_by(AnswerRow.id)
    ).all()
    by_respondent: dict[int, dict[str, Answer]] = {}
    for row in rows:
        value: Any = None
        if row.value is not None:
            value = int(row.value) if row.value.lstrip("-").isdigit() else row.value
        if value is None and not row.comment:
            continue
        by_respondent.setdefault(row.respondent_id, {})[row.question_id] = Answer(
            value, row.comment or None
        )
    importance: dict[int, dict[str, int]] = {}
    for rating in db.session.scalars(
        select(ImportanceRating)
        .join(Respondent)
        .where(Respondent.assessment_id == assessment.id)
        .order_by(ImportanceRating.id)
    ):
        if rating.value is not None:
            importance.setdefault(rating.respondent_id, {})[rating.dimension_id] = rating.value
    agreed: dict[str, AnswerValue] = {}
    for level in db.session.scalars(
        select(AgreedLevel)
        .where(AgreedLevel.assessment_id == assessment.id)
        .order_by(AgreedLevel.id)
    ):
        agreed[level.question_id] = int(level.value) if level.value.lstrip("-").isdigit() else NA
    client = db.session.get(Client, assessment.client_id)
    return AnswersAssessment(
        client=client.name if client else "?",
        frameworks=tuple(assessment.framework_ids),
        language=assessment.language,
        title=assessment.title,
        targets=dict(assessment.targets or {}),
        respondents=tuple(
            AnswersRespondent(
                r.name, r.role, r.email, by_respondent.get(r.id, {}), importance.get(r.id, {})
            )
            for r in assessment.respondents
        ),
        agreed=agreed,
        notes=dict(assessment.notes or {}),
        roadmap=roadmap_settings(assessment),
        baseline=_baseline(assessment) if with_baseline else None,
        date=taken_on(assessment),
    )


# --- re-assessment -----------------------------------------------------------------------------

BASELINE_DIGITS = 4  # an exported baseline mapping: full precision, rounded to 4 decimals
REASSESSMENT = {"en": "re-assessment", "vi": "đánh giá lại"}


def taken_on(assessment: Assessment) -> date:
    """The day an assessment stands for: when it closed, else when it was created (DESIGN §5)."""
    return (assessment.closed_at or assessment.created_at or utcnow()).date()


def baseline_of(assessment: Assessment) -> Assessment | None:
    """The earlier assessment this one is measured against, when it names one of its consultancy."""
    if assessment.baseline_id is None:
        return None
    earlier = db.session.get(Assessment, assessment.baseline_id)
    if earlier is None or earlier.organisation_id != assessment.organisation_id:
        return None
    return earlier


def _baseline(assessment: Assessment) -> Baseline | None:
    """The answers file's `baseline:` — always a mapping on the web: an earlier assessment's
    dimension scores (those of this assessment's models), or the scores an import brought."""
    earlier = baseline_of(assessment)
    if earlier is not None:
        catalog = catalog_of(earlier)
        frameworks = frameworks_of(earlier, catalog)
        card = score(
            as_answers(earlier, with_baseline=False),
            frameworks,
            catalog.crosswalk.equivalent_questions,
        )
        ours = {d.full_id for fw in frameworks_of(assessment) for d in fw.dimensions}
        scores = {
            ds.dimension.full_id: round(ds.score, BASELINE_DIGITS)
            for fs in card.frameworks
            for ds in fs.dimensions
            if ds.score is not None and ds.dimension.full_id in ours
        }
        return Baseline(scores=scores) if scores else None
    if assessment.baseline_scores:
        return Baseline(scores=dict(assessment.baseline_scores))
    return None


def baseline_scores_of(assessment: Assessment) -> dict[str, float] | None:
    """The baseline's dimension scores, as an export writes them (kept when the earlier assessment
    is deleted)."""
    found = _baseline(assessment)
    return dict(found.scores) if found is not None and found.scores else None


def loaded_of(assessment: Assessment, with_baseline: bool = True) -> Loaded:
    """The assessment as the pure code reads an answers file, with its baseline assessment (one
    level: the baseline's own baseline is not followed)."""
    catalog = catalog_of(assessment)
    earlier = baseline_of(assessment) if with_baseline else None
    return Loaded(
        as_answers(assessment, with_baseline),
        catalog,
        tuple(frameworks_of(assessment, catalog)),
        loaded_of(earlier, with_baseline=False) if earlier is not None else None,
    )


def reassessment_title(title: str, language: str, year: int) -> str:
    """ "CRM review — re-assessment 2027" (a previous suffix is replaced, not repeated)."""
    word = REASSESSMENT.get(language, REASSESSMENT["en"])
    stem = title
    for known in REASSESSMENT.values():
        marker = f" — {known} "
        if marker in stem and stem.rsplit(marker, 1)[1].isdigit():
            stem = stem.rsplit(marker, 1)[0]
    suffix = f" — {word} {year}"
    return stem[: 200 - len(suffix)] + suffix


def reassess(
    organisation_id: int, assessment_id: int, days: int = 30
) -> tuple[Assessment, list[Invitation]]:
    """A new assessment from this one (DESIGN §7 "Re-assessment"): the same client, language, pinned
    model files, targets and roadmap settings, the same respondents with fresh links and no answers,
    measured against this one as its baseline."""
    invitations = []
    with transaction() as session:
        earlier = get(organisation_id, assessment_id)
        roadmap = {
            k: v for k, v in (earlier.roadmap or {}).items() if k not in ("history", "revision")
        }
        assessment = Assessment(
            organisation_id=organisation_id,
            client_id=earlier.client_id,
            title=reassessment_title(earlier.title, earlier.language, utcnow().year),
            language=earlier.language,
            framework_ids=list(earlier.framework_ids),
            targets=dict(earlier.targets or {}),
            max_parallel=earlier.max_parallel,
            roadmap=roadmap,
            status="open",
            baseline_id=earlier.id,
        )
        assessment.files = [
            AssessmentFile(position=f.position, kind=f.kind, name=f.name, file_hash=f.file_hash)
            for f in earlier.files
        ]
        session.add(assessment)
        session.flush()
        for person in earlier.respondents:
            token = secrets.token_urlsafe(24)
            respondent = Respondent(
                assessment_id=assessment.id,
                name=person.name,
                role=person.role,
                email=person.email,
                token_hash=hash_token(token),
                token_expires_at=utcnow() + timedelta(days=days),
            )
            session.add(respondent)
            invitations.append(Invitation(respondent, token))
    return assessment, invitations
