"""The live workshop's pages and its JSON contract (DESIGN §7): the facilitator's screen, the phones'
join and voting pages, the polled state (ETag, 304), votes and controls."""

from __future__ import annotations

from html import escape
from itertools import groupby
from typing import Any

import segno
from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    g,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from planner.engine import workshop as engine
from planner.extensions import db
from planner.i18n import LANGUAGES
from planner.models import Assessment, Respondent, WorkshopParticipant, WorkshopSession
from planner.report import charts
from planner.services import Conflict, ServiceError, assessments, board, workshops
from planner.web.hooks import login_required, org_id
from planner.web.limits import limiter

bp = Blueprint("workshop", __name__)


_ID = "#id"  # beside the key: the participant's id, so an unchanged poll needs no lookup
_RESPONDENT = "#respondent"  # and the respondent's, so a vote needs none either


def _cookie(code: str) -> str:
    return f"w:{code}"


def _reader(ws: WorkshopSession) -> WorkshopParticipant | None:
    key = session.get(_cookie(ws.code))
    return workshops.participant(ws, key if isinstance(key, str) else None)


def _lang(ws: WorkshopSession) -> str:
    chosen = request.args.get("lang") or session.get("lang")
    if chosen in ("en", "vi"):
        return str(chosen)
    assessment = db.session.get(Assessment, ws.assessment_id)
    return assessment.language if assessment is not None else "en"


def _content_lang(assessment: Assessment) -> str:
    """The facilitator's items speak the assessment's language, whatever the page's chrome does."""
    chosen = request.args.get("lang")
    return chosen if chosen in LANGUAGES else assessment.language


def _join_url(ws: WorkshopSession) -> str:
    """Absolute, from the configured BASE_URL: never from the request's Host header."""
    base = str(current_app.config["BASE_URL"]).rstrip("/")
    return base + url_for("workshop.phone", code=ws.code)


def _qr(url: str) -> str:
    """The join URL as an inline SVG QR code, black on white with its quiet zone, sized by CSS."""
    label = escape(_("QR code to join: %(url)s", url=url))
    svg = segno.make(url, micro=False).svg_inline(
        scale=1, border=4, dark="#000000", light="#ffffff", svgclass="qr", omitsize=True,
        title=url,
    )  # fmt: skip
    return svg.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1)


def _chart(state: dict[str, Any], width: int, height: int) -> tuple[str, list[tuple[str, int]]]:
    """Once revealed, the votes as the shared column chart: each level, then N/A (questions
    only) and "?" (don't know); with the counts, for the row of numbers above the columns."""
    shown = state.get("distribution")
    if not shown:
        return "", []
    item = state["item"] or {}
    counts = [
        (str(level["value"]), int(shown.get(str(level["value"]), 0)))
        for level in item.get("levels", [])
    ]
    if item.get("kind") == "question":
        counts.append((_("N/A"), int(shown.get("na", 0))))
    counts.append(("?", int(shown.get("unknown", 0))))
    return charts.distribution(counts, width=width, height=height), counts


def _by_role(
    people: list[tuple[Respondent, bool]],
) -> list[tuple[str, list[tuple[Respondent, bool]]]]:
    """Who joined, grouped by role (as typed, case aside), each with the possible-duplicate flag."""

    def role(entry: tuple[Respondent, bool]) -> str:
        return (entry[0].role or "").strip().casefold()

    return [
        (group[0][0].role or "", group)
        for _key, members in groupby(sorted(people, key=role), key=role)
        for group in [list(members)]
    ]


@bp.get("/assessments/<int:assessment_id>/workshop")
@login_required
def facilitate(assessment_id: int) -> ResponseReturnValue:
    """The facilitator's screen; it starts the session when none is open."""
    ws = workshops.start(org_id(), assessment_id)
    assessment = assessments.get(org_id(), assessment_id)
    lang = _content_lang(assessment)
    state = workshops.public_state(ws, None, lang)
    chart, counts = _chart(state, 240, 62)
    join_url = _join_url(ws)
    people = workshops.joined(ws)
    return render_template(
        "workshop/facilitate.html",
        ws=ws,
        assessment=assessment,
        state=state,
        items=workshops.items_of(ws),
        agreed_items=workshops.agreed_items(ws),
        roles=_by_role(people),
        people=len(people),
        join_url=join_url,
        qr=_qr(join_url),
        chart=chart,
        counts=counts,
        lang=lang,
    )


@bp.get("/w/<code>")
def phone(code: str) -> ResponseReturnValue:
    """The join form, or, once joined from this browser, the current item to vote on.

    `?lang=vi` / `?lang=en` switches this browser's language (the page and the items) and comes
    back to the plain address, so polls and reloads keep it."""
    ws = workshops.by_code(code)
    chosen = request.args.get("lang")
    if chosen in LANGUAGES:
        session["lang"] = chosen
        return redirect(url_for("workshop.phone", code=ws.code))
    if code != ws.code:
        return redirect(url_for("workshop.phone", code=ws.code))
    reader = _reader(ws)
    lang = _lang(ws)
    if reader is None:
        if ws.closed_at is not None:
            abort(410, "This workshop has ended.")
        return render_template("workshop/join.html", ws=ws, lang=lang)
    state = workshops.public_state(ws, reader, lang)
    chart, counts = _chart(state, 150, 62)
    return render_template(
        "workshop/phone.html",
        ws=ws,
        state=state,
        me=db.session.get(Respondent, reader.respondent_id),
        chart=chart,
        counts=counts,
        lang=lang,
    )


@bp.post("/w/<code>/join")
def join(code: str) -> ResponseReturnValue:
    ws = workshops.by_code(code)
    limiter.hit(f"join:{ws.code}", 600, 60)  # per code, never per IP: a room shares one
    if _reader(ws) is not None:  # this browser joined already: it resumes as the same person
        return redirect(url_for("workshop.phone", code=ws.code))
    joined = workshops.join(ws.code, request.form.get("name", ""), request.form.get("role"))
    session[_cookie(ws.code)] = joined.key
    session[_cookie(ws.code) + _ID] = joined.participant.id
    session[_cookie(ws.code) + _RESPONDENT] = joined.participant.respondent_id
    session.permanent = True
    return redirect(url_for("workshop.phone", code=ws.code))


@bp.get("/w/<code>/state")
def state(code: str) -> ResponseReturnValue:
    """The polled state: participants of this session and the owning consultancy, 404 for others.

    Most polls find nothing changed: a participant's poll then reads the version from the board
    (services/board.py) and answers 304 without the database; otherwise one query (the version and
    the reader) decides, and the state itself is built only when the ETag has moved."""
    normal = engine.normal_code(code) or ""
    chosen = request.args.get("lang") or session.get("lang")
    known = _signed_int(normal, _ID)  # signed: set at join for this browser only
    entry = board.read(normal) if known is not None else None
    if (
        entry is not None and known is not None
    ):  # the cheap path (DESIGN §12): no database for an unchanged state
        lang = str(chosen) if chosen in LANGUAGES else entry.language
        tag = workshops.tag(entry.session_id, entry.version, known, lang)
        if request.if_none_match.contains(tag.strip('"')):
            return _polled(make_response("", 304), tag)
        built = workshops.cached_state(normal, entry.session_id, entry.version, lang, known)
        if built is not None:  # this process built this version already: no query either
            return _polled(jsonify(built), tag)
    key = session.get(_cookie(normal))
    peek = workshops.peek(code, key if isinstance(key, str) else None)
    if peek.participant_id is not None:
        session[_cookie(normal) + _ID] = peek.participant_id
    if entry is None:
        board.publish(normal, board.Entry(peek.session_id, peek.version, peek.language))
    user = g.get("user")
    if peek.participant_id is None and (
        user is None or user.organisation_id != peek.organisation_id
    ):
        abort(404, "No workshop has this code.")
    lang = str(chosen) if chosen in LANGUAGES else peek.language
    tag = peek.etag(lang)
    if request.if_none_match.contains(tag.strip('"')):  # werkzeug keeps tags unquoted, strong
        response = make_response("", 304)
    else:
        ws = workshops.by_code(code)
        reader = _reader(ws)
        tag = workshops.etag(ws, reader, lang)  # the version may have moved since the peek
        response = jsonify(workshops.public_state(ws, reader, lang))
    return _polled(response, tag)


def _polled(response: Response, tag: str) -> Response:
    response.headers["ETag"] = tag
    response.headers["Cache-Control"] = "no-cache"
    return response


def _payload() -> dict[str, Any]:
    if request.is_json:
        data = request.get_json(silent=True)
        if not isinstance(data, dict):
            raise ServiceError("Send a JSON object.")
        return data
    return request.form.to_dict()


@bp.post("/w/<code>/vote")
def vote(code: str) -> ResponseReturnValue:
    """A vote. A joined phone's JSON vote is checked against the board and queued without a
    query (DESIGN §12); anything the board cannot decide takes the database's way."""
    normal = engine.normal_code(code) or ""
    known, respondent = _signed_int(normal, _ID), _signed_int(normal, _RESPONDENT)
    entry = board.read(normal) if known and respondent and request.is_json else None
    if entry is not None and known and respondent:
        limiter.hit(f"vote:{known}", 120, 60)  # per participant
        item, value, seq = _vote_fields()
        voted = workshops.vote_on_board(normal, entry, known, respondent, item, value, seq)
        if voted is not None:
            return jsonify({"item": voted.item, "client_seq": voted.client_seq})
    ws = workshops.by_code(code)
    reader = _reader(ws)
    if reader is None:
        abort(404, "Join the workshop first.")
    session[_cookie(ws.code) + _ID] = reader.id
    session[_cookie(ws.code) + _RESPONDENT] = reader.respondent_id
    if entry is None:  # counted once per vote
        limiter.hit(f"vote:{reader.id}", 120, 60)  # per participant
    item, value, seq = _vote_fields()
    voted = workshops.vote(ws, reader, item, value, seq)
    if request.is_json:
        return jsonify({"item": voted.item, "client_seq": voted.client_seq})
    return redirect(url_for("workshop.phone", code=ws.code))


def _vote_fields() -> tuple[str, object, object]:
    data = _payload()
    seq = data.get("client_seq", 0)
    if isinstance(seq, str) and seq.isascii() and seq.isdigit() and len(seq) < 19:
        seq = int(seq)
    return str(data.get("item", "")), data.get("value"), seq


def _signed_int(code: str, suffix: str) -> int | None:
    """A number this browser's signed session keeps for this workshop (set at join)."""
    value = session.get(_cookie(code) + suffix)
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None


@bp.post("/w/<code>/control")
@login_required
def control(code: str) -> ResponseReturnValue:
    data = _payload()
    note = data.get("note")
    try:
        ws = workshops.control(
            org_id(),
            code,
            str(data.get("action", "")),
            item=data.get("item") or None,
            value=data.get("value"),
            note=note if isinstance(note, str) else None,
        )
    except Conflict:
        if request.is_json:
            raise
        # A button pressed on a screen the room has moved past (another tab, a double click):
        # show the room as it is now rather than an error page in front of everyone.
        flash(_("That step does not apply any more; this is where the workshop stands now."))
        ws = workshops.for_facilitator(org_id(), code)
    if request.is_json:
        return jsonify(workshops.public_state(ws, None, _lang(ws)))
    if ws.closed_at is not None:  # back to the assessment, not straight into a new session
        flash(_("The workshop has ended."))
        return redirect(url_for("assessments.show", assessment_id=ws.assessment_id))
    return redirect(url_for("workshop.facilitate", assessment_id=ws.assessment_id))
