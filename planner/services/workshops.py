"""Live workshops (DESIGN §7): start a session on an assessment, join from a phone, vote, control.

The phase machine and what a phone may see are planner.engine.workshop's (pure); this module loads and
stores them. Every change raises the session's `version` in the same statement that checks it
may happen, so two facilitator clicks or a vote racing a reveal never both apply to one state.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import select, update

from planner.database import transaction
from planner.engine import workshop as engine
from planner.extensions import db
from planner.inputs import BadText, clean_text
from planner.models import (
    AgreedLevel,
    Assessment,
    Respondent,
    WorkshopParticipant,
    WorkshopSession,
    WorkshopVote,
)
from planner.models.base import utcnow
from planner.services import Conflict, Gone, NotFound, ServiceError, board, prerender
from planner.services import assessments as assessment_service
from planner.services.votes import Pending, Voted, batcher

MAX_NAME = 100
MAX_NOTE = 2000


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _state(session: WorkshopSession) -> engine.WorkshopState:
    agreed: engine.Agreed | None = None
    if session.agreed is not None:
        agreed = "na" if session.agreed == "na" else int(session.agreed)
    return engine.WorkshopState(
        phase=session.phase,  # type: ignore[arg-type]
        position=session.position,
        item=session.item,
        version=session.version,
        agreed=agreed,
        note=session.note,
    )


_agendas: dict[tuple[str, int], tuple[engine.Item, ...]] = {}


def items_of(
    session: WorkshopSession, assessment: Assessment | None = None
) -> tuple[engine.Item, ...]:
    """The agenda as the session started it (cached per session: polls must stay cheap)."""
    key = (session.code, session.id)  # codes are never reused
    found = _agendas.get(key)
    if found is None:
        assessment = assessment or db.session.get(Assessment, session.assessment_id)
        if assessment is None:
            raise NotFound("No such assessment.")
        catalog = assessment_service.catalog_of(assessment)
        frameworks = assessment_service.frameworks_of(assessment, catalog)
        items = engine.agenda(frameworks, catalog.crosswalk.equivalent_questions)
        found = engine.in_order(items, session.agenda)
        if len(_agendas) > 64:
            _agendas.clear()
        _agendas[key] = found
    return found


def open_session(assessment_id: int) -> WorkshopSession | None:
    return db.session.scalars(
        select(WorkshopSession).where(
            WorkshopSession.assessment_id == assessment_id, WorkshopSession.closed_at.is_(None)
        )
    ).first()


def start(organisation_id: int, assessment_id: int) -> WorkshopSession:
    """The assessment's open session, or a new one (an assessment closed for answers is refused).

    The agenda is fixed now: every question once, those the earlier answers contest first, then a
    target per dimension."""
    from planner.services.results import compute

    assessment = assessment_service.get(organisation_id, assessment_id)
    if assessment.status == "closed":
        raise Gone("This assessment is closed for answers; reopen it to run a workshop.")
    current = open_session(assessment_id)
    if current is not None:
        return current
    _, catalog, frameworks, card, _ = compute(assessment)
    items = engine.agenda(frameworks, catalog.crosswalk.equivalent_questions, card)
    with transaction() as s:
        assessment = assessment_service.get(organisation_id, assessment_id)
        current = open_session(assessment_id)
        if current is not None:
            return current
        taken = set(s.scalars(select(WorkshopSession.code)))
        session = WorkshopSession(
            assessment_id=assessment_id,
            code=engine.new_code(taken),
            phase="waiting",
            version=1,
            agenda=[item.id for item in items],
        )
        s.add(session)
        s.flush()
    return session


def by_code(code: str) -> WorkshopSession:
    normal = engine.normal_code(code)
    session = (
        None
        if normal is None
        else db.session.scalars(
            select(WorkshopSession)
            .where(WorkshopSession.code == normal)
            .execution_options(populate_existing=True)  # never an older copy of the row
        ).first()
    )
    if session is None:
        raise NotFound("No workshop has this code.")
    return session


def for_facilitator(organisation_id: int, code: str) -> WorkshopSession:
    session = by_code(code)
    assessment_service.get(organisation_id, session.assessment_id)  # 404 for another consultancy
    return session


@dataclass(frozen=True)
class Joined:
    participant: WorkshopParticipant
    key: str  # for the browser's session cookie only


def join(code: str, name: str, role: str | None) -> Joined:
    """A participant, as a respondent of the assessment; the key goes into the session cookie."""
    try:
        name_clean = clean_text(name or "").strip()
        role_clean = clean_text(role or "").strip()
    except BadText as exc:
        raise ServiceError(str(exc)) from None
    if not name_clean:
        raise ServiceError("Please give your name.")
    if len(name_clean) > MAX_NAME or len(role_clean) > MAX_NAME:
        raise ServiceError(f"A name or role is at most {MAX_NAME} characters.")
    key = secrets.token_urlsafe(24)
    with transaction() as s:
        session = by_code(code)
        assessment = s.get(Assessment, session.assessment_id)
        if session.closed_at is not None or assessment is None or assessment.status == "closed":
            raise Gone("This workshop has ended.")
        respondent = Respondent(
            assessment_id=session.assessment_id,
            name=name_clean,
            role=role_clean or None,
            token_hash=_hash("workshop-respondent:" + secrets.token_urlsafe(24)),
            token_expires_at=utcnow() + timedelta(days=1),
            started_at=utcnow(),
        )
        s.add(respondent)
        s.flush()
        participant = WorkshopParticipant(
            session_id=session.id, respondent_id=respondent.id, key_hash=_hash(key)
        )
        s.add(participant)
        moved = s.execute(
            update(WorkshopSession)
            .where(WorkshopSession.id == session.id)
            .values(version=WorkshopSession.version + 1)
            .returning(WorkshopSession.version, WorkshopSession.phase, WorkshopSession.item)
        ).one()
        s.flush()
        entry = board.Entry(
            session.id,
            int(moved[0]),
            assessment.language,
            session.assessment_id,
            str(moved[1]),
            moved[2],
        )
    board.publish(session.code, entry)  # the facilitator's list of who joined
    return Joined(participant, key)


def participant(session: WorkshopSession, key: str | None) -> WorkshopParticipant | None:
    if not key:
        return None
    found = db.session.scalars(
        select(WorkshopParticipant).where(WorkshopParticipant.key_hash == _hash(key))
    ).first()
    return found if found is not None and found.session_id == session.id else None


def etag(session: WorkshopSession, reader: WorkshopParticipant | None, lang: str) -> str:
    """Strong, per reader: the state carries the reader's own vote."""
    return tag(session.id, session.version, reader.id if reader else 0, lang)


def tag(session_id: int, version: int, participant_id: int, lang: str) -> str:
    return f'"w{session_id}-v{version}-p{participant_id}-{lang}"'


@dataclass(frozen=True)
class Peek:
    """What a poll needs to answer 304: one indexed read of the session and the reader."""

    session_id: int
    version: int
    participant_id: int | None  # None: this browser has not joined this session
    assessment_id: int
    organisation_id: int
    language: str  # the assessment's

    def etag(self, lang: str) -> str:
        return tag(self.session_id, self.version, self.participant_id or 0, lang)


def peek(code: str, key: str | None) -> Peek:
    """The session's version and the reader (by the cookie's key), in one query; NotFound for an
    unknown code. The full state is built only when the ETag has changed."""
    normal = engine.normal_code(code)
    row = (
        None
        if normal is None
        else db.session.execute(
            select(
                WorkshopSession.id,
                WorkshopSession.version,
                WorkshopSession.assessment_id,
                WorkshopParticipant.id,
                Assessment.organisation_id,
                Assessment.language,
            )
            .join(Assessment, Assessment.id == WorkshopSession.assessment_id)
            .outerjoin(
                WorkshopParticipant,
                (WorkshopParticipant.session_id == WorkshopSession.id)
                & (WorkshopParticipant.key_hash == _hash(key or "-")),
            )
            .where(WorkshopSession.code == normal)
        ).first()
    )
    if row is None:
        raise NotFound("No workshop has this code.")
    participant = None if row[3] is None else int(row[3])
    return Peek(int(row[0]), int(row[1]), participant, int(row[2]), int(row[4]), str(row[5]))


def votes_on(session: WorkshopSession, item: str | None) -> list[WorkshopVote]:
    if item is None:
        return []
    return list(
        db.session.scalars(
            select(WorkshopVote).where(
                WorkshopVote.session_id == session.id, WorkshopVote.item == item
            )
        )
    )


_shared: dict[tuple[str, int, int, str], tuple[dict[str, Any], dict[int, object]]] = {}


def public_state(
    session: WorkshopSession, reader: WorkshopParticipant | None, lang: str
) -> dict[str, Any]:
    """The state of the contract. What every reader shares is built once per version and language
    (one query of the votes) with each participant's own vote beside it, so the state of a version
    this process has built before costs no query at all (`cached_state`)."""
    key = (session.code, session.id, session.version, lang)
    shared = _shared.get(key)
    if shared is None:
        items = items_of(session)
        state = _state(session)
        votes = votes_on(session, session.item)
        base: dict[str, Any] = engine.public_state(state, items, lang, [v.value for v in votes])
        item = engine.current(state, items)
        yours: dict[int, object] = (
            {}
            if item is None
            else {v.participant_id: engine.vote_value(item, v.value) for v in votes}
        )
        if len(_shared) > 512:
            _shared.clear()
        _shared[key] = shared = (base, yours)
    return _with_yours(shared, reader.id if reader is not None else None)


def cached_state(
    code: str, session_id: int, version: int, lang: str, participant_id: int
) -> dict[str, Any] | None:
    """The state of this version if this process has built it already; None otherwise."""
    shared = _shared.get((code, session_id, version, lang))
    return None if shared is None else _with_yours(shared, participant_id)


def _with_yours(
    shared: tuple[dict[str, Any], dict[int, object]], participant_id: int | None
) -> dict[str, Any]:
    base, yours = shared
    return {**base, "you": None if participant_id is None else yours.get(participant_id)}


def vote(
    session: WorkshopSession,
    reader: WorkshopParticipant,
    item_id: str,
    raw: object,
    client_seq: object,
) -> Voted:
    """Store a vote (newer sequence wins, as for autosave); a question's vote is also its answer."""
    voted = _queue(
        session.code,
        session.id,
        session.assessment_id,
        _language(session.assessment_id),
        _state(session),
        items_of(session),
        reader.id,
        reader.respondent_id,
        item_id,
        raw,
        client_seq,
        refused_is_final=True,
    )
    if voted is None:  # unreachable: with the database's state a refusal raises
        raise Conflict("Voting on this item has closed.")
    return voted


def vote_on_board(
    code: str,
    entry: board.Entry,
    participant_id: int,
    respondent_id: int,
    item_id: str,
    raw: object,
    client_seq: object,
) -> Voted | None:
    """`vote` without a query: the room as the board has it, the voter from the signed cookie.
    None when the board cannot decide (agenda not cached here, or the item not open there — the
    board may trail a commit by a moment): the caller asks the database. The batch's commit
    checks the phase and item again, as for every vote."""
    items = _agendas.get((code, entry.session_id))
    if items is None or not entry.assessment_id:
        return None
    ids = [i.id for i in items]
    state = engine.WorkshopState(
        phase=entry.phase,  # type: ignore[arg-type]
        position=ids.index(entry.item) if entry.item in ids else None,
        item=entry.item,
        version=entry.version,
    )
    return _queue(
        code,
        entry.session_id,
        entry.assessment_id,
        entry.language,
        state,
        items,
        participant_id,
        respondent_id,
        item_id,
        raw,
        client_seq,
        refused_is_final=False,
    )


def _queue(
    code: str,
    session_id: int,
    assessment_id: int,
    language: str,
    state: engine.WorkshopState,
    items: tuple[engine.Item, ...],
    participant_id: int,
    respondent_id: int,
    item_id: str,
    raw: object,
    client_seq: object,
    refused_is_final: bool,
) -> Voted | None:
    """Check a vote against the room as given and hand it to the group commit. A refusal is a 409
    when the state is the database's, and None (ask the database) when it is the board's."""
    if not isinstance(client_seq, int) or isinstance(client_seq, bool) or client_seq < 0:
        raise ServiceError("Bad sequence number.")
    try:
        value = engine.check_vote(state, items, item_id, raw)
    except engine.Refused as exc:
        if refused_is_final:
            raise Conflict(str(exc)) from None
        return None
    except engine.Invalid as exc:
        raise ServiceError(str(exc)) from None
    pending = Pending(
        code,
        session_id,
        assessment_id,
        participant_id,
        respondent_id,
        item_id,
        str(value),
        client_seq,
        items[engine.index_of(items, item_id)].kind == "question",
        language,
    )
    return batcher().submit(pending)


_languages: dict[int, str] = {}


def _language(assessment_id: int) -> str:
    """An assessment's language (set when it is created, never changed), once per process."""
    found = _languages.get(assessment_id)
    if found is None:
        found = _languages[assessment_id] = str(
            db.session.scalar(select(Assessment.language).where(Assessment.id == assessment_id))
        )
    return found


def control(
    organisation_id: int,
    code: str,
    action: str,
    item: str | None = None,
    value: object = None,
    note: str | None = None,
) -> WorkshopSession:
    """A facilitator's action (open, next, prev, reveal, agree, close); a refused one is a 409."""
    session = for_facilitator(organisation_id, code)
    items = items_of(session)
    if note is not None:
        try:
            note = clean_text(note, multiline=True).strip() or None
        except BadText as exc:
            raise ServiceError(str(exc)) from None
        if note is not None and len(note) > MAX_NOTE:
            raise ServiceError(f"A note is at most {MAX_NOTE} characters.")
    before = _state(session)
    try:
        after = engine.apply(before, items, action, item=item, value=value, note=note)
    except engine.Refused as exc:
        raise Conflict(str(exc)) from None
    except engine.Invalid as exc:
        raise ServiceError(str(exc)) from None
    with transaction() as s:
        version = s.scalar(  # the room as this control saw it (votes may have arrived since)
            update(WorkshopSession)
            .where(
                WorkshopSession.id == session.id,
                WorkshopSession.phase == before.phase,
                _same(WorkshopSession.position, before.position),
                _same(WorkshopSession.item, before.item),
            )
            .values(
                phase=after.phase,
                position=after.position,
                item=after.item,
                version=WorkshopSession.version + 1,
                agreed=None if after.agreed is None else str(after.agreed),
                note=after.note,
                closed_at=utcnow() if after.phase == "closed" else None,
            )
            .returning(WorkshopSession.version)
        )
        if version is None:
            raise Conflict("The workshop changed meanwhile; look again and retry.")
        if action == "agree" and after.item is not None:
            _record_agreement(
                s, session.assessment_id, items[engine.index_of(items, after.item)], after
            )
    entry = board.Entry(
        session.id,
        int(version),
        _language(session.assessment_id),
        session.assessment_id,
        after.phase,
        after.item,
    )
    board.publish(session.code, entry)
    db.session.expire(session)
    prerender.changed(session.assessment_id)
    return session


def _same(column: Any, value: object) -> Any:
    return column.is_(None) if value is None else column == value


def _record_agreement(
    s: Any, assessment_id: int, item: engine.Item, state: engine.WorkshopState
) -> None:
    """A question's agreed level becomes the assessment's `agreed`, a target's its target; the note
    goes to the assessment's `notes` under the same id."""
    assessment = s.get(Assessment, assessment_id)
    if item.kind == "question":
        row = s.scalars(
            select(AgreedLevel).where(
                AgreedLevel.assessment_id == assessment_id, AgreedLevel.question_id == item.id
            )
        ).first()
        if row is None:
            row = AgreedLevel(assessment_id=assessment_id, question_id=item.id)
            s.add(row)
        row.value = str(state.agreed)
    else:
        targets = dict(assessment.targets or {})
        targets[item.id] = state.agreed
        assessment.targets = targets
    notes = dict(assessment.notes or {})
    if state.note:
        notes[item.id] = state.note
    else:
        notes.pop(item.id, None)
    assessment.notes = notes


def agreed_items(session: WorkshopSession) -> set[str]:
    """Agenda items the assessment holds an agreement for, as the results page counts them: a
    question's agreed level; a target the room agreed with a note."""
    assessment = db.session.get(Assessment, session.assessment_id)
    questions = set(
        db.session.scalars(
            select(AgreedLevel.question_id).where(
                AgreedLevel.assessment_id == session.assessment_id
            )
        )
    )
    notes = set((assessment.notes or {}) if assessment is not None else {})
    targets = set((assessment.targets or {}) if assessment is not None else {})
    return questions | (notes & targets)


def joined(session: WorkshopSession) -> list[tuple[Respondent, bool]]:
    """Who joined, in order, each with whether another participant has the same name."""
    rows = list(
        db.session.execute(
            select(Respondent)
            .join(WorkshopParticipant, WorkshopParticipant.respondent_id == Respondent.id)
            .where(WorkshopParticipant.session_id == session.id)
            .order_by(WorkshopParticipant.id)
        ).scalars()
    )
    names: dict[str, int] = {}
    for r in rows:
        names[r.name.casefold()] = names.get(r.name.casefold(), 0) + 1
    return [(r, names[r.name.casefold()] > 1) for r in rows]
