"""Model versions: the newer versions of an assessment's models, what re-scoring on one would
change, the move to it and its undo (DESIGN §7 "Model versions").

A refused request shows the assessment's model-versions page with the reason and a 4xx status;
nothing is changed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from planner.i18n import select_locale
from planner.models import Assessment
from planner.services import ServiceError
from planner.services import assessments as assessment_service
from planner.services import versions as service
from planner.web.hooks import login_required, org_id

bp = Blueprint("versions", __name__, url_prefix="/assessments")


def _frameworks_dir() -> Path:
    return Path(current_app.config["FRAMEWORKS_DIR"])


def _user_id() -> int | None:
    user = g.get("user")
    return int(user.id) if user is not None else None


@bp.app_context_processor
def helpers() -> dict[str, Any]:
    """`model_updates(assessment)` for the assessment page's notice."""

    def model_updates(assessment: Assessment) -> list[service.Available]:
        return service.available(assessment, _frameworks_dir())

    return {"model_updates": model_updates}


@bp.get("/<int:assessment_id>/models")
@login_required
def index(assessment_id: int) -> ResponseReturnValue:
    return _index(assessment_id)


def _index(
    assessment_id: int,
    error: str | None = None,
    problems: list[str] | None = None,
    status: int = 200,
) -> ResponseReturnValue:
    assessment = assessment_service.get(org_id(), assessment_id)
    catalog = assessment_service.catalog_of(assessment)
    newer = {a.pinned.id: a.newest for a in service.available(assessment, _frameworks_dir())}
    return render_template(
        "versions/index.html",
        assessment=assessment,
        frameworks=assessment_service.frameworks_of(assessment, catalog),
        newer=newer,
        names={fw.id: fw.name.get(assessment.language) for fw in catalog.frameworks},
        moves=service.history(assessment),
        error=error,
        problems=problems or [],
        lang=assessment.language,
    ), status


def _name(assessment_id: int, framework_id: str) -> str:
    """The model's name in the page's language (its id when the assessment does not use it)."""
    assessment = assessment_service.get(org_id(), assessment_id)
    catalog = assessment_service.catalog_of(assessment)
    if framework_id not in assessment.framework_ids or not catalog.has_framework(framework_id):
        return framework_id
    return catalog.framework(framework_id).name.get(select_locale())


def _refusal(exc: ServiceError, assessment_id: int, framework_id: str | None) -> str:
    """The reason, in the page's language."""
    model = _name(assessment_id, framework_id) if framework_id else ""
    if isinstance(exc, service.NoNewerVersion):
        message = _("There is no newer version of %(model)s in the catalog.", model=model)
    elif isinstance(exc, service.WorkshopOpen):
        message = _("Close the live workshop before changing the version of a model.")
    elif isinstance(exc, service.CannotMove):
        message = _(
            "The new version of %(model)s cannot be used with this assessment's other pinned "
            "files:",
            model=model,
        )
    elif isinstance(exc, service.Stale):
        message = _(
            "The pinned models or the catalog changed since this page was shown; "
            "it now shows the latest state. Check the comparison again."
        )
    elif not framework_id:
        message = _("Choose a model.")
    else:
        message = _("The form is incomplete. Reload the page and try again.")
    return str(message)


def _refused(
    exc: ServiceError, assessment_id: int, framework_id: str | None
) -> ResponseReturnValue:
    if exc.status == 404:
        raise exc
    status = exc.status
    problems = exc.problems if isinstance(exc, service.CannotMove) else None
    return _index(
        assessment_id, _refusal(exc, assessment_id, framework_id), problems, status=status
    )


def _model() -> str:
    """The model a comparison or a move is about: `model` in the query or the form."""
    model = request.values.get("model", "")
    if not model:
        raise ServiceError("Choose a model.")
    return model[:80]


@bp.get("/<int:assessment_id>/models/compare")
@login_required
def compare(assessment_id: int) -> ResponseReturnValue:
    assessment_service.get(org_id(), assessment_id)  # another consultancy's: 404 first
    framework_id = request.args.get("model", "")[:80]
    try:
        found = service.compare(org_id(), assessment_id, _model(), _frameworks_dir())
    except ServiceError as exc:
        return _refused(exc, assessment_id, framework_id or None)
    assessment = assessment_service.get(org_id(), assessment_id)
    return render_template(
        "versions/compare.html",
        assessment=assessment,
        found=found,
        update=found.plan.update,
        result=found.result,
        lang=assessment.language,
    )


@bp.post("/<int:assessment_id>/models/move")
@login_required
def move(assessment_id: int) -> ResponseReturnValue:
    assessment_service.get(org_id(), assessment_id)
    framework_id = request.form.get("model", "")[:80]
    try:
        seen = (request.form.get("from", ""), request.form.get("to", ""))
        done = service.move(org_id(), assessment_id, _model(), seen, _user_id(), _frameworks_dir())
    except ServiceError as exc:
        return _refused(exc, assessment_id, framework_id or None)
    flash(
        _(
            "The assessment now uses version %(version)s of %(model)s.",
            version=done.to_version,
            model=_name(assessment_id, framework_id),
        )
    )
    return redirect(url_for("versions.index", assessment_id=assessment_id), 303)


@bp.post("/<int:assessment_id>/models/moves/<int:move_id>/undo")
@login_required
def undo(assessment_id: int, move_id: int) -> ResponseReturnValue:
    try:
        done = service.undo(org_id(), assessment_id, move_id, _user_id())
    except ServiceError as exc:
        return _refused(exc, assessment_id, None)
    flash(
        _(
            "The assessment is back on version %(version)s of %(model)s.",
            version=done.to_version,
            model=_name(assessment_id, done.framework_id),
        )
    )
    return redirect(url_for("versions.index", assessment_id=assessment_id), 303)
