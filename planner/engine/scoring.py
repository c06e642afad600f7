"""Scoring (DESIGN §5): answers + frameworks -> ScoreCard. Pure; full precision inside."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from planner.answers import NA, UNKNOWN, AnswerValue, Assessment, Respondent
from planner.catalog import Dimension, Framework, Question, Scale

CONTESTED_MIN_N = 3
CONTESTED_MIN_SPREAD = 1.0
PERCEPTION_GAP = 1.0
DEFAULT_IMPORTANCE = 3.0
EPS = 1e-9
T = TypeVar("T")


@dataclass(frozen=True)
class QuestionScore:
    question: Question
    score: float | None
    n: int
    spread: float | None
    na: int
    unknown: int
    agreed: bool
    is_na: bool
    distribution: Mapping[int, int]
    comments: tuple[tuple[str, str], ...] = ()  # (respondent, comment)
    sources: frozenset[tuple[int, str]] = field(default=frozenset(), compare=False)


@dataclass(frozen=True)
class DimensionScore:
    dimension: Dimension
    score: float | None
    level: int | None
    target: float
    gap: float | None
    coverage: float | None
    insufficient: bool
    priority: float | None
    importance: float
    questions: tuple[QuestionScore, ...]


@dataclass(frozen=True)
class FrameworkScore:
    framework: Framework
    score: float | None
    level: int | None
    coverage: float | None
    percent_to_target: float | None
    dimensions: tuple[DimensionScore, ...]

    def level_name(self, lang: str) -> str | None:
        return None if self.level is None else self.framework.scale.level(self.level).name.get(lang)


@dataclass(frozen=True)
class Contested:
    framework: str
    question: QuestionScore


@dataclass(frozen=True)
class PerceptionGap:
    framework: str
    dimension: Dimension
    scores: Mapping[str, float]  # role -> score
    difference: float


@dataclass(frozen=True)
class ScoreCard:
    frameworks: tuple[FrameworkScore, ...]
    contested: tuple[Contested, ...]
    perception_gaps: tuple[PerceptionGap, ...]

    def dimension(self, full_id: str) -> DimensionScore:
        for fs in self.frameworks:
            for ds in fs.dimensions:
                if ds.dimension.full_id == full_id:
                    return ds
        raise KeyError(full_id)


class Equivalents:
    """Equivalence groups of the crosswalk, restricted to one assessment's questions (DESIGN §3)."""

    def __init__(self, groups: Iterable[Sequence[str]], asked: Iterable[str]) -> None:
        present = set(asked)
        self.members: dict[str, tuple[str, ...]] = {}
        for group in groups:
            inside = tuple(q for q in group if q in present)
            if len(inside) > 1:
                for q in inside:
                    self.members[q] = inside

    def sources(self, qid: str) -> tuple[str, ...]:
        """Where an answer for `qid` may come from: its own id first, then the group in order."""
        group = self.members.get(qid)
        if group is None:
            return (qid,)
        return (qid, *(q for q in group if q != qid))

    def asked(self, qid: str) -> bool:
        """Whether the questionnaire asks `qid` itself (it is its group's first member)."""
        group = self.members.get(qid)
        return group is None or group[0] == qid


def _resolve(mapping: Mapping[str, T], sources: Sequence[str]) -> tuple[str, T] | None:
    for source in sources:
        if source in mapping:
            return source, mapping[source]
    return None


def pstdev(values: Sequence[float]) -> float:
    mean = sum(values) / len(values)
    return math.sqrt(sum((x - mean) ** 2 for x in values) / len(values))


def score_question(
    question: Question,
    scale: Scale,
    na_policy: str,
    respondents: Sequence[Respondent],
    agreed: Mapping[str, AnswerValue],
    equivalents: Equivalents,
) -> QuestionScore:
    sources = equivalents.sources(question.full_id)
    numeric: list[float] = []
    na = unknown = 0
    distribution = dict.fromkeys(scale.values, 0)
    comments: list[tuple[str, str]] = []
    used: set[tuple[int, str]] = set()
    for index, respondent in enumerate(respondents):
        found = _resolve(respondent.answers, sources)
        if found is None:
            continue
        source, answer = found
        used.add((index, source))
        value = answer.value
        if answer.comment:
            comments.append((respondent.name, answer.comment))
        if value is None:
            continue
        if value == NA:
            na += 1
            if na_policy == "minimum":
                numeric.append(scale.minimum)
                distribution[scale.minimum] += 1
        elif value == UNKNOWN:
            unknown += 1
        else:
            numeric.append(value)
            distribution[value] += 1
    agreed_found = _resolve(agreed, sources)
    agreed_value = agreed_found[1] if agreed_found else None
    is_na = False
    score: float | None = sum(numeric) / len(numeric) if numeric else None
    if agreed_value == NA and na_policy != "minimum":
        is_na, score = True, None
    elif agreed_value == NA:
        score = scale.minimum
    elif agreed_value is not None:
        score = float(agreed_value)
    elif na and na_policy != "minimum" and not numeric and not unknown:
        is_na = True
    return QuestionScore(
        question=question,
        score=score,
        n=len(numeric),
        spread=pstdev(numeric) if numeric else None,
        na=na,
        unknown=unknown,
        agreed=agreed_value is not None,
        is_na=is_na,
        distribution=distribution,
        comments=tuple(comments),
        sources=frozenset(used),
    )


def _target(fw: Framework, dim: Dimension, targets: Mapping[str, float]) -> float:
    for value in (targets.get(dim.full_id), targets.get(fw.id), dim.target, fw.default_target):
        if value is not None:
            return float(value)
    return float(fw.scale.maximum)


def _importance(dim: Dimension, respondents: Sequence[Respondent]) -> float:
    ratings = [r.importance[dim.full_id] for r in respondents if dim.full_id in r.importance]
    return sum(ratings) / len(ratings) if ratings else DEFAULT_IMPORTANCE


def score_dimension(
    fw: Framework,
    dim: Dimension,
    questions: Sequence[QuestionScore],
    target: float,
    importance: float,
) -> DimensionScore:
    scored = [
        (q.question.weight, q.score) for q in questions if q.score is not None and not q.is_na
    ]
    applicable = sum(q.question.weight for q in questions if not q.is_na)
    weight = sum(w for w, _ in scored)
    coverage = weight / applicable if applicable > 0 else None
    score = sum(w * s for w, s in scored) / weight if scored else None
    level: int | None = None
    if score is not None:
        basis = score if fw.level_rule == "average" else min(s for _, s in scored)
        level = fw.scale.level_at(basis)
    gap = max(0.0, target - score) if score is not None else None
    return DimensionScore(
        dimension=dim,
        score=score,
        level=level,
        target=target,
        gap=gap,
        coverage=coverage,
        insufficient=coverage is not None and coverage < 0.5,
        priority=gap * dim.weight * importance if gap is not None else None,
        importance=importance,
        questions=tuple(questions),
    )


def roll_up(
    fw: Framework, scores: Sequence[tuple[Dimension, float | None, int | None]]
) -> tuple[float | None, int | None]:
    """A framework's score and level from (dimension, score, level) triples (§5)."""
    scored = [(d.weight, s, lv) for d, s, lv in scores if s is not None]
    if not scored:
        return None, None
    total = sum(w for w, _, _ in scored)
    score = sum(w * s for w, s, _ in scored) / total
    if fw.level_rule == "weakest":
        levels = [lv for _, _, lv in scored if lv is not None]
        return score, min(levels) if levels else fw.scale.level_at(score)
    return score, fw.scale.level_at(score)


def score_framework(
    fw: Framework,
    assessment: Assessment,
    equivalents: Equivalents,
    respondents: Sequence[Respondent] | None = None,
    use_agreed: bool = True,
) -> FrameworkScore:
    people = assessment.respondents if respondents is None else respondents
    agreed = assessment.agreed if use_agreed else {}
    dims = []
    for dim in fw.dimensions:
        questions = [
            score_question(q, fw.scale, fw.na_policy, people, agreed, equivalents)
            for q in dim.questions
        ]
        dims.append(
            score_dimension(
                fw, dim, questions, _target(fw, dim, assessment.targets), _importance(dim, people)
            )
        )
    score, level = roll_up(fw, [(d.dimension, d.score, d.level) for d in dims])
    covered = [(d.dimension.weight, d.coverage) for d in dims if d.coverage is not None]
    cov_weight = sum(w for w, _ in covered)
    coverage = sum(w * c for w, c in covered) / cov_weight if covered else None
    return FrameworkScore(fw, score, level, coverage, _percent_to_target(fw, dims), tuple(dims))


def _percent_to_target(fw: Framework, dims: Sequence[DimensionScore]) -> float | None:
    scored = [(d.dimension.weight, d.gap, d.target) for d in dims if d.gap is not None]
    if not scored:
        return None
    gap = sum(w * g for w, g, _ in scored)
    span = sum(w * (t - fw.scale.minimum) for w, _, t in scored)
    if span <= 0:
        return 100.0
    return 100.0 * (1.0 - gap / span)


def _contested(cards: Sequence[FrameworkScore], equivalents: Equivalents) -> list[Contested]:
    out: list[Contested] = []
    seen: set[frozenset[tuple[int, str]]] = set()
    for fs in cards:
        for ds in fs.dimensions:
            for qs in ds.questions:
                if (
                    qs.n >= CONTESTED_MIN_N
                    and qs.spread is not None
                    and qs.spread >= CONTESTED_MIN_SPREAD - EPS
                ):
                    if qs.sources in seen:
                        continue  # the same answers, asked once for an equivalence group
                    seen.add(qs.sources)
                    out.append(Contested(fs.framework.id, qs))
    out.sort(key=lambda c: (-(c.question.spread or 0.0), c.question.question.full_id))
    return out


def _perception_gaps(
    frameworks: Sequence[Framework], assessment: Assessment, equivalents: Equivalents
) -> list[PerceptionGap]:
    roles: dict[str, list[Respondent]] = {}
    for r in assessment.respondents:
        if r.role:
            roles.setdefault(r.role, []).append(r)
    if len(roles) < 2:
        return []
    by_role = {
        role: {
            fw.id: score_framework(fw, assessment, equivalents, people, use_agreed=False)
            for fw in frameworks
        }
        for role, people in sorted(roles.items())
    }
    gaps = []
    for fw in frameworks:
        for i, dim in enumerate(fw.dimensions):
            scores = {role: cards[fw.id].dimensions[i].score for role, cards in by_role.items()}
            known = {role: s for role, s in scores.items() if s is not None}
            if len(known) < 2:
                continue
            difference = max(known.values()) - min(known.values())
            if difference >= PERCEPTION_GAP - EPS:
                gaps.append(PerceptionGap(fw.id, dim, known, difference))
    gaps.sort(key=lambda g: (-g.difference, g.dimension.full_id))
    return gaps


def score(
    assessment: Assessment,
    frameworks: Sequence[Framework],
    equivalent_groups: Iterable[Sequence[str]] = (),
) -> ScoreCard:
    """Score an assessment over its frameworks (in order); equivalent questions share answers."""
    equivalents = Equivalents(
        equivalent_groups, (q.full_id for fw in frameworks for _, q in fw.questions())
    )
    cards = [score_framework(fw, assessment, equivalents) for fw in frameworks]
    return ScoreCard(
        frameworks=tuple(cards),
        contested=tuple(_contested(cards, equivalents)),
        perception_gaps=tuple(_perception_gaps(frameworks, assessment, equivalents)),
    )
