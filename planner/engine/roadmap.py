"""The roadmap (DESIGN §6): ScoreCard + initiatives + settings -> scheduled, phased Roadmap. Pure."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from planner.answers import Phase, RoadmapSettings
from planner.catalog import Initiative, Text
from planner.engine.scoring import DimensionScore, ScoreCard, roll_up

DEFAULT_PHASES = {
    "en": (("0–3 months", 0), ("3–6 months", 13), ("6–12 months", 26), ("12 months +", 52)),
    "vi": (("0–3 tháng", 0), ("3–6 tháng", 13), ("6–12 tháng", 26), ("Trên 12 tháng", 52)),
}


@dataclass(frozen=True)
class Lift:
    dimension: str  # qualified
    from_level: int | None
    to_level: int


@dataclass(frozen=True)
class Scheduled:
    initiative: Initiative
    start_week: int
    end_week: int
    phase: str
    priority: float
    enabler: bool
    improves: tuple[Lift, ...]
    depends_on: tuple[str, ...]
    later: bool = False  # starts at or after the horizon: listed, not drawn (§6 step 8)
    edited: bool = False  # the consultant changed it (§6 step 7)
    added: bool = False  # the consultant's own initiative
    pinned: bool = False  # its start week was set by the consultant


@dataclass(frozen=True)
class RoadmapWarning:
    """An edit kept as asked that the plan cannot fully honour, or that names what is not in it.

    kind: "prerequisite" — a pin starts before `other` (a prerequisite) ends in week `weeks[0]`;
    "capacity" — with the pins, `count` initiatives run at once in weeks `weeks` (first, last);
    "inactive" — the edit names an initiative that is not in today's plan."""

    initiative: str
    kind: str
    other: str | None = None
    weeks: tuple[int, int] | None = None
    count: int = 0
    capacity: int = 0

    @property
    def message(self) -> str:
        if self.kind == "prerequisite" and self.weeks:
            return (
                f"pinned to start before its prerequisite {self.other} ends (week {self.weeks[0]})"
            )
        if self.kind == "capacity" and self.weeks:
            first, last = self.weeks
            span = f"week {first}" if first == last else f"weeks {first}-{last}"
            return f"with the pinned starts, {self.count} initiatives run at once in {span} (at most {self.capacity})"
        return "not in today's plan: the edit is kept and applies when it is"


@dataclass(frozen=True)
class PhasePlan:
    name: str
    start_week: int
    end_week: int | None
    projected: Mapping[str, float | None]  # framework id -> projected score after the phase
    projected_dimensions: Mapping[str, float | None]


@dataclass(frozen=True)
class Roadmap:
    initiatives: tuple[Scheduled, ...]
    phases: tuple[PhasePlan, ...]
    scored: tuple[str, ...] = ()  # dimensions (qualified ids) with a score today
    unscored: tuple[str, ...] = ()  # and without one
    warnings: tuple[RoadmapWarning, ...] = ()
    inactive: tuple[str, ...] = ()  # edited initiatives that are not in today's plan
    dropped: tuple[str, ...] = ()  # dropped initiatives the plan would otherwise hold

    @property
    def total_weeks(self) -> int:
        return max((s.end_week for s in self.initiatives), default=0)

    @property
    def planned(self) -> tuple[Scheduled, ...]:
        """The initiatives that start within the horizon: the plan a board reads."""
        return tuple(s for s in self.initiatives if not s.later)

    @property
    def later(self) -> tuple[Scheduled, ...]:
        return tuple(s for s in self.initiatives if s.later)

    @property
    def state(self) -> str:
        """Why the roadmap holds what it holds (DESIGN §6): "planned"; "no_scores" — no dimension has
        a score, so nothing can be said; "partial" — nothing is needed for the dimensions with a score,
        but others have none; "at_target" — every dimension is at or above its target."""
        if self.initiatives:
            return "planned"
        if not self.scored:
            return "no_scores"
        return "partial" if self.unscored else "at_target"


def default_phases(lang: str) -> tuple[Phase, ...]:
    return tuple(
        Phase(name, start) for name, start in DEFAULT_PHASES.get(lang, DEFAULT_PHASES["en"])
    )


class _Planner:
    def __init__(
        self, card: ScoreCard, library: Sequence[Initiative], settings: RoadmapSettings
    ) -> None:
        self.dims: dict[str, DimensionScore] = {
            ds.dimension.full_id: ds for fs in card.frameworks for ds in fs.dimensions
        }
        self.sequence: dict[str, int] = {}
        for fs in card.frameworks:
            order = fs.framework.sequence
            for ds in fs.dimensions:
                pos = order.index(ds.dimension.id) if ds.dimension.id in order else len(order)
                self.sequence[ds.dimension.full_id] = pos
        self.added = {i.id for i in settings.add}
        self.dropped = set(settings.drop)
        self.library = {i.id: _changed(i, settings) for i in (*library, *settings.add)}

    def lifts(self, ds: DimensionScore, to_level: int) -> bool:
        """Whether reaching `to_level` is a step toward the dimension's target (§6 step 1)."""
        return ds.level is not None and ds.level < to_level <= ds.target + 1e-9

    def select(self, dropping: bool = True) -> dict[str, Initiative]:
        """Step 1, and the consultant's added initiatives whatever the levels (step 7)."""
        chosen: dict[str, Initiative] = {}
        for init in self.library.values():
            if dropping and init.id in self.dropped:
                continue
            if init.id in self.added or any(
                imp.dimension in self.dims and self.lifts(self.dims[imp.dimension], imp.to_level)
                for imp in init.improves
            ):
                chosen[init.id] = init
        return chosen

    def achieved(self, init: Initiative) -> bool:
        """A prerequisite is done when every assessed dimension it improves is already at its to_level.

        Dimensions of models outside the assessment say nothing either way; a prerequisite that improves
        no assessed dimension at all cannot be known to be done, so it stays.
        """
        assessed = [imp for imp in init.improves if imp.dimension in self.dims]
        if not assessed:
            return False
        for imp in assessed:
            level = self.dims[imp.dimension].level
            if level is None or level < imp.to_level:
                return False
        return True

    def close(
        self, selected: dict[str, Initiative], dropping: bool = True
    ) -> dict[str, Initiative]:
        included = dict(selected)
        todo = [dep for init in selected.values() for dep in init.depends_on]
        while todo:
            dep = todo.pop()
            if dep in included or dep not in self.library or (dropping and dep in self.dropped):
                continue  # a dropped prerequisite is never re-added: its dependents go on
            init = self.library[dep]
            if self.achieved(init):
                continue
            included[dep] = init
            todo.extend(init.depends_on)
        return included

    def edges(
        self, included: Mapping[str, Initiative], selected: Mapping[str, Initiative]
    ) -> dict[str, list[str]]:
        deps: dict[str, list[str]] = {
            i: [d for d in init.depends_on if d in included] for i, init in included.items()
        }
        by_dim: dict[str, list[tuple[int, str]]] = {}
        for iid in sorted(selected):
            for imp in selected[iid].improves:
                if imp.dimension in self.dims:
                    by_dim.setdefault(imp.dimension, []).append((imp.to_level, iid))
        for dim in sorted(by_dim):
            entries = sorted(by_dim[dim])
            for low, a in entries:
                for high, b in entries:
                    if low < high and a != b and a not in deps[b] and not _reaches(deps, a, b):
                        deps[b].append(a)  # within a dimension: the higher step waits for the lower
        return deps

    def own_priority(self, init: Initiative) -> tuple[float | None, int, int]:
        """(priority, to_level, sequence position) of the dimension that ranks it highest."""
        best: tuple[float | None, int, int] = (None, 10**9, 10**9)
        for imp in init.improves:
            ds = self.dims.get(imp.dimension)
            if ds is None or ds.priority is None or ds.level is None or imp.to_level <= ds.level:
                continue
            key = (ds.priority, imp.to_level, self.sequence.get(imp.dimension, 10**9))
            if best[0] is None or (-key[0], key[1], key[2]) < (-best[0], best[1], best[2]):
                best = key
        return best

    def tie_keys(self, init: Initiative) -> tuple[int, int]:
        levels = [imp.to_level for imp in init.improves if imp.dimension in self.dims] or [10**9]
        seqs = [
            self.sequence[imp.dimension] for imp in init.improves if imp.dimension in self.dims
        ] or [10**9]
        return min(levels), min(seqs)


def _reaches(deps: Mapping[str, list[str]], start: str, goal: str) -> bool:
    """Whether `start` depends, directly or not, on `goal`."""
    stack, seen = [start], set()
    while stack:
        node = stack.pop()
        if node == goal:
            return True
        if node not in seen:
            seen.add(node)
            stack.extend(deps.get(node, []))
    return False


def _priorities(
    planner: _Planner,
    included: Mapping[str, Initiative],
    selected: Mapping[str, Initiative],
    deps: Mapping[str, list[str]],
) -> dict[str, tuple[float, int, int]]:
    dependents: dict[str, list[str]] = {i: [] for i in included}
    for iid, prereqs in deps.items():
        for p in prereqs:
            dependents[p].append(iid)
    ranks: dict[str, tuple[float, int, int]] = {}

    def rank(iid: str, trail: frozenset[str]) -> tuple[float, int, int]:
        """The highest of its own priority and that of everything depending on it (§6 step 3):
        the foundation urgent work needs is urgent too. Tie keys stay the initiative's own."""
        if iid in ranks:
            return ranks[iid]
        init = included[iid]
        own, level, position = planner.own_priority(init)
        if iid not in selected or own is None:
            level, position = planner.tie_keys(init)
        above = [rank(d, trail | {iid})[0] for d in dependents[iid] if d not in trail]
        result = (max([*above, own or 0.0]), level, position)
        ranks[iid] = result
        return result

    for iid in sorted(included):
        rank(iid, frozenset())
    return ranks


def _changed(init: Initiative, settings: RoadmapSettings) -> Initiative:
    """The initiative with the consultant's duration, owner and title (§6 step 7)."""
    change = settings.change.get(init.id)
    if change is None:
        return init
    return replace(
        init,
        duration_weeks=change.duration_weeks or init.duration_weeks,
        owner=Text.plain(change.owner) if change.owner else init.owner,
        title=Text.plain(change.title) if change.title else init.title,
    )


def _schedule(
    order_key: Mapping[str, tuple[float, int, int, str]],
    deps: Mapping[str, list[str]],
    included: Mapping[str, Initiative],
    max_parallel: int,
    pins: Mapping[str, int],
) -> tuple[dict[str, tuple[int, int]], list[int]]:
    """Step 4 with step 7's pins: pinned initiatives first, exactly where pinned, counted against
    `max_parallel`; then the rest by rank, never making a week exceed it. Returns the weeks of
    each initiative and the number running in each week."""
    placed: dict[str, tuple[int, int]] = {}
    load: list[int] = []

    def occupy(iid: str, start: int) -> None:
        end = start + included[iid].duration_weeks
        if len(load) < end:
            load.extend([0] * (end - len(load)))
        for t in range(start, end):
            load[t] += 1
        placed[iid] = (start, end)

    for iid in sorted(pins):
        occupy(iid, pins[iid])
    pending = set(included) - set(pins)
    while pending:
        ready = [i for i in pending if all(d in placed for d in deps[i])]
        if not ready:  # unreachable for a checked catalog: cycles are rejected at load
            raise ValueError("initiative dependencies form a cycle: " + ", ".join(sorted(pending)))
        iid = min(ready, key=lambda i: order_key[i])
        duration = included[iid].duration_weeks
        start = max((placed[d][1] for d in deps[iid]), default=0)
        while True:
            busy = [
                t for t in range(start, min(start + duration, len(load))) if load[t] >= max_parallel
            ]
            if not busy:
                break
            start = busy[-1] + 1
        occupy(iid, start)
        pending.remove(iid)
    return placed, load


def _warnings(
    placed: Mapping[str, tuple[int, int]],
    load: Sequence[int],
    deps: Mapping[str, list[str]],
    pins: Mapping[str, int],
    max_parallel: int,
) -> list[RoadmapWarning]:
    """Pins kept as asked that break a prerequisite or the capacity (§6 step 7)."""
    out = []
    for iid in sorted(pins):
        for dep in deps[iid]:
            if placed[dep][1] > pins[iid]:
                out.append(
                    RoadmapWarning(iid, "prerequisite", dep, (placed[dep][1], placed[dep][1]))
                )
    week = 0
    while week < len(load):  # each run of weeks over capacity (pins alone can do that)
        if load[week] <= max_parallel:
            week += 1
            continue
        first = week
        while week < len(load) and load[week] > max_parallel:
            week += 1
        running = [i for i in pins if placed[i][0] <= first < placed[i][1]]
        blamed = max(running, key=lambda i: (placed[i][0], i))  # the pin that tipped it
        peak = max(load[first:week])
        out.append(RoadmapWarning(blamed, "capacity", None, (first, week - 1), peak, max_parallel))
    return out


def plan(
    card: ScoreCard,
    library: Sequence[Initiative],
    settings: RoadmapSettings | None = None,
    lang: str = "en",
) -> Roadmap:
    """Select, close over prerequisites, rank, schedule, phase and project (§6), with the
    consultant's edits (step 7) and the horizon (step 8)."""
    settings = settings or RoadmapSettings()
    planner = _Planner(card, library, settings)
    selected = planner.select()
    included = planner.close(selected)
    deps = planner.edges(included, selected)
    ranks = _priorities(planner, included, selected, deps)
    order_key = {i: (-ranks[i][0], ranks[i][1], ranks[i][2], i) for i in included}
    pins = {
        iid: change.start_week
        for iid, change in settings.change.items()
        if change.start_week is not None and iid in included
    }
    capacity = max(1, settings.max_parallel)
    placed, load = _schedule(order_key, deps, included, capacity, pins)
    phases = settings.phases or default_phases(lang)

    def phase_of(week: int) -> str:
        name = phases[0].name
        for phase in phases:
            if phase.start_week <= week:
                name = phase.name
        return name

    items = []
    for iid in sorted(included, key=lambda i: (placed[i][0], order_key[i])):
        init = included[iid]
        lifts = tuple(
            Lift(imp.dimension, planner.dims[imp.dimension].level, imp.to_level)
            for imp in init.improves
            if imp.dimension in planner.dims
            and _raises(planner.dims[imp.dimension].level, imp.to_level)
        )
        start, end = placed[iid]
        items.append(
            Scheduled(
                init,
                start,
                end,
                phase_of(start),
                ranks[iid][0],
                iid not in selected,
                lifts,
                tuple(deps[iid]),
                start >= settings.horizon_weeks,
                edited=iid in settings.change,
                added=iid in planner.added,
                pinned=iid in pins,
            )
        )
    warnings = _warnings(placed, load, deps, pins, capacity)
    would = (  # the plan without the drops, to tell the drops that took something out
        planner.close(planner.select(dropping=False), dropping=False) if settings.drop else {}
    )
    dropped = tuple(i for i in settings.drop if i in would)
    inactive = tuple(
        sorted(
            {i for i in settings.change if i not in included}
            | {i for i in settings.drop if i not in would}
        )
    )
    warnings.extend(RoadmapWarning(i, "inactive") for i in inactive)
    dims = [ds for fs in card.frameworks for ds in fs.dimensions]
    return Roadmap(
        tuple(items),
        _project(card, items, phases),
        tuple(ds.dimension.full_id for ds in dims if ds.score is not None),
        tuple(ds.dimension.full_id for ds in dims if ds.score is None),
        tuple(warnings),
        inactive,
        dropped,
    )


def _raises(level: int | None, to_level: int) -> bool:
    return level is None or level < to_level


def _project(
    card: ScoreCard, items: Sequence[Scheduled], phases: Sequence[Phase]
) -> tuple[PhasePlan, ...]:
    out = []
    for index, phase in enumerate(phases):
        end = phases[index + 1].start_week if index + 1 < len(phases) else None
        done = [s for s in items if end is None or s.end_week <= end]
        reached: dict[str, int] = {}
        for s in done:
            for imp in s.initiative.improves:
                reached[imp.dimension] = max(reached.get(imp.dimension, imp.to_level), imp.to_level)
        projected: dict[str, float | None] = {}
        per_dim: dict[str, float | None] = {}
        for fs in card.frameworks:
            triples = []
            for ds in fs.dimensions:
                lifted = reached.get(ds.dimension.full_id)
                per_dim[ds.dimension.full_id] = _max(ds.score, lifted)
                if ds.score is None:
                    continue  # rolled up over today's scored dimensions only: never below today
                value = ds.score if lifted is None else max(ds.score, float(lifted))
                triples.append((ds.dimension, value, fs.framework.scale.level_at(value)))
            projected[fs.framework.id] = roll_up(fs.framework, triples)[0]
        out.append(PhasePlan(phase.name, phase.start_week, end, projected, per_dim))
    return tuple(out)


def _max(score: float | None, reached: int | None) -> float | None:
    if score is None:
        return None if reached is None else float(reached)
    return score if reached is None else max(score, float(reached))
