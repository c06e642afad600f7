"""The assessment as data: what an answers file holds, once read and checked."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from planner.catalog import Catalog, Framework, Initiative, Problem

LANGUAGES = ("en", "vi")
NA: Literal["na"] = "na"
UNKNOWN: Literal["unknown"] = "unknown"
AnswerValue = int | Literal["na", "unknown"]
MAX_TEXT = 2000
MAX_BYTES = 5_000_000  # 50 respondents x 110 questions with comments fits many times over


@dataclass(frozen=True)
class Answer:
    value: AnswerValue | None  # None: a comment without a level
    comment: str | None = None


@dataclass(frozen=True)
class Respondent:
    name: str
    role: str | None = None
    email: str | None = None
    answers: Mapping[str, Answer] = field(default_factory=dict)
    importance: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Phase:
    name: str
    start_week: int


@dataclass(frozen=True)
class Change:
    """The consultant's change to one initiative (DESIGN §6 step 7); None keeps the library's."""

    start_week: int | None = None  # a pin: the initiative starts exactly there
    duration_weeks: int | None = None
    owner: str | None = None
    title: str | None = None


@dataclass(frozen=True)
class RoadmapSettings:
    """How the roadmap is scheduled — `max_parallel`, the phases and the horizon — and the
    consultant's edits: initiatives dropped, added and changed (DESIGN §6 steps 7-8)."""

    max_parallel: int = 3
    phases: tuple[Phase, ...] | None = (
        None  # None: the default phases, named in the report language
    )
    horizon_weeks: int = 78  # initiatives starting at or after it are "later" (§6 step 8)
    drop: tuple[str, ...] = ()
    add: tuple[Initiative, ...] = ()
    change: Mapping[str, Change] = field(default_factory=dict)

    @property
    def edited(self) -> bool:
        return bool(self.drop or self.add or self.change)


@dataclass(frozen=True)
class Baseline:
    """An earlier assessment of the same client (DESIGN §4 `baseline:`): the path of its answers
    file, as written, or a mapping of dimension id -> score."""

    path: str | None = None
    scores: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Assessment:
    client: str
    frameworks: tuple[str, ...]  # as written: catalog ids or paths relative to the file
    language: str = "en"
    title: str | None = None
    targets: Mapping[str, float] = field(default_factory=dict)
    respondents: tuple[Respondent, ...] = ()
    agreed: Mapping[str, AnswerValue] = field(default_factory=dict)
    notes: Mapping[str, str] = field(default_factory=dict)  # the workshop's, by question/dimension
    roadmap: RoadmapSettings = field(default_factory=RoadmapSettings)
    baseline: Baseline | None = None
    date: dt.date | None = (
        None  # when it closed, else when it was created: a later baseline's start
    )


@dataclass(frozen=True)
class Loaded:
    """An assessment with the definitions it names, resolved and checked."""

    assessment: Assessment
    catalog: Catalog
    frameworks: tuple[Framework, ...]
    # The baseline, when it is an earlier assessment (an answers file, or an assessment on the web),
    # read as it is: its own baseline is not followed.
    baseline: Loaded | None = field(default=None, compare=False)


class AnswersError(Exception):
    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = sorted(set(problems))
        super().__init__("\n".join(str(p) for p in self.problems))
