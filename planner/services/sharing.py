"""Read-only links for the client team: expiring, revocable, the token stored hashed."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select

from planner.database import transaction
from planner.extensions import db
from planner.models import Assessment, ShareLink
from planner.models.base import utcnow
from planner.services import Gone, NotFound, ServiceError
from planner.services import assessments as assessment_service
from planner.services.assessments import hash_token


@dataclass(frozen=True)
class NewLink:
    link: ShareLink
    token: str


def create(organisation_id: int, assessment_id: int, days: int = 30) -> NewLink:
    if not 1 <= days <= 365:
        raise ServiceError("A share link lives between 1 and 365 days.")
    token = secrets.token_urlsafe(24)
    with transaction() as session:
        assessment = assessment_service.get(organisation_id, assessment_id)
        link = ShareLink(
            assessment_id=assessment.id,
            token_hash=hash_token(token),
            expires_at=utcnow() + timedelta(days=days),
        )
        session.add(link)
    return NewLink(link, token)


def links(assessment: Assessment) -> list[ShareLink]:
    return list(
        db.session.scalars(
            select(ShareLink).where(ShareLink.assessment_id == assessment.id).order_by(ShareLink.id)
        )
    )


def revoke(organisation_id: int, link_id: int) -> ShareLink:
    with transaction():
        link = db.session.get(ShareLink, link_id)
        if link is None:
            raise NotFound("No such link.")
        assessment_service.get(organisation_id, link.assessment_id)  # 404 for another consultancy
        link.revoked_at = utcnow()
    return link


def _live(link: ShareLink | None) -> ShareLink:
    if link is None:
        raise NotFound("This link is not valid.")
    if link.revoked_at is not None:
        raise Gone("This link has been withdrawn. Ask your consultant for a new one.")
    if link.expires_at < utcnow():
        raise Gone("This link has expired. Ask your consultant for a new one.")
    return link


def link_for(token: str) -> ShareLink:
    """The live link a token names: 404 when forged, 410 when withdrawn or expired."""
    return _live(
        db.session.scalars(
            select(ShareLink).where(ShareLink.token_hash == hash_token(token[:200]))
        ).first()
    )


def assessment_of_link(link_id: int, key: str) -> Assessment:
    """The assessment a browser that opened a share link may read, while the link lives."""
    link = _live(db.session.get(ShareLink, link_id))
    if not key or link.token_hash[:16] != key:
        raise NotFound("This link is not valid.")
    assessment = db.session.get(Assessment, link.assessment_id)
    if assessment is None:
        raise NotFound("This link is not valid.")
    return assessment
