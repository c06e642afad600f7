"""The migrations build the schema from empty, on SQLite and PostgreSQL, and match the models."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect

from planner.migrate import upgrade
from planner.models import Base


def test_upgrade_from_empty_matches_the_models(database_url):
    upgrade(database_url)
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            tables = set(inspect(conn).get_table_names())
            assert {
                "organisations",
                "users",
                "clients",
                "assessments",
                "respondents",
                "answers",
                "stored_files",
            } <= tables
            diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
        assert diff == [], f"models and migrations differ; add a migration: {diff}"
        upgrade(database_url)  # running it again changes nothing
    finally:
        engine.dispose()
