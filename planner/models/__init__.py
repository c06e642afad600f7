"""SQLAlchemy models, one module per aggregate. Models never commit: services do."""

from planner.models.accounts import Organisation, User, UserSession
from planner.models.assessments import (
    AgreedLevel,
    AnswerRow,
    Assessment,
    AssessmentFile,
    ImportanceRating,
    Respondent,
    ShareLink,
)
from planner.models.base import Base
from planner.models.clients import Client
from planner.models.mail import MailSend
from planner.models.snapshots import CustomFramework, StoredFile
from planner.models.versions import ModelMove
from planner.models.workshops import WorkshopParticipant, WorkshopSession, WorkshopVote

__all__ = [
    "AgreedLevel",
    "AnswerRow",
    "Assessment",
    "AssessmentFile",
    "Base",
    "Client",
    "CustomFramework",
    "ImportanceRating",
    "MailSend",
    "ModelMove",
    "Organisation",
    "Respondent",
    "ShareLink",
    "StoredFile",
    "User",
    "UserSession",
    "WorkshopParticipant",
    "WorkshopSession",
    "WorkshopVote",
]
