"""The answers file's `roadmap:` (DESIGN §4, §6 step 7): capacity, horizon, phases and the
consultant's edits (drop, add, change), each checked with its line."""

from __future__ import annotations

from typing import Any

import yaml

from planner.answers.checks import Reader
from planner.answers.model import MAX_BYTES, AnswersError, Change, Phase, RoadmapSettings
from planner.catalog import Catalog, Initiative
from planner.catalog.loader import custom_initiatives
from planner.catalog.yamlsafe import LList, LMap, parse

ROADMAP_KEYS = ("max_parallel", "horizon_weeks", "phases", "drop", "add", "change")
CHANGE_KEYS = ("start_week", "duration_weeks", "owner", "title")
MAX_WEEKS = 520


def weeks(reader: Reader, value: LMap, key: str, low: int) -> int | None:
    raw = value.get(key)
    if raw is None:
        return None
    if isinstance(raw, bool) or not isinstance(raw, int) or not low <= raw <= MAX_WEEKS:
        reader.fail(
            value.at(key), f"{key} must be a whole number of weeks from {low} to {MAX_WEEKS}"
        )
        return None
    return raw


def edits(
    reader: Reader, raw: LMap, catalog: Catalog, language: str
) -> tuple[tuple[str, ...], tuple[Initiative, ...], dict[str, Change]]:
    """`drop`, `add` and `change` (DESIGN §4, §6 step 7): each names a known initiative, of the
    library or added here, or is an error with its line."""
    added: list[Initiative] = []
    if "add" in raw:
        added = custom_initiatives(raw["add"], raw.at("add"), catalog, language, reader.problems)
    known = {i.id for i in catalog.all_initiatives()} | {i.id for i in added}
    drop: list[str] = []
    if "drop" in raw:
        items = raw["drop"]
        if not isinstance(items, LList):
            reader.fail(raw.at("drop"), "drop must be a list of initiative ids")
            items = LList(raw.mark)
        for item, mark in zip(items, items.item_marks, strict=True):
            if not isinstance(item, str) or item not in known:
                reader.fail(mark, f"unknown initiative {item!r} in drop")
            elif item not in drop:
                drop.append(item)
    change: dict[str, Change] = {}
    if "change" in raw:
        items = raw["change"]
        if not isinstance(items, LMap):
            reader.fail(
                raw.at("change"),
                "change must be a mapping initiative-id: {start_week, duration_weeks, owner, title}",
            )
            items = LMap(raw.mark)
        for key in items:
            edit = items[key]
            if str(key) not in known:
                reader.fail(items.key_marks[key], f"unknown initiative {key!r} in change")
                continue
            if not isinstance(edit, LMap) or not edit:
                reader.fail(
                    items.at(key), f"the change of {key} is a mapping of {', '.join(CHANGE_KEYS)}"
                )
                continue
            reader.keys(edit, CHANGE_KEYS, f"the change of {key}")
            change[str(key)] = Change(
                weeks(reader, edit, "start_week", 0),
                weeks(reader, edit, "duration_weeks", 1),
                reader.text(edit, "owner"),
                reader.text(edit, "title"),
            )
    return tuple(drop), tuple(added), change


def roadmap_of(reader: Reader, value: LMap, catalog: Catalog, language: str) -> RoadmapSettings:
    raw = value.get("roadmap")
    if raw is None:
        return RoadmapSettings()
    if not isinstance(raw, LMap):
        reader.fail(
            value.at("roadmap"),
            "roadmap must be a mapping (max_parallel, horizon_weeks, phases, drop, add, change)",
        )
        return RoadmapSettings()
    reader.keys(raw, ROADMAP_KEYS, "roadmap")
    horizon = raw.get("horizon_weeks", 78)
    if isinstance(horizon, bool) or not isinstance(horizon, int) or not 1 <= horizon <= 520:
        reader.fail(raw.at("horizon_weeks"), "horizon_weeks must be a whole number from 1 to 520")
        horizon = 78
    max_parallel = raw.get("max_parallel", 3)
    if (
        isinstance(max_parallel, bool)
        or not isinstance(max_parallel, int)
        or not 1 <= max_parallel <= 50
    ):
        reader.fail(raw.at("max_parallel"), "max_parallel must be a whole number from 1 to 50")
        max_parallel = 3
    phases: list[Phase] | None = None
    if "phases" in raw:
        items = raw["phases"]
        phases = []
        if not isinstance(items, LList) or not items:
            reader.fail(raw.at("phases"), "phases must be a non-empty list of {name, start_week}")
            items = LList(raw.mark)
        for item, mark in zip(items, items.item_marks, strict=True):
            if not isinstance(item, LMap):
                reader.fail(mark, "a phase is a mapping {name, start_week}")
                continue
            reader.keys(item, ("name", "start_week"), "a phase")
            name = reader.text(item, "name", required=True)
            start = item.get("start_week")
            if isinstance(start, bool) or not isinstance(start, int) or start < 0:
                reader.fail(
                    item.at("start_week"), "start_week must be a whole number of weeks, 0 or more"
                )
            elif name is not None:
                if phases and start <= phases[-1].start_week:
                    reader.fail(item.at("start_week"), "phases must start in increasing weeks")
                phases.append(Phase(name, start))
        if phases and phases[0].start_week != 0:
            reader.fail(raw.at("phases"), "the first phase must start at week 0")
    drop, added, change = edits(reader, raw, catalog, language)
    return RoadmapSettings(
        max_parallel, tuple(phases) if phases else None, horizon, drop, added, change
    )


def read_roadmap(data: Any, catalog: Catalog, language: str) -> RoadmapSettings:
    """Settings stored as the answers file's `roadmap:` mapping (the web app keeps them so), checked
    as the file is; AnswersError lists the problems."""
    text = yaml.safe_dump({"roadmap": data}, allow_unicode=True, sort_keys=False)
    value, problems = parse(text.encode(), "roadmap", MAX_BYTES)
    if problems or not isinstance(value, LMap):
        raise AnswersError(problems)
    reader = Reader("roadmap", None)
    reader.keys(value, ("roadmap",), "the roadmap")
    settings = roadmap_of(reader, value, catalog, language)
    if reader.problems:
        raise AnswersError(reader.problems)
    return settings
