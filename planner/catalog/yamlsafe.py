"""Parse untrusted YAML into plain values that remember the line and column they came from.

PyYAML alone is unsafe for our purposes: it keeps the last of two duplicate keys without a word,
and `safe_load` returns billion-laughs structures that only explode when walked. Here aliases,
anchors, merge keys and non-core tags are refused, duplicate keys name both lines, nesting is
capped and files over 1 MB are rejected before parsing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.resolver import Resolver

MAX_BYTES = 1_000_000
MAX_DEPTH = 20

_CORE = "tag:yaml.org,2002:"
_ALLOWED_TAGS = frozenset(_CORE + t for t in ("str", "int", "float", "bool", "null", "seq", "map"))


@dataclass(frozen=True, order=True)
class Mark:
    """A place in a file, 1-based."""

    path: str
    line: int
    col: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}"


@dataclass(frozen=True, order=True)
class Problem:
    mark: Mark
    message: str

    def __str__(self) -> str:
        return f"{self.mark}: {self.message}"


class Located:
    """Mixin for containers that know where they and their parts are."""

    mark: Mark


class LMap(dict[Any, Any], Located):
    """A mapping with the marks of its keys and of its values."""

    def __init__(self, mark: Mark) -> None:
        super().__init__()
        self.mark = mark
        self.key_marks: dict[Any, Mark] = {}
        self.value_marks: dict[Any, Mark] = {}

    def at(self, key: Any) -> Mark:
        """The mark of a key's value, or of the mapping when the key is absent."""
        return self.value_marks.get(key, self.mark)


class LList(list[Any], Located):
    """A sequence with the marks of its items."""

    def __init__(self, mark: Mark) -> None:
        super().__init__()
        self.mark = mark
        self.item_marks: list[Mark] = []


class YamlTooComplexError(Exception):
    """Raised inside the composer when a document nests too deep."""

    def __init__(self, mark: Mark) -> None:
        super().__init__(f"nesting deeper than {MAX_DEPTH} levels")
        self.mark = mark


def _mark(path: str, m: yaml.Mark | None) -> Mark:
    if m is None:
        return Mark(path, 1, 1)
    return Mark(path, m.line + 1, m.column + 1)


def _composing(base: type) -> type:
    """Our composer over a parser: refusals recorded as problems, nesting capped at MAX_DEPTH."""

    class Loader(base):  # type: ignore[misc]
        def __init__(self, stream: str, path: str) -> None:
            super().__init__(stream)
            self.path = path
            self.depth = 0
            self.problems: list[Problem] = []

        def compose_node(self, parent: Any, index: Any) -> Any:
            event: Any = self.peek_event()
            where = _mark(self.path, event.start_mark)
            if isinstance(event, yaml.AliasEvent):
                self.get_event()
                self.problems.append(Problem(where, "aliases (*name) are not allowed"))
                return yaml.ScalarNode(_CORE + "null", "", None, None)
            if getattr(event, "anchor", None) is not None:
                self.problems.append(Problem(where, "anchors (&name) are not allowed"))
                event.anchor = None
            tag = getattr(event, "tag", None)
            if tag not in (None, "!") and tag not in _ALLOWED_TAGS:
                self.problems.append(Problem(where, f"tags such as {tag!r} are not allowed"))
                event.tag = None
            self.depth += 1
            try:
                if self.depth > MAX_DEPTH:
                    raise YamlTooComplexError(where)
                return super().compose_node(parent, index)
            finally:
                self.depth -= 1

    return Loader


def _c_base() -> type | None:
    """libyaml's event parser (ten times faster) under Python composition, when PyYAML has it."""
    try:
        from yaml._yaml import CParser
    except ImportError:  # pragma: no cover - PyYAML built without libyaml
        return None

    class Base(Composer, CParser, SafeConstructor, Resolver):
        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            SafeConstructor.__init__(self)
            Resolver.__init__(self)
            Composer.__init__(self)

    return Base


_PureLoader = _composing(yaml.SafeLoader)
_c = _c_base()
_FastLoader = _composing(_c) if _c is not None else _PureLoader


def _libyaml_stopped_nesting(exc: yaml.MarkedYAMLError) -> bool:
    """libyaml (0.2.6+, bundled with PyYAML 6.0.4) refuses deep nesting itself, far past our cap."""
    return "nesting depth" in (exc.problem or "") or "nesting depth" in (exc.context or "")


def _decode(data: bytes, path: str, max_bytes: int) -> tuple[str | None, list[Problem]]:
    if len(data) > max_bytes:
        return None, [Problem(Mark(path, 1, 1), f"file is larger than {max_bytes:,} bytes")]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, [Problem(Mark(path, line, col), "file is not valid UTF-8")]
    return text.removeprefix("\ufeff"), []


def parse(
    data: bytes, path: str, max_bytes: int = MAX_BYTES, *, fast: bool = True
) -> tuple[Any, list[Problem]]:
    """Parse one YAML document into LMap / LList / scalars; return it with every problem found.

    `fast` uses libyaml's parser when PyYAML has it. Our nesting cap holds whichever parser stops
    first: when libyaml refuses a deep file before our composer has seen depth 21 (it scans a
    line ahead), the file is read again by the pure parser, which stops where our cap does.
    """
    text, problems = _decode(data, path, max_bytes)
    if text is None:
        return None, problems
    loader = (_FastLoader if fast else _PureLoader)(text, path)
    try:
        node = loader.get_single_node()
    except YamlTooComplexError as exc:
        return None, [*loader.problems, Problem(exc.mark, str(exc))]
    except yaml.MarkedYAMLError as exc:
        where = _mark(path, exc.problem_mark or exc.context_mark)
        if _libyaml_stopped_nesting(exc):
            if fast and _FastLoader is not _PureLoader:
                return parse(data, path, max_bytes, fast=False)
            return None, [
                *loader.problems,
                Problem(where, f"nesting deeper than {MAX_DEPTH} levels"),
            ]
        message = (exc.problem or exc.context or "invalid YAML").strip()
        if message.endswith("but got '?'"):
            message += " (inside {...}, quote a text that contains '?', e.g. {en: \"Why?\"})"
        return None, [*loader.problems, Problem(where, f"invalid YAML: {message}")]
    except yaml.YAMLError as exc:
        return None, [*loader.problems, Problem(Mark(path, 1, 1), f"invalid YAML: {exc}")]
    except RecursionError:
        return None, [Problem(Mark(path, 1, 1), f"nesting deeper than {MAX_DEPTH} levels")]
    finally:
        loader.dispose()
    problems = list(loader.problems)
    if node is None:
        return None, [*problems, Problem(Mark(path, 1, 1), "file is empty")]
    value = _build(loader, node, problems)
    return value, problems


def _build(loader: Any, node: yaml.Node, problems: list[Problem]) -> Any:
    path = loader.path
    if isinstance(node, yaml.MappingNode):
        result = LMap(_mark(path, node.start_mark))
        for key_node, value_node in node.value:
            key_mark = _mark(path, key_node.start_mark)
            if not isinstance(key_node, yaml.ScalarNode):
                problems.append(Problem(key_mark, "mapping keys must be plain scalars"))
                continue
            if key_node.tag == _CORE + "merge":
                problems.append(Problem(key_mark, "merge keys (<<) are not allowed"))
                continue
            key = _scalar(loader, key_node, problems)
            if key in result.key_marks:
                first = result.key_marks[key]
                problems.append(
                    Problem(key_mark, f"duplicate key {key!r} (first at line {first.line})")
                )
                continue
            result.key_marks[key] = key_mark
            result.value_marks[key] = _mark(path, value_node.start_mark)
            result[key] = _build(loader, value_node, problems)
        return result
    if isinstance(node, yaml.SequenceNode):
        items = LList(_mark(path, node.start_mark))
        for item in node.value:
            items.item_marks.append(_mark(path, item.start_mark))
            items.append(_build(loader, item, problems))
        return items
    return _scalar(loader, node, problems)


def _scalar(loader: Any, node: yaml.Node, problems: list[Problem]) -> Any:
    try:
        return loader.construct_object(node, deep=True)
    except (yaml.YAMLError, ValueError) as exc:
        problems.append(Problem(_mark(loader.path, node.start_mark), f"bad value: {exc}"))
        return None
