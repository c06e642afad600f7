"""Versions of a model: which of two is newer, and what changed between them (DESIGN §7 "Model
versions"). Pure: definitions in, plain data out."""

from __future__ import annotations

from dataclasses import dataclass

from planner.catalog.model import Dimension, Framework, Question


def version_key(version: str) -> tuple[int, ...] | None:
    """ "1.10" -> (1, 10), trailing zeros dropped ("1.0" == "1"); None for a version that is not
    dotted numbers ("2026-beta"): such a version is never taken for newer than another."""
    parts = version.strip().split(".")
    if not all(part.isascii() and part.isdigit() for part in parts):
        return None
    key = [int(part) for part in parts]
    while len(key) > 1 and key[-1] == 0:
        key.pop()
    return tuple(key)


def is_newer(candidate: str, pinned: str) -> bool:
    """Whether `candidate` is a higher version than `pinned`, compared number by number."""
    new, old = version_key(candidate), version_key(pinned)
    return new is not None and old is not None and new > old


@dataclass(frozen=True)
class QuestionChange:
    """A question of one version and not the other (or, in `reworded`, of both with new wording,
    anchors or weight); `dimension` is the one it sits in, in the version that has it."""

    dimension: Dimension
    question: Question


@dataclass(frozen=True)
class FrameworkDiff:
    old: Framework
    new: Framework
    added_dimensions: tuple[Dimension, ...]
    removed_dimensions: tuple[Dimension, ...]
    added_questions: tuple[QuestionChange, ...]
    removed_questions: tuple[QuestionChange, ...]
    reworded: tuple[QuestionChange, ...]  # the new version's question
    scale_changed: bool

    @property
    def changes_questions(self) -> bool:
        return bool(self.added_questions or self.removed_questions or self.reworded)


def _same_wording(a: Question, b: Question) -> bool:
    return a.text == b.text and a.anchors == b.anchors and a.weight == b.weight


def diff(old: Framework, new: Framework) -> FrameworkDiff:
    """What `new` adds to and removes from `old`, by full id (a question moved to another
    dimension is a new question: its answers were given under its old id)."""
    old_dims = {d.full_id: d for d in old.dimensions}
    new_dims = {d.full_id: d for d in new.dimensions}
    old_questions = {q.full_id: (d, q) for d, q in old.questions()}
    new_questions = {q.full_id: (d, q) for d, q in new.questions()}
    return FrameworkDiff(
        old=old,
        new=new,
        added_dimensions=tuple(d for fid, d in new_dims.items() if fid not in old_dims),
        removed_dimensions=tuple(d for fid, d in old_dims.items() if fid not in new_dims),
        added_questions=tuple(
            QuestionChange(d, q)
            for qid, (d, q) in new_questions.items()
            if qid not in old_questions
        ),
        removed_questions=tuple(
            QuestionChange(d, q)
            for qid, (d, q) in old_questions.items()
            if qid not in new_questions
        ),
        reworded=tuple(
            QuestionChange(d, q)
            for qid, (d, q) in new_questions.items()
            if qid in old_questions and not _same_wording(old_questions[qid][1], q)
        ),
        scale_changed=old.scale != new.scale,
    )
