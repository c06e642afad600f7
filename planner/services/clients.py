"""A consultancy's clients. Every query is scoped by the consultancy."""

from __future__ import annotations

from sqlalchemy import select

from planner.database import transaction
from planner.extensions import db
from planner.models import Client
from planner.services import NotFound


def create(organisation_id: int, name: str, sector: str | None = None) -> Client:
    with transaction() as session:
        client = Client(
            organisation_id=organisation_id,
            name=name.strip(),
            sector=(sector or "").strip() or None,
        )
        session.add(client)
    return client


def listing(organisation_id: int) -> list[Client]:
    return list(
        db.session.scalars(
            select(Client).where(Client.organisation_id == organisation_id).order_by(Client.name)
        )
    )


def get(organisation_id: int, client_id: int) -> Client:
    client = db.session.get(Client, client_id)
    if client is None or client.organisation_id != organisation_id:
        raise NotFound("No such client.")
    return client
