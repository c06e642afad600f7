"""Progress to date (DESIGN §5): a re-assessment against its baseline, and what the baseline's
roadmap had due by now. Pure: scorecards and roadmaps in, ratios out."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from planner.answers import Loaded
from planner.catalog import Dimension, Framework
from planner.engine.roadmap import Roadmap, Scheduled, plan
from planner.engine.scoring import ScoreCard, roll_up, score

# Why the "due by now" list is missing: a bare mapping has no roadmap, a file without `date:` no start.
NO_ROADMAP = "no_roadmap"
NO_DATE = "no_date"


@dataclass(frozen=True)
class Earlier:
    """What a re-assessment is measured against: the baseline's dimension scores and, when the
    baseline is a whole assessment, its roadmap and the day it was taken (closed, else created)."""

    scores: Mapping[str, float]  # qualified dimension id -> score
    roadmap: Roadmap | None = None
    since: date | None = None


@dataclass(frozen=True)
class DimensionProgress:
    dimension: Dimension
    baseline: float | None
    score: float | None
    target: float
    ratio: float | None  # (score − baseline) / (target − baseline); negative when maturity fell


@dataclass(frozen=True)
class FrameworkProgress:
    framework: Framework
    baseline: float | None  # the weighted mean of the dimensions' baselines (§5 roll-up)
    score: float | None
    ratio: float | None
    dimensions: tuple[DimensionProgress, ...]


@dataclass(frozen=True)
class Progress:
    frameworks: tuple[FrameworkProgress, ...]
    today: date
    since: date | None
    due: tuple[Scheduled, ...] | None  # None: it cannot be counted, `missing` says why
    missing: str | None = None

    def dimension(self, full_id: str) -> DimensionProgress | None:
        for fp in self.frameworks:
            for dp in fp.dimensions:
                if dp.dimension.full_id == full_id:
                    return dp
        return None

    def framework(self, framework_id: str) -> FrameworkProgress | None:
        return next((fp for fp in self.frameworks if fp.framework.id == framework_id), None)


def ratio(score_now: float | None, baseline: float | None, target: float) -> float | None:
    """A dimension's progress to date: null when either score is missing or target ≤ baseline."""
    if score_now is None or baseline is None or target <= baseline:
        return None
    return (score_now - baseline) / (target - baseline)


def weighted_ratio(rows: Sequence[tuple[float, float | None, float | None, float]]) -> float | None:
    """Σ w·(score − baseline) / Σ w·(target − baseline) over (weight, score, baseline, target) rows
    that have a score, a baseline and a target above it; null when none has."""
    kept = [(w, s, b, t) for w, s, b, t in rows if s is not None and b is not None and t > b]
    if not kept:
        return None
    return sum(w * (s - b) for w, s, b, _ in kept) / sum(w * (t - b) for w, _, b, t in kept)


def earlier_from(baseline: Loaded) -> Earlier:
    """An earlier assessment, scored (§5) and planned (§6) as it stood: every dimension's baseline,
    its roadmap, and its date."""
    a = baseline.assessment
    card = score(a, baseline.frameworks, baseline.catalog.crosswalk.equivalent_questions)
    road = plan(card, baseline.catalog.all_initiatives(), a.roadmap, a.language)
    scores = {
        ds.dimension.full_id: ds.score
        for fs in card.frameworks
        for ds in fs.dimensions
        if ds.score is not None
    }
    return Earlier(scores, road, a.date)


def earlier_of(loaded: Loaded) -> Earlier | None:
    """The baseline of an assessment: the earlier assessment read with it, else its mapping."""
    if loaded.baseline is not None:
        return earlier_from(loaded.baseline)
    if loaded.assessment.baseline is not None and loaded.assessment.baseline.scores:
        return Earlier(dict(loaded.assessment.baseline.scores))
    return None


def due_by_now(road: Roadmap, since: date, today: date) -> tuple[Scheduled, ...]:
    """The baseline roadmap's initiatives whose end week, counted from `since`, is on or before today."""
    due = [s for s in road.initiatives if since + timedelta(weeks=s.end_week) <= today]
    return tuple(sorted(due, key=lambda s: (s.end_week, s.start_week, s.initiative.id)))


def progress(card: ScoreCard, earlier: Earlier, today: date) -> Progress:
    """Baseline, today, target and progress to date per model and dimension (§5)."""
    frameworks = []
    for fs in card.frameworks:
        dims = tuple(
            DimensionProgress(
                ds.dimension,
                earlier.scores.get(ds.dimension.full_id),
                ds.score,
                ds.target,
                ratio(ds.score, earlier.scores.get(ds.dimension.full_id), ds.target),
            )
            for ds in fs.dimensions
        )
        base, _ = roll_up(fs.framework, [(d.dimension, d.baseline, None) for d in dims])
        frameworks.append(
            FrameworkProgress(
                fs.framework,
                base,
                fs.score,
                weighted_ratio([(d.dimension.weight, d.score, d.baseline, d.target) for d in dims]),
                dims,
            )
        )
    due: tuple[Scheduled, ...] | None = None
    missing = None
    if earlier.roadmap is None:
        missing = NO_ROADMAP
    elif earlier.since is None:
        missing = NO_DATE
    else:
        due = due_by_now(earlier.roadmap, earlier.since, today)
    return Progress(tuple(frameworks), today, earlier.since, due, missing)


def progress_of(loaded: Loaded, card: ScoreCard, today: date) -> Progress | None:
    """Progress to date of a scored assessment, or None when it has no baseline."""
    earlier = earlier_of(loaded)
    return None if earlier is None else progress(card, earlier, today)
