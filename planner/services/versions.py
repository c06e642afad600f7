"""Model versions (DESIGN §7): the newer versions of an assessment's pinned models the catalog holds,
what re-scoring on one would change, moving the assessment to it, and moving back.

A move replaces the model's own pinned file. The library files pinned beside it (scales,
initiatives, crosswalk) stay as they are, unless the new version does not load with them (it uses a
scale they lack, or they name questions it removed): then the catalog's current library files move
with it, in the same move, and an undo takes them back too (docs/decisions.md "Model versions").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import select

from planner.answers import AnswersError, read_roadmap
from planner.catalog import Catalog, CatalogError, Framework
from planner.catalog.versions import is_newer
from planner.database import transaction
from planner.engine.rescore import Rescore, rescore
from planner.extensions import db
from planner.models import Assessment, AssessmentFile, ModelMove, User, WorkshopSession
from planner.services import Conflict, NotFound, ServiceError, prerender
from planner.services import assessments as assessment_service
from planner.services import catalog as catalog_service

LIBRARY = ("scales", "initiatives", "crosswalk")
File = tuple[str, str, str]  # kind, name, hash: one pinned file as the catalog service takes it


class NoNewerVersion(Conflict):
    """The catalog holds no higher version of the model than the one pinned."""


class Stale(Conflict):
    """The pinned files or the catalog changed since the page was shown."""


class WorkshopOpen(Conflict):
    """A live workshop is voting on the pinned questions."""


class CannotMove(Conflict):
    """The new version does not load with the assessment's other pinned files."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(f"{len(problems)} problem(s) with the new version")
        self.problems = problems


@dataclass(frozen=True)
class Available:
    """A higher version of one of the assessment's models than the one it pinned."""

    pinned: Framework
    newest: Framework


def _newer(pinned: Catalog, now: Catalog, framework_ids: Sequence[str]) -> list[Available]:
    out = []
    for fid in framework_ids:
        if not now.has_framework(fid):
            continue
        old, new = pinned.framework(fid), now.framework(fid)
        if is_newer(new.version, old.version) and new.content_hash != old.content_hash:
            out.append(Available(old, new))
    return out


def available(assessment: Assessment, frameworks_dir: Path) -> list[Available]:
    """The newer versions the catalog holds now; reads the files, writes nothing. A catalog that
    does not load (a broken file on disk) offers nothing: the pages that need it say why."""
    try:
        now = catalog_service.catalog_from_bytes(
            catalog_service.current_sources(assessment.organisation_id, frameworks_dir)
        )
    except CatalogError as exc:
        current_app.logger.warning("catalog does not load: %s", str(exc).splitlines()[0])
        return []
    return _newer(assessment_service.catalog_of(assessment), now, assessment.framework_ids)


# --- the pinned files after a move --------------------------------------------------------------


@dataclass(frozen=True)
class Plan:
    """The pinned files a move to `update.newest` gives, and the catalog they make."""

    update: Available
    position: int
    before: tuple[File, ...]
    after: tuple[File, ...]
    library: tuple[dict[str, Any], ...]  # library files that move with the model
    catalog: Catalog


def _framework_file(assessment: Assessment, fw: Framework) -> AssessmentFile:
    for row in assessment.files:
        if row.kind not in LIBRARY and row.name == fw.path and row.file_hash == fw.content_hash:
            return row
    raise NotFound("The model's pinned file is missing.")


def _model_of(assessment: Assessment, framework_id: str) -> None:
    if framework_id not in assessment.framework_ids:
        raise NotFound("The assessment does not use this model.")


def plan(assessment: Assessment, framework_id: str, frameworks_dir: Path) -> Plan:
    """What moving `framework_id` to the catalog's newest version would pin (raises when there is
    no newer version, or when it cannot load with the assessment's other files)."""
    _model_of(assessment, framework_id)
    current = catalog_service.current_files(assessment.organisation_id, frameworks_dir)
    try:
        now = catalog_service.catalog_from(current)
    except CatalogError as exc:
        raise CannotMove([str(p) for p in exc.problems]) from None
    pinned = assessment_service.catalog_of(assessment)
    found = _newer(pinned, now, [framework_id])
    if not found:
        raise NoNewerVersion("There is no newer version of this model in the catalog.")
    update = found[0]
    row = _framework_file(assessment, update.pinned)
    new_file = next(f for f in current if f[1] == update.newest.path)
    before = {f.position: (f.kind, f.name, f.file_hash) for f in assessment.files}
    after = dict(before)
    after[row.position] = (row.kind, new_file[1], new_file[2])
    library: list[dict[str, Any]] = []
    try:
        catalog = catalog_service.catalog_from(tuple(after.values()))
    except CatalogError:
        latest = {kind: (name, digest) for kind, name, digest in current if kind in LIBRARY}
        for position, (kind, name, digest) in before.items():
            if kind in latest and latest[kind][1] != digest:
                to_name, to_hash = latest[kind]
                after[position] = (kind, to_name, to_hash)
                library.append(
                    {
                        "position": position,
                        "kind": kind,
                        "from_name": name,
                        "to_name": to_name,
                        "from_hash": digest,
                        "to_hash": to_hash,
                    }
                )
        try:
            catalog = catalog_service.catalog_from(tuple(after.values()))
        except CatalogError as exc:
            raise CannotMove([str(p) for p in exc.problems]) from None
    return Plan(
        update,
        row.position,
        tuple(before.values()),
        tuple(after.values()),
        tuple(library),
        catalog,
    )


# --- what re-scoring would change -------------------------------------------------------------


@dataclass(frozen=True)
class Comparison:
    plan: Plan
    result: Rescore
    roadmap_problems: list[str]  # stored roadmap edits the new version cannot read


def compare(
    organisation_id: int, assessment_id: int, framework_id: str, frameworks_dir: Path
) -> Comparison:
    """The assessment's current answers scored on its pinned models and on the plan's, side by side."""
    assessment = assessment_service.get(organisation_id, assessment_id)
    moved = plan(assessment, framework_id, frameworks_dir)
    pinned = assessment_service.catalog_of(assessment)
    answers = assessment_service.as_answers(assessment, with_baseline=False)
    result = rescore(
        answers,
        assessment_service.frameworks_of(assessment, pinned),
        [moved.catalog.framework(fid) for fid in assessment.framework_ids],
        framework_id,
        pinned.crosswalk.equivalent_questions,
        moved.catalog.crosswalk.equivalent_questions,
    )
    return Comparison(moved, result, _roadmap_problems(assessment, moved.catalog))


def _roadmap_problems(assessment: Assessment, catalog: Catalog) -> list[str]:
    if not assessment.roadmap:
        return []
    stored = {k: v for k, v in assessment.roadmap.items() if k not in ("history", "revision")}
    stored["max_parallel"] = assessment.max_parallel
    try:
        read_roadmap(stored, catalog, assessment.language)
    except AnswersError as exc:
        return [p.message for p in exc.problems]
    return []


# --- moving, and moving back --------------------------------------------------------------------


def _locked(organisation_id: int, assessment_id: int) -> Assessment:
    """The assessment, its row locked for the rest of the transaction (PostgreSQL; SQLite's
    BEGIN IMMEDIATE already lets one writer in)."""
    assessment = db.session.scalars(
        select(Assessment).where(Assessment.id == assessment_id).with_for_update()
    ).first()
    if assessment is None or assessment.organisation_id != organisation_id:
        raise NotFound("No such assessment.")
    return assessment


def _no_live_workshop(assessment: Assessment) -> None:
    live = db.session.scalars(
        select(WorkshopSession.id).where(
            WorkshopSession.assessment_id == assessment.id, WorkshopSession.closed_at.is_(None)
        )
    ).first()
    if live is not None:
        raise WorkshopOpen("Close the live workshop before changing the model's version.")


def _pin(assessment: Assessment, position: int, name: str, digest: str) -> None:
    for row in assessment.files:
        if row.position == position:
            row.name, row.file_hash = name, digest
            return
    raise Stale("The pinned files changed since the page was shown.")


def _pinned_hashes(assessment: Assessment) -> dict[int, str]:
    return {f.position: f.file_hash for f in assessment.files}


def _check_seen(seen: tuple[str, str]) -> None:
    """A 400 unless the form's pair is two file hashes."""
    for value in seen:
        if len(value) != 64 or any(c not in "0123456789abcdef" for c in value):
            raise ServiceError("The form is incomplete. Reload the page and try again.")


def move(
    organisation_id: int,
    assessment_id: int,
    framework_id: str,
    seen: tuple[str, str],
    user_id: int | None,
    frameworks_dir: Path,
) -> ModelMove:
    """Move the assessment to the newest version of `framework_id`: `seen` is the (from, to) pair
    of file hashes the comparison showed, so a stale form changes nothing. Answers stay in the
    database whatever the new version asks: those to removed questions no longer count."""
    assessment = assessment_service.get(organisation_id, assessment_id)
    _model_of(assessment, framework_id)
    _check_seen(seen)
    moved = plan(assessment, framework_id, frameworks_dir)
    update = moved.update
    if seen != (update.pinned.content_hash, update.newest.content_hash):
        raise Stale("The pinned model or the catalog changed since the comparison was shown.")
    with transaction() as session:
        assessment = _locked(organisation_id, assessment_id)
        _no_live_workshop(assessment)
        if tuple((f.kind, f.name, f.file_hash) for f in assessment.files) != moved.before:
            raise Stale("The pinned files changed since the comparison was shown.")
        _pin(assessment, moved.position, update.newest.path, update.newest.content_hash)
        for lib in moved.library:
            _pin(assessment, lib["position"], lib["to_name"], lib["to_hash"])
        record = ModelMove(
            assessment_id=assessment.id,
            framework_id=framework_id,
            position=moved.position,
            from_name=update.pinned.path,
            to_name=update.newest.path,
            from_hash=update.pinned.content_hash,
            to_hash=update.newest.content_hash,
            from_version=update.pinned.version[:40],
            to_version=update.newest.version[:40],
            library=list(moved.library),
            user_id=user_id,
        )
        session.add(record)
    prerender.changed(assessment_id)
    return record


def _undoable(move: ModelMove, pinned: dict[int, str], undone: set[int]) -> bool:
    return (
        move.reverts_id is None
        and move.id not in undone
        and pinned.get(move.position) == move.to_hash
        and all(pinned.get(lib["position"]) == lib["to_hash"] for lib in move.library)
    )


def undo(organisation_id: int, assessment_id: int, move_id: int, user_id: int | None) -> ModelMove:
    """Move back to the files pinned before `move_id`: recorded as a move that reverses it."""
    with transaction() as session:
        assessment = _locked(organisation_id, assessment_id)
        move = session.get(ModelMove, move_id)
        if move is None or move.assessment_id != assessment.id:
            raise NotFound("No such change of model version.")
        reverted = session.scalars(
            select(ModelMove.id).where(ModelMove.reverts_id == move.id)
        ).first()
        undone = {move.id} if reverted is not None else set()
        if not _undoable(move, _pinned_hashes(assessment), undone):
            raise Stale("This change was undone already, or a later one must be undone first.")
        _no_live_workshop(assessment)
        _pin(assessment, move.position, move.from_name, move.from_hash)
        for lib in move.library:
            _pin(assessment, lib["position"], lib["from_name"], lib["from_hash"])
        files = [(f.kind, f.name, f.file_hash) for f in assessment.files]
        try:
            catalog_service.catalog_from(files)
        except CatalogError as exc:
            raise CannotMove([str(p) for p in exc.problems]) from None
        back = ModelMove(
            assessment_id=assessment.id,
            framework_id=move.framework_id,
            position=move.position,
            from_name=move.to_name,
            to_name=move.from_name,
            from_hash=move.to_hash,
            to_hash=move.from_hash,
            from_version=move.to_version,
            to_version=move.from_version,
            library=[_reversed(lib) for lib in move.library],
            reverts_id=move.id,
            user_id=user_id,
        )
        session.add(back)
    prerender.changed(assessment_id)
    return back


def _reversed(lib: dict[str, Any]) -> dict[str, Any]:
    return lib | {
        "from_name": lib["to_name"],
        "to_name": lib["from_name"],
        "from_hash": lib["to_hash"],
        "to_hash": lib["from_hash"],
    }


# --- the record -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Moved:
    """A past move as the page lists it."""

    move: ModelMove
    user: str | None
    undoable: bool
    undone: bool


def history(assessment: Assessment) -> list[Moved]:
    """Every move of the assessment, newest first, with whether it can be undone now."""
    rows = db.session.execute(
        select(ModelMove, User.name)
        .outerjoin(User, User.id == ModelMove.user_id)
        .where(ModelMove.assessment_id == assessment.id)
        .order_by(ModelMove.id.desc())
    ).all()
    undone = {m.reverts_id for m, _ in rows if m.reverts_id is not None}
    pinned = _pinned_hashes(assessment)
    return [Moved(m, name, _undoable(m, pinned, undone), m.id in undone) for m, name in rows]
