"""Frozen, typed definitions: what the rest of the planner sees of the YAML files."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from planner.catalog.yamlsafe import Mark

LevelRule = Literal["average", "weakest"]
NaPolicy = Literal["exclude", "minimum"]


@dataclass(frozen=True)
class Text:
    """A translatable text: (language, string) pairs, the file's default language first."""

    values: tuple[tuple[str, str], ...]

    def get(self, lang: str) -> str:
        for code, text in self.values:
            if code == lang:
                return text
        return self.values[0][1]

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(code for code, _ in self.values)

    @classmethod
    def plain(cls, text: str, lang: str = "en") -> Text:
        return cls(((lang, text),))


@dataclass(frozen=True)
class Level:
    value: int
    name: Text
    description: Text | None = None


@dataclass(frozen=True)
class Scale:
    id: str
    levels: tuple[Level, ...]
    name: Text | None = None

    @property
    def values(self) -> tuple[int, ...]:
        return tuple(level.value for level in self.levels)

    @property
    def minimum(self) -> int:
        return self.levels[0].value

    @property
    def maximum(self) -> int:
        return self.levels[-1].value

    def level_at(self, score: float) -> int:
        """The highest scale value at or below `score`."""
        best = self.minimum
        for value in self.values:
            if value <= score + 1e-9:
                best = value
        return best

    def level(self, value: int) -> Level:
        for level in self.levels:
            if level.value == value:
                return level
        raise KeyError(value)

    def describe(self) -> str:
        return f"{self.id} ({', '.join(str(v) for v in self.values)})"


@dataclass(frozen=True)
class Question:
    id: str
    full_id: str
    text: Text
    anchors: tuple[tuple[int, Text], ...]
    weight: float = 1.0
    help: Text | None = None
    evidence: tuple[Text, ...] = ()

    def anchor(self, value: int) -> Text | None:
        for level, text in self.anchors:
            if level == value:
                return text
        return None


@dataclass(frozen=True)
class Dimension:
    id: str
    full_id: str
    name: Text
    questions: tuple[Question, ...]
    description: Text | None = None
    group: Text | None = None
    weight: float = 1.0
    target: float | None = None


@dataclass(frozen=True)
class Improvement:
    dimension: str  # qualified: framework.dimension
    to_level: int

    @property
    def framework(self) -> str:
        return self.dimension.split(".", 1)[0]


@dataclass(frozen=True)
class Initiative:
    id: str
    title: Text
    duration_weeks: int
    improves: tuple[Improvement, ...]
    summary: Text | None = None
    depends_on: tuple[str, ...] = ()
    effort: str | None = None
    owner: Text | None = None
    kpis: tuple[Text, ...] = ()
    # where the id, each `improves` entry (dimension, to_level) and each `depends_on` entry are
    mark: Mark | None = field(default=None, compare=False, repr=False)
    improves_at: tuple[tuple[Mark, Mark], ...] = field(default=(), compare=False, repr=False)
    depends_at: tuple[Mark, ...] = field(default=(), compare=False, repr=False)


@dataclass(frozen=True)
class Framework:
    id: str
    version: str
    name: Text
    languages: tuple[str, ...]
    scale: Scale
    dimensions: tuple[Dimension, ...]
    level_rule: LevelRule = "average"
    na_policy: NaPolicy = "exclude"
    default_target: float | None = None
    sequence: tuple[str, ...] = ()
    summary: Text | None = None
    source: Text | None = None
    initiatives: tuple[Initiative, ...] = ()
    path: str = ""
    content_hash: str = ""
    short_name: Text | None = None  # at most 16 characters: chart columns and legends
    seed_note: Text | None = None  # how the Vietnamese seed articles differ from the literature

    def label(self, lang: str) -> str:
        """The name a chart can hold: the short name, else the name."""
        return (self.short_name or self.name).get(lang)

    def dimension(self, dimension_id: str) -> Dimension:
        for dim in self.dimensions:
            if dim.id == dimension_id:
                return dim
        raise KeyError(dimension_id)

    def questions(self) -> Iterator[tuple[Dimension, Question]]:
        for dim in self.dimensions:
            for question in dim.questions:
                yield dim, question

    @property
    def question_count(self) -> int:
        return sum(len(dim.questions) for dim in self.dimensions)


@dataclass(frozen=True)
class Capability:
    """A row of the capability heatmap: whole dimensions, and single questions of dimensions that
    only partly belong to it."""

    id: str
    name: Text
    dimensions: tuple[str, ...]
    description: Text | None = None
    questions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Crosswalk:
    capabilities: tuple[Capability, ...] = ()
    equivalent_questions: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True)
class Catalog:
    """Every definition known, by id; the only thing the planner needs from `frameworks/`."""

    frameworks: tuple[Framework, ...]
    scales: tuple[Scale, ...]
    initiatives: tuple[Initiative, ...]
    crosswalk: Crosswalk

    def framework(self, framework_id: str) -> Framework:
        for fw in self.frameworks:
            if fw.id == framework_id:
                return fw
        raise KeyError(framework_id)

    def has_framework(self, framework_id: str) -> bool:
        return any(fw.id == framework_id for fw in self.frameworks)

    def all_initiatives(self) -> tuple[Initiative, ...]:
        """The library and every framework's own initiatives."""
        own = tuple(i for fw in self.frameworks for i in fw.initiatives)
        return self.initiatives + own
