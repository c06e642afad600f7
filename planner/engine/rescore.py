"""Re-scoring an assessment on another version of one of its models: scores and levels before and
after, side by side (DESIGN §7 "Model versions"). Pure: the same answers, two sets of definitions."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Literal

from planner.answers import Assessment
from planner.catalog import Dimension, Framework
from planner.catalog.versions import FrameworkDiff, diff
from planner.engine.scoring import DimensionScore, FrameworkScore, score

EPS = 1e-9
Status = Literal["kept", "added", "removed"]


def _moved(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return (a is None) != (b is None)
    return abs(a - b) > EPS


@dataclass(frozen=True)
class DimensionChange:
    """One dimension's score and level on the pinned version and on the new one."""

    before: DimensionScore | None  # None: the new version adds it
    after: DimensionScore | None  # None: the new version has no such dimension

    @property
    def dimension(self) -> Dimension:
        if self.after is not None:
            return self.after.dimension
        if self.before is None:
            raise ValueError("a dimension change needs a before or an after")
        return self.before.dimension

    @property
    def status(self) -> Status:
        if self.before is None:
            return "added"
        return "removed" if self.after is None else "kept"

    @property
    def changed(self) -> bool:
        if self.before is None or self.after is None:
            return True
        return _moved(self.before.score, self.after.score) or self.before.level != self.after.level


@dataclass(frozen=True)
class Rescore:
    diff: FrameworkDiff
    before: FrameworkScore
    after: FrameworkScore
    dimensions: tuple[DimensionChange, ...]  # the new version's order, then the removed ones
    # answers given to the questions the new version removes, per question id: kept, not counted
    kept_answers: dict[str, int]
    # the assessment's other models whose scores move too (when the crosswalk moves with it)
    others: tuple[tuple[FrameworkScore, FrameworkScore], ...] = ()

    @property
    def changed(self) -> bool:
        return (
            _moved(self.before.score, self.after.score)
            or self.before.level != self.after.level
            or any(d.changed for d in self.dimensions)
        )


def rescore(
    answers: Assessment,
    before: Sequence[Framework],
    after: Sequence[Framework],
    framework_id: str,
    before_groups: Iterable[Sequence[str]] = (),
    after_groups: Iterable[Sequence[str]] = (),
) -> Rescore:
    """The assessment scored on `before` and on `after` (its models, in order, one of them —
    `framework_id` — in another version), compared dimension by dimension."""
    old_card = score(answers, before, before_groups)
    new_card = score(answers, after, after_groups)
    old = next(fs for fs in old_card.frameworks if fs.framework.id == framework_id)
    new = next(fs for fs in new_card.frameworks if fs.framework.id == framework_id)
    old_dims = {ds.dimension.id: ds for ds in old.dimensions}
    new_ids = {ds.dimension.id for ds in new.dimensions}
    rows = [DimensionChange(old_dims.get(ds.dimension.id), ds) for ds in new.dimensions]
    rows += [DimensionChange(ds, None) for ds in old.dimensions if ds.dimension.id not in new_ids]
    changes = diff(old.framework, new.framework)
    removed = {c.question.full_id for c in changes.removed_questions}
    kept: dict[str, int] = {}
    for respondent in answers.respondents:
        for qid, answer in respondent.answers.items():
            if qid in removed and answer.value is not None:
                kept[qid] = kept.get(qid, 0) + 1
    for qid in answers.agreed:
        if qid in removed:
            kept[qid] = kept.get(qid, 0) + 1
    others = tuple(
        (a, b)
        for a, b in zip(old_card.frameworks, new_card.frameworks, strict=True)
        if a.framework.id != framework_id
        and (_moved(a.score, b.score) or any(_moved(x.score, y.score) for x, y in _pairs(a, b)))
    )
    return Rescore(changes, old, new, tuple(rows), kept, others)


def _pairs(a: FrameworkScore, b: FrameworkScore) -> Iterable[tuple[DimensionScore, DimensionScore]]:
    theirs = {ds.dimension.id: ds for ds in b.dimensions}
    return ((ds, theirs[ds.dimension.id]) for ds in a.dimensions if ds.dimension.id in theirs)


def counted_only(answers: Assessment, frameworks: Sequence[Framework]) -> Assessment:
    """The assessment without what its models no longer ask — answers, agreed levels, notes,
    importance and targets under ids a moved model dropped — so an exported answers file reads
    back. The database keeps them: moving back counts them again."""
    questions = {q.full_id for fw in frameworks for _, q in fw.questions()}
    dimensions = {d.full_id for fw in frameworks for d in fw.dimensions}
    models = {fw.id for fw in frameworks}
    return replace(
        answers,
        respondents=tuple(
            replace(
                r,
                answers={q: a for q, a in r.answers.items() if q in questions},
                importance={d: v for d, v in r.importance.items() if d in dimensions},
            )
            for r in answers.respondents
        ),
        agreed={q: v for q, v in answers.agreed.items() if q in questions},
        notes={k: v for k, v in answers.notes.items() if k in questions | dimensions},
        targets={k: v for k, v in answers.targets.items() if k in models | dimensions},
    )
