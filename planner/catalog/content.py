"""Editorial checks of catalog content, beyond validity: what shipped models must also satisfy."""

from __future__ import annotations

from collections.abc import Iterator

from planner.catalog.model import Catalog, Text

VIETNAMESE_MARKS = set("ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ")


def texts(catalog: Catalog) -> Iterator[tuple[str, Text]]:
    """Every translatable text of the catalog, with where it is."""
    for scale in catalog.scales:
        if scale.name:
            yield f"scale {scale.id}", scale.name
        for level in scale.levels:
            yield f"scale {scale.id} level {level.value}", level.name
            if level.description:
                yield f"scale {scale.id} level {level.value} description", level.description
    for fw in catalog.frameworks:
        for label, text in (
            ("name", fw.name),
            ("summary", fw.summary),
            ("seed note", fw.seed_note),
        ):
            if text:
                yield f"{fw.id} {label}", text
        for dim in fw.dimensions:
            for label, text in (
                ("name", dim.name),
                ("description", dim.description),
                ("group", dim.group),
            ):
                if text:
                    yield f"{dim.full_id} {label}", text
            for q in dim.questions:
                yield f"{q.full_id} text", q.text
                if q.help:
                    yield f"{q.full_id} help", q.help
                for value, anchor in q.anchors:
                    yield f"{q.full_id} level {value}", anchor
                for i, evidence in enumerate(q.evidence, 1):
                    yield f"{q.full_id} evidence {i}", evidence
    for init in catalog.all_initiatives():
        for label, text in (
            ("title", init.title),
            ("summary", init.summary),
            ("owner", init.owner),
        ):
            if text:
                yield f"initiative {init.id} {label}", text
        for i, kpi in enumerate(init.kpis, 1):
            yield f"initiative {init.id} kpi {i}", kpi
    for cap in catalog.crosswalk.capabilities:
        yield f"capability {cap.id} name", cap.name
        if cap.description:
            yield f"capability {cap.id} description", cap.description


def untranslated(catalog: Catalog, allowed: frozenset[str] = frozenset()) -> list[str]:
    """Texts whose Vietnamese is missing, equal to the English, or written without Vietnamese letters."""
    out = []
    for where, text in texts(catalog):
        values = dict(text.values)
        en, vi = values.get("en"), values.get("vi")
        if vi is None:
            out.append(f"{where}: no Vietnamese")
        elif en is not None and vi.strip() == en.strip() and en.strip() not in allowed:
            out.append(f"{where}: Vietnamese is the English text {en!r}")
        elif len(vi.split()) >= 4 and not VIETNAMESE_MARKS & set(vi.lower()):
            out.append(f"{where}: Vietnamese has no Vietnamese letters: {vi[:60]!r}")
    return out


def shared_anchors(catalog: Catalog) -> list[str]:
    """Questions where two levels have the same anchor, in any language."""
    out = []
    for fw in catalog.frameworks:
        for _, q in fw.questions():
            for lang in fw.languages:
                seen: dict[str, int] = {}
                for value, anchor in q.anchors:
                    key = " ".join(anchor.get(lang).lower().split())
                    if key in seen:
                        out.append(
                            f"{q.full_id}: levels {seen[key]} and {value} share the {lang} anchor"
                        )
                    seen[key] = value
    return out


def missing_steps(catalog: Catalog, steps: tuple[int, ...] = (2, 3, 4, 5)) -> list[str]:
    """(dimension, step) pairs without an initiative that lifts the dimension to that level."""
    have = {
        (imp.dimension, imp.to_level) for init in catalog.all_initiatives() for imp in init.improves
    }
    return [
        f"{dim.full_id}: no initiative to level {step}"
        for fw in catalog.frameworks
        for dim in fw.dimensions
        for step in steps
        if step in fw.scale.values and (dim.full_id, step) not in have
    ]
