"""Web fixtures: an app on a fresh database per test, on SQLite and (when configured) PostgreSQL."""

from __future__ import annotations

import io
import os
import re
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from planner import create_app
from planner.extensions import db
from planner.models import Base

POSTGRES = os.environ.get("PLANNER_TEST_POSTGRES_URL")
BACKENDS = [
    "sqlite",
    pytest.param(
        "postgresql",
        marks=pytest.mark.skipif(not POSTGRES, reason="PLANNER_TEST_POSTGRES_URL is not set"),
    ),
]


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str]:
    """A throw-away PostgreSQL database for this test session."""
    assert POSTGRES
    name = f"planner_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(POSTGRES, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(POSTGRES).set(database=name).render_as_string(hide_password=False)
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.sqlite3'}"
        return
    url = request.getfixturevalue("postgres_database")
    engine = create_engine(url)
    Base.metadata.drop_all(engine)
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
    engine.dispose()
    yield url


@pytest.fixture
def app(database_url: str, tmp_path: Path) -> Iterator[Flask]:
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": database_url,
            "SECRET_KEY": "test-secret",
            "SERVER_NAME": "planner.test",
            "BASE_URL": "http://planner.test",
            "PRERENDER_SECONDS": None,  # tests/web/test_prerender.py turns it on
        }
    )
    app.instance_path = str(tmp_path / "instance")
    with app.app_context():
        Base.metadata.create_all(db.engine)
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|name="csrf-token" content="([^"]+)"')


def csrf_token(client: FlaskClient, page: str = "/login") -> str:
    html = client.get(page).get_data(as_text=True)
    match = TOKEN.search(html)
    assert match, f"no CSRF token on {page}"
    return match.group(1) or match.group(2)


class Actions:
    """What a consultant does, through the web pages."""

    def __init__(self, app: Flask, client: FlaskClient) -> None:
        self.app = app
        self.client = client

    def post(self, url: str, data: dict | None = None, **kwargs):  # type: ignore[no-untyped-def]
        data = dict(data or {})
        data.setdefault("csrf_token", csrf_token(self.client))
        return self.client.post(url, data=data, **kwargs)

    def sign_up(self, org: str = "Acme Consulting", email: str = "lan@acme.example") -> None:
        response = self.post(
            "/signup",
            {
                "organisation": org,
                "name": "Lan",
                "email": email,
                "password": "correct horse battery",
            },
        )
        assert response.status_code == 302, response.get_data(as_text=True)

    def new_client(self, name: str = "An Phát Retail") -> int:
        response = self.post("/clients", {"name": name})
        assert response.status_code == 302
        return int(response.headers["Location"].rsplit("/", 1)[1])

    def new_assessment(
        self, client_id: int, models: tuple[str, ...] = ("idic",), language: str = "en"
    ) -> int:
        response = self.post(
            "/assessments/new",
            {
                "client": str(client_id),
                "title": "CRM review",
                "language": language,
                "frameworks": list(models),
            },
        )
        assert response.status_code == 302, response.get_data(as_text=True)
        return int(response.headers["Location"].rsplit("/", 1)[1])

    def upload_answers(self, data: bytes, name: str):  # type: ignore[no-untyped-def]
        """POST an answers file to the import page."""
        return self.post(
            "/assessments/import",
            {"file": (io.BytesIO(data), name)},
            content_type="multipart/form-data",
        )

    def import_assessment(self, data: bytes, name: str) -> int:
        response = self.upload_answers(data, name)
        assert response.status_code == 302, response.get_data(as_text=True)
        return int(response.headers["Location"].rsplit("/", 1)[1])

    def invite(self, assessment_id: int, name: str = "Minh", role: str = "executive") -> str:
        response = self.post(
            f"/assessments/{assessment_id}/respondents", {"name": name, "role": role}
        )
        assert response.status_code == 302
        page = self.client.get(f"/assessments/{assessment_id}").get_data(as_text=True)
        links = re.findall(r'value="(https?://[^"]+/r/[^"]+)"', page)
        assert links, "the new link is shown once"
        return links[-1]


@pytest.fixture
def consultant(app: Flask, client: FlaskClient) -> Actions:
    actions = Actions(app, client)
    actions.sign_up()
    return actions
