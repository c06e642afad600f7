"""Report jobs on both backends, share links for the client team, and the consultancy's branding."""

from __future__ import annotations

import io
import os
import re
import time
from datetime import timedelta

import pytest
from PIL import Image
from sqlalchemy import select

from planner.extensions import db
from planner.jobs import InProcessJobs, RQJobs
from planner.models import ShareLink
from planner.models.base import utcnow
from tests.web.conftest import Actions

REDIS = os.environ.get("PLANNER_TEST_REDIS_URL")
CALLS: list[str] = []


def count(tag: str) -> str:
    CALLS.append(tag)
    time.sleep(0.2)
    return tag


def explode(tag: str) -> str:
    raise RuntimeError(f"boom {tag}")


def wait(jobs, job_id: str) -> str:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        state = jobs.status(job_id).state
        if state in ("done", "failed"):
            return state
        time.sleep(0.05)
    raise AssertionError("job did not finish")


def test_in_process_jobs_run_once_per_id_and_report_failures():
    jobs = InProcessJobs()
    CALLS.clear()
    first = jobs.submit("same", count, ("a",), 5)
    second = jobs.submit("same", count, ("a",), 5)  # a second click while the first runs
    assert first.id == second.id
    assert wait(jobs, "same") == "done"
    assert CALLS == ["a"]
    jobs.submit("bad", explode, ("x",), 5)
    assert wait(jobs, "bad") == "failed"
    assert "boom x" in jobs.status("bad").error
    jobs.submit("bad", count, ("retry",), 5)  # a retry after a failure runs again
    assert wait(jobs, "bad") == "done"
    assert jobs.status("nothing").state == "unknown"


@pytest.mark.skipif(not REDIS, reason="PLANNER_TEST_REDIS_URL is not set")
def test_rq_jobs_on_redis():
    from rq import SimpleWorker

    jobs = RQJobs(REDIS)
    tag = f"t{time.time_ns()}"
    assert jobs.submit(tag, count, ("rq",), 5).state == "queued"
    assert jobs.submit(tag, count, ("rq",), 5).state == "queued"  # joins the queued job
    assert len(jobs.queue) >= 1
    jobs.submit(tag + "-bad", explode, ("rq",), 5)
    SimpleWorker([jobs.queue], connection=jobs.connection).work(burst=True)
    assert jobs.status(tag).state == "done"
    failed = jobs.status(tag + "-bad")
    assert failed.state == "failed"
    assert "boom rq" in failed.error
    jobs.submit(tag + "-bad", count, ("again",), 5)  # retried
    SimpleWorker([jobs.queue], connection=jobs.connection).work(burst=True)
    assert jobs.status(tag + "-bad").state == "done"


def share_link(consultant, assessment_id: int) -> str:
    consultant.post(f"/assessments/{assessment_id}/share")
    page = consultant.client.get(f"/assessments/{assessment_id}").get_data(as_text=True)
    return (
        re.search(r'value="(http[^"]+/s/[^"]+)"', page).group(1).replace("http://planner.test", "")
    )


def test_share_link_shows_results_and_can_be_revoked_or_expire(app, consultant):
    client_id = consultant.new_client("Shared Co")
    assessment_id = consultant.new_assessment(client_id, ("idic",))
    link = share_link(consultant, assessment_id)
    team = app.test_client()
    entered = team.get(link)
    assert entered.status_code == 302
    assert entered.headers["Location"] == "/shared"  # the token leaves the address bar and logs
    page = team.get("/shared")
    assert page.status_code == 200
    assert "Shared Co" in page.get_data(as_text=True)
    assert "<svg" in page.get_data(as_text=True)
    assert app.test_client().get("/shared").status_code == 404  # the cookie, not the address
    with app.app_context():
        share = db.session.scalars(select(ShareLink)).first()
        share.expires_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
    assert team.get(link).status_code == 410
    assert team.get("/shared").status_code == 410  # the cookie dies with the link
    with app.app_context():
        share = db.session.scalars(select(ShareLink)).first()
        share.expires_at = utcnow() + timedelta(days=1)
        db.session.commit()
        share_id = share.id
    intruder = Actions(app, app.test_client())
    intruder.sign_up("Other", "x@other.example")
    assert intruder.post(f"/share-links/{share_id}/revoke").status_code == 404
    assert consultant.post(f"/share-links/{share_id}/revoke").status_code == 302
    assert team.get(link).status_code == 410
    assert team.get("/shared").status_code == 410
    assert team.get("/s/forged-token").status_code == 404


@pytest.mark.slow
def test_share_link_downloads_the_pdf(app, consultant):
    client_id = consultant.new_client("Shared PDF Co")
    assessment_id = consultant.new_assessment(client_id, ("idic",))
    link = share_link(consultant, assessment_id)
    team = app.test_client()
    assert team.get(link + "/report.pdf").headers["Location"] == "/shared/report.pdf"
    first = team.get("/shared/report.pdf")
    assert first.status_code in (200, 202)
    deadline = time.monotonic() + 60
    response = first
    while response.status_code == 202 and time.monotonic() < deadline:
        time.sleep(0.3)
        response = team.get("/shared/report.pdf")
    assert response.status_code == 200
    assert response.data.startswith(b"%PDF")


def png(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 60)).save(out, format="PNG")
    return out.getvalue()


def test_branding_is_validated_and_shown(app, consultant):
    ok = consultant.post(
        "/settings/branding",
        {
            "name": "Hải Đăng Advisory",
            "colour": "#7A1F3D",
            "logo": (io.BytesIO(png(120, 40)), "logo.png"),
        },
        content_type="multipart/form-data",
    )
    assert ok.status_code == 302
    assert "#7a1f3d" in consultant.client.get("/settings/brand.css").get_data(as_text=True)
    page = consultant.client.get("/settings/branding").get_data(as_text=True)
    assert "data:image/png;base64," in page
    for bad in (
        {"name": "X", "colour": "red; background: url(x)"},
        {"name": "X", "logo": (io.BytesIO(b"<svg onload=alert(1)>"), "logo.svg")},
        {"name": "X", "logo": (io.BytesIO(png(3000, 3000)), "huge.png")},
        {"name": ""},
    ):
        response = consultant.post("/settings/branding", bad, content_type="multipart/form-data")
        assert response.status_code == 400, bad
    client_id = consultant.new_client()
    assessment_id = consultant.new_assessment(client_id, ("idic",))
    preview = consultant.client.get(f"/assessments/{assessment_id}/report.html").get_data(
        as_text=True
    )
    assert "Hải Đăng Advisory" in preview
    assert "--accent: #7a1f3d" in preview
    assert 'src="data:image/png;base64,' in preview


class RecordingJobs:
    """A job backend that records what it is asked to run (and runs nothing)."""

    def __init__(self) -> None:
        self.submitted: list[str] = []

    def submit(self, job_id, func, args, timeout, background=False):
        from planner.jobs import JobStatus

        self.submitted.append(job_id)
        return JobStatus(job_id, "queued")

    def status(self, job_id):
        from planner.jobs import JobStatus

        return JobStatus(job_id, "queued" if job_id in self.submitted else "unknown")


def test_a_cache_hit_does_not_render(app, consultant, tmp_path):
    from planner.models import Assessment
    from planner.services import reports

    client_id = consultant.new_client()
    assessment_id = consultant.new_assessment(client_id, ("idic",))
    jobs = RecordingJobs()
    with app.app_context():
        assessment = db.session.get(Assessment, assessment_id)
        first = reports.start(assessment, tmp_path, jobs, 30)
        again = reports.start(assessment, tmp_path, jobs, 30)  # a second click while queued
        assert jobs.submitted == [first.key]
        assert again.status.state in ("queued", "running")
        first.path.write_bytes(b"%PDF-cached")
        hit = reports.start(assessment, tmp_path, jobs, 30)
        assert hit.status.state == "done"
        assert jobs.submitted == [first.key]


@pytest.mark.slow
def test_two_web_workers_share_one_render(app, consultant, tmp_path):
    """Gunicorn runs several workers: a render started in one is seen, and not repeated, by another."""
    from planner.models import Assessment
    from planner.services import reports

    client_id = consultant.new_client()
    assessment_id = consultant.new_assessment(client_id, ("idic",))
    first_worker, second_worker = InProcessJobs(), RecordingJobs()
    with app.app_context():
        assessment = db.session.get(Assessment, assessment_id)
        started = reports.start(assessment, tmp_path, first_worker, 60)
        deadline = time.monotonic() + 60
        seen = set()
        while time.monotonic() < deadline:
            other = reports.progress(assessment, started.key, tmp_path, second_worker, 60)
            seen.add(other.status.state)
            again = reports.start(assessment, tmp_path, second_worker, 60)
            assert second_worker.submitted == [], "the second worker rendered again"
            seen.add(again.status.state)
            if "done" in (other.status.state, again.status.state):
                break  # the render may finish between the two calls
            assert again.status.state in ("queued", "running")
            time.sleep(0.1)
        assert "done" in seen
        assert started.path.exists()
        assert not list(tmp_path.glob("*.lock"))
