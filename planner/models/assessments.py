"""An assessment, its pinned model files, its respondents and their answers."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from planner.models.base import Base, utcnow


class Assessment(Base):
    __tablename__ = "assessments"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(5), default="en")
    # open | closed (for answers): there is no draft, the links work from creation (0009)
    status: Mapped[str] = mapped_column(String(10), default="open")
    framework_ids: Mapped[list[str]] = mapped_column(JSON)
    targets: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    max_parallel: Mapped[int] = mapped_column(Integer, default=3)
    # The rest of the answers file's `roadmap:` (horizon, phases, drop, add, change) in its form
    roadmap: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # What a workshop said about an agreed level or target, by question or dimension id
    notes: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    deadline: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None]  # the last time it closed: a later re-assessment's start
    archived_at: Mapped[datetime | None]  # archived: hidden from the dashboard by default
    # The content hash of the answers file it was imported from (a re-import offers to update it)
    import_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    # Re-assessment (DESIGN §5 "Progress to date"): the earlier assessment it is measured against,
    # or, for an imported file whose baseline was a mapping, those dimension scores
    baseline_id: Mapped[int | None] = mapped_column(ForeignKey("assessments.id"))
    baseline_scores: Mapped[dict[str, float] | None] = mapped_column(JSON)
    files: Mapped[list[AssessmentFile]] = relationship(
        order_by="AssessmentFile.position", cascade="all, delete-orphan"
    )
    respondents: Mapped[list[Respondent]] = relationship(
        back_populates="assessment", order_by="Respondent.id", cascade="all, delete-orphan"
    )


class AssessmentFile(Base):
    """One model file pinned by an assessment at creation."""

    __tablename__ = "assessment_files"

    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id"), primary_key=True)
    position: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(
        String(20)
    )  # framework | scales | initiatives | crosswalk | custom
    name: Mapped[str] = mapped_column(String(200))
    file_hash: Mapped[str] = mapped_column(ForeignKey("stored_files.hash"))


class Respondent(Base):
    __tablename__ = "respondents"

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str | None] = mapped_column(String(100))
    email: Mapped[str | None] = mapped_column(String(320))
    language: Mapped[str | None] = mapped_column(String(5))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    token_expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
    opened_at: Mapped[datetime | None]  # the first time the link was opened
    started_at: Mapped[datetime | None]  # the first answer
    submitted_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    assessment: Mapped[Assessment] = relationship(back_populates="respondents")
    answers: Mapped[list[AnswerRow]] = relationship(cascade="all, delete-orphan")


class AnswerRow(Base):
    """A respondent's answer to one question: the last one acknowledged wins, by client sequence."""

    __tablename__ = "answers"
    __table_args__ = (UniqueConstraint("respondent_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    respondent_id: Mapped[int] = mapped_column(ForeignKey("respondents.id"), index=True)
    question_id: Mapped[str] = mapped_column(String(250))
    value: Mapped[str | None] = mapped_column(String(10))  # "1".."5", "na", "unknown", or None
    comment: Mapped[str | None] = mapped_column(Text)
    client_seq: Mapped[int] = mapped_column(BigInteger, default=0)  # a browser's Date.now()
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class ShareLink(Base):
    """A read-only, expiring, revocable link for the client team: results summary and the PDF."""

    __tablename__ = "share_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ImportanceRating(Base):
    """How important a respondent rates a dimension (1–5): weighs its priority in the roadmap."""

    __tablename__ = "importance_ratings"
    __table_args__ = (UniqueConstraint("respondent_id", "dimension_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    respondent_id: Mapped[int] = mapped_column(ForeignKey("respondents.id"), index=True)
    dimension_id: Mapped[str] = mapped_column(String(200))
    value: Mapped[int | None] = mapped_column(Integer)  # None: the rating was cleared
    client_seq: Mapped[int] = mapped_column(BigInteger, default=0)


class AgreedLevel(Base):
    """The level a workshop agreed for a question: it replaces the mean of the answers."""

    __tablename__ = "agreed_levels"
    __table_args__ = (UniqueConstraint("assessment_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id"), index=True)
    question_id: Mapped[str] = mapped_column(String(250))
    value: Mapped[str] = mapped_column(String(10))  # a level, or "na"
