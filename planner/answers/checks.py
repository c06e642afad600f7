"""The answers reader's tools: a checker that collects every problem with its line, and the
ids of the assessment's models it checks against."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from planner.answers.model import MAX_TEXT
from planner.catalog import Framework, Mark, Problem
from planner.catalog.yamlsafe import LList, LMap
from planner.inputs import BadText, clean_text

MULTILINE = frozenset({"comment"})  # texts that may hold newlines and tabs


class Reader:
    """Checks one parsed answers file against the catalog, collecting every problem."""

    def __init__(self, path: str, base: Path | None) -> None:
        self.path = path
        self.base = base
        self.problems: list[Problem] = []

    def fail(self, mark: Mark, message: str) -> None:
        self.problems.append(Problem(mark, message))

    def keys(self, value: LMap, allowed: Sequence[str], what: str) -> None:
        for key in value:
            if key not in allowed:
                self.fail(
                    value.key_marks[key],
                    f"unknown key {key!r} in {what} (allowed: {', '.join(allowed)})",
                )

    def text(
        self, value: LMap, key: str, required: bool = False, multiline: bool = False
    ) -> str | None:
        if key not in value or value[key] is None:
            if required:
                self.fail(value.mark, f"missing required key {key!r}")
            return None
        raw = value[key]
        if isinstance(raw, bool) or not isinstance(raw, str | int | float) or not str(raw).strip():
            self.fail(value.at(key), f"{key} must be a non-empty text")
            return None
        if len(str(raw)) > MAX_TEXT:
            self.fail(value.at(key), f"{key} is longer than {MAX_TEXT} characters")
            return None
        try:
            return clean_text(str(raw), multiline=multiline or key in MULTILINE).strip()
        except BadText as exc:
            self.fail(value.at(key), f"{key}: {exc}")
            return None

    def framework_refs(self, value: LMap) -> list[tuple[str, Mark]]:
        raw = value.get("frameworks")
        if isinstance(raw, str) and raw.strip():  # one model, written without brackets
            single = LList(value.at("frameworks"))
            single.append(raw)
            single.item_marks.append(value.at("frameworks"))
            raw = single
        if not isinstance(raw, LList) or not raw:
            self.fail(
                value.at("frameworks"), "frameworks must be a non-empty list of model ids or paths"
            )
            return []
        refs = []
        for item, mark in zip(raw, raw.item_marks, strict=True):
            if not isinstance(item, str) or not item.strip():
                self.fail(mark, "a framework is a model id or a path to a model file")
            else:
                refs.append((item.strip(), mark))
        return refs


class Index:
    """Question, dimension and framework ids of the assessment, with their scales."""

    def __init__(self, frameworks: Sequence[Framework]) -> None:
        self.frameworks = {fw.id: fw for fw in frameworks}
        self.dimensions = {d.full_id: fw for fw in frameworks for d in fw.dimensions}
        self.questions = {q.full_id: fw for fw in frameworks for _, q in fw.questions()}
