"""The new-assessment form's numbers: each model's size and the time a chosen set takes to answer.

The time per question is measured from the consultancy's own submitted questionnaires once there
are enough of them, else a default (docs/decisions.md, "New assessment: models as cards").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select

from planner.catalog import Catalog, Framework
from planner.engine import estimate
from planner.extensions import db
from planner.models import AnswerRow, Assessment, Respondent, WorkshopParticipant

DEFAULT_SECONDS = (
    40.0  # ~124 English words a question with its anchors at 238 words/min, and a choice
)
MIN_RESPONDENTS = 5  # fewer submitted questionnaires than this say little about a pace
SENTENCE_END = re.compile(r"[.!?]\s+")


@dataclass(frozen=True)
class Pace:
    seconds: float  # per question
    respondents: int  # the submitted questionnaires it was measured from; 0 for the default


@dataclass(frozen=True)
class ModelCard:
    framework: Framework
    dimensions: int
    questions: int
    keys: tuple[str, ...]  # engine.estimate.question_keys: the browser counts a set's union
    minutes: int  # this model alone

    def summary(self, lang: str) -> tuple[str, str]:
        """The summary's first sentence, for the card, and the rest, shown on request."""
        text = self.framework.summary.get(lang) if self.framework.summary else ""
        for match in SENTENCE_END.finditer(text):
            if text[match.end() :][:1].isupper():  # a stop, then a capital (Đ, Á too)
                return text[: match.start() + 1], text[match.end() :]
        return text, ""


@dataclass(frozen=True)
class Estimate:
    cards: list[ModelCard]
    pace: Pace
    questions: int  # unique questions of the chosen models
    minutes: int
    needed: int = MIN_RESPONDENTS  # submitted questionnaires before their pace is used

    def card(self, framework_id: str) -> ModelCard:
        return next(card for card in self.cards if card.framework.id == framework_id)


def pace(organisation_id: int) -> Pace:
    """The median time per question of the consultancy's respondents who answered through their
    link and submitted (imported files and workshop phones have no pace of their own)."""
    last_save = (
        select(
            AnswerRow.respondent_id,
            func.max(AnswerRow.updated_at).label("last"),
            func.count(AnswerRow.value).label("answered"),
        )
        .group_by(AnswerRow.respondent_id)
        .subquery()
    )
    rows = db.session.execute(
        select(Respondent.started_at, last_save.c.last, last_save.c.answered)
        .join(Assessment, Assessment.id == Respondent.assessment_id)
        .join(last_save, last_save.c.respondent_id == Respondent.id)
        .outerjoin(WorkshopParticipant, WorkshopParticipant.respondent_id == Respondent.id)
        .where(
            Assessment.organisation_id == organisation_id,
            Respondent.submitted_at.is_not(None),
            Respondent.started_at.is_not(None),
            WorkshopParticipant.id.is_(None),
        )
    ).all()
    spans = [
        ((last - started).total_seconds(), answered)
        for started, last, answered in rows
        if answered > 1 and last > started
    ]
    seconds = estimate.seconds_per_question(spans)
    if seconds is None or len(spans) < MIN_RESPONDENTS:
        return Pace(DEFAULT_SECONDS, 0)
    return Pace(seconds, len(spans))


def build(organisation_id: int, catalog: Catalog, chosen: Sequence[str] = ()) -> Estimate:
    """Every model of `catalog` as a card, and the time the `chosen` ones take together."""
    groups = catalog.crosswalk.equivalent_questions
    measured = pace(organisation_id)
    cards = []
    for fw in catalog.frameworks:
        keys = tuple(estimate.question_keys(fw, groups))
        cards.append(
            ModelCard(
                fw,
                len(fw.dimensions),
                sum(1 for _ in fw.questions()),
                keys,
                estimate.minutes(len(keys), measured.seconds),
            )
        )
    union = {key for card in cards if card.framework.id in chosen for key in card.keys}
    return Estimate(cards, measured, len(union), estimate.minutes(len(union), measured.seconds))
