"""Browse the models, upload a custom one, download a blank answers file."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response, abort, current_app, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired

from planner.catalog import Catalog
from planner.engine.questionnaire import blank_answers
from planner.i18n import select_locale
from planner.services import catalog as catalog_service
from planner.services.catalog import UploadError
from planner.web.forms import Form
from planner.web.hooks import login_required, org_id

bp = Blueprint("catalog", __name__, url_prefix="/catalog")


class UploadForm(Form):
    file = FileField(_l("Model file (YAML)"), validators=[FileRequired()])


def _catalog() -> Catalog:
    return catalog_service.current_catalog(org_id(), Path(current_app.config["FRAMEWORKS_DIR"]))


@bp.get("/")
@login_required
def index() -> ResponseReturnValue:
    return render_template(
        "catalog/index.html", catalog=_catalog(), form=UploadForm(), lang=select_locale()
    )


@bp.get("/models/<framework_id>")
@login_required
def model(framework_id: str) -> ResponseReturnValue:
    catalog = _catalog()
    if not catalog.has_framework(framework_id):
        abort(404, "No such model.")
    fw = catalog.framework(framework_id)
    initiatives = [
        i for i in catalog.all_initiatives() if any(imp.framework == fw.id for imp in i.improves)
    ]
    return render_template(
        "catalog/model.html", fw=fw, initiatives=initiatives, lang=select_locale()
    )


@bp.post("/upload")
@login_required
def upload() -> ResponseReturnValue:
    form = UploadForm()
    problems: list[str] = []
    uploaded = None
    if form.validate_on_submit():
        file = form.file.data
        name = Path(file.filename or "model.yaml").name[:100] or "model.yaml"
        data = file.read(current_app.config["UPLOAD_MAX_BYTES"] + 1)
        if len(data) > current_app.config["UPLOAD_MAX_BYTES"]:
            problems = [
                f"{name}:1:1: the file is larger than {current_app.config['UPLOAD_MAX_BYTES']:,} bytes"
            ]
        else:
            try:
                uploaded = catalog_service.add_custom(
                    org_id(), name, data, Path(current_app.config["FRAMEWORKS_DIR"])
                )
            except UploadError as exc:
                problems = exc.problems
    else:
        problems = ["Choose a YAML file to upload."]
    status = 422 if problems else 200
    return render_template(
        "catalog/index.html",
        catalog=_catalog(),
        form=UploadForm(formdata=None),
        problems=problems,
        uploaded=uploaded,
        lang=select_locale(),
    ), status


@bp.get("/questionnaire.yaml")
@login_required
def questionnaire() -> ResponseReturnValue:
    catalog = _catalog()
    chosen = [f for f in request.args.getlist("model") if catalog.has_framework(f)]
    if not chosen:
        abort(400, "Choose at least one model.")
    lang = request.args.get("lang", "en") if request.args.get("lang") in ("en", "vi") else "en"
    text = blank_answers(
        [catalog.framework(f) for f in chosen], catalog.crosswalk.equivalent_questions, lang
    )
    return Response(
        text,
        mimetype="application/yaml",
        headers={
            "Content-Disposition": f'attachment; filename="questionnaire-{"-".join(chosen)}.yaml"'
        },
    )
