"""The client team's read-only view: results summary and the PDF, through a share link."""

from __future__ import annotations

import io
from pathlib import Path

from flask import (
    Blueprint,
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

from planner import jobs
from planner.i18n import select_locale
from planner.services import branding, reports, results, sharing
from planner.web.hooks import login_required, org_id
from planner.web.limits import limiter

bp = Blueprint("share", __name__)


@bp.post("/assessments/<int:assessment_id>/share")
@login_required
def create(assessment_id: int) -> ResponseReturnValue:
    new = sharing.create(org_id(), assessment_id, int(current_app.config["INVITATION_DAYS"]))
    session["new_share_link"] = url_for("share.view", token=new.token, _external=True)
    return redirect(url_for("assessments.show", assessment_id=assessment_id))


@bp.post("/share-links/<int:link_id>/revoke")
@login_required
def revoke(link_id: int) -> ResponseReturnValue:
    link = sharing.revoke(org_id(), link_id)
    flash(_("The share link no longer works."))
    return redirect(url_for("assessments.show", assessment_id=link.assessment_id))


@bp.get("/s/<token>")
def view(token: str) -> ResponseReturnValue:
    limiter.hit(f"share:{token[:64]}", 60, 60)
    assessment = sharing.assessment_for(token)
    view = results.build(assessment, select_locale())
    return render_template(
        "share/view.html",
        assessment=assessment,
        view=view,
        token=token,
        brand=branding.brand_of(assessment.organisation_id),
    )


@bp.get("/s/<token>/report.pdf")
def report(token: str) -> ResponseReturnValue:
    limiter.hit(f"share:{token[:64]}", 60, 60)
    assessment = sharing.assessment_for(token)
    brand = branding.brand_of(assessment.organisation_id)
    cache = Path(current_app.instance_path) / "pdf-cache"
    render = reports.start(
        assessment,
        cache,
        jobs.for_app(current_app.config, current_app.extensions),
        float(current_app.config["PDF_TIMEOUT"]),
        brand,
    )
    if render.status.state == "done":
        return send_file(
            io.BytesIO(render.path.read_bytes()),
            mimetype="application/pdf",
            as_attachment=True,
            download_name=f"crm-roadmap-{assessment.id}.pdf",
        )
    return render_template("share/preparing.html", assessment=assessment, status=render.status), 202
