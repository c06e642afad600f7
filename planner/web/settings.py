"""The consultancy's settings: branding shown on the web pages and in the PDF."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from planner.extensions import db
from planner.models import Assessment
from planner.services import NotFound, ServiceError, branding
from planner.web.hooks import login_required, org_id

bp = Blueprint("settings", __name__, url_prefix="/settings")


@bp.route("/branding", methods=["GET", "POST"])
@login_required
def brand() -> ResponseReturnValue:
    error = None
    if request.method == "POST":
        if g.user.role != "owner":
            raise ServiceError("Only the owner of the workspace changes its branding.", 403)
        upload = request.files.get("logo")
        data = upload.read(branding.MAX_LOGO_BYTES + 1) if upload and upload.filename else None
        try:
            branding.update(
                org_id(),
                request.form.get("name", ""),
                request.form.get("colour"),
                data,
                remove_logo=bool(request.form.get("remove_logo")),
            )
        except ServiceError as exc:
            error = str(exc)
        else:
            flash(_("Branding saved."))
            return redirect(url_for("settings.brand"))
    return render_template(
        "settings/branding.html", brand=branding.brand_of(org_id()), error=error
    ), 400 if error else 200


@bp.get("/brand.css")
@login_required
def brand_css() -> ResponseReturnValue:
    """The signed-in consultancy's colours (kept for pages cached before the versioned one)."""
    return _css(branding.look_of(org_id()), "no-cache")


@bp.get("/brand/<int:organisation_id>/<version>.css")
def look_css(organisation_id: int, version: str) -> ResponseReturnValue:
    """A consultancy's colours for every page that shows its brand, the questionnaire and the
    share page included; the address changes with the brand, so it is cached for good."""
    look = branding.look_of(organisation_id)
    return _css(look, IMMUTABLE if version == look.version else "no-cache")


@bp.get("/brand/<int:organisation_id>/<version>/logo")
def logo(organisation_id: int, version: str) -> ResponseReturnValue:
    found = branding.logo_of(organisation_id)
    if found is None:
        raise NotFound("No logo.")
    look = branding.look_of(organisation_id)
    cache = IMMUTABLE if version == look.version else "no-cache"
    return Response(found[0], mimetype=found[1], headers={"Cache-Control": cache})


IMMUTABLE = "public, max-age=31536000, immutable"


def _css(look: branding.Look, cache: str) -> Response:
    body = f":root {{ --brand: {look.colour}; --accent: {look.colour}; }}\n" if look.colour else ""
    return Response(body, mimetype="text/css", headers={"Cache-Control": cache})


@bp.app_template_global()
def brand_look(*owners: Any) -> branding.Look | None:
    """The brand a page shows: that of the first owner given (a client, an assessment, a
    workshop), else the signed-in consultancy's; None for a visitor."""
    for owner in owners:
        organisation_id = getattr(owner, "organisation_id", None)
        if organisation_id is None and getattr(owner, "assessment_id", None) is not None:
            assessment = db.session.get(Assessment, owner.assessment_id)
            organisation_id = assessment.organisation_id if assessment else None
        if isinstance(organisation_id, int):
            return branding.look_of(organisation_id)
    user = g.get("user")
    return branding.look_of(user.organisation_id) if user is not None else None
