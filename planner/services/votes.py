"""Group commit of workshop votes (DESIGN §7, §12): votes wait in a queue and one thread per
process stores all that are waiting in one transaction, then puts the session's new version on
the board (services/board.py) and answers each vote."""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from typing import Any

from flask import Flask, current_app
from sqlalchemy import select, update

from planner.database import DatabaseBusy, transaction
from planner.models import AnswerRow, WorkshopSession, WorkshopVote
from planner.models.base import utcnow
from planner.services import Conflict, board, prerender
from planner.services.responding import upsert_newer_many


@dataclass(frozen=True)
class Voted:
    item: str
    client_seq: int  # the stored sequence: a replay or an older retry leaves the newer vote


@dataclass
class Pending:
    """A vote waiting for the next group commit, and what became of it."""

    code: str
    session_id: int
    assessment_id: int
    participant_id: int
    respondent_id: int
    item: str
    value: str
    client_seq: int
    is_question: bool
    language: str  # the assessment's, for the board
    done: threading.Event = field(default_factory=threading.Event)
    stored: int = 0
    version: int = 0  # the session's once committed
    error: Exception | None = None


class VoteBatcher:
    """Group commit: votes wait in a queue and one thread stores all that are waiting in one
    transaction, so a room of 200 voting at once costs a few commits (fsyncs), not 200. A vote is
    answered only once its transaction has committed, as autosave is."""

    WAIT = 15.0  # longer than a write may wait for the database (DatabaseBusy comes first)

    def __init__(self, app: Flask) -> None:
        self.app = app
        self._queue: list[Pending] = []
        self._cond = threading.Condition()
        self._thread: threading.Thread | None = None
        self._pid = 0

    def submit(self, pending: Pending) -> Voted:
        self._enqueue(pending)
        if pending.error is not None:
            raise pending.error
        return Voted(pending.item, pending.stored)

    def _enqueue(self, pending: Pending) -> None:
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

    def _loop(self) -> None:
        while True:
            with self._cond:
                while not self._queue:
                    self._cond.wait()
                batch, self._queue = self._queue, []
            with self.app.app_context():
                self._commit(batch)

    def _commit(self, batch: list[Pending]) -> None:
        """Store a batch, put the session's new version on the board, and answer every vote."""
        try:
            self._store(batch)
            newest: dict[str, Pending] = {}
            for p in batch:
                if p.version > (newest[p.code].version if p.code in newest else 0):
                    newest[p.code] = p
            for p in newest.values():
                entry = board.Entry(
                    p.session_id, p.version, p.language, p.assessment_id, "voting", p.item
                )
                board.publish(p.code, entry)
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
    def _store(batch: list[Pending]) -> None:
        """One transaction for the batch. Each item's votes are written first and the session's
        version raised last (…WHERE still voting on that item), so the session's row is locked
        only from that statement to the commit; an item whose voting closed meanwhile fails its
        statement, and the batch is written again without it (its votes answer 409)."""
        by_item: dict[tuple[int, str], list[Pending]] = {}
        for p in batch:
            by_item.setdefault((p.session_id, p.item), []).append(p)
        closed: set[tuple[int, str]] = set()
        while True:
            try:
                with transaction() as s:
                    for key, votes in by_item.items():
                        if key not in closed:
                            VoteBatcher._store_item(s, key, votes)
                break
            except _VotingClosed as exc:
                closed.add(exc.key)
        for key in closed:
            for p in by_item[key]:
                p.error = Conflict("Voting on this item has closed.")
                p.version = 0

    @staticmethod
    def _store_item(s: Any, key: tuple[int, str], votes: list[Pending]) -> None:
        session_id, item = key
        now = utcnow()
        written = upsert_newer_many(
            s,
            WorkshopVote,
            ("session_id", "participant_id", "item"),
            [
                {
                    "session_id": session_id,
                    "participant_id": p.participant_id,
                    "item": item,
                    "value": p.value,
                    "client_seq": p.client_seq,
                    "updated_at": now,
                }
                for p in votes
            ],
            returning=(WorkshopVote.participant_id, WorkshopVote.client_seq),
        )
        stored = {int(participant): int(seq) for participant, seq in written}
        kept = {p.participant_id for p in votes if stored.get(p.participant_id) != p.client_seq}
        if kept:  # a replay or an older retry: what the participant has stored is the newer one
            rows = s.execute(
                select(WorkshopVote.participant_id, WorkshopVote.client_seq).where(
                    WorkshopVote.session_id == session_id,
                    WorkshopVote.item == item,
                    WorkshopVote.participant_id.in_(kept),
                )
            )
            stored.update({int(participant): int(seq) for participant, seq in rows})
        answers = [p for p in votes if p.is_question]
        if answers:  # a question's vote is also the participant's answer (§7)
            upsert_newer_many(
                s,
                AnswerRow,
                ("respondent_id", "question_id"),
                [
                    {
                        "respondent_id": p.respondent_id,
                        "question_id": item,
                        "value": p.value,
                        "client_seq": p.client_seq,
                        "updated_at": now,
                    }
                    for p in answers
                ],
            )
        version = s.scalar(  # last: the session's row is locked from here to the commit
            update(WorkshopSession)
            .where(
                WorkshopSession.id == session_id,
                WorkshopSession.phase == "voting",
                WorkshopSession.item == item,
            )
            .values(version=WorkshopSession.version + len(votes))
            .returning(WorkshopSession.version)
        )
        if version is None:
            raise _VotingClosed(key)
        for p in votes:
            p.stored = stored.get(p.participant_id, 0)
            p.version = int(version)


class _VotingClosed(Exception):
    def __init__(self, key: tuple[int, str]) -> None:
        super().__init__(key)
        self.key = key


def batcher() -> VoteBatcher:
    batcher = current_app.extensions.get("planner.votes")
    if batcher is None:
        batcher = current_app.extensions.setdefault(
            "planner.votes",
            VoteBatcher(current_app._get_current_object()),  # type: ignore[attr-defined]
        )
    return batcher  # type: ignore[no-any-return]
