"""A small in-process rate limiter for log-in and invitation links (keyed on the token, not the IP:
a workshop room shares one IP)."""

from __future__ import annotations

import threading
import time
from collections import deque

from flask import current_app

from planner.services import ServiceError


class TooMany(ServiceError):
    status = 429


class Limiter:
    def __init__(self) -> None:
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def hit(self, key: str, limit: int, per_seconds: float) -> None:
        if not current_app.config.get("RATE_LIMITS", True):
            return
        now = time.monotonic()
        with self._lock:
            hits = self._hits.setdefault(key, deque())
            while hits and hits[0] <= now - per_seconds:
                hits.popleft()
            if len(hits) >= limit:
                raise TooMany("Too many attempts; wait a minute and try again.")
            hits.append(now)
            if len(self._hits) > 50_000:  # forget the oldest keys rather than grow without bound
                for stale in list(self._hits)[:10_000]:
                    self._hits.pop(stale, None)


class _PerApp:
    """Each application keeps its own counters (tests build many apps in one process)."""

    def hit(self, key: str, limit: int, per_seconds: float) -> None:
        own = current_app.extensions.setdefault("planner.limiter", Limiter())
        own.hit(key, limit, per_seconds)


limiter = _PerApp()
