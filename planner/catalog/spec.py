"""The shape of the YAML files, declared once: it checks parsed values and emits the JSON Schema.

Each kind checks a located value, appends a problem for everything wrong and returns the checked
value (or `INVALID`). Records come back as `Fields`, which keep the marks builders need for the
cross-reference checks that only make sense once the whole catalog is known.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from planner.catalog.model import Text
from planner.catalog.yamlsafe import LList, LMap, Mark, Problem
from planner.inputs import ascii_int

ID_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
LANG_PATTERN = r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$"
_ID = re.compile(ID_PATTERN)
_LANG = re.compile(LANG_PATTERN)


class _Invalid:
    def __repr__(self) -> str:
        return "INVALID"


INVALID: Any = _Invalid()


@dataclass
class Context:
    """What a check needs to know about the file it is in."""

    languages: tuple[str, ...]
    problems: list[Problem]

    def fail(self, mark: Mark, message: str) -> Any:
        self.problems.append(Problem(mark, message))
        return INVALID


def _describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return f"the text {value!r}"
    return f"{type(value).__name__} {value!r}"


class Kind:
    description = ""

    def check(self, value: Any, mark: Mark, ctx: Context) -> Any:
        raise NotImplementedError

    def schema(self, defs: dict[str, Any]) -> dict[str, Any]:
        raise NotImplementedError


@dataclass
class Str(Kind):
    pattern: str | None = None
    what: str = "a text"
    max_length: int = 10_000

    def check(self, value: Any, mark: Mark, ctx: Context) -> Any:
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            return ctx.fail(mark, f"expected {self.what}, got {_describe(value)}")
        text = str(value)
        if not text.strip():
            return ctx.fail(mark, f"expected {self.what}, got an empty text")
        if len(text) > self.max_length:
            return ctx.fail(mark, f"text is longer than {self.max_length} characters")
        if self.pattern and not re.match(self.pattern, text):
            return ctx.fail(mark, f"{text!r} is not {self.what}")
        return text

    def schema(self, defs: dict[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {"type": "string", "minLength": 1}
        if self.pattern:
            out["pattern"] = self.pattern
        return out


ID = Str(ID_PATTERN, "an id (lower-case letters, digits and dashes, e.g. 'one-customer-id')", 80)


@dataclass
class Version(Kind):
    def check(self, value: Any, mark: Mark, ctx: Context) -> Any:
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            return ctx.fail(mark, f'expected a version such as "1.0", got {_describe(value)}')
        return str(value)

    def schema(self, defs: dict[str, Any]) -> dict[str, Any]:
        return {"type": ["string", "number"]}


@dataclass
class Num(Kind):
    integer: bool = False
    minimum: float | None = None
    exclusive_minimum: float | None = None

    def check(self, value: Any, mark: Mark, ctx: Context) -> Any:
        ok = int if self.integer else (int, float)
        if isinstance(value, bool) or not isinstance(value, ok):
            what = "a whole number" if self.integer else "a number"
            return ctx.fail(mark, f"expected {what}, got {_describe(value)}")
        if self.exclusive_minimum is not None and value <= self.exclusive_minimum:
            return ctx.fail(mark, f"must be greater than {self.exclusive_minimum:g}, got {value}")
        if self.minimum is not None and value < self.minimum:
            return ctx.fail(mark, f"must be at least {self.minimum:g}, got {value}")
        return value

    def schema(self, defs: dict[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {"type": "integer" if self.integer else "number"}
        if self.minimum is not None:
            out["minimum"] = self.minimum
        if self.exclusive_minimum is not None:
            out["exclusiveMinimum"] = self.exclusive_minimum
        return out


@dataclass
class Enum(Kind):
    values: tuple[str, ...]

    def check(self, value: Any, mark: Mark, ctx: Context) -> Any:
        if value not in self.values:
            allowed = ", ".join(self.values)
            return ctx.fail(mark, f"expected one of {allowed}, got {_describe(value)}")
        return value

    def schema(self, defs: dict[str, Any]) -> dict[str, Any]:
        return {"enum": list(self.values)}


class TextKind(Kind):
    """A plain string (one-language files) or a mapping language -> string with every language.

    `neutral` texts (a citation) may be a plain string whatever the file's languages.
    """

    def __init__(self, neutral: bool = False, max_length: int | None = None) -> None:
        self.neutral = neutral
        self.max_length = max_length

    def check(self, value: Any, mark: Mark, ctx: Context) -> Any:
        text = self._check(value, mark, ctx)
        if self.max_length is None or not isinstance(text, Text):
            return text
        for lang, words in text.values:
            if len(words) > self.max_length:
                where = value.at(lang) if isinstance(value, LMap) else mark
                return ctx.fail(
                    where,
                    f"at most {self.max_length} characters (the {lang} text has {len(words)})",
                )
        return text

    def _check(self, value: Any, mark: Mark, ctx: Context) -> Any:
        if isinstance(value, str):
            if not value.strip():
                return ctx.fail(mark, "expected a text, got an empty text")
            if len(ctx.languages) > 1 and not self.neutral:
                langs = ", ".join(ctx.languages)
                return ctx.fail(
                    mark,
                    f"a plain text gives one language; this file declares {langs}: "
                    f"write {{{ctx.languages[0]}: ..., {ctx.languages[1]}: ...}}",
                )
            return Text(((ctx.languages[0], value),))
        if not isinstance(value, LMap):
            return ctx.fail(
                mark, f"expected a text or a mapping language: text, got {_describe(value)}"
            )
        ok = True
        for lang, text in value.items():
            where = value.key_marks[lang]
            if lang not in ctx.languages:
                declared = ", ".join(ctx.languages)
                ctx.fail(where, f"language {lang!r} is not declared in languages ({declared})")
                ok = False
            elif isinstance(text, bool):
                word = "yes/no/on/off/true/false"
                ctx.fail(
                    value.at(lang),
                    f"YAML reads the {lang} text as a boolean ({word}): put it in quotes",
                )
                ok = False
            elif not isinstance(text, str | int | float) or not str(text).strip():
                ctx.fail(value.at(lang), f"the {lang} text is missing or empty")
                ok = False
        missing = [lang for lang in ctx.languages if lang not in value]
        if missing:
            ctx.fail(mark, f"text is missing language {', '.join(missing)}")
            ok = False
        if not ok:
            return INVALID
        return Text(tuple((lang, str(value[lang])) for lang in ctx.languages))

    def schema(self, defs: dict[str, Any]) -> dict[str, Any]:
        if self.max_length is not None:
            defs.setdefault(
                "ShortText",
                {
                    "description": f"A text of at most {self.max_length} characters, per language",
                    "oneOf": [
                        {"type": "string", "minLength": 1, "maxLength": self.max_length},
                        {
                            "type": "object",
                            "minProperties": 1,
                            "propertyNames": {"pattern": LANG_PATTERN},
                            "additionalProperties": {
                                "type": "string",
                                "minLength": 1,
                                "maxLength": self.max_length,
                            },
                        },
                    ],
                },
            )
            return {"$ref": "#/$defs/ShortText"}
        defs.setdefault(
            "Text",
            {
                "description": "A text: a plain string, or a mapping language -> string",
                "oneOf": [
                    {"type": "string", "minLength": 1},
                    {
                        "type": "object",
                        "minProperties": 1,
                        "propertyNames": {"pattern": LANG_PATTERN},
                        "additionalProperties": {"type": "string", "minLength": 1},
                    },
                ],
            },
        )
        return {"$ref": "#/$defs/Text"}


TEXT = TextKind()
NEUTRAL_TEXT = TextKind(neutral=True)
SHORT_TEXT = TextKind(max_length=16)  # a chart column or legend (DESIGN §3 short_name)


@dataclass
class ListOf(Kind):
    item: Kind
    min_items: int = 0
    max_items: int = 10_000

    def check(self, value: Any, mark: Mark, ctx: Context) -> Any:
        if not isinstance(value, LList):
            return ctx.fail(mark, f"expected a list, got {_describe(value)}")
        if len(value) < self.min_items:
            return ctx.fail(mark, f"expected at least {self.min_items} item(s), got {len(value)}")
        if len(value) > self.max_items:
            return ctx.fail(mark, f"expected at most {self.max_items} items, got {len(value)}")
        out = []
        for item, where in zip(value, value.item_marks, strict=True):
            checked = self.item.check(item, where, ctx)
            if checked is not INVALID:
                out.append(Item(checked, where))
        return out

    def schema(self, defs: dict[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {"type": "array", "items": self.item.schema(defs)}
        if self.min_items:
            out["minItems"] = self.min_items
        return out


@dataclass(frozen=True)
class Item:
    """A checked list item with its mark."""

    value: Any
    mark: Mark


@dataclass
class LevelMap(Kind):
    """A mapping scale value (integer) -> Text: a question's anchors."""

    value: Kind

    def check(self, value: Any, mark: Mark, ctx: Context) -> Any:
        if not isinstance(value, LMap):
            return ctx.fail(mark, f"expected a mapping level: text, got {_describe(value)}")
        out: dict[int, Item] = {}
        for raw_key, item in value.items():
            where, at = value.key_marks[raw_key], value.at(raw_key)
            key = raw_key
            if isinstance(key, str) and ascii_int(key, -(2**31), 2**31) is not None:
                key = int(key)  # "1": written in quotes is still level 1 ("¹" is not)
            if isinstance(key, bool) or not isinstance(key, int):
                ctx.fail(where, f"level keys are whole numbers on the scale, got {_describe(key)}")
                continue
            # an invalid anchor is kept as INVALID: it is present, and the builder will not use it
            if key in out:
                ctx.fail(where, f"level {key} is given twice (first at line {out[key].mark.line})")
                continue
            out[key] = Item(self.value.check(item, at, ctx), where)
        return out

    def schema(self, defs: dict[str, Any]) -> dict[str, Any]:
        return {
            "type": "object",
            "propertyNames": {"pattern": "^-?[0-9]+$"},
            "additionalProperties": self.value.schema(defs),
        }


@dataclass
class F:
    """A field of a record."""

    name: str
    kind: Kind | Callable[[], Kind]
    required: bool = False
    doc: str = ""

    def resolve(self) -> Kind:
        return self.kind if isinstance(self.kind, Kind) else self.kind()


@dataclass
class Fields:
    """A checked record: its valid values and where each came from."""

    mark: Mark
    values: dict[str, Any] = field(default_factory=dict)
    marks: dict[str, Mark] = field(default_factory=dict)

    def get(self, name: str, default: Any = None) -> Any:
        return self.values.get(name, default)

    def at(self, name: str) -> Mark:
        return self.marks.get(name, self.mark)

    def __contains__(self, name: str) -> bool:
        return name in self.values


@dataclass
class Record(Kind):
    name: str
    fields: Sequence[F]
    doc: str = ""

    def check(self, value: Any, mark: Mark, ctx: Context) -> Any:
        if not isinstance(value, LMap):
            return ctx.fail(mark, f"expected a mapping ({self.name}), got {_describe(value)}")
        known = {f.name: f for f in self.fields}
        out = Fields(value.mark)
        for key in value:
            if key not in known:
                allowed = ", ".join(known)
                ctx.fail(
                    value.key_marks[key], f"unknown key {key!r} in {self.name} (allowed: {allowed})"
                )
        ok = True
        for f in self.fields:
            if f.name not in value:
                if f.required:
                    ctx.fail(value.mark, f"{self.name} is missing required key {f.name!r}")
                    ok = False
                continue
            checked = f.resolve().check(value[f.name], value.at(f.name), ctx)
            if checked is INVALID:
                ok = False
                continue
            out.values[f.name] = checked
            out.marks[f.name] = value.at(f.name)
        out.values["__complete__"] = ok
        return out

    def schema(self, defs: dict[str, Any]) -> dict[str, Any]:
        if self.name not in defs:
            defs[self.name] = {}  # placeholder against recursion
            body: dict[str, Any] = {
                "type": "object",
                "additionalProperties": False,
                "properties": {},
            }
            if self.doc:
                body["description"] = self.doc
            for f in self.fields:
                prop = f.resolve().schema(defs)
                if f.doc:
                    prop = {**prop, "description": f.doc}
                body["properties"][f.name] = prop
            required = [f.name for f in self.fields if f.required]
            if required:
                body["required"] = required
            defs[self.name] = body
        return {"$ref": f"#/$defs/{self.name}"}


@dataclass
class OneOf(Kind):
    """A plain id, or an inline record (a framework's `scale`)."""

    ref: Kind
    record: Record

    def check(self, value: Any, mark: Mark, ctx: Context) -> Any:
        if isinstance(value, LMap):
            return self.record.check(value, mark, ctx)
        return self.ref.check(value, mark, ctx)

    def schema(self, defs: dict[str, Any]) -> dict[str, Any]:
        return {"oneOf": [self.ref.schema(defs), self.record.schema(defs)]}


def unique_ids(items: Iterable[Item], key: str, what: str, ctx: Context) -> None:
    seen: dict[str, Mark] = {}
    for item in items:
        fields: Fields = item.value
        ident = fields.get(key)
        if ident is None:
            continue
        if ident in seen:
            ctx.fail(
                fields.at(key), f"duplicate {what} id {ident!r} (first at line {seen[ident].line})"
            )
        else:
            seen[ident] = fields.at(key)


def is_id(value: str) -> bool:
    return bool(_ID.match(value))


def is_language(value: str) -> bool:
    return bool(_LANG.match(value))
