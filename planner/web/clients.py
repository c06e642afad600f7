"""The consultant's dashboard and clients."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import DataRequired, Length, Optional

from planner.services import assessments, clients
from planner.web.forms import Form
from planner.web.hooks import login_required, org_id

bp = Blueprint("clients", __name__)


class ClientForm(Form):
    name = StringField(_l("Client name"), validators=[DataRequired(), Length(max=200)])
    sector = StringField(_l("Sector (optional)"), validators=[Optional(), Length(max=200)])


@bp.get("/")
@login_required
def dashboard() -> ResponseReturnValue:
    return render_template(
        "clients/dashboard.html",
        clients=clients.listing(org_id()),
        assessments=assessments.listing(org_id()),
        form=ClientForm(),
    )


@bp.post("/clients")
@login_required
def create() -> ResponseReturnValue:
    form = ClientForm()
    if not form.validate_on_submit():
        return render_template(
            "clients/dashboard.html",
            clients=clients.listing(org_id()),
            assessments=assessments.listing(org_id()),
            form=form,
        ), 400
    client = clients.create(org_id(), form.name.data, form.sector.data)
    return redirect(url_for("clients.show", client_id=client.id))


@bp.get("/clients/<int:client_id>")
@login_required
def show(client_id: int) -> ResponseReturnValue:
    client = clients.get(org_id(), client_id)
    return render_template(
        "clients/show.html", client=client, assessments=assessments.listing(org_id(), client.id)
    )
