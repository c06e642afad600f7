"""The consultancy's settings: branding shown on the web pages and in the PDF."""

from __future__ import annotations

from flask import Blueprint, Response, flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from planner.services import ServiceError, branding
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
    colour = branding.brand_of(org_id()).colour
    return Response(
        f":root {{ --brand: {colour}; }}\n",
        mimetype="text/css",
        headers={"Cache-Control": "private, max-age=60"},
    )
