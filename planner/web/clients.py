"""The consultant's dashboard and clients."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import DataRequired, Length, Optional

from planner.services import ServiceError, clients, editing, overview
from planner.services import assessments as assessment_service
from planner.web.forms import Form
from planner.web.hooks import login_required, org_id

bp = Blueprint("clients", __name__)


class ClientForm(Form):
    name = StringField(_l("Client name"), validators=[DataRequired(), Length(max=200)])
    sector = StringField(_l("Sector (optional)"), validators=[Optional(), Length(max=200)])


def _listing(client_id: int | None = None) -> dict[str, object]:
    """The assessments table's rows and the search and order it was asked for."""
    query = request.args.get("q", "")[:100]
    sort = request.args.get("sort", "created")
    sort = sort if sort in overview.SORTS else "created"
    direction = request.args.get("dir")
    descending = None if direction not in ("asc", "desc") else direction == "desc"
    archived = request.args.get("archived") == "1"
    return {
        "rows": overview.rows(org_id(), query, sort, descending, client_id, archived),
        "archived": archived,
        "archived_count": len(assessment_service.listing(org_id(), client_id, archived=True)),
        "query": query,
        "sort": sort,
        "descending": sort == "created" if descending is None else descending,
        "today": date.today(),
    }


@bp.get("/")
@login_required
def dashboard() -> ResponseReturnValue:
    return render_template(
        "clients/dashboard.html", clients=clients.listing(org_id()), form=ClientForm(), **_listing()
    )


@bp.post("/clients")
@login_required
def create() -> ResponseReturnValue:
    form = ClientForm()
    if not form.validate_on_submit():
        return render_template(
            "clients/dashboard.html", clients=clients.listing(org_id()), form=form, **_listing()
        ), 400
    client = clients.create(org_id(), form.name.data, form.sector.data)
    return redirect(url_for("clients.show", client_id=client.id))


@bp.get("/clients/<int:client_id>")
@login_required
def show(client_id: int) -> ResponseReturnValue:
    client = clients.get(org_id(), client_id)
    return render_template("clients/show.html", client=client, **_listing(client.id))


@bp.route("/clients/<int:client_id>/edit", methods=["GET", "POST"])
@login_required
def edit(client_id: int) -> ResponseReturnValue:
    client = clients.get(org_id(), client_id)
    form = ClientForm(obj=None if request.method == "POST" else client)
    error, status = None, 200
    if form.validate_on_submit():
        try:
            editing.edit_client(org_id(), client_id, form.name.data, form.sector.data)
        except ServiceError as exc:
            error, status = str(exc), exc.status
        else:
            flash(_("Client saved."))
            return redirect(url_for("clients.show", client_id=client_id))
    elif request.method == "POST":
        status = 400
    return render_template("clients/edit.html", client=client, form=form, error=error), status


@bp.route("/clients/<int:client_id>/delete", methods=["GET", "POST"])
@login_required
def delete(client_id: int) -> ResponseReturnValue:
    """A confirmation page saying what goes; the delete itself is a POST (with CSRF)."""
    client = clients.get(org_id(), client_id)
    if request.method == "POST":
        if request.form.get("confirm") != "yes":
            raise ServiceError(_("Tick the box to confirm the delete."))
        name = client.name
        deleted = editing.delete_client(org_id(), client_id)
        flash(
            _(
                "Deleted %(name)s: %(n)s assessments, %(r)s respondents and %(a)s answers.",
                name=name,
                n=deleted.assessments,
                r=deleted.respondents,
                a=deleted.answers,
            )
        )
        return redirect(url_for("clients.dashboard"))
    return render_template(
        "clients/delete.html", client=client, deletion=editing.client_deletion(org_id(), client_id)
    )
