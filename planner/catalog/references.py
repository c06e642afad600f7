"""Cross-references that need the whole catalog: the crosswalk, initiatives' dimensions and levels,
their prerequisites, and dependency cycles."""

from __future__ import annotations

from dataclasses import replace

from planner.catalog.model import Capability, Catalog, Crosswalk, Framework, Initiative, Scale
from planner.catalog.spec import Context, Fields, Item, unique_ids
from planner.catalog.yamlsafe import Mark, Problem


def crosswalk(f: Fields, ctx: Context, frameworks: dict[str, Framework]) -> Crosswalk:
    dims = {d.full_id for fw in frameworks.values() for d in fw.dimensions}
    questions: dict[str, Scale] = {
        q.full_id: fw.scale for fw in frameworks.values() for _, q in fw.questions()
    }
    caps: list[Capability] = []
    cap_items: list[Item] = f.get("capabilities", [])
    unique_ids(cap_items, "id", "capability", ctx)
    for item in cap_items:
        c: Fields = item.value
        names: list[Item] = c.get("dimensions", [])
        asked: list[Item] = c.get("questions", [])
        for n in names:
            if n.value not in dims:
                ctx.fail(n.mark, f"unknown dimension {n.value!r}")
        whole = {n.value for n in names}
        for q in asked:
            if q.value not in questions:
                ctx.fail(q.mark, f"unknown question {q.value!r}")
            elif q.value.rsplit(".", 1)[0] in whole:
                ctx.fail(
                    q.mark, f"question {q.value!r} is in a dimension the capability lists whole"
                )
        if not names and not asked and c.get("__complete__"):
            ctx.fail(item.mark, f"capability {c.get('id')!r} names no dimension and no question")
        if c.get("__complete__"):
            caps.append(
                Capability(
                    c.get("id"),
                    c.get("name"),
                    tuple(n.value for n in names),
                    c.get("description"),
                    tuple(q.value for q in asked),
                )
            )
    groups: list[tuple[str, ...]] = []
    seen: dict[str, Mark] = {}
    for group in f.get("equivalent_questions", []):
        members: list[Item] = group.value
        scales_in = []
        for m in members:
            if m.value not in questions:
                ctx.fail(m.mark, f"unknown question {m.value!r}")
                continue
            if m.value in seen:
                ctx.fail(
                    m.mark,
                    f"question {m.value!r} is already in the group at line {seen[m.value].line}",
                )
                continue
            seen[m.value] = m.mark
            scales_in.append((m, questions[m.value]))
        if len({(s.id, s.values) for _, s in scales_in}) > 1:
            mixed = ", ".join(f"{m.value} ({s.id})" for m, s in scales_in)
            ctx.fail(group.mark, f"equivalent questions must share a scale: {mixed}")
        groups.append(tuple(m.value for m in members))
    return Crosswalk(tuple(caps), tuple(groups))


def check_initiatives(catalog: Catalog, problems: list[Problem]) -> None:
    by_id: dict[str, Initiative] = {}
    dims = {d.full_id: fw.scale for fw in catalog.frameworks for d in fw.dimensions}
    for init in catalog.all_initiatives():
        where = init.mark or Mark("?", 1, 1)
        if init.id in by_id:
            first = by_id[init.id].mark
            problems.append(
                Problem(where, f"duplicate initiative id {init.id!r} (first at {first})")
            )
            continue
        by_id[init.id] = init
        for imp in init.improves:
            dim_mark, level_mark = (
                init.improves_at[init.improves.index(imp)] if init.improves_at else (where, where)
            )
            scale = dims.get(imp.dimension)
            if scale is None:
                problems.append(
                    Problem(
                        dim_mark,
                        f"initiative {init.id!r} improves unknown dimension {imp.dimension!r}",
                    )
                )
            elif imp.to_level not in scale.values:
                problems.append(
                    Problem(
                        level_mark,
                        f"to_level {imp.to_level} is not on scale {scale.describe()} of {imp.dimension}",
                    )
                )
    for init in by_id.values():
        where = init.mark or Mark("?", 1, 1)
        for dep in init.depends_on:
            if dep not in by_id:
                where = init.depends_at[init.depends_on.index(dep)] if init.depends_at else where
                problems.append(
                    Problem(where, f"initiative {init.id!r} depends on unknown initiative {dep!r}")
                )
    for cycle in find_cycles(
        {i.id: [d for d in i.depends_on if d in by_id] for i in by_id.values()}
    ):
        first = by_id[cycle[0]].mark or Mark("?", 1, 1)
        problems.append(Problem(first, "dependency cycle: " + " -> ".join([*cycle, cycle[0]])))


def check_added(catalog: Catalog, added: list[Initiative], problems: list[Problem]) -> None:
    """The consultant's own initiatives (an answers file's `roadmap: add`): the library's rules,
    and an id that the library already has is an error (change that one instead)."""
    library = {i.id: i for i in catalog.all_initiatives()}
    fresh = []
    for init in added:
        known = library.get(init.id)
        if known is not None:
            problems.append(
                Problem(
                    init.mark or Mark("?", 1, 1),
                    f"initiative {init.id!r} is already in the library"
                    + (f" ({known.mark})" if known.mark else "")
                    + ": change it under roadmap: change instead of adding it",
                )
            )
        else:
            fresh.append(init)
    check_initiatives(replace(catalog, initiatives=catalog.initiatives + tuple(fresh)), problems)


def find_cycles(graph: dict[str, list[str]]) -> list[list[str]]:
    """Each cycle met by an iterative depth-first search, once, starting at its smallest id."""
    cycles: list[list[str]] = []
    seen: set[tuple[str, ...]] = set()
    state: dict[str, int] = {}
    for root in sorted(graph):
        if root in state:
            continue
        path: list[str] = [root]
        todo: list[list[str]] = [list(reversed(graph.get(root, [])))]
        state[root] = 1
        while path:
            if not todo[-1]:
                state[path.pop()] = 2
                todo.pop()
                continue
            nxt = todo[-1].pop()
            if state.get(nxt) == 1:
                cycle = path[path.index(nxt) :]
                start = cycle.index(min(cycle))
                canon = tuple(cycle[start:] + cycle[:start])
                if canon not in seen:
                    seen.add(canon)
                    cycles.append(list(canon))
            elif nxt not in state:
                state[nxt] = 1
                path.append(nxt)
                todo.append(list(reversed(graph.get(nxt, []))))
    return cycles
