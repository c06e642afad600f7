"""Reports rendered before anyone asks (DESIGN §12): once an assessment's answers, targets or
roadmap have been still for PRERENDER_SECONDS, its report is rendered into the cache, so "download"
after the answers settle is served at once.

Each change postpones the render; one background render runs at a time on a host, at low CPU
priority (`reports.render_to_cache`), and a person's own click always goes first.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable

from flask import Flask, current_app, has_app_context

log = logging.getLogger(__name__)

EXTENSION = "planner.prerender"


class Prerenderer:
    """A debounce per assessment: `touch` (re)sets its due time, one thread renders what is due."""

    def __init__(self, delay: float, render: Callable[[int], None]) -> None:
        self.delay = delay
        self._render = render
        self._due: dict[int, float] = {}
        self._cond = threading.Condition()
        self._thread: threading.Thread | None = None
        self._pid = 0

    def touch(self, assessment_id: int) -> None:
        with self._cond:
            self._due[assessment_id] = time.monotonic() + self.delay
            if self._thread is None or self._pid != os.getpid():  # none yet, or forked since
                self._pid = os.getpid()
                self._thread = threading.Thread(
                    target=self._loop, name="planner-prerender", daemon=True
                )
                self._thread.start()
            self._cond.notify()

    def pending(self) -> dict[int, float]:
        """Assessment id -> seconds until its render starts."""
        with self._cond:
            now = time.monotonic()
            return {k: max(due - now, 0.0) for k, due in self._due.items()}

    def _next(self) -> int:
        with self._cond:
            while True:
                now = time.monotonic()
                due = min(self._due.items(), key=lambda item: item[1], default=None)
                if due is not None and due[1] <= now:
                    del self._due[due[0]]
                    return due[0]
                self._cond.wait(None if due is None else due[1] - now)

    def _loop(self) -> None:
        while True:
            assessment_id = self._next()
            try:
                self._render(assessment_id)
            except Exception:  # a render that fails is reported when someone asks for it
                log.warning(
                    "background render of assessment %s failed", assessment_id, exc_info=True
                )


def render_in(app: Flask) -> Callable[[int], None]:
    """Queue the report of an assessment as a background job, unless it is cached or under way."""

    def render(assessment_id: int) -> None:
        from planner import jobs
        from planner.extensions import db
        from planner.models import Assessment
        from planner.services import branding, reports

        with app.app_context():
            assessment = db.session.get(Assessment, assessment_id)
            if assessment is None:
                return
            reports.start(
                assessment,
                reports.cache_folder(app),
                jobs.for_app(app.config, app.extensions),
                float(app.config["PDF_TIMEOUT"]),
                branding.brand_of(assessment.organisation_id),
                background=True,
            )

    return render


def install(app: Flask) -> None:
    delay = app.config.get("PRERENDER_SECONDS")
    if delay is not None and float(delay) >= 0:
        app.extensions[EXTENSION] = Prerenderer(float(delay), render_in(app))


def changed(assessment_id: int) -> None:
    """What the assessment's report shows has changed (call once the change is committed)."""
    if has_app_context():
        prerenderer = current_app.extensions.get(EXTENSION)
        if prerenderer is not None:
            prerenderer.touch(assessment_id)
