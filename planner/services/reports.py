"""The PDF of an assessment: keyed by a hash of everything that shapes it, rendered as a background job
(never inside a transaction, never on the request path), served from a cache."""

from __future__ import annotations

import fcntl
import hashlib
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from flask import Flask

from planner import isolation
from planner.answers import dump_answers
from planner.jobs import Jobs, JobStatus
from planner.models import Assessment
from planner.report.content import Brand, build_report
from planner.report.pdf import REPORTS_DIR, html_to_pdf, render_html
from planner.services import NotFound, ServiceError
from planner.services import assessments as assessment_service

MEMORY_LIMIT = 2 * 1024 * 1024 * 1024
BACKGROUND_NICENESS = 10  # a render nobody waits for yields the CPU to those who do


def cache_folder(app: Flask) -> Path:
    return Path(app.instance_path) / "pdf-cache"


@lru_cache(maxsize=1)
def _template_version() -> str:
    digest = hashlib.sha256()
    for path in sorted(REPORTS_DIR.rglob("*")):
        if path.is_file():
            digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:16]


def report_key(
    assessment: Assessment, brand: Brand | None = None, today: date | None = None
) -> str:
    """A hash of the answers, targets, pinned model files, branding, date and report templates."""
    digest = hashlib.sha256()
    digest.update(dump_answers(assessment_service.as_answers(assessment)).encode())
    for f in assessment.files:
        digest.update(f.file_hash.encode())
    earlier = assessment_service.baseline_of(assessment)
    if earlier is not None:  # its roadmap and date shape the "due by now" list
        digest.update(dump_answers(assessment_service.as_answers(earlier, False)).encode())
        for f in earlier.files:
            digest.update(f.file_hash.encode())
    digest.update(
        repr((brand or Brand(), (today or date.today()).isoformat(), _template_version())).encode()
    )
    return digest.hexdigest()


def report_html(
    assessment: Assessment,
    brand: Brand | None = None,
    today: date | None = None,
    screen_css: str | None = None,
) -> str:
    loaded = assessment_service.loaded_of(assessment)  # with its baseline: progress to date
    return render_html(build_report(loaded, today, brand), screen_css=screen_css)


def _marker(target: Path, kind: str) -> Path:
    return target.with_suffix(f".{kind}")


def render_to_cache(html: str, target: str, timeout: float, background: bool = False) -> str:
    """The job: lay the HTML out in a child process with a time and memory limit, then publish it.

    Markers beside the PDF tell every web worker (and an RQ worker) how the render stands: `.lock`
    from the moment it is queued (`start` takes it) until it ends, `.failed` with the reason. A
    background render runs at low priority and one at a time on the host: it waits for the
    `background.lock` of the cache folder.
    """
    final = Path(target)
    lock, failed = _marker(final, "lock"), _marker(final, "failed")
    if final.exists():
        lock.unlink(missing_ok=True)
        return target
    partial = final.with_name(f"{final.stem}.{os.getpid()}.{threading.get_ident()}.part")
    try:
        with _one_at_a_time(final.parent / "background.lock") if background else nullcontext():
            isolation.run(
                html_to_pdf,
                (html, partial),
                timeout,
                MEMORY_LIMIT,
                BACKGROUND_NICENESS if background else 0,
            )
        partial.replace(final)
    except (isolation.Timeout, isolation.Failed) as exc:
        partial.unlink(missing_ok=True)
        reason = (
            f"the report took longer than {timeout:g} s to render"
            if isinstance(exc, isolation.Timeout)
            else f"the report could not be rendered ({exc})"
        )
        failed.write_text(reason, encoding="utf-8")
        raise ServiceError(reason) from None
    finally:
        lock.unlink(missing_ok=True)
    return target


@contextmanager
def _one_at_a_time(path: Path) -> Iterator[None]:
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)  # released when the file closes, or the process dies
        yield


@dataclass(frozen=True)
class Render:
    key: str
    path: Path
    status: JobStatus


def cached_path(cache_dir: Path, key: str) -> Path:
    return cache_dir / f"{key}.pdf"


def _state(path: Path, key: str, jobs: Jobs, timeout: float) -> JobStatus:
    """Where a render stands, read from the cache folder first (shared by every worker), then the backend."""
    if path.exists():
        return JobStatus(key, "done")
    lock = _marker(path, "lock")
    if lock.exists():
        if time.time() - lock.stat().st_mtime < timeout + 60:
            return JobStatus(key, "running")
        lock.unlink(missing_ok=True)  # left by a worker that died
    failed = _marker(path, "failed")
    if failed.exists():
        return JobStatus(key, "failed", failed.read_text(encoding="utf-8"))
    status = jobs.status(key)
    if status.state == "done":  # the backend finished, yet the file is not there
        return JobStatus(key, "failed", "the rendered file is missing")
    return status


def start(
    assessment: Assessment,
    cache_dir: Path,
    jobs: Jobs,
    timeout: float,
    brand: Brand | None = None,
    background: bool = False,
) -> Render:
    """Serve from the cache, or queue one render (a second click, in any worker, joins the first;
    a click during a background render waits for that render)."""
    key = report_key(assessment, brand)
    path = cached_path(cache_dir, key)
    current = _state(path, key, jobs, timeout)
    if current.state in ("done", "queued", "running"):
        return Render(key, path, current)
    cache_dir.mkdir(parents=True, exist_ok=True)
    try:  # the lock, taken atomically, makes this worker the one that queues the render
        os.close(os.open(_marker(path, "lock"), os.O_CREAT | os.O_EXCL | os.O_WRONLY))
    except FileExistsError:
        return Render(key, path, JobStatus(key, "running"))
    _marker(path, "failed").unlink(missing_ok=True)  # a retry
    try:
        html = report_html(assessment, brand)
        return Render(
            key,
            path,
            jobs.submit(
                key,
                render_to_cache,
                (html, str(path), timeout, background),
                timeout,
                background=background,
            ),
        )
    except Exception:
        _marker(path, "lock").unlink(missing_ok=True)
        raise


def progress(
    assessment: Assessment,
    key: str,
    cache_dir: Path,
    jobs: Jobs,
    timeout: float = 60,
    brand: Brand | None = None,
) -> Render:
    if key != report_key(assessment, brand):
        raise NotFound("This report has changed since; generate it again.")
    path = cached_path(cache_dir, key)
    status = _state(path, key, jobs, timeout)
    if status.state == "unknown":
        status = JobStatus(key, "queued")  # queued in another worker's pool, or about to be
    return Render(key, path, status)
