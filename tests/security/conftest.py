"""The web fixtures (an app per test on SQLite and, when configured, PostgreSQL) for the security
suites, and a snapshot of everything saved, to prove that a refused request changed nothing."""

from typing import Any

from sqlalchemy import select

from planner.extensions import db
from planner.models import Base
from tests.web.conftest import (  # noqa: F401  (pytest finds fixtures by name)
    app,
    client,
    consultant,
    database_url,
    postgres_database,
)


def snapshot() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (inside an app context)."""
    out = {}
    for table in Base.metadata.sorted_tables:
        rows = db.session.execute(select(table)).all()
        out[table.name] = sorted((tuple(map(repr, row)) for row in rows), key=repr)
    db.session.rollback()
    return out
