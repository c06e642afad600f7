"""The client team's read-only view: results summary and the PDF, through a share link."""

from __future__ import annotations

import io

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    send_file,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from planner import jobs, urls
from planner.models import Assessment
from planner.services import branding, reports, results, sharing
from planner.web import downloads
from planner.web.hooks import login_required, org_id
from planner.web.limits import limiter

bp = Blueprint("share", __name__)


@bp.post("/assessments/<int:assessment_id>/share")
@login_required
def create(assessment_id: int) -> ResponseReturnValue:
    new = sharing.create(org_id(), assessment_id, int(current_app.config["INVITATION_DAYS"]))
    session["new_share_link"] = urls.absolute("share.enter", token=new.token)
    return redirect(url_for("assessments.show", assessment_id=assessment_id))


@bp.post("/share-links/<int:link_id>/revoke")
@login_required
def revoke(link_id: int) -> ResponseReturnValue:
    link = sharing.revoke(org_id(), link_id)
    flash(_("The share link no longer works."))
    return redirect(url_for("assessments.show", assessment_id=link.assessment_id))


@bp.get("/s/<token>")
def enter(token: str) -> ResponseReturnValue:
    """Swap the token for a session cookie and drop it from the URL (no secret in logs or Referer)."""
    limiter.hit(f"share:{token[:64]}", 60, 60)
    link = sharing.link_for(token)
    session["share"] = [link.id, link.token_hash[:16]]
    response = redirect(url_for("share.view"))
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.get("/s/<token>/report.pdf")
def enter_report(token: str) -> ResponseReturnValue:
    """An older form of the link, straight to the PDF: swapped for the cookie like the page."""
    enter(token)
    return redirect(url_for("share.report"))


def _shared() -> Assessment:
    held = session.get("share")
    if not (isinstance(held, list) and len(held) == 2 and isinstance(held[0], int)):
        abort(404, "Open the results from the link you were sent.")
    return sharing.assessment_of_link(held[0], str(held[1]))


@bp.get("/shared")
def view() -> ResponseReturnValue:
    assessment = _shared()
    view = results.build(assessment)
    return render_template(
        "share/view.html",
        assessment=assessment,
        view=view,
        brand=branding.brand_of(assessment.organisation_id),
    )


@bp.get("/shared/report.pdf")
def report() -> ResponseReturnValue:
    assessment = _shared()
    brand = branding.brand_of(assessment.organisation_id)
    cache = reports.cache_folder(current_app)
    render = reports.start(
        assessment,
        cache,
        jobs.for_app(current_app.config, current_app.extensions),
        float(current_app.config["PDF_TIMEOUT"]),
        brand,
    )
    if render.status.state == "done":
        response = send_file(io.BytesIO(render.path.read_bytes()), mimetype="application/pdf")
        response.headers["Content-Disposition"] = downloads.attachment(
            downloads.names(assessment), ".pdf"
        )
        return response
    return render_template("share/preparing.html", assessment=assessment, status=render.status), 202
