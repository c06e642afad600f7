"""Assessments: create, respondents and their links, status, results, exports and the PDF."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    g,
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
from planner.models import Assessment
from planner.report.content import Brand
from planner.services import (
    ServiceError,
    assessments,
    branding,
    clients,
    editing,
    estimates,
    exchange,
    reports,
    results,
    sharing,
    spreadsheet,
)
from planner.services import catalog as catalog_service
from planner.services import mail as mail_service
from planner.web import downloads
from planner.web.converters import MAX_ID
from planner.web.forms import Form
from planner.web.hooks import login_required, org_id

bp = Blueprint("assessments", __name__, url_prefix="/assessments")


@bp.app_template_global()
def client_name(assessment: Assessment) -> str:
    """The name of `assessment`'s client, for page titles."""
    return clients.get(assessment.organisation_id, assessment.client_id).name


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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
    catalog = catalog_service.current_catalog(org_id(), Path(_frameworks_dir()))
    numbers = estimates.build(org_id(), catalog, form.frameworks.data or ())
    return render_template("assessments/new.html", form=form, numbers=numbers), status


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
        today=date.today(),
        **_mail_context(assessment, links),
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
    _mail_invitation(invitation)
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


def _download(content: str | bytes, mimetype: str, disposition: str) -> Response:
    return Response(content, mimetype=mimetype, headers={"Content-Disposition": disposition})


@bp.get("/<int:assessment_id>/export/<kind>")
@login_required
def export(assessment_id: int, kind: str) -> ResponseReturnValue:
    assessment = assessments.get(org_id(), assessment_id)
    names = downloads.names(assessment)
    if kind == "answers.yaml":
        yaml = exchange.export_answers(assessment)
        return _download(yaml, "application/yaml", downloads.attachment(names, ".yaml"))
    if kind == "responses.csv":
        csv = exchange.export_csv(assessment)
        return _download(csv, "text/csv", downloads.attachment(names, "-responses.csv"))
    if kind == "results.json":
        data = exchange.export_json(assessment)
        return _download(data, "application/json", downloads.attachment(names, "-results.json"))
    if kind == "results.xlsx":
        book = spreadsheet.export_xlsx(assessment)
        return _download(book, XLSX, downloads.attachment(names, "-results.xlsx"))
    raise ServiceError("Unknown export.", 404)


def _jobs() -> Jobs:
    return jobs.for_app(current_app.config, current_app.extensions)


def _cache() -> Path:
    return reports.cache_folder(current_app)


def _brand() -> Brand:
    return branding.brand_of(org_id())


def _send_pdf(path: Path, assessment: Assessment) -> ResponseReturnValue:
    response = send_file(io.BytesIO(path.read_bytes()), mimetype="application/pdf")
    response.headers["Content-Disposition"] = downloads.attachment(
        downloads.names(assessment), ".pdf"
    )
    return response


@bp.get("/<int:assessment_id>/report.pdf")
@login_required
def report(assessment_id: int) -> ResponseReturnValue:
    """The current report: at once from the cache, else a render job and its progress page."""
    assessment = assessments.get(org_id(), assessment_id)
    brand = _brand()
    path = reports.cached_path(_cache(), reports.report_key(assessment, brand))
    if path.exists():
        return _send_pdf(path, assessment)
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
    return _send_pdf(render.path, assessment)


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
        except exchange.Duplicate as exc:  # offer to update it instead of making a second one
            session["import_upload"] = exc.upload  # the answer must come from this session
            return render_template(
                "assessments/import.html",
                form=form,
                problems=[],
                duplicate=exc.existing,
                duplicate_client=clients.get(org_id(), exc.existing.client_id),
                upload=exc.upload,
            ), 409
        else:
            return redirect(url_for("assessments.show", assessment_id=assessment.id))
    elif request.method == "POST":
        problems = [_("Choose an answers file to import.")]
    return render_template(
        "assessments/import.html", form=form, problems=problems
    ), 422 if problems else 200


@bp.post("/import/again")
@login_required
def import_again() -> ResponseReturnValue:
    """After the warning that a file was imported before: update that assessment, or import anew."""
    choice = request.form.get("then", "")
    update_id = ascii_int(request.form.get("assessment", ""), 1, MAX_ID)
    if choice not in ("update", "new") or (choice == "update" and update_id is None):
        raise ServiceError(_("Choose to update the assessment or to import a new one."))
    upload = request.form.get("upload", "")[:64]
    if not upload or upload != session.get("import_upload"):
        raise ServiceError(_("That upload is no longer here: choose the file again."), 404)
    try:
        assessment = exchange.import_again(
            org_id(), upload, Path(_frameworks_dir()), update_id if choice == "update" else None
        )
    except exchange.BadImport as exc:
        return render_template(
            "assessments/import.html", form=ImportForm(), problems=exc.problems
        ), 422
    session.pop("import_upload", None)
    flash(
        _("The assessment was updated from the file.")
        if choice == "update"
        else _("Imported as a new assessment.")
    )
    return redirect(url_for("assessments.show", assessment_id=assessment.id))


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


# --- editing (issue 12 "Editing"): edit, archive, delete ------------------------------------------


class EditAssessmentForm(Form):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    language = SelectField(
        _l("Report language"),
        choices=[SelectChoice("en", "English"), SelectChoice("vi", "Tiếng Việt")],
    )
    deadline = DateField(_l("Deadline (optional)"), validators=[Optional()])
    frameworks = SelectMultipleField(
        _l("Models"),
        validators=[Optional()],
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )


@bp.route("/<int:assessment_id>/edit", methods=["GET", "POST"])
@login_required
def edit(assessment_id: int) -> ResponseReturnValue:
    """Title, language and deadline; the models while nobody has answered."""
    assessment = assessments.get(org_id(), assessment_id)
    models_fixed = editing.has_answers(assessment_id)
    form = EditAssessmentForm(obj=None if request.method == "POST" else assessment)
    catalog = catalog_service.current_catalog(org_id(), Path(_frameworks_dir()))
    lang = session.get("lang", "en")
    form.frameworks.choices = [SelectChoice(fw.id, fw.name.get(lang)) for fw in catalog.frameworks]
    if request.method == "GET":
        form.frameworks.data = list(assessment.framework_ids)
    error, status = None, 200
    if form.validate_on_submit():
        try:
            editing.edit_assessment(
                org_id(),
                assessment_id,
                form.title.data,
                form.language.data,
                form.deadline.data,
                None if models_fixed else list(form.frameworks.data or []),
                Path(_frameworks_dir()),
            )
        except ServiceError as exc:
            error, status = str(exc), exc.status
        else:
            flash(_("Assessment saved."))
            return redirect(url_for("assessments.show", assessment_id=assessment_id))
    elif request.method == "POST":
        error, status = _("Check the fields below."), 400
    return render_template(
        "assessments/edit.html",
        assessment=assessment,
        client=clients.get(org_id(), assessment.client_id),
        form=form,
        models_fixed=models_fixed,
        frameworks=assessments.frameworks_of(assessment),
        error=error,
    ), status


@bp.post("/<int:assessment_id>/archive")
@login_required
def archive(assessment_id: int) -> ResponseReturnValue:
    archived = request.form.get("archived", "1")
    if archived not in ("0", "1"):
        raise ServiceError(_("Archive takes 1 (archive) or 0 (restore)."))
    editing.set_archived(org_id(), assessment_id, archived == "1")
    flash(
        _("Archived: the assessment no longer shows on the dashboard.")
        if archived == "1"
        else _("Restored from the archive.")
    )
    return redirect(url_for("assessments.show", assessment_id=assessment_id))


@bp.route("/<int:assessment_id>/delete", methods=["GET", "POST"])
@login_required
def delete(assessment_id: int) -> ResponseReturnValue:
    """A confirmation page saying what goes; the delete itself is a POST (with CSRF)."""
    assessment = assessments.get(org_id(), assessment_id)
    client = clients.get(org_id(), assessment.client_id)
    if request.method == "POST":
        if request.form.get("confirm") != "yes":
            raise ServiceError(_("Tick the box to confirm the delete."))
        title, client_id = assessment.title, client.id
        deleted = editing.delete_assessment(org_id(), assessment_id)
        flash(
            _(
                "Deleted “%(title)s”: %(r)s respondents and %(a)s answers.",
                title=title,
                r=deleted.respondents,
                a=deleted.answers,
            )
        )
        return redirect(url_for("clients.show", client_id=client_id))
    return render_template(
        "assessments/delete.html",
        assessment=assessment,
        client=client,
        deletion=editing.assessment_deletion(org_id(), assessment_id),
    )


# --- e-mail (issue 12 "E-mail"): invitations, reminders, messages to copy ------------------------


def _mail_context(assessment: Assessment, links: dict[str, str]) -> dict[str, object]:
    """The e-mail section and, beside each link shown once, the message to copy with it."""
    kinds: dict[str, str] = session.pop("mail_drafts", {}) if links else {}
    drafts = {}
    for respondent in assessment.respondents:
        key = str(respondent.id)
        kind = kinds.get(key) or (None if mail_service.configured() else "invitation")
        if key in links and kind in ("invitation", "reminder"):
            drafts[key] = mail_service.respondent_draft(respondent, links[key], kind, g.user)
    return {
        "drafts": drafts,
        "mail_sends": mail_service.sends_of(assessment),
        "mail_configured": mail_service.configured(),
    }


def _draft_for(respondent_id: int, kind: str) -> None:
    """Show the message to copy beside this respondent's new link on the next page."""
    kinds = session.get("mail_drafts", {})
    kinds[str(respondent_id)] = kind
    session["mail_drafts"] = kinds


def _mail_invitation(invitation: assessments.Invitation) -> None:
    """E-mail the new respondent when there is a server and an address; say how it went."""
    outcome = mail_service.invite_respondent(invitation.respondent, invitation.token, g.user)
    if outcome is None:
        return
    if outcome.ok:
        flash(_("The invitation was e-mailed to %(email)s.", email=outcome.recipient))
    else:
        _draft_for(invitation.respondent.id, "invitation")
        flash(
            _(
                "The invitation to %(name)s could not be e-mailed: %(error)s "
                "Copy the message below and send it yourself.",
                name=outcome.name,
                error=outcome.error,
            )
        )


@bp.post("/<int:assessment_id>/reminders")
@login_required
def send_reminders(assessment_id: int) -> ResponseReturnValue:
    """One click: a reminder, with a new link, to everyone who has not submitted."""
    done = mail_service.remind(org_id(), assessment_id, g.user)
    for respondent_id, link in done.links.items():  # no SMTP server: messages to copy
        links = session.get("new_links", {})
        links[str(respondent_id)] = link
        session["new_links"] = links
        _draft_for(respondent_id, "reminder")
    if done.links:
        flash(
            _(
                "New links for %(n)s reminders: copy each message below and send it. "
                "The earlier links no longer work; answers already given are kept.",
                n=len(done.links),
            )
        )
    if done.sent:
        names = ", ".join(o.name for o in done.sent)
        flash(_("Reminder e-mailed to %(names)s.", names=names))
    errors = {o.error for o in done.failed}
    if len(done.failed) > 1 and len(errors) == 1:
        flash(_("No reminder could be e-mailed: %(error)s", error=errors.pop()))
    else:
        for outcome in done.failed:
            flash(
                _(
                    "The reminder to %(name)s could not be e-mailed: %(error)s",
                    name=outcome.name,
                    error=outcome.error,
                )
            )
    if done.failed:
        flash(_("Their links are unchanged: to send one yourself, use “New link”."))
    if done.already:
        flash(_("Already reminded today: %(names)s.", names=", ".join(done.already)))
    if done.no_email:
        flash(
            _(
                "No e-mail address for %(names)s: use “New link” and send it yourself.",
                names=", ".join(done.no_email),
            )
        )
    if not (done.links or done.sent or done.failed or done.already or done.no_email):
        flash(_("Everyone has submitted: there is nobody to remind."))
    return redirect(url_for("assessments.show", assessment_id=assessment_id, _anchor="mail"))
