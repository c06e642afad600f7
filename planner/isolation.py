"""Child processes for untrusted or heavy work (uploaded YAML, PDF layout), with time and memory limits.

A forkserver, not a plain fork: the web process has threads (gunicorn, a test browser), and forking a
threaded process can copy a held lock into the child. The server forks from a clean, single-threaded
process that has already imported the heavy modules.
"""

from __future__ import annotations

import multiprocessing
import os
import resource
from collections.abc import Callable
from multiprocessing import connection
from typing import Any

_context = multiprocessing.get_context("forkserver")
_context.set_forkserver_preload(["planner.catalog", "planner.report.pdf"])


class Timeout(Exception):
    """The child ran past its time limit and was killed."""


class Failed(Exception):
    """The child died (memory limit, crash) or raised."""


def _child(
    target: Callable[..., Any], args: tuple[Any, ...], memory: int, niceness: int, out: Any
) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    if niceness:
        os.nice(niceness)
    try:
        result = ("ok", target(*args))
    except BaseException as exc:
        result = ("error", f"{type(exc).__name__}: {exc}")
    out.send(result)
    out.close()


def run(
    target: Callable[..., Any],
    args: tuple[Any, ...],
    seconds: float,
    memory: int,
    niceness: int = 0,
) -> Any:
    """Run `target(*args)` in a child (at `niceness` above ours); return its result, or raise
    Timeout or Failed.

    The parent waits on the result pipe and on the child's sentinel together, so a child that
    dies (killed, out of memory, a crash in a C library) is reported at once, not at the time
    limit.
    """
    reader, writer = _context.Pipe(duplex=False)
    child = _context.Process(
        target=_child, args=(target, args, memory, niceness, writer), daemon=True
    )
    child.start()
    writer.close()  # the child holds its own end: EOF here once it is gone
    try:
        ready = connection.wait([reader, child.sentinel], timeout=seconds)
        if not ready:
            raise Timeout(f"took longer than {seconds:g} s")
        try:
            status, value = reader.recv() if reader.poll() else ("died", None)
        except (EOFError, OSError):
            status, value = "died", None
    finally:
        reader.close()
        if child.is_alive():  # past its time limit, or exiting after it answered
            child.kill()
        child.join()
    if status == "died":
        raise Failed(f"the child process died (exit code {child.exitcode})")
    if status != "ok":
        raise Failed(str(value))
    return value
