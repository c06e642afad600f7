"""Live workshops (DESIGN §7): start a session on an assessment, join from a phone, vote, control.

The phase machine and what a phone may see are planner.workshop's (pure); this module loads and
stores them. Every change raises the session's `version` in the same statement that checks it
may happen, so two facilitator clicks or a vote racing a reveal never both apply to one state.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import threading
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from flask import Flask, current_app
from sqlalchemy import select, update

from planner import workshop as engine
from planner.database import DatabaseBusy, transaction
from planner.extensions import db
from planner.inputs import BadText, clean_text
from planner.models import (
    AgreedLevel,
    AnswerRow,
    Assessment,
    Respondent,
    WorkshopParticipant,
    WorkshopSession,
    WorkshopVote,
)
from planner.models.base import utcnow
from planner.services import Conflict, Gone, NotFound, ServiceError, prerender
from planner.services import assessments as assessment_service
from planner.services.responding import upsert_newer

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
    """The assessment's open session, or a new one (a draft assessment opens; a closed one is refused).

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
        if assessment.status == "draft":
            assessment.status = "open"
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
        s.execute(
            update(WorkshopSession)
            .where(WorkshopSession.id == session.id)
            .values(version=WorkshopSession.version + 1)
        )
        s.flush()
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
    return _tag(session.id, session.version, reader.id if reader else 0, lang)


def _tag(session_id: int, version: int, participant_id: int, lang: str) -> str:
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
        return _tag(self.session_id, self.version, self.participant_id or 0, lang)


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


_shared: dict[tuple[str, int, int, str], tuple[dict[str, Any], dict[int, str]]] = {}


def public_state(
    session: WorkshopSession, reader: WorkshopParticipant | None, lang: str
) -> dict[str, Any]:
    """The state of the contract. What every reader shares is built once per version and language
    (one query of the votes), so a poll of an unchanged-for-the-room state costs no more queries."""
    key = (session.code, session.id, session.version, lang)
    shared = _shared.get(key)
    if shared is None:
        items = items_of(session)
        votes = votes_on(session, session.item)
        base = engine.public_state(_state(session), items, lang, [v.value for v in votes])
        shared = base, {v.participant_id: v.value for v in votes}
        if len(_shared) > 512:
            _shared.clear()
        _shared[key] = shared
    base, by_participant = shared
    mine = by_participant.get(reader.id) if reader is not None else None
    if mine is None:
        return dict(base)
    items = items_of(session)
    return engine.public_state(_state(session), items, lang, list(by_participant.values()), mine)


@dataclass(frozen=True)
class Voted:
    item: str
    client_seq: int  # the stored sequence: a replay or an older retry leaves the newer vote


def vote(
    session: WorkshopSession,
    reader: WorkshopParticipant,
    item_id: str,
    raw: object,
    client_seq: int,
) -> Voted:
    """Store a vote (newer sequence wins, as for autosave); a question's vote is also its answer."""
    if not isinstance(client_seq, int) or isinstance(client_seq, bool) or client_seq < 0:
        raise ServiceError("Bad sequence number.")
    items = items_of(session)
    try:
        value = engine.check_vote(_state(session), items, item_id, raw)
    except engine.Refused as exc:
        raise Conflict(str(exc)) from None
    except engine.Invalid as exc:
        raise ServiceError(str(exc)) from None
    pending = _Pending(
        session.id,
        session.assessment_id,
        reader.id,
        reader.respondent_id,
        item_id,
        str(value),
        client_seq,
        items[engine.index_of(items, item_id)].kind == "question",
    )
    return _batcher().submit(pending)


@dataclass
class _Pending:
    """A vote waiting for the next group commit, and what became of it."""

    session_id: int
    assessment_id: int
    participant_id: int
    respondent_id: int
    item: str
    value: str
    client_seq: int
    is_question: bool
    done: threading.Event = field(default_factory=threading.Event)
    stored: int = 0
    error: Exception | None = None


class VoteBatcher:
    """Group commit: votes wait in a queue and one thread stores all that are waiting in one
    transaction, so a room of 200 voting at once costs a few commits (fsyncs), not 200. A vote is
    answered only once its transaction has committed, as autosave is."""

    WAIT = 15.0  # longer than a write may wait for the database (DatabaseBusy comes first)

    def __init__(self, app: Flask) -> None:
        self.app = app
        self._queue: list[_Pending] = []
        self._cond = threading.Condition()
        self._thread: threading.Thread | None = None
        self._pid = 0

    def submit(self, pending: _Pending) -> Voted:
        with self._cond:
            if self._thread is None or self._pid != os.getpid():  # none yet, or forked since
                self._pid = os.getpid()
                self._thread = threading.Thread(
                    target=self._loop, name="planner-votes", daemon=True
                )
                self._thread.start()
            self._queue.append(pending)
            self._cond.notify()
        if not pending.done.wait(self.WAIT):
            raise DatabaseBusy("the vote was not stored in time")
        if pending.error is not None:
            raise pending.error
        return Voted(pending.item, pending.stored)

    def _loop(self) -> None:
        while True:
            with self._cond:
                while not self._queue:
                    self._cond.wait()
                batch, self._queue = self._queue, []
            try:
                with self.app.app_context():
                    self._store(batch)
                    for assessment_id in {p.assessment_id for p in batch}:
                        prerender.changed(assessment_id)
            # the database is busy or down: every vote of the batch says so
            except Exception as exc:
                for p in batch:
                    if p.error is None:  # each request raises its own copy
                        p.error = DatabaseBusy(str(exc)) if isinstance(exc, DatabaseBusy) else exc
            finally:
                for p in batch:
                    p.done.set()

    @staticmethod
    def _store(batch: list[_Pending]) -> None:
        with transaction() as s:
            by_item: dict[tuple[int, str], list[_Pending]] = {}
            for p in batch:
                by_item.setdefault((p.session_id, p.item), []).append(p)
            for (session_id, item), votes in by_item.items():
                moved = s.execute(  # still voting on this item? then these votes change the state
                    update(WorkshopSession)
                    .where(
                        WorkshopSession.id == session_id,
                        WorkshopSession.phase == "voting",
                        WorkshopSession.item == item,
                    )
                    .values(version=WorkshopSession.version + len(votes))
                )
                if moved.rowcount != 1:  # type: ignore[attr-defined]
                    for p in votes:
                        p.error = Conflict("Voting on this item has closed.")
                    continue
                for p in votes:
                    p.stored = upsert_newer(
                        s,
                        WorkshopVote,
                        {
                            "session_id": session_id,
                            "participant_id": p.participant_id,
                            "item": item,
                        },
                        {"value": p.value, "client_seq": p.client_seq, "updated_at": utcnow()},
                    )
                    if p.is_question:
                        upsert_newer(
                            s,
                            AnswerRow,
                            {"respondent_id": p.respondent_id, "question_id": item},
                            {"value": p.value, "client_seq": p.client_seq, "updated_at": utcnow()},
                            read_back=False,
                        )


def _batcher() -> VoteBatcher:
    batcher = current_app.extensions.get("planner.votes")
    if batcher is None:
        batcher = current_app.extensions.setdefault(
            "planner.votes",
            VoteBatcher(current_app._get_current_object()),  # type: ignore[attr-defined]
        )
    return batcher  # type: ignore[no-any-return]


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
        moved = s.execute(  # the room as this control saw it (votes may have arrived since)
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
        )
        if moved.rowcount != 1:  # type: ignore[attr-defined]
            raise Conflict("The workshop changed meanwhile; look again and retry.")
        if action == "agree" and after.item is not None:
            _record_agreement(
                s, session.assessment_id, items[engine.index_of(items, after.item)], after
            )
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
