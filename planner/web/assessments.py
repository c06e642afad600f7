"""Assessments: create, respondents and their links, status, results, exports and the PDF."""

from __future__ import annotations

import io
from pathlib import Path

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import DateField, SelectField, SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from planner import jobs, urls
from planner.inputs import ascii_int, ascii_number
from planner.jobs import Jobs
from planner.report.content import Brand
from planner.services import (
    ServiceError,
    assessments,
    branding,
    clients,
    exchange,
    reports,
    results,
    sharing,
)
from planner.services import catalog as catalog_service
from planner.web.forms import Form
from planner.web.hooks import login_required, org_id

bp = Blueprint("assessments", __name__, url_prefix="/assessments")


class AssessmentForm(Form):
    client = SelectField(_l("Client"), validators=[DataRequired()])
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    language = SelectField(
        _l("Report language"),
        choices=[SelectChoice("en", "English"), SelectChoice("vi", "Tiếng Việt")],
    )
    frameworks = SelectMultipleField(
        _l("Models"),
        validators=[DataRequired()],
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )
    target = StringField(
        _l("Target level for every model (optional)"), validators=[Optional(), Length(max=5)]
    )
    deadline = DateField(_l("Deadline (optional)"), validators=[Optional()])


class RespondentForm(Form):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    role = StringField(_l("Role"), validators=[Optional(), Length(max=100)])
    email = StringField(
        _l("E-mail (optional)"),
        validators=[Optional(), Email(check_deliverability=False), Length(max=320)],
    )


def _frameworks_dir() -> str:
    return str(current_app.config["FRAMEWORKS_DIR"])


def _assessment_form() -> AssessmentForm:
    form = AssessmentForm()
    lang = session.get("lang", "en")
    catalog = catalog_service.current_catalog(org_id(), Path(_frameworks_dir()))
    form.client.choices = [SelectChoice(str(c.id), c.name) for c in clients.listing(org_id())]
    form.frameworks.choices = [SelectChoice(fw.id, fw.name.get(lang)) for fw in catalog.frameworks]
    return form


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new() -> ResponseReturnValue:
    form = _assessment_form()
    if request.method == "GET" and request.args.get("client"):
        form.client.data = request.args["client"]
    if form.validate_on_submit():
        targets = {}
        if form.target.data:
            number = ascii_number(form.target.data, -1e9, 1e9)
            if number is None:
                form.target.errors = [_("Enter a number.")]
            else:
                targets = {fid: number for fid in form.frameworks.data}
        if not form.target.errors:
            try:
                assessment = assessments.create(
                    org_id(),
                    int(form.client.data),
                    form.title.data,
                    form.language.data,
                    list(form.frameworks.data),
                    Path(_frameworks_dir()),
                    targets,
                    form.deadline.data,
                )
            except ServiceError as exc:
                form.title.errors = [*form.title.errors, str(exc)]
            else:
                return redirect(url_for("assessments.show", assessment_id=assessment.id))
    status = 400 if request.method == "POST" else 200
    return render_template("assessments/new.html", form=form), status


def _show_page(assessment_id: int, form: RespondentForm, links: dict[str, str]) -> str:
    assessment = assessments.get(org_id(), assessment_id)
    return render_template(
        "assessments/show.html",
        share_link=session.pop("new_share_link", None),
        share_links=sharing.links(assessment),
        assessment=assessment,
        client=clients.get(org_id(), assessment.client_id),
        progress=assessments.progress(assessment),
        frameworks=assessments.frameworks_of(assessment),
        form=form,
        links=links,
        baseline=assessments.baseline_of(assessment),
    )


@bp.get("/<int:assessment_id>")
@login_required
def show(assessment_id: int) -> ResponseReturnValue:
    return _show_page(assessment_id, RespondentForm(), session.pop("new_links", {}))


@bp.post("/<int:assessment_id>/respondents")
@login_required
def add_respondent(assessment_id: int) -> ResponseReturnValue:
    form = RespondentForm()
    if not form.validate_on_submit():
        return _show_page(assessment_id, form, {}), 400
    invitation = assessments.add_respondent(
        org_id(),
        assessment_id,
        form.name.data,
        form.role.data,
        form.email.data,
        current_app.config["INVITATION_DAYS"],
    )
    _remember_link(invitation.respondent.id, invitation.token)
    return redirect(url_for("assessments.show", assessment_id=assessment_id))


def _remember_link(respondent_id: int, token: str) -> None:
    """The raw token is shown once, on the next page; only its hash is stored."""
    links = session.get("new_links", {})
    links[str(respondent_id)] = urls.absolute("respond.enter", token=token)
    session["new_links"] = links


@bp.post("/respondents/<int:respondent_id>/<action>")
@login_required
def respondent_action(respondent_id: int, action: str) -> ResponseReturnValue:
    respondent = assessments.get_respondent(org_id(), respondent_id)
    if action == "revoke":
        assessments.revoke(org_id(), respondent_id)
        flash(_("The link of %(name)s no longer works.", name=respondent.name))
    elif action == "reissue":
        invitation = assessments.reissue(
            org_id(), respondent_id, current_app.config["INVITATION_DAYS"]
        )
        _remember_link(respondent_id, invitation.token)
    elif action == "reopen":
        assessments.reopen(org_id(), respondent_id)
        flash(_("%(name)s can change their answers again.", name=respondent.name))
    else:
        raise ServiceError("Unknown action.", 404)
    return redirect(url_for("assessments.show", assessment_id=respondent.assessment_id))


@bp.post("/<int:assessment_id>/status")
@login_required
def status(assessment_id: int) -> ResponseReturnValue:
    assessments.set_status(org_id(), assessment_id, request.form.get("status", ""))
    return redirect(url_for("assessments.show", assessment_id=assessment_id))


@bp.post("/<int:assessment_id>/reassess")
@login_required
def reassess(assessment_id: int) -> ResponseReturnValue:
    """New assessment from this one: its respondents' fresh links are shown once, on its page."""
    assessment, invitations = assessments.reassess(
        org_id(), assessment_id, current_app.config["INVITATION_DAYS"]
    )
    for invitation in invitations:
        _remember_link(invitation.respondent.id, invitation.token)
    flash(_("New assessment: its results will show the progress since the earlier one."))
    return redirect(url_for("assessments.show", assessment_id=assessment.id))


@bp.get("/<int:assessment_id>/results")
@login_required
def results_page(assessment_id: int) -> ResponseReturnValue:
    assessment = assessments.get(org_id(), assessment_id)
    view = results.build(assessment)
    return render_template("assessments/results.html", assessment=assessment, view=view)


def _download(text: str, mimetype: str, filename: str) -> Response:
    return Response(
        text,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@bp.get("/<int:assessment_id>/export/<kind>")
@login_required
def export(assessment_id: int, kind: str) -> ResponseReturnValue:
    assessment = assessments.get(org_id(), assessment_id)
    name = f"assessment-{assessment.id}"
    if kind == "answers.yaml":
        return _download(exchange.export_answers(assessment), "application/yaml", f"{name}.yaml")
    if kind == "responses.csv":
        return _download(exchange.export_csv(assessment), "text/csv", f"{name}-responses.csv")
    if kind == "results.json":
        return _download(
            exchange.export_json(assessment), "application/json", f"{name}-results.json"
        )
    raise ServiceError("Unknown export.", 404)


def _jobs() -> Jobs:
    return jobs.for_app(current_app.config, current_app.extensions)


def _cache() -> Path:
    return reports.cache_folder(current_app)


def _brand() -> Brand:
    return branding.brand_of(org_id())


def _send_pdf(path: Path, assessment_id: int) -> ResponseReturnValue:
    return send_file(
        io.BytesIO(path.read_bytes()),
        mimetype="application/pdf",
        as_attachment=True,
        download_name=f"crm-roadmap-{assessment_id}.pdf",
    )


@bp.get("/<int:assessment_id>/report.pdf")
@login_required
def report(assessment_id: int) -> ResponseReturnValue:
    """The current report: at once from the cache, else a render job and its progress page."""
    assessment = assessments.get(org_id(), assessment_id)
    brand = _brand()
    path = reports.cached_path(_cache(), reports.report_key(assessment, brand))
    if path.exists():
        return _send_pdf(path, assessment_id)
    render = reports.start(
        assessment, _cache(), _jobs(), float(current_app.config["PDF_TIMEOUT"]), brand
    )
    return redirect(
        url_for("assessments.report_status", assessment_id=assessment_id, key=render.key)
    )


@bp.post("/<int:assessment_id>/report")
@login_required
def generate(assessment_id: int) -> ResponseReturnValue:
    assessment = assessments.get(org_id(), assessment_id)
    render = reports.start(
        assessment, _cache(), _jobs(), float(current_app.config["PDF_TIMEOUT"]), _brand()
    )
    return redirect(
        url_for("assessments.report_status", assessment_id=assessment_id, key=render.key)
    )


@bp.get("/<int:assessment_id>/report/<key>")
@login_required
def report_status(assessment_id: int, key: str) -> ResponseReturnValue:
    assessment = assessments.get(org_id(), assessment_id)
    render = reports.progress(
        assessment, key, _cache(), _jobs(), float(current_app.config["PDF_TIMEOUT"]), _brand()
    )
    if request.args.get("format") == "json":
        return {"state": render.status.state, "error": render.status.error}
    return render_template("assessments/report_status.html", assessment=assessment, render=render)


@bp.get("/<int:assessment_id>/report/<key>.pdf")
@login_required
def report_file(assessment_id: int, key: str) -> ResponseReturnValue:
    assessment = assessments.get(org_id(), assessment_id)
    render = reports.progress(
        assessment, key, _cache(), _jobs(), float(current_app.config["PDF_TIMEOUT"]), _brand()
    )
    if render.status.state != "done":
        return redirect(url_for("assessments.report_status", assessment_id=assessment_id, key=key))
    return _send_pdf(render.path, assessment_id)


@bp.get("/<int:assessment_id>/report.html")
@login_required
def preview(assessment_id: int) -> ResponseReturnValue:
    """The report in the browser: the same template, with the screen stylesheet."""
    assessment = assessments.get(org_id(), assessment_id)
    html = reports.report_html(assessment, _brand(), screen_css=url_for("assessments.report_css"))
    response = current_app.make_response(html)
    response.headers["Content-Security-Policy"] = (
        "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'none'; "
        "object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
    )
    return response


@bp.get("/report.css")
def report_css() -> ResponseReturnValue:
    from planner.report.pdf import REPORTS_DIR

    css = (REPORTS_DIR / "print.css").read_text(encoding="utf-8") + (
        REPORTS_DIR / "screen.css"
    ).read_text(encoding="utf-8")
    return Response(css, mimetype="text/css", headers={"Cache-Control": "max-age=300"})


class ImportForm(Form):
    file = FileField(_l("Answers file (YAML)"), validators=[FileRequired()])


@bp.route("/import", methods=["GET", "POST"])
@login_required
def import_file() -> ResponseReturnValue:
    form = ImportForm()
    problems: list[str] = []
    if form.validate_on_submit():
        data = form.file.data.read(current_app.config["UPLOAD_MAX_BYTES"] * 5 + 1)
        name = Path(form.file.data.filename or "answers.yaml").name[:100]
        try:
            assessment = exchange.import_answers(org_id(), data, name, Path(_frameworks_dir()))
        except exchange.BadImport as exc:
            problems = exc.problems
        else:
            return redirect(url_for("assessments.show", assessment_id=assessment.id))
    elif request.method == "POST":
        problems = [_("Choose an answers file to import.")]
    return render_template(
        "assessments/import.html", form=form, problems=problems
    ), 422 if problems else 200


@bp.route("/<int:assessment_id>/targets", methods=["GET", "POST"])
@login_required
def targets(assessment_id: int) -> ResponseReturnValue:
    """Agree the targets: one per model, and per dimension where it differs; blank keeps the default."""
    assessment = assessments.get(org_id(), assessment_id)
    frameworks = assessments.frameworks_of(assessment)
    error = None
    if request.method == "POST":
        chosen: dict[str, str] = {}
        for fw in frameworks:
            for key in [fw.id, *(d.full_id for d in fw.dimensions)]:
                raw = request.form.get(f"t-{key}", "").strip().replace(",", ".")
                if raw:
                    chosen[key] = raw
        parallel = ascii_int(request.form.get("max_parallel", "3"), -(2**31), 2**31)
        try:
            if parallel is None:
                raise ServiceError(_("Initiatives in parallel must be a whole number."))
            assessments.set_targets(org_id(), assessment_id, dict(chosen), parallel)
        except ServiceError as exc:
            error = str(exc)
        else:
            flash(_("Targets saved."))
            return redirect(url_for("assessments.show", assessment_id=assessment_id))
    return render_template(
        "assessments/targets.html",
        assessment=assessment,
        frameworks=frameworks,
        error=error,
        values=request.form if request.method == "POST" else {},
    ), 400 if error else 200
