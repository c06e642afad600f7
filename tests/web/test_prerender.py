"""Reports rendered in the background once the answers settle (DESIGN §12): the download that follows
is served from the cache, with no render of its own."""

from __future__ import annotations

import time

import pytest

from planner.services import prerender, reports
from planner.services.branding import brand_of
from tests.web.test_respond import Q1, open_link, respondent_client, save


def cached(app, assessment_id: int):
    from planner.extensions import db
    from planner.models import Assessment

    with app.app_context():
        assessment = db.session.get(Assessment, assessment_id)
        key = reports.report_key(assessment, brand_of(assessment.organisation_id))
        return reports.cached_path(reports.cache_folder(app), key)


@pytest.mark.slow
def test_an_answer_is_followed_by_a_background_render_and_a_cached_download(app, consultant):
    app.config["PRERENDER_SECONDS"] = 0.5
    prerender.install(app)
    assessment_id, link = open_link(consultant)
    browser = respondent_client(app, link)
    assert save(browser, Q1, "3", 1).status_code == 200
    path = cached(app, assessment_id)
    assert not path.exists()
    pending = app.extensions[prerender.EXTENSION].pending()
    assert 0 < pending[assessment_id] <= 0.5  # waits for the answers to settle
    deadline = time.monotonic() + 90
    while not path.exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert path.exists(), "no background render"
    response = consultant.client.get(f"/assessments/{assessment_id}/report.pdf")
    assert response.status_code == 200  # not a redirect to a job: from the cache
    assert response.mimetype == "application/pdf"
    assert response.data == path.read_bytes()


def test_each_change_postpones_the_render_and_each_assessment_renders_once():
    rendered: list[tuple[int, float]] = []
    pre = prerender.Prerenderer(0.3, lambda aid: rendered.append((aid, time.monotonic())))
    started = time.monotonic()
    pre.touch(1)
    time.sleep(0.2)
    pre.touch(1)  # a second answer before the first render: the render waits again
    pre.touch(2)
    last = time.monotonic()
    time.sleep(0.8)
    assert sorted(aid for aid, _ in rendered) == [1, 2]
    assert all(at >= last + 0.29 for _, at in rendered)
    assert started + 0.49 <= min(at for _, at in rendered)
    assert pre.pending() == {}


def test_a_failing_render_does_not_stop_the_next():
    rendered: list[int] = []

    def render(aid: int) -> None:
        if aid == 1:
            raise RuntimeError("boom")
        rendered.append(aid)

    pre = prerender.Prerenderer(0.05, render)
    pre.touch(1)
    time.sleep(0.2)
    pre.touch(2)
    time.sleep(0.3)
    assert rendered == [2]


def test_a_background_render_runs_at_low_priority():
    import os

    from planner import isolation

    mine = os.nice(0)
    child = isolation.run(os.nice, (0,), 10, reports.MEMORY_LIMIT, reports.BACKGROUND_NICENESS)
    assert child == min(mine + reports.BACKGROUND_NICENESS, 19)
