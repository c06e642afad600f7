"""The web fixtures (an app per test on SQLite and, when configured, PostgreSQL) for the security suites."""

from tests.web.conftest import (  # noqa: F401  (pytest finds fixtures by name)
    app,
    client,
    consultant,
    database_url,
    postgres_database,
)
