"""Content-addressed copies of model files: what an assessment was scored with, forever."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from planner.models.base import Base, utcnow


class StoredFile(Base):
    __tablename__ = "stored_files"

    hash: Mapped[str] = mapped_column(String(64), primary_key=True)  # sha256 of data
    name: Mapped[str] = mapped_column(String(200))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CustomFramework(Base):
    """A model uploaded by a consultancy; visible to that consultancy only."""

    __tablename__ = "custom_frameworks"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    framework_id: Mapped[str] = mapped_column(String(80))
    file_hash: Mapped[str] = mapped_column(ForeignKey("stored_files.hash"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
