"""Background jobs for PDF renders: in-process by default, RQ on Redis when PLANNER_REDIS_URL is set.

A job's id is the hash of what it produces, so two clicks on "generate" never render twice: while a job
with that id is queued or running, submitting it again returns the same job.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Literal, Protocol

State = Literal["queued", "running", "done", "failed", "unknown"]


@dataclass(frozen=True)
class JobStatus:
    id: str
    state: State
    error: str | None = None


class Jobs(Protocol):
    def submit(
        self,
        job_id: str,
        func: Callable[..., Any],
        args: tuple[Any, ...],
        timeout: float,
        background: bool = False,
    ) -> JobStatus: ...

    def status(self, job_id: str) -> JobStatus: ...


class InProcessJobs:
    """A small thread pool; each render itself runs in a child process with its limits (planner.isolation).

    Background jobs (renders nobody has asked for yet) have a pool of one thread of their own, so
    they run one at a time and never hold up a render a person is waiting for.
    """

    def __init__(self, workers: int = 2) -> None:
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="planner-job")
        self._background = ThreadPoolExecutor(max_workers=1, thread_name_prefix="planner-bg")
        self._futures: dict[str, Future[Any]] = {}
        self._running: set[str] = set()
        self._lock = threading.Lock()

    def submit(
        self,
        job_id: str,
        func: Callable[..., Any],
        args: tuple[Any, ...],
        timeout: float,
        background: bool = False,
    ) -> JobStatus:
        with self._lock:
            current = self._futures.get(job_id)
            if current is not None and not current.done():
                return self._status(job_id, current)
            pool = self._background if background else self._pool
            self._futures[job_id] = pool.submit(self._run, job_id, func, args)
            return self._status(job_id, self._futures[job_id])

    def _run(self, job_id: str, func: Callable[..., Any], args: tuple[Any, ...]) -> Any:
        with self._lock:
            self._running.add(job_id)
        try:
            return func(*args)
        finally:
            with self._lock:
                self._running.discard(job_id)

    def status(self, job_id: str) -> JobStatus:
        with self._lock:
            future = self._futures.get(job_id)
            return JobStatus(job_id, "unknown") if future is None else self._status(job_id, future)

    def _status(self, job_id: str, future: Future[Any]) -> JobStatus:
        if not future.done():
            return JobStatus(job_id, "running" if job_id in self._running else "queued")
        error = future.exception()
        if error is not None:
            return JobStatus(job_id, "failed", str(error) or type(error).__name__)
        return JobStatus(job_id, "done")


class RQJobs:
    """Jobs on Redis, run by `planner worker` (an RQ worker on the `reports` queue)."""

    QUEUE = "reports"

    def __init__(self, url: str) -> None:
        from redis import Redis
        from rq import Queue

        self.connection = Redis.from_url(url)
        self.queue = Queue(self.QUEUE, connection=self.connection)

    def submit(
        self,
        job_id: str,
        func: Callable[..., Any],
        args: tuple[Any, ...],
        timeout: float,
        background: bool = False,
    ) -> JobStatus:
        """Background jobs join the same queue (a worker runs one job at a time); the render
        itself lowers its own priority."""
        current = self.status(job_id)
        if current.state in ("queued", "running"):
            return current
        if current.state != "unknown":
            self._delete(job_id)
        self.queue.enqueue(
            func,
            *args,
            job_id=job_id,
            job_timeout=int(timeout) + 5,
            result_ttl=3600,
            failure_ttl=3600,
        )
        return self.status(job_id)

    def _delete(self, job_id: str) -> None:
        from rq.job import Job

        try:
            Job.fetch(job_id, connection=self.connection).delete()
        except Exception:
            return

    def status(self, job_id: str) -> JobStatus:
        from rq.exceptions import NoSuchJobError
        from rq.job import Job

        try:
            job = Job.fetch(job_id, connection=self.connection)
        except NoSuchJobError:
            return JobStatus(job_id, "unknown")
        state = str(job.get_status(refresh=True))
        state = state.rsplit(".", 1)[-1].lower()
        if state in ("queued", "deferred", "scheduled"):
            return JobStatus(job_id, "queued")
        if state == "started":
            return JobStatus(job_id, "running")
        if state == "finished":
            return JobStatus(job_id, "done")
        if state in ("failed", "stopped", "canceled"):
            result = job.latest_result()
            info = (result.exc_string if result is not None else None) or state
            return JobStatus(job_id, "failed", info.strip().splitlines()[-1][:300])
        return JobStatus(job_id, "unknown")


def for_app(config: dict[str, Any], extensions: dict[str, Any]) -> Jobs:
    """The app's job backend, made once per app."""
    jobs = extensions.get("planner.jobs")
    if jobs is None:
        url = config.get("REDIS_URL")
        jobs = RQJobs(url) if url else InProcessJobs()
        extensions["planner.jobs"] = jobs
    return jobs
