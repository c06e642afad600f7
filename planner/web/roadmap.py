"""The roadmap editor: the generated plan as a Gantt and a list the consultant reshapes.

Every change is a POST that re-plans and redirects back to the editor (so it works without
JavaScript); with htmx the editor swaps in place. A refused change answers 4xx with the editor and
the reason, and nothing is saved.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from planner.engine.roadmap import default_phases
from planner.inputs import BadText, ascii_int, clean_text
from planner.report.content import gantt, trajectory, warning_lines
from planner.report.text import labels
from planner.services import ServiceError
from planner.services import assessments as assessment_service
from planner.services import roadmap_editor as service
from planner.web.hooks import login_required, org_id

bp = Blueprint("roadmap", __name__, url_prefix="/assessments")

MOVED_SHOWN = 12  # lines of "what moved" kept for the next page
MAX_WEEKS = 520
MAX_PHASES = 6


class Refused(ServiceError):
    status = 422


@bp.get("/<int:assessment_id>/roadmap")
@login_required
def editor(assessment_id: int) -> ResponseReturnValue:
    moved = session.pop(_moved_key(assessment_id), None)
    return _page(assessment_id, moved=moved)


@bp.post("/<int:assessment_id>/roadmap/<action>")
@login_required
def edit(assessment_id: int, action: str) -> ResponseReturnValue:
    form = request.form
    seen = ascii_int(form.get("revision", ""), 0, 2**62)
    try:
        if action == "undo":
            moved = service.undo(org_id(), assessment_id, seen)
        else:
            moved = service.apply(org_id(), assessment_id, seen, _edit(action, form))
    except service.Stale as exc:
        return _page(assessment_id, error=str(exc), status=exc.status)
    except ServiceError as exc:
        if exc.status == 404:
            raise
        return _page(assessment_id, error=str(exc), status=exc.status)
    session[_moved_key(assessment_id)] = [
        [m.initiative, m.before, m.after] for m in moved[:MOVED_SHOWN]
    ] + ([["…", len(moved) - MOVED_SHOWN, None]] if len(moved) > MOVED_SHOWN else [])
    return redirect(url_for("roadmap.editor", assessment_id=assessment_id) + "#editor", 303)


def _moved_key(assessment_id: int) -> str:
    return f"roadmap-moved-{assessment_id}"


def _edit(action: str, form: MultiDict[str, str]) -> Callable[[service.Editor], service.Edit]:
    """The service's edit for a form, decided on the plan as it stands; every value is checked
    first, and a refusal (Refused) carries the reason."""
    iid = form.get("initiative", "")
    simple = {
        "drop": service.drop,
        "restore": service.restore,
        "remove": service.remove,
        "forget": service.forget,
    }
    if action in simple:
        edit = simple[action](iid)
        return lambda _view: edit
    if action == "reset":
        return lambda _view: service.reset
    if action == "settings":
        return lambda view: _settings(form, view.language)
    if action == "change":
        return _change(iid, form)
    if action == "add":
        return _add(form)
    raise ServiceError(_("No such change."), 404)


def _weeks(form: MultiDict[str, str], key: str, low: int, what: str) -> int:
    value = ascii_int(form.get(key, ""), low, MAX_WEEKS)
    if value is None:
        raise Refused(
            _("%(what)s must be a whole number of weeks from %(low)s to %(high)s.")
            % {"what": what, "low": low, "high": MAX_WEEKS}
        )
    return value


def _text(form: MultiDict[str, str], key: str, limit: int, *, multiline: bool = False) -> str:
    try:
        text = clean_text(form.get(key, ""), multiline=multiline).strip()
    except BadText as exc:
        raise Refused(_("Remove the control characters (such as NUL) from this text.")) from exc
    if len(text) > limit:
        raise Refused(_("A text is longer than %(n)s characters.") % {"n": limit})
    return text


def _settings(form: MultiDict[str, str], lang: str) -> service.Edit:
    capacity = ascii_int(form.get("max_parallel", ""), 1, 50)
    if capacity is None:
        raise Refused(_("Initiatives at the same time must be a whole number from 1 to 50."))
    horizon = _weeks(form, "horizon_weeks", 1, _("The horizon"))
    phases: list[tuple[str, int]] = []
    for n in range(MAX_PHASES):
        name = _text(form, f"phase_name_{n}", 60)
        start = form.get(f"phase_start_{n}", "").strip()
        if not name and not start:
            continue
        if not name:
            raise Refused(_("Every phase needs a name."))
        week = _weeks(form, f"phase_start_{n}", 0, _("A phase's start"))
        if phases and week <= phases[-1][1]:
            raise Refused(_("Phases must start in increasing weeks."))
        phases.append((name, week))
    if phases and phases[0][1] != 0:
        raise Refused(_("The first phase must start in week 0."))
    if phases == [(p.name, p.start_week) for p in default_phases(lang)]:
        phases = []  # the default phases stay the default, named in the report's language
    return service.settings(capacity, horizon, phases)


def _change(iid: str, form: MultiDict[str, str]) -> Callable[[service.Editor], service.Edit]:
    """Only what differs from the initiative as written is kept; a start week typed over the
    planned one pins it; "unpin" lets the plan place it again."""
    title = _text(form, "title", 200)
    if not title:
        raise Refused(_("An initiative needs a title."))
    owner = _text(form, "owner", 200)
    duration = _weeks(form, "duration_weeks", 1, _("The duration"))
    unpin = bool(form.get("unpin"))
    start = None
    if not unpin and form.get("start_week", "").strip():
        start = _weeks(form, "start_week", 0, _("The start"))

    def decide(view: service.Editor) -> service.Edit:
        base = view.initiative(iid)
        if base is None:
            raise ServiceError(_("No such initiative."), 404)
        lang = view.language
        fields: dict[str, int | str | None] = {
            "title": None if title == base.title.get(lang) else title,
            "owner": None if owner == (base.owner.get(lang) if base.owner else "") else owner,
            "duration_weeks": None if duration == base.duration_weeks else duration,
        }
        scheduled = view.scheduled(iid)
        if unpin:
            fields["start_week"] = None
        elif start is not None and (
            scheduled is None or scheduled.pinned or start != scheduled.start_week
        ):
            fields["start_week"] = start
        return service.change(iid, fields)

    return decide


def _add(form: MultiDict[str, str]) -> Callable[[service.Editor], service.Edit]:
    title = _text(form, "title", 200)
    if not title:
        raise Refused(_("An initiative needs a title."))
    dimension = form.get("dimension", "")
    level_text = form.get("to_level", "")
    depends = list(dict.fromkeys(i for i in form.getlist("depends_on") if i))
    initiative: dict[str, Any] = {
        "title": title,
        "duration_weeks": _weeks(form, "duration_weeks", 1, _("The duration")),
    }
    summary = _text(form, "summary", 2000, multiline=True)
    if summary:
        initiative["summary"] = summary
    if depends:
        initiative["depends_on"] = depends
    owner = _text(form, "owner", 200)
    if owner:
        initiative["owner"] = owner
    kpis = [
        k
        for k in (line.strip() for line in _text(form, "kpis", 2000, multiline=True).split("\n"))
        if k
    ]
    if kpis:
        initiative["kpis"] = kpis[:10]

    def decide(view: service.Editor) -> service.Edit:
        dims = {d.full_id: fw for fw in view.frameworks for d in fw.dimensions}
        if dimension not in dims:
            raise Refused(_("Choose the dimension the initiative lifts."))
        scale = dims[dimension].scale
        level = ascii_int(level_text, scale.minimum, scale.maximum)
        if level is None or level not in scale.values:
            raise Refused(_("Choose the level the initiative lifts it to."))
        known = {i.id for i in (*view.catalog.all_initiatives(), *view.settings.add)}
        if any(i not in known for i in depends):
            raise Refused(_("An initiative it depends on is unknown."))
        improves = [{"dimension": dimension, "to_level": level}]
        return service.add({"id": service.new_id(title, known), **initiative, "improves": improves})

    return decide


def _page(
    assessment_id: int,
    *,
    moved: list[list[Any]] | None = None,
    error: str | None = None,
    status: int = 200,
) -> ResponseReturnValue:
    view = service.editor(assessment_service.get(org_id(), assessment_id))
    lang = view.language
    t = labels(lang)
    road = view.roadmap
    page = render_template(
        "roadmap/editor.html",
        view=view,
        assessment=view.assessment,
        lang=lang,
        titles=view.titles,
        numbers=view.numbers,
        gantt=gantt(road, t, lang) if road.planned else None,
        trajectory=trajectory(view.card, road, t, lang) if road.scored else None,
        warnings=warning_lines(road, view.titles, t),
        moved=moved,
        dim_names={
            d.full_id: f"{fw.label(lang)} · {d.name.get(lang)}"
            for fw in view.frameworks
            for d in fw.dimensions
        },
        error=error,
        frameworks=view.frameworks,
        phases=[(p.name, p.start_week) for p in (view.settings.phases or default_phases(lang))],
    )
    return page, status
