"""A live workshop on an assessment: its session (join code, phase, current item) and the votes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from planner.models.base import Base, utcnow


class WorkshopSession(Base):
    """One workshop: the state of planner.engine.workshop.WorkshopState, and the agenda it started with.

    `version` rises on every change (a control or a vote): the state's ETag is built from it.
    """

    __tablename__ = "workshop_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id"), index=True)
    code: Mapped[str] = mapped_column(String(6), unique=True)  # never reused
    phase: Mapped[str] = mapped_column(String(10), default="waiting")
    position: Mapped[int | None] = mapped_column(Integer)
    item: Mapped[str | None] = mapped_column(String(250))
    version: Mapped[int] = mapped_column(BigInteger, default=1)
    agreed: Mapped[str | None] = mapped_column(String(10))
    note: Mapped[str | None] = mapped_column(Text)
    agenda: Mapped[list[str]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None]


class WorkshopParticipant(Base):
    """Someone who joined from a phone: a respondent of the assessment, in this session."""

    __tablename__ = "workshop_participants"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("workshop_sessions.id"), index=True)
    respondent_id: Mapped[int] = mapped_column(ForeignKey("respondents.id"), unique=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)  # the browser's cookie
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class WorkshopVote(Base):
    """A participant's vote on an item (a question's vote is also their answer to it)."""

    __tablename__ = "workshop_votes"
    __table_args__ = (UniqueConstraint("session_id", "participant_id", "item"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("workshop_sessions.id"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("workshop_participants.id"))
    item: Mapped[str] = mapped_column(String(250))
    value: Mapped[str] = mapped_column(String(10))  # a level, "na" or "unknown"
    client_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
