"""An assessment's moves from one version of a model to another: what moved, who moved it, when."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from planner.models.base import Base, utcnow


class ModelMove(Base):
    """The pinned file at `position` replaced: from_* before, to_* after. An undo is a move too,
    back again, naming the move it reverses; library files that had to move with the model
    (scales, initiatives, crosswalk) are listed in `library`."""

    __tablename__ = "model_moves"

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id"), index=True)
    framework_id: Mapped[str] = mapped_column(String(80))
    position: Mapped[int] = mapped_column(Integer)  # the AssessmentFile it replaced
    from_name: Mapped[str] = mapped_column(String(200))
    to_name: Mapped[str] = mapped_column(String(200))
    from_hash: Mapped[str] = mapped_column(String(64))
    to_hash: Mapped[str] = mapped_column(String(64))
    from_version: Mapped[str] = mapped_column(String(40))
    to_version: Mapped[str] = mapped_column(String(40))
    # [{"position", "kind", "from_name", "to_name", "from_hash", "to_hash"}, ...]
    library: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    reverts_id: Mapped[int | None] = mapped_column(ForeignKey("model_moves.id"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
