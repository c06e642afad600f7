"""Read YAML files into a checked Catalog, reporting every problem as PATH:LINE:COL: message."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from planner.catalog import references, shapes
from planner.catalog.model import (
    Catalog,
    Crosswalk,
    Dimension,
    Framework,
    Improvement,
    Initiative,
    Level,
    Question,
    Scale,
)
from planner.catalog.spec import INVALID, Context, Fields, Item, ListOf, is_language, unique_ids
from planner.catalog.yamlsafe import LMap, Mark, Problem, parse

SHIPPED_DIR = Path(__file__).resolve().parents[2] / "frameworks"
LIBRARY_FILES = {
    "scales.yaml": "scales",
    "initiatives.yaml": "initiatives",
    "crosswalk.yaml": "crosswalk",
}
LIBRARY_LANGUAGES = ("en", "vi")


class CatalogError(Exception):
    """The files have problems; `problems` lists every one of them."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = sorted(set(problems))
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass
class SourceFile:
    """One parsed file and what it turned out to be."""

    path: str
    data: bytes
    value: Any
    kind: str
    shipped: bool
    problems: list[Problem] = field(default_factory=list)


def display_path(path: Path) -> str:
    """Paths relative to the working directory when under it: short, clickable messages."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def read_source(path: Path, shipped: bool = False, kind: str | None = None) -> SourceFile:
    shown = display_path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        problem = Problem(Mark(shown, 1, 1), f"cannot read file: {exc.strerror or exc}")
        return SourceFile(shown, b"", None, kind or "framework", shipped, [problem])
    return source_from_bytes(data, shown, shipped, kind)


def source_from_bytes(
    data: bytes, shown: str, shipped: bool = False, kind: str | None = None
) -> SourceFile:
    value, problems = parse(data, shown)
    if kind is None:
        kind = _guess_kind(shown, value)
    if value is not None and not isinstance(value, LMap):
        problems.append(Problem(Mark(shown, 1, 1), "the file must be a mapping of keys to values"))
        value = None
    return SourceFile(shown, data, value, kind, shipped, problems)


def _guess_kind(path: str, value: Any) -> str:
    name = Path(path).name
    if isinstance(value, LMap):
        keys = set(value)
        if "dimensions" in keys or "id" in keys:
            return "framework"
        if "scales" in keys:
            return "scales"
        if "initiatives" in keys:
            return "initiatives"
        if keys & {"capabilities", "equivalent_questions"}:
            return "crosswalk"
    return LIBRARY_FILES.get(name, "framework")


def _languages(value: LMap, default: tuple[str, ...]) -> tuple[str, ...]:
    langs = value.get("languages")
    if (
        isinstance(langs, list)
        and langs
        and all(isinstance(x, str) and is_language(x) for x in langs)
    ):
        return tuple(dict.fromkeys(langs))
    name = value.get("name")
    if isinstance(name, LMap) and name and all(isinstance(k, str) and is_language(k) for k in name):
        return tuple(name)
    return default


# --- builders: checked Fields -> frozen definitions ------------------------------------------


def _scale(f: Fields, ctx: Context) -> Scale | None:
    items: list[Item] = f.get("levels", [])
    levels: list[Level] = []
    previous: int | None = None
    ok = bool(f.get("__complete__"))
    for item in items:
        lf: Fields = item.value
        value = lf.get("value")
        if value is None or "name" not in lf:
            ok = False
            continue
        if previous is not None and value <= previous:
            ctx.fail(
                lf.at("value"),
                f"level values must be strictly increasing ({value} after {previous})",
            )
            ok = False
        previous = value
        levels.append(Level(value, lf.get("name"), lf.get("description")))
    if not ok or "id" not in f or len(levels) < 3:
        return None
    return Scale(f.get("id"), tuple(levels), f.get("name"))


def _initiative(f: Fields, ctx: Context, framework_id: str | None) -> Initiative | None:
    improves: list[Improvement] = []
    improves_at: list[tuple[Mark, Mark]] = []
    for item in f.get("improves", []):
        imp: Fields = item.value
        dimension, level = imp.get("dimension"), imp.get("to_level")
        if dimension is None or level is None:
            continue
        if "." not in dimension:
            if framework_id is None:
                ctx.fail(
                    imp.at("dimension"),
                    f"dimension {dimension!r} must be qualified: framework.dimension",
                )
                continue
            dimension = f"{framework_id}.{dimension}"
        improves.append(Improvement(dimension, level))
        improves_at.append((imp.at("dimension"), imp.at("to_level")))
    depends: dict[str, Mark] = {}
    for d in f.get("depends_on", []):
        depends.setdefault(d.value, d.mark)
    if not f.get("__complete__") or not improves:
        return None
    return Initiative(
        id=f.get("id"),
        title=f.get("title"),
        duration_weeks=f.get("duration_weeks"),
        improves=tuple(improves),
        summary=f.get("summary"),
        depends_on=tuple(depends),
        effort=f.get("effort"),
        owner=f.get("owner"),
        kpis=tuple(k.value for k in f.get("kpis", [])),
        mark=f.at("id"),
        improves_at=tuple(improves_at),
        depends_at=tuple(depends.values()),
    )


def custom_initiatives(
    items: Any, mark: Mark, catalog: Catalog, language: str, problems: list[Problem]
) -> list[Initiative]:
    """An answers file's `roadmap: add`: initiatives in the library's form (§3), texts plain or in
    the assessment's language, checked against the catalog like the library's own."""
    ctx = Context((language,), problems)
    checked = ListOf(shapes.INITIATIVE).check(items, mark, ctx)
    if checked is INVALID:
        return []
    built = [_initiative(item.value, ctx, None) for item in checked]
    added = [i for i in built if i is not None]
    references.check_added(catalog, added, problems)
    return added


def _question(f: Fields, ctx: Context, scale: Scale | None, dim_full: str) -> Question | None:
    anchors: dict[int, Item] = f.get("levels", {})
    if scale is not None and "levels" in f:
        for value, item in anchors.items():
            if value not in scale.values:
                ctx.fail(item.mark, f"level {value} is not on scale {scale.describe()}")
        missing = [str(v) for v in scale.values if v not in anchors]
        if missing:
            ctx.fail(
                f.at("levels"),
                f"question {f.get('id')!r} has no anchor for level {', '.join(missing)}",
            )
    if (
        not f.get("__complete__")
        or scale is None
        or any(a.value is INVALID for a in anchors.values())
    ):
        return None
    return Question(
        id=f.get("id"),
        full_id=f"{dim_full}.{f.get('id')}",
        text=f.get("text"),
        anchors=tuple((v, anchors[v].value) for v in scale.values if v in anchors),
        weight=f.get("weight", 1.0),
        help=f.get("help"),
        evidence=tuple(e.value for e in f.get("evidence", [])),
    )


def _check_target(value: float | None, where: Mark, scale: Scale | None, ctx: Context) -> None:
    if value is None or scale is None:
        return
    if not scale.minimum <= value <= scale.maximum:
        ctx.fail(where, f"target {value} is off scale {scale.describe()}")


def _framework(
    src: SourceFile, scales: dict[str, Scale], problems: list[Problem]
) -> Framework | None:
    value: LMap = src.value
    ctx = Context(_languages(value, ("en",)), problems)
    before = len(problems)
    f = shapes.FRAMEWORK.check(value, value.mark, ctx)
    if f is INVALID:
        return None
    fid = f.get("id")
    scale: Scale | None = None
    raw_scale = f.get("scale")
    if isinstance(raw_scale, Fields):
        scale = _scale(raw_scale, ctx)
    elif isinstance(raw_scale, str):
        scale = scales.get(raw_scale)
        if scale is None:
            known = ", ".join(sorted(scales)) or "none"
            ctx.fail(f.at("scale"), f"unknown scale {raw_scale!r} (known: {known})")
    dim_items: list[Item] = f.get("dimensions", [])
    unique_ids(dim_items, "id", "dimension", ctx)
    dimensions: list[Dimension] = []
    for item in dim_items:
        d: Fields = item.value
        dim_full = f"{fid}.{d.get('id')}"
        q_items: list[Item] = d.get("questions", [])
        unique_ids(q_items, "id", "question", ctx)
        questions = [_question(q.value, ctx, scale, dim_full) for q in q_items]
        _check_target(d.get("target"), d.at("target"), scale, ctx)
        if d.get("__complete__") and all(questions):
            dimensions.append(
                Dimension(
                    id=d.get("id"),
                    full_id=dim_full,
                    name=d.get("name"),
                    questions=tuple(q for q in questions if q is not None),
                    description=d.get("description"),
                    group=d.get("group"),
                    weight=d.get("weight", 1.0),
                    target=d.get("target"),
                )
            )
    _check_target(f.get("default_target"), f.at("default_target"), scale, ctx)
    dim_ids = {d.value.get("id") for d in dim_items}
    seen: set[str] = set()
    for item in f.get("sequence", []):
        if item.value not in dim_ids:
            ctx.fail(item.mark, f"sequence names unknown dimension {item.value!r}")
        elif item.value in seen:
            ctx.fail(item.mark, f"sequence names {item.value!r} twice")
        seen.add(item.value)
    inits = [_initiative(i.value, ctx, fid) for i in f.get("initiatives", [])]
    if len(problems) > before or scale is None or fid is None:
        return None
    return Framework(
        id=fid,
        version=f.get("version", "1"),
        name=f.get("name"),
        languages=ctx.languages,
        scale=scale,
        dimensions=tuple(dimensions),
        level_rule=f.get("level_rule", "average"),
        na_policy=f.get("na_policy", "exclude"),
        default_target=f.get("default_target"),
        sequence=tuple(i.value for i in f.get("sequence", [])),
        summary=f.get("summary"),
        source=f.get("source"),
        initiatives=tuple(i for i in inits if i is not None),
        path=src.path,
        content_hash=hashlib.sha256(src.data).hexdigest(),
        short_name=f.get("short_name"),
        seed_note=f.get("seed_note"),
    )


def _library(src: SourceFile, problems: list[Problem]) -> tuple[Fields | None, Context]:
    value: LMap = src.value
    ctx = Context(_languages(value, LIBRARY_LANGUAGES), problems)
    f = shapes.FILE_KINDS[src.kind].check(value, value.mark, ctx)
    return (None if f is INVALID else f), ctx


# --- the catalog ------------------------------------------------------------------------------


def shipped_files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.glob("*.yaml") if p.is_file())


def load_catalog(directory: Path | None = None, extra: Sequence[Path] = ()) -> Catalog:
    """Load every file of `directory` (the shipped catalog) plus `extra` files.

    An extra file replaces the shipped file at the same path, and an extra framework replaces a
    shipped framework with the same id: `validate my-idic.yaml` checks an edited copy in place.
    """
    directory = SHIPPED_DIR if directory is None else directory
    extra_resolved = {p.resolve() for p in extra}
    sources = [
        read_source(p, shipped=True)
        for p in shipped_files(directory)
        if p.resolve() not in extra_resolved
    ]
    sources += [read_source(p) for p in extra]
    return build_catalog(sources)


def build_catalog(sources: Sequence[SourceFile]) -> Catalog:
    problems: list[Problem] = [p for s in sources for p in s.problems]
    parsed = [s for s in sources if s.value is not None]

    scales: dict[str, Scale] = {}
    scale_marks: dict[str, Mark] = {}
    for src in (s for s in parsed if s.kind == "scales"):
        f, ctx = _library(src, problems)
        for item in f.get("scales", []) if f else []:
            scale = _scale(item.value, ctx)
            if scale is None:
                continue
            if scale.id in scales:
                ctx.fail(
                    item.value.at("id"),
                    f"duplicate scale id {scale.id!r} (first at {scale_marks[scale.id]})",
                )
                continue
            scales[scale.id] = scale
            scale_marks[scale.id] = item.value.at("id")

    frameworks: dict[str, Framework] = {}
    given: set[str] = set()
    for src in sorted((s for s in parsed if s.kind == "framework"), key=lambda s: not s.shipped):
        fw = _framework(src, scales, problems)
        if fw is None:
            continue
        if fw.id in frameworks and (fw.id in given or src.shipped):
            other = frameworks[fw.id].path
            problems.append(
                Problem(Mark(src.path, 1, 1), f"duplicate framework id {fw.id!r} (also in {other})")
            )
            continue
        if not src.shipped:
            given.add(fw.id)  # a given file replaces the shipped framework with its id
        frameworks[fw.id] = fw

    initiatives: list[Initiative] = []
    lib_ctx: list[Context] = []
    for src in (s for s in parsed if s.kind == "initiatives"):
        f, ctx = _library(src, problems)
        lib_ctx.append(ctx)
        for item in f.get("initiatives", []) if f else []:
            built = _initiative(item.value, ctx, None)
            if built is not None:
                initiatives.append(built)

    crosswalk = Crosswalk()
    for src in (s for s in parsed if s.kind == "crosswalk"):
        f, ctx = _library(src, problems)
        if f is not None:
            crosswalk = references.crosswalk(f, ctx, frameworks)

    catalog = Catalog(
        frameworks=tuple(frameworks.values()),
        scales=tuple(scales.values()),
        initiatives=tuple(initiatives),
        crosswalk=crosswalk,
    )
    references.check_initiatives(catalog, problems)
    if problems:
        raise CatalogError(problems)
    return catalog
