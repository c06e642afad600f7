"""The consultant's roadmap editor (DESIGN §6 step 7, §7): each edit re-plans at once, is kept with
the assessment in the answers file's `roadmap:` form, and can be undone.

An edit is a function from the stored mapping to a new one. The new mapping is read back as the
answers file's `roadmap:` is (so the web and the CLI accept the same edits) before anything is saved;
the mapping it replaced joins a short history under `history`, which `undo` pops.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from planner import formats
from planner.answers import AnswersError, RoadmapSettings, read_roadmap
from planner.catalog import Catalog, Framework, Initiative
from planner.database import transaction
from planner.engine.roadmap import Roadmap, Scheduled, plan
from planner.engine.scoring import ScoreCard
from planner.models import Assessment
from planner.services import ServiceError, prerender, results
from planner.services import assessments as assessment_service

HISTORY = 20  # changes that can be undone
META = ("history", "revision")  # kept beside the `roadmap:` mapping, never part of it
SETTINGS = ("max_parallel", "horizon_weeks", "phases")  # what "reset to generated" keeps

Data = dict[str, Any]
Edit = Callable[[Data], Data]


class Stale(ServiceError):
    status = 409


@dataclass(frozen=True)
class Moved:
    """An initiative whose start changed with the last edit; None: not in that plan."""

    initiative: str
    before: int | None
    after: int | None


@dataclass(frozen=True)
class Editor:
    assessment: Assessment
    catalog: Catalog
    card: ScoreCard
    settings: RoadmapSettings
    roadmap: Roadmap
    revision: int
    can_undo: bool

    @property
    def language(self) -> str:
        return self.assessment.language

    def initiative(self, iid: str) -> Initiative | None:
        """The library's or the consultant's initiative, as written (before any change)."""
        for init in (*self.settings.add, *self.catalog.all_initiatives()):
            if init.id == iid:
                return init
        return None

    @cached_property
    def frameworks(self) -> list[Framework]:
        return assessment_service.frameworks_of(self.assessment, self.catalog)

    @cached_property
    def titles(self) -> dict[str, str]:
        """Every initiative's title in the assessment's language, a change of title included."""
        lang = self.language
        written = {
            i.id: i.title.get(lang) for i in (*self.catalog.all_initiatives(), *self.settings.add)
        }
        return written | {
            s.initiative.id: s.initiative.title.get(lang) for s in self.roadmap.initiatives
        }

    @cached_property
    def numbers(self) -> dict[str, int]:
        """The number each initiative has on the Gantt and the cards: planned ones, then later."""
        road = self.roadmap
        return {s.initiative.id: n for n, s in enumerate((*road.planned, *road.later), 1)}

    def scheduled(self, iid: str) -> Scheduled | None:
        return next((s for s in self.roadmap.initiatives if s.initiative.id == iid), None)


def stored(assessment: Assessment) -> Data:
    """The assessment's `roadmap:` mapping, max_parallel included, without the editor's history."""
    data = {k: v for k, v in (assessment.roadmap or {}).items() if k not in META}
    return {"max_parallel": assessment.max_parallel, **data}


def revision(assessment: Assessment) -> int:
    return int((assessment.roadmap or {}).get("revision", 0))


def editor(assessment: Assessment) -> Editor:
    _, catalog, _, card, road = results.compute(assessment)
    return Editor(
        assessment,
        catalog,
        card,
        assessment_service.roadmap_settings(assessment, catalog),
        road,
        revision(assessment),
        bool((assessment.roadmap or {}).get("history")),
    )


def apply(
    organisation_id: int, assessment_id: int, seen: int | None, decide: Callable[[Editor], Edit]
) -> list[Moved]:
    """Apply the edit `decide` makes on the plan as it stands (the one the consultant saw) to the
    stored roadmap, check it as the answers file is checked, save it with the mapping it replaces
    kept for undo, and return what moved. `seen` is the revision the consultant's page showed: an
    edit made on a page older than the last change is refused. `decide` may refuse (ServiceError):
    nothing is saved."""

    def step(view: Editor, data: Data, _history: list[Data]) -> tuple[Data, bool]:
        return decide(view)(data), True

    return _save(organisation_id, assessment_id, seen, step)


def undo(organisation_id: int, assessment_id: int, seen: int | None) -> list[Moved]:
    def previous(_view: Editor, _data: Data, history: list[Data]) -> tuple[Data, bool]:
        if not history:
            raise ServiceError("There is no change to undo.", 409)
        return history.pop(), False

    return _save(organisation_id, assessment_id, seen, previous)


def _save(
    organisation_id: int,
    assessment_id: int,
    seen: int | None,
    step: Callable[[Editor, Data, list[Data]], tuple[Data, bool]],
) -> list[Moved]:
    view = editor(assessment_service.get(organisation_id, assessment_id))
    catalog, card, before = view.catalog, view.card, view.roadmap
    with transaction():
        assessment = assessment_service.get(organisation_id, assessment_id)
        current = revision(assessment)
        if seen is not None and seen != current:
            raise Stale(
                "The roadmap was changed in another window since this page was shown; "
                "it now shows the latest version. Make the change again if it is still needed."
            )
        history = list((assessment.roadmap or {}).get("history", []))
        old = stored(assessment)
        new, remember = step(view, old, history)
        settings = _check(new, catalog, assessment.language)
        if remember:
            if new == old:
                return []
            history = [*history, old][-HISTORY:]
        new = dict(new)
        assessment.max_parallel = int(new.pop("max_parallel", settings.max_parallel))
        assessment.roadmap = {**new, "history": history, "revision": current + 1}
    prerender.changed(assessment_id)
    after = plan(card, catalog.all_initiatives(), settings, assessment.language)
    return moved(before, after)


def _check(data: Data, catalog: Catalog, language: str) -> RoadmapSettings:
    try:
        return read_roadmap(data, catalog, language)
    except AnswersError as exc:
        raise ServiceError(" ".join(p.message for p in exc.problems), 422) from exc


def moved(before: Roadmap, after: Roadmap) -> list[Moved]:
    """Initiatives whose start week changed, that left the plan or that joined it, in plan order."""
    old = {s.initiative.id: s.start_week for s in before.initiatives}
    new = {s.initiative.id: s.start_week for s in after.initiatives}
    order = [*new, *(i for i in old if i not in new)]
    return [Moved(i, old.get(i), new.get(i)) for i in order if old.get(i) != new.get(i)]


# --- the edits: each takes the stored mapping and gives the new one -------------------------------


def drop(iid: str) -> Edit:
    def edit(data: Data) -> Data:
        dropped = list(data.get("drop", []))
        return {**data, "drop": [*dropped, iid]} if iid not in dropped else data

    return edit


def restore(iid: str) -> Edit:
    def edit(data: Data) -> Data:
        return _without_empty({**data, "drop": [i for i in data.get("drop", []) if i != iid]})

    return edit


def remove(iid: str) -> Edit:
    """Take out one of the consultant's own initiatives, with its change and drop entries."""

    def edit(data: Data) -> Data:
        added = [a for a in data.get("add", []) if a.get("id") != iid]
        if len(added) == len(data.get("add", [])):
            raise ServiceError("That initiative was not added by the consultant.", 404)
        for other in added:
            if iid in other.get("depends_on", []):
                raise ServiceError(
                    f"{other.get('title', other.get('id'))} depends on it: remove that "
                    "dependency or that initiative first.",
                    409,
                )
        out = {**data, "add": added, "drop": [i for i in data.get("drop", []) if i != iid]}
        out["change"] = {k: v for k, v in data.get("change", {}).items() if k != iid}
        return _without_empty(out)

    return edit


def change(iid: str, fields: Mapping[str, int | str | None]) -> Edit:
    """Set (a value) or clear (None) the change of one initiative: start_week, duration_weeks,
    owner, title."""

    def edit(data: Data) -> Data:
        changes = {k: dict(v) for k, v in data.get("change", {}).items()}
        entry = changes.get(iid, {})
        for key, value in fields.items():
            if value is None:
                entry.pop(key, None)
            else:
                entry[key] = value
        if entry:
            changes[iid] = entry
        else:
            changes.pop(iid, None)
        return _without_empty({**data, "change": changes})

    return edit


def forget(iid: str) -> Edit:
    """Discard every change and drop naming one initiative (an inactive edit)."""

    def edit(data: Data) -> Data:
        out = {**data, "drop": [i for i in data.get("drop", []) if i != iid]}
        out["change"] = {k: v for k, v in data.get("change", {}).items() if k != iid}
        return _without_empty(out)

    return edit


def add(initiative: Data) -> Edit:
    """One of the consultant's initiatives in the library's form; its id is made from its title
    when it has none, unique in the catalog and among the added ones."""

    def edit(data: Data) -> Data:
        return {**data, "add": [*data.get("add", []), initiative]}

    return edit


def settings(max_parallel: int, horizon_weeks: int, phases: Sequence[tuple[str, int]]) -> Edit:
    """Capacity, horizon and phases; no phases means the default ones."""

    def edit(data: Data) -> Data:
        out = {**data, "max_parallel": max_parallel, "horizon_weeks": horizon_weeks}
        out["phases"] = [{"name": n, "start_week": w} for n, w in phases]
        if horizon_weeks == RoadmapSettings().horizon_weeks:
            out.pop("horizon_weeks")
        return _without_empty(out)

    return edit


def reset(data: Data) -> Data:
    """Back to the generated roadmap: every drop, addition and change goes; the settings stay."""
    return {k: v for k, v in data.items() if k in SETTINGS}


def new_id(title: str, taken: set[str]) -> str:
    """An initiative id from a title: lowercase ASCII words joined by hyphens, unique in `taken`."""
    base = formats.slug(title) or "initiative"
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def _without_empty(data: Data) -> Data:
    return {k: v for k, v in data.items() if v not in ([], {}, None)}
