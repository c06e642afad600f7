"""The questionnaire an executive answers from an invitation link, on a phone or a laptop."""

from __future__ import annotations

import time
from datetime import date
from typing import Any

from flask import Blueprint, abort, jsonify, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue

from planner.engine import estimate
from planner.inputs import ascii_int
from planner.models import Respondent
from planner.services import ServiceError, clients, estimates, responding
from planner.services import assessments as assessment_service
from planner.web.limits import limiter

bp = Blueprint("respond", __name__)


@bp.get("/r/<token>")
def enter(token: str) -> ResponseReturnValue:
    """Swap the token for a session cookie and drop it from the URL (no secret in logs or Referer)."""
    limiter.hit(f"token:{token[:64]}", 30, 60)
    respondent = responding.by_token(token)
    responding.mark_opened(respondent.id)
    session["respondent_id"] = respondent.id
    session["respondent_key"] = responding.session_key(respondent)
    session.setdefault("lang", respondent.language or respondent.assessment.language)
    session.permanent = True
    response = redirect(url_for("respond.welcome"))
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _respondent() -> Respondent:
    respondent_id = session.get("respondent_id")
    if not isinstance(respondent_id, int):
        abort(404, "Open the questionnaire from your invitation link.")
    return responding.get(respondent_id, str(session.get("respondent_key", "")))


def _context(respondent: Respondent) -> dict[str, Any]:
    assessment = respondent.assessment
    catalog = assessment_service.catalog_of(assessment)
    pages = responding.pages(assessment, catalog)
    answers = responding.answers_of(respondent)
    asked = [q.full_id for p in pages for q in p.questions]
    answered = sum(1 for q in asked if q in answers and answers[q].value is not None)
    return {
        "respondent": respondent,
        "assessment": assessment,
        "client": clients.get(assessment.organisation_id, assessment.client_id),
        "pages": pages,
        "answers": answers,
        "importance": responding.importance_of(respondent),
        "asked": len(asked),
        "answered": answered,
        "percent": round(100 * answered / len(asked)) if asked else 0,
        "lang": session.get("lang", assessment.language),
        "seq": int(time.time() * 1000),
        "today": date.today(),
    }


@bp.get("/respond")
def welcome() -> ResponseReturnValue:
    ctx = _context(_respondent())
    resume = next(
        (
            p.number
            for p in ctx["pages"]
            if any(
                q.full_id not in ctx["answers"] or ctx["answers"][q.full_id].value is None
                for q in p.questions
            )
        ),
        None,
    )
    # the same figure as the new-assessment form: the consultancy's measured pace, else the default
    pace = estimates.pace(ctx["assessment"].organisation_id)
    minutes = estimate.minutes(ctx["asked"], pace.seconds)
    return render_template("respond/welcome.html", resume=resume, minutes=minutes, **ctx)


@bp.route("/respond/page/<int:number>", methods=["GET", "POST"])
def page(number: int) -> ResponseReturnValue:
    respondent = _respondent()
    ctx = _context(respondent)
    if not 1 <= number <= len(ctx["pages"]):
        abort(404, "No such page.")
    current = ctx["pages"][number - 1]
    if request.method == "POST":
        if respondent.submitted_at is not None:
            raise ServiceError(
                "The questionnaire has been submitted; ask your consultant to reopen it.", 409
            )
        raw_seq = request.form.get("client_seq")
        seq = ascii_int(raw_seq, 0, responding.MAX_SEQ) if raw_seq else int(time.time() * 1000)
        if seq is None:
            raise ServiceError("Bad sequence number.")
        rating = request.form.get(f"i-{current.dimension.full_id}")
        if rating is not None:
            responding.save_importance(respondent.id, current.dimension.full_id, rating, seq)
        for question in current.questions:
            value = request.form.get(f"q-{question.full_id}")
            comment = request.form.get(f"c-{question.full_id}")
            if value is None and not comment:
                continue
            responding.save(respondent.id, question.full_id, value, comment, seq)
        target = request.form.get("go", "next")
        if target == "back" and number > 1:
            return redirect(url_for("respond.page", number=number - 1))
        if target == "next" and number < len(ctx["pages"]):
            return redirect(url_for("respond.page", number=number + 1))
        return redirect(url_for("respond.review"))
    return render_template("respond/page.html", page=current, **ctx)


def _autosave(subject: str) -> tuple[Respondent, str, str | None, str | None, int]:
    """One autosave request: {<subject>, value, comment?, client_seq} as JSON, checked."""
    respondent = _respondent()
    limiter.hit(f"save:{respondent.id}", 240, 60)
    data = request.get_json(silent=True)
    if not isinstance(data, dict) or not isinstance(data.get(subject), str):
        raise ServiceError(f"Send {{{subject}, value, client_seq}} as JSON.")
    value, comment, seq = data.get("value"), data.get("comment"), data.get("client_seq")
    if value is not None and not isinstance(value, str | int):
        raise ServiceError("Bad answer.")
    if comment is not None and not isinstance(comment, str):
        raise ServiceError("Bad comment.")
    if not isinstance(seq, int) or isinstance(seq, bool):
        raise ServiceError("client_seq must be a whole number.")
    return respondent, data[subject], None if value is None else str(value), comment, seq


@bp.post("/respond/save")
def save() -> ResponseReturnValue:
    """Autosave of one answer: acknowledged after commit; a replay or an older sequence is a no-op."""
    respondent, question, value, comment, seq = _autosave("question")
    saved = responding.save(respondent.id, question, value, comment, seq)
    return jsonify({"saved": True, "question": saved.subject, "client_seq": saved.client_seq})


@bp.post("/respond/importance")
def importance() -> ResponseReturnValue:
    """Autosave of one importance rating, with the same protocol as answers."""
    respondent, dimension, value, _, seq = _autosave("dimension")
    saved = responding.save_importance(respondent.id, dimension, value, seq)
    return jsonify({"saved": True, "dimension": saved.subject, "client_seq": saved.client_seq})


@bp.get("/respond/review")
def review() -> ResponseReturnValue:
    return render_template("respond/review.html", **_context(_respondent()))


@bp.post("/respond/submit")
def submit() -> ResponseReturnValue:
    respondent = _respondent()
    responding.submit(respondent.id)
    return redirect(url_for("respond.done"))


@bp.get("/respond/done")
def done() -> ResponseReturnValue:
    return render_template("respond/done.html", **_context(_respondent()))
