"""Results of an assessment: scores, charts and roadmap, computed from its rows and pinned models."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from planner import formats
from planner.answers import Assessment as AnswersAssessment
from planner.catalog import Catalog, Framework
from planner.engine.findings import Answered, Highlights, answered, highlights, thin_lifts
from planner.engine.progress import Progress, progress_of
from planner.engine.roadmap import Roadmap, plan
from planner.engine.scoring import ScoreCard, score
from planner.extensions import db
from planner.models import AnswerRow, Assessment, Respondent
from planner.report import charts
from planner.report.content import (
    before_after,
    capability_heatmap,
    importance_matrix,
    matrix_points,
)
from planner.report.text import labels
from planner.services import assessments as assessment_service


@dataclass(frozen=True)
class Comment:
    respondent: str
    question: str
    text: str


@dataclass(frozen=True)
class ResultsView:
    lang: str
    answers: AnswersAssessment
    catalog: Catalog
    frameworks: list[Framework]
    card: ScoreCard
    roadmap: Roadmap
    radars: dict[str, str]
    heatmap: str | None
    matrix: str | None
    matrix_points: list[str]
    comments: list[Comment]
    progress: list[assessment_service.Progress]
    found: Highlights  # strengths and gaps the answers can support
    answered: dict[str, Answered]  # per framework id
    thin_lifts: tuple[int, int]  # (tentative, all) dimensions the roadmap lifts
    agreed: list[Agreed] = field(default_factory=list)  # what the workshop room agreed
    baseline: BaselineView | None = None  # progress to date, when it is a re-assessment


@dataclass(frozen=True)
class BaselineView:
    """Progress to date against the baseline, its before/after charts, and the earlier assessment."""

    result: Progress
    charts: dict[str, str]  # per framework id
    title: str | None  # the earlier assessment's, when the baseline is one
    assessment_id: int | None


@dataclass(frozen=True)
class Agreed:
    """A question's level or a dimension's target the room agreed, with its note."""

    text: str
    value: str
    note: str | None
    target: bool


def compute(
    assessment: Assessment,
) -> tuple[AnswersAssessment, Catalog, list[Framework], ScoreCard, Roadmap]:
    catalog = assessment_service.catalog_of(assessment)
    frameworks = assessment_service.frameworks_of(assessment, catalog)
    answers = assessment_service.as_answers(assessment)
    card = score(answers, frameworks, catalog.crosswalk.equivalent_questions)
    road = plan(card, catalog.all_initiatives(), answers.roadmap, assessment.language)
    return answers, catalog, frameworks, card, road


def progress_to_date(
    assessment: Assessment, card: ScoreCard, today: date | None = None
) -> Progress | None:
    """Baseline, today, target and progress per model and dimension, and the baseline roadmap's
    initiatives due by `today` (DESIGN §5); None without a baseline."""
    if assessment.baseline_id is None and not assessment.baseline_scores:
        return None
    return progress_of(assessment_service.loaded_of(assessment), card, today or date.today())


def _baseline_view(assessment: Assessment, card: ScoreCard, lang: str) -> BaselineView | None:
    found = progress_to_date(assessment, card)
    if found is None:
        return None
    earlier = assessment_service.baseline_of(assessment)
    t = labels(lang)
    return BaselineView(
        found,
        {fp.framework.id: before_after(fp, t, lang) for fp in found.frameworks},
        earlier.title if earlier else None,
        earlier.id if earlier else None,
    )


def build(assessment: Assessment) -> ResultsView:
    """The results in the assessment's language: model, dimension, phase and initiative names all
    speak it, whatever language the page's own words (gettext) follow."""
    lang = assessment.language
    answers, catalog, frameworks, card, road = compute(assessment)
    radars = {
        fs.framework.id: charts.radar(
            [ds.dimension.name.get(lang) for ds in fs.dimensions],
            [ds.score for ds in fs.dimensions],
            [ds.target for ds in fs.dimensions],
            fs.framework.scale.minimum,
            fs.framework.scale.maximum,
            title=fs.framework.name.get(lang),
        )
        for fs in card.frameworks
    }
    return ResultsView(
        lang=lang,
        answers=answers,
        catalog=catalog,
        frameworks=frameworks,
        card=card,
        roadmap=road,
        radars=radars,
        heatmap=capability_heatmap(card, catalog.crosswalk, lang),
        matrix=importance_matrix(card, answers, labels(lang)),
        matrix_points=matrix_points(
            card,
            answers,
            {d.full_id: d.name.get(lang) for fw in frameworks for d in fw.dimensions},
        ),
        comments=_comments(assessment, catalog, lang),
        progress=assessment_service.progress(assessment),
        found=highlights(card),
        answered={fs.framework.id: answered(fs) for fs in card.frameworks},
        thin_lifts=thin_lifts(card, road),
        agreed=_agreed(answers, frameworks, lang),
        baseline=_baseline_view(assessment, card, lang),
    )


def _agreed(answers: AnswersAssessment, frameworks: list[Framework], lang: str) -> list[Agreed]:
    questions = {q.full_id: q.text.get(lang) for fw in frameworks for _, q in fw.questions()}
    out = [
        Agreed(questions.get(qid, qid), str(value), answers.notes.get(qid), False)
        for qid, value in answers.agreed.items()
    ]
    for fw in frameworks:
        for dim in fw.dimensions:
            if dim.full_id in answers.notes and dim.full_id in answers.targets:
                out.append(
                    Agreed(
                        dim.name.get(lang),
                        formats.short(answers.targets[dim.full_id], lang),
                        answers.notes[dim.full_id],
                        True,
                    )
                )
    return out


def _comments(assessment: Assessment, catalog: Catalog, lang: str) -> list[Comment]:
    texts = {q.full_id: q.text.get(lang) for fw in catalog.frameworks for _, q in fw.questions()}
    rows = db.session.execute(
        select(Respondent.name, AnswerRow.question_id, AnswerRow.comment)
        .join(AnswerRow, AnswerRow.respondent_id == Respondent.id)
        .where(Respondent.assessment_id == assessment.id, AnswerRow.comment.is_not(None))
        .order_by(AnswerRow.question_id, Respondent.id)
    ).all()
    return [Comment(name, texts.get(qid, qid), comment or "") for name, qid, comment in rows]
