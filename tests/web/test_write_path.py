"""The write path stays short (issue 15): answers are checked against the pinned catalog before the
write lock is taken, and a new app builds the pinned catalogs before its first request."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from planner import create_app, database
from planner.extensions import db
from planner.models import Assessment
from planner.services import assessments as assessment_service
from planner.services import catalog as catalog_service
from tests.web.conftest import csrf_token
from tests.web.test_respond import Q1, open_link, respondent_client, save

TINY = Path(__file__).parents[1] / "data" / "catalog" / "tiny.yaml"


@pytest.fixture
def builds(monkeypatch):
    """Every catalog build from now on, with whether it ran inside a write transaction."""
    inside: list[bool] = []
    real = catalog_service.build_catalog

    def build(sources):  # type: ignore[no-untyped-def]
        inside.append(database._writing.get())
        return real(sources)

    monkeypatch.setattr(catalog_service, "build_catalog", build)
    catalog_service._catalogs.clear()  # as in a worker that has built nothing yet
    return inside


def test_an_autosave_checks_its_answer_before_the_write_lock(app, consultant, builds):
    _, link = open_link(consultant)
    browser = respondent_client(app, link)
    builds.clear()
    catalog_service._catalogs.clear()
    assert save(browser, Q1, "3", 1).status_code == 200
    assert builds == [False]  # built once, and not while holding the write lock


def test_an_importance_rating_checks_its_topic_before_the_write_lock(app, consultant, builds):
    _, link = open_link(consultant)
    browser = respondent_client(app, link)
    token = csrf_token(browser, "/respond/page/1")
    builds.clear()
    catalog_service._catalogs.clear()
    response = browser.post(
        "/respond/importance",
        json={"dimension": "idic.identify", "value": "4", "client_seq": 1},
        headers={"X-CSRFToken": token},
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    assert builds == [False]


def test_a_new_app_builds_the_catalogs_open_assessments_pinned(app, consultant, builds):
    model = TINY.read_text(encoding="utf-8")
    model = model.replace("id: tiny", "id: our-tiny").replace("scale: five", "scale: crm-5")
    uploaded = consultant.post(
        "/catalog/upload",
        {"file": (io.BytesIO(model.encode()), "our-tiny.yaml")},
        content_type="multipart/form-data",
    )
    assert uploaded.status_code == 200
    assessment_id, _ = open_link(consultant, ("our-tiny", "idic"))
    with app.app_context():
        assessment = db.session.get(Assessment, assessment_id)
        assessment.status = "open"
        db.session.commit()
        pinned = tuple((f.kind, f.name, f.file_hash) for f in assessment.files)
    assert any(kind == "custom" for kind, _, _ in pinned)  # not the shipped set alone
    catalog_service._catalogs.clear()
    builds.clear()

    fresh = create_app(dict(app.config))
    assert pinned in catalog_service._catalogs  # the open assessment's catalog, before any request
    assert len(builds) == 2  # the shipped catalog (from disk) and the pinned one
    with fresh.app_context():
        catalog = assessment_service.catalog_of(db.session.get(Assessment, assessment_id))
    assert catalog.has_framework("our-tiny")
    assert len(builds) == 2  # served from what was built
    with fresh.app_context():
        db.engine.dispose()


def test_a_new_app_starts_before_the_database_is_migrated(tmp_path, builds):
    fresh = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}",
            "SECRET_KEY": "test",
        }
    )
    assert len(builds) == 1  # the shipped catalog, and no query of tables that are not there yet
    with fresh.app_context():
        db.engine.dispose()
