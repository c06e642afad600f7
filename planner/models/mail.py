"""Every e-mail the planner tried to send: to whom, what kind, when, and whether the server took it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from planner.models.base import Base, utcnow

KINDS = ("invitation", "reminder", "colleague")


class MailSend(Base):
    """One message handed to the SMTP server (`ok`) or refused by it (`error`, in words).

    A colleague invitation belongs to the consultancy only; invitations and reminders to an
    assessment and its respondent. Deleting the assessment deletes its sends; deleting a
    respondent keeps the send with no respondent.
    """

    __tablename__ = "mail_sends"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    assessment_id: Mapped[int | None] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), index=True
    )
    respondent_id: Mapped[int | None] = mapped_column(
        ForeignKey("respondents.id", ondelete="SET NULL"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # None: `planner reminders`
    kind: Mapped[str] = mapped_column(String(20))  # invitation | reminder | colleague
    recipient: Mapped[str] = mapped_column(String(320))
    language: Mapped[str] = mapped_column(String(5))
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)
    ok: Mapped[bool]
    error: Mapped[str | None] = mapped_column(Text)
