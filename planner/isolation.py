"""Child processes for untrusted or heavy work (uploaded YAML, PDF layout), with time and memory limits.

A forkserver, not a plain fork: the web process has threads (gunicorn, a test browser), and forking a
threaded process can copy a held lock into the child. The server forks from a clean, single-threaded
process that has already imported the heavy modules.
"""

from __future__ import annotations

import multiprocessing
import resource
from collections.abc import Callable
from typing import Any

_context = multiprocessing.get_context("forkserver")
_context.set_forkserver_preload(["planner.catalog", "planner.pdf"])


class Timeout(Exception):
    """The child ran past its time limit and was killed."""


class Failed(Exception):
    """The child died (memory limit, crash) or raised."""


def _child(target: Callable[..., Any], args: tuple[Any, ...], memory: int, out: Any) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    try:
        out.put(("ok", target(*args)))
    except BaseException as exc:
        out.put(("error", f"{type(exc).__name__}: {exc}"))


def run(target: Callable[..., Any], args: tuple[Any, ...], seconds: float, memory: int) -> Any:
    """Run `target(*args)` in a child; return its result, or raise Timeout or Failed."""
    queue = _context.Queue()
    child = _context.Process(target=_child, args=(target, args, memory, queue), daemon=True)
    child.start()
    try:
        status, value = queue.get(timeout=seconds)
    except Exception:
        alive = child.is_alive()
        child.kill()
        child.join()
        if alive:
            raise Timeout(f"took longer than {seconds:g} s") from None
        raise Failed("the child process died") from None
    finally:
        queue.close()
    child.join(5)
    if child.is_alive():
        child.kill()
        child.join()
    if status != "ok":
        raise Failed(str(value))
    return value
