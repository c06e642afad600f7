"""What the results may claim (DESIGN §5, §6): which scores are tentative, which dimensions are the
strongest and the largest gaps, and what is still missing. Pure; the results page, the share page,
the PDF and the CLI text all say what this says.
"""

from __future__ import annotations

from dataclasses import dataclass

from planner.engine.roadmap import Roadmap
from planner.engine.scoring import DimensionScore, FrameworkScore, ScoreCard

ENOUGH = 0.5  # the coverage under which a score is tentative (a dimension's "insufficient", §5)
HIGHLIGHTS = 3  # at most this many strengths and this many gaps


def tentative(coverage: float | None) -> bool:
    """A score resting on fewer than half of its questions' weight."""
    return coverage is None or coverage < ENOUGH


@dataclass(frozen=True)
class Highlights:
    strengths: tuple[DimensionScore, ...]
    gaps: tuple[DimensionScore, ...]
    eligible: int  # dimensions whose score rests on enough answers
    scored: int  # dimensions with a score at all
    total: int

    @property
    def enough(self) -> bool:
        """Two dimensions with enough answers are the least that strongest-and-weakest needs."""
        return self.eligible >= 2


def highlights(card: ScoreCard) -> Highlights:
    """Strongest dimensions and largest gaps, disjoint, from dimensions with enough coverage only.

    The eligible dimensions are ranked by score; the upper half (at most three) are the strengths;
    the gaps are the rest's dimensions below target, by priority (then id). So no dimension is both,
    and no strength scores below a gap. With fewer than two eligible dimensions, neither.
    """
    dims = [ds for fs in card.frameworks for ds in fs.dimensions]
    scored = [ds for ds in dims if ds.score is not None]
    eligible = [ds for ds in scored if not ds.insufficient]
    by_score = sorted(eligible, key=lambda d: (-(d.score or 0.0), d.dimension.full_id))
    count = min(HIGHLIGHTS, len(eligible) // 2)  # 0 with fewer than two: neither list
    strengths = tuple(by_score[:count])
    rest = [d for d in by_score[count:] if (d.gap or 0) > 0] if count else []
    gaps = tuple(
        sorted(rest, key=lambda d: (-(d.priority or 0.0), d.dimension.full_id))[:HIGHLIGHTS]
    )
    return Highlights(strengths, gaps, len(eligible), len(scored), len(dims))


@dataclass(frozen=True)
class Answered:
    """How much of a model the answers cover: questions with an answer that counts, of those asked."""

    questions: int
    of: int


def answered(fs: FrameworkScore) -> Answered:
    questions = [q for ds in fs.dimensions for q in ds.questions if not q.is_na]
    return Answered(sum(1 for q in questions if q.score is not None), len(questions))


def thin_lifts(card: ScoreCard, road: Roadmap) -> tuple[int, int]:
    """(tentative, all): the dimensions the roadmap lifts, and how many of them rest on too few
    answers — the plan is only as sure as the scores it starts from."""
    lifted = {lift.dimension for s in road.initiatives for lift in s.improves}
    return sum(1 for d in lifted if card.dimension(d).insufficient), len(lifted)
