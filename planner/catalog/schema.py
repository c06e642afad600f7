"""JSON Schemas of the four file kinds, generated from the same records the loader checks with."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from planner.catalog import shapes

SCHEMA_FILES = {
    "framework": "framework.schema.json",
    "scales": "scales.schema.json",
    "initiatives": "initiatives.schema.json",
    "crosswalk": "crosswalk.schema.json",
}
TITLES = {
    "framework": "CRM Maturity Planner: model definition",
    "scales": "CRM Maturity Planner: maturity scales",
    "initiatives": "CRM Maturity Planner: initiative library",
    "crosswalk": "CRM Maturity Planner: crosswalk of capabilities and equivalent questions",
}


def schema(kind: str = "framework") -> dict[str, Any]:
    defs: dict[str, Any] = {}
    root = shapes.FILE_KINDS[kind].schema(defs)
    name = root["$ref"].rsplit("/", 1)[1]
    body = defs.pop(name)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://crm-maturity-planner.invalid/schema/{SCHEMA_FILES[kind]}",
        "title": TITLES[kind],
        **body,
        "$defs": dict(sorted(defs.items())),
    }


def render(kind: str = "framework") -> str:
    return json.dumps(schema(kind), indent=2, ensure_ascii=False) + "\n"


def write_all(directory: Path) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for kind, name in SCHEMA_FILES.items():
        path = directory / name
        path.write_text(render(kind), encoding="utf-8")
        written.append(path)
    return written
