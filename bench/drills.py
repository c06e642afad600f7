"""Fault drills (DESIGN §11, §12): break a component under autosave load and count what clients saw
and whether any acknowledged answer was lost (the database against the last acknowledged value of
every respondent x question; must be 0). A benchmark that prints figures, not a test.

Run: .venv/bin/python bench/drills.py [--drill NAME] [--database-url URL] [--seconds N]

Drills: kill-worker, kill-master, render-child, held-lock (SQLite only), pg-restart (PostgreSQL:
restarts the local cluster with `pg_ctlcluster ... restart -m immediate`), revoke. Without --drill,
all of them; pg-restart only when a PostgreSQL URL is given or one answers at 127.0.0.1:5432.
A PostgreSQL --database-url names the server: each drill creates a fresh database there and drops it.
Clients retry as static/autosave.js does: the same payload and client_seq on connection errors, 5xx
and 429, with a backoff from 1 s doubling to 30 s, at least Retry-After; 409/410/403/404 stop them.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import random
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from load import META_TOKEN as TOKEN
from load import PASSWORD, ROOT, Client, free_port, seed

PG_CTL = shutil.which("pg_ctlcluster") or "/usr/bin/pg_ctlcluster"
PG_LOCAL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
STOP_STATUSES = (403, 404, 409, 410)  # autosave.js: saving cannot succeed now, keep the answer
DROP_STATUSES = (400, 413, 422)
EMAIL = "load@example.com"  # the consultant bench/load.py's seed() signs up


# ----------------------------------------------------------------------------- processes, /proc


def _stat(pid: int) -> tuple[int, int] | None:
    """(parent pid, process group) of a live process, or None."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text.rsplit(")", 1)[1].split()
    return (int(fields[1]), int(fields[2])) if fields[0] != "Z" else None


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def _pids() -> list[int]:
    return [int(p) for p in os.listdir("/proc") if p.isdigit()]


def children(pid: int) -> list[int]:
    return [p for p in _pids() if (_stat(p) or (0, 0))[0] == pid]


def group_members(pgid: int) -> list[int]:
    return [p for p in _pids() if (_stat(p) or (0, 0))[1] == pgid]


def alive(pid: int) -> bool:
    return _stat(pid) is not None


# ----------------------------------------------------------------------------- server, database


def app_env(url: str, port: int, folder: Path) -> dict[str, str]:
    return {
        **os.environ,
        "PLANNER_DATABASE_URL": url,
        "PLANNER_SECRET_KEY": "drills",
        "PLANNER_BASE_URL": f"http://127.0.0.1:{port}",
        "PLANNER_TRUSTED_HOSTS": '["127.0.0.1", "localhost"]',
        "PLANNER_INSTANCE_PATH": str(folder / "instance"),  # honoured once the app reads it
    }


def migrate(env: dict[str, str]) -> None:
    subprocess.run(
        [sys.executable, "-m", "planner.cli", "db", "upgrade"],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
    )


STORED = """
import json
from sqlalchemy import select
from planner import create_app
from planner.extensions import db
from planner.models import AnswerRow, Respondent
app = create_app()
with app.app_context():
    rows = db.session.execute(select(Respondent.name, AnswerRow.question_id, AnswerRow.client_seq, AnswerRow.value).join(AnswerRow)).all()
    ids = dict(db.session.execute(select(Respondent.name, Respondent.id)).all())
    print(json.dumps({"rows": [list(r) for r in rows], "ids": ids}))
"""


def stored(env: dict[str, str]) -> tuple[dict[tuple[str, str], tuple[int, str]], dict[str, int]]:
    """What the database holds: (respondent name, question) -> (client_seq, value); name -> id."""
    out = subprocess.run(
        [sys.executable, "-c", STORED],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    data = json.loads(out.stdout.strip().splitlines()[-1])
    rows = {(n, q): (int(s), v) for n, q, s, v in data["rows"]}
    return rows, {str(k): int(v) for k, v in data["ids"].items()}


class Server:
    """gunicorn as bench/load.py starts it (2 workers x 8 threads), in its own process group."""

    def __init__(self, env: dict[str, str], port: int, log: Path) -> None:
        self.env, self.port, self.log = env, port, log
        self.base = f"http://127.0.0.1:{port}"
        self.groups: list[int] = []
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, ready_seconds: float = 60) -> float:
        t0 = time.monotonic()
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "--bind",
                    f"127.0.0.1:{self.port}",
                    "--workers",
                    "2",
                    "--threads",
                    "8",
                    "planner:create_app()",
                ],
                env=self.env,
                cwd=ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.groups.append(self.process.pid)
        while time.monotonic() - t0 < ready_seconds:
            if self.process.poll() is None and login_ok(self.base):
                return time.monotonic() - t0
            time.sleep(0.1)
        raise RuntimeError(f"gunicorn did not answer within {ready_seconds} s; see {self.log}")

    @property
    def master(self) -> int:
        assert self.process is not None
        return self.process.pid

    def workers(self) -> list[int]:
        return [p for p in children(self.master) if "gunicorn" in _cmdline(p)]

    def stop(self) -> None:
        """SIGTERM the master, then SIGKILL whatever is left in every group this server had."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(10)
        for group in self.groups:
            for pid in group_members(group):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
        if self.process is not None:
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(5)

    def log_counts(self) -> str:
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return (
            f"{text.count('unhandled error')} unhandled errors (500), "
            f"{text.count('database unavailable')} 'database unavailable' (503)"
        )


def login_ok(base: str) -> bool:
    try:
        with urllib.request.urlopen(base + "/login", timeout=1) as response:
            return bool(response.status == 200)
    except (OSError, http.client.HTTPException):
        return False


def pg_admin(url: str, sql: str) -> None:
    import psycopg

    plain = re.sub(r"^postgresql\+\w+://", "postgresql://", url)
    parts = urllib.parse.urlsplit(plain)
    with psycopg.connect(parts._replace(path="/postgres").geturl(), autocommit=True) as conn:
        conn.execute(sql)


def pg_reachable() -> bool:
    with socket.socket() as s:
        s.settimeout(1)
        return s.connect_ex(("127.0.0.1", 5432)) == 0


@contextlib.contextmanager
def fresh_database(given: str | None, folder: Path) -> Iterator[str]:
    """A fresh SQLite file in `folder`, or a fresh database on the given PostgreSQL server."""
    if not given or given.startswith("sqlite"):
        yield f"sqlite:///{folder / 'drills.sqlite3'}"
        return
    name = f"drills_{os.getpid()}_{secrets.token_hex(4)}"
    pg_admin(given, f'CREATE DATABASE "{name}"')
    try:
        yield urllib.parse.urlsplit(given)._replace(path=f"/{name}").geturl()
    finally:
        ensure_postgres()
        pg_admin(given, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def ensure_postgres() -> None:
    """PostgreSQL running again, whatever a drill did to it."""
    for _ in range(30):
        if pg_reachable():
            return
        version = sorted(os.listdir("/etc/postgresql"))[-1]
        subprocess.run(
            [PG_CTL, "--skip-systemctl-redirect", version, "main", "start"],
            capture_output=True,
            check=False,
        )
        time.sleep(1)


# ----------------------------------------------------------------------------- clients


@dataclass
class Answer:
    status: int  # 0: no HTTP answer
    body: dict[str, Any]
    headers: dict[str, str]
    problem: str  # "" or the connection error's name
    seconds: float


class DrillClient(Client):
    """load.Client, plus what autosave.js needs: the response headers and connection errors."""

    def save(self, question: str, value: str, seq: int, csrf: str) -> Answer:
        request = urllib.request.Request(
            self.base + "/respond/save",
            data=json.dumps({"question": question, "value": value, "client_seq": seq}).encode(),
            method="POST",
            headers={
                "Content-Type": "application/json",
                "Accept": "application/json",
                "X-CSRFToken": csrf,
            },
        )
        t0 = time.perf_counter()
        try:
            with self.opener.open(request, timeout=30) as response:
                body = json.loads(response.read())
                return Answer(response.status, body, dict(response.headers), "", _since(t0))
        except urllib.error.HTTPError as exc:
            with contextlib.suppress(ValueError, OSError):
                body = json.loads(exc.read())
            return Answer(exc.code, locals().get("body", {}), dict(exc.headers), "", _since(t0))
        except (OSError, http.client.HTTPException) as exc:
            reason = getattr(exc, "reason", exc)
            return Answer(0, {}, {}, type(reason).__name__, _since(t0))

    def status_of(self, path: str) -> tuple[int, float]:
        t0 = time.perf_counter()
        try:
            with self.opener.open(self.base + path, timeout=30) as response:
                response.read()
                return response.status, _since(t0)
        except urllib.error.HTTPError as exc:
            return exc.code, _since(t0)
        except (OSError, http.client.HTTPException):
            return 0, _since(t0)


def _since(t0: float) -> float:
    return time.perf_counter() - t0


def login(base: str) -> tuple[DrillClient, str]:
    """A consultant logged in as bench/load.py's seed() user; returns the client and a CSRF token."""
    client = DrillClient(base)
    page = client.get("/login")[1]
    csrf = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    form = urllib.parse.urlencode(
        {
            "csrf_token": csrf.group(1) if csrf else "",
            "email": EMAIL,
            "password": PASSWORD,
        }
    ).encode()
    with client.opener.open(
        urllib.request.Request(base + "/login", data=form, method="POST"), timeout=30
    ) as response:
        page = response.read().decode()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    return client, token.group(1) if token else ""


def post_form(client: DrillClient, csrf: str, path: str) -> tuple[int, str, str]:
    form = urllib.parse.urlencode({"csrf_token": csrf}).encode()
    request = urllib.request.Request(client.base + path, data=form, method="POST")
    try:
        with client.opener.open(request, timeout=30) as response:
            return response.status, response.geturl(), response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.geturl(), ""


@dataclass
class Tally:
    sent: int = 0
    acked: int = 0
    errors: Counter[str] = field(default_factory=Counter)
    latencies: list[tuple[float, float, int]] = field(default_factory=list)  # (start, s, status)
    retry_after: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, started: float, answer: Answer) -> None:
        with self.lock:
            self.sent += 1
            self.latencies.append((started, answer.seconds, answer.status))
            if answer.status == 200:
                self.acked += 1
            else:
                self.errors[str(answer.status) if answer.status else answer.problem] += 1
                if answer.status == 503 and "Retry-After" in answer.headers:
                    self.retry_after += 1


class Respondent:
    """One browser: a new answer every `period` s, pending answers flushed one at a time."""

    def __init__(self, index: int, token: str, questions: list[str], base: str, tally: Tally):
        self.name, self.token, self.questions, self.tally = f"R{index}", token, questions, tally
        self.client = DrillClient(base)
        self.rng = random.Random(index)
        self.csrf = ""
        self.seq = int(time.time() * 1000)  # like autosave.js: Date.now()-sized sequences
        self.pending: dict[str, tuple[int, str]] = {}
        self.sent: dict[str, dict[int, str]] = {}
        self.acked: dict[str, tuple[int, str]] = {}
        self.ack_times: list[float] = []
        self.stopped = ""
        self.delay, self.retry_at = 1.0, 0.0

    def enter(self, client: DrillClient | None = None) -> None:
        client = client or self.client
        client.get(f"/r/{self.token}")
        match = TOKEN.search(client.get("/respond/page/1")[1])
        assert match, "no CSRF token on the questionnaire page"
        self.csrf = match.group(1)

    def answer(self, question: str | None = None) -> tuple[str, int, str]:
        question = question or self.rng.choice(self.questions)
        self.seq = max(self.seq + 1, int(time.time() * 1000))
        value = str(self.rng.randint(1, 5))
        self.pending[question] = (self.seq, value)
        self.sent.setdefault(question, {})[self.seq] = value
        return question, self.seq, value

    def flush_one(self) -> Answer:
        question = next(iter(self.pending))
        seq, value = self.pending[question]
        started = time.monotonic()
        answer = self.client.save(question, value, seq, self.csrf)
        self.tally.record(started, answer)
        if answer.status == 200:
            if int(answer.body.get("client_seq", 0)) >= seq:
                self.acked[question] = (seq, value)
                self.ack_times.append(time.monotonic())
                del self.pending[question]
            self.delay, self.retry_at = 1.0, 0.0
        elif answer.status in STOP_STATUSES:
            self.stopped = str(answer.status)
        elif answer.status in DROP_STATUSES:
            del self.pending[question]
        else:  # connection error, 429, 5xx: the same payload later
            wait = answer.headers.get("Retry-After", "")
            after = float(wait) if wait.isdigit() else 0.0
            self.retry_at = time.monotonic() + max(self.delay, after)
            self.delay = min(self.delay * 2, 30.0)
        return answer

    def run(self, stop_at: float, drain_until: float, period: float = 2.0) -> None:
        next_answer = time.monotonic() + self.rng.random() * period
        while not self.stopped:
            now = time.monotonic()
            if now >= drain_until or (now >= stop_at and not self.pending):
                return
            if now < stop_at and now >= next_answer:
                self.answer()
                next_answer += period
            if self.pending and now >= self.retry_at:
                self.flush_one()
                continue
            wake = [drain_until]
            if now < stop_at:
                wake.append(next_answer)
            if self.pending:
                wake.append(self.retry_at)
            time.sleep(max(0.0, min(wake) - time.monotonic()))


def lost_answers(
    respondents: list[Respondent], rows: dict[tuple[str, str], tuple[int, str]]
) -> tuple[int, int, list[str]]:
    """Acknowledged answers the database does not hold (or holds older); a newer stored value must
    be one the client sent."""
    lost, total, examples = 0, 0, []
    for r in respondents:
        for question, (seq, value) in r.acked.items():
            total += 1
            db = rows.get((r.name, question))
            ok = db is not None and (
                (db[0] == seq and db[1] == value)
                or (db[0] > seq and r.sent.get(question, {}).get(db[0]) == db[1])
            )
            if not ok:
                lost += 1
                examples.append(f"{r.name} {question}: acked {(seq, value)}, stored {db}")
    return lost, total, examples[:5]


# ----------------------------------------------------------------------------- reporting


@dataclass
class Result:
    drill: str
    command: str
    rows: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    ok: bool = True

    def add(self, metric: str, value: object) -> None:
        self.rows.append((metric, str(value)))

    def table(self) -> str:
        width = max(len(m) for m, _ in self.rows) if self.rows else 10
        lines = [f"== {self.drill} ({'OK' if self.ok else 'FAILED'})"]
        lines += [f"  {m.ljust(width)}  {v}" for m, v in self.rows]
        lines += [f"  note: {n}" for n in self.notes]
        return "\n".join(lines)

    def markdown(self) -> str:
        lines = [
            f"### {self.drill}",
            "",
            f"`{self.command}`",
            "",
            "| figure | value |",
            "|---|---|",
        ]
        lines += [f"| {m} | {v.replace('|', '/')} |" for m, v in self.rows]
        return "\n".join(lines + [""] + [f"- {n}" for n in self.notes])


def errors_text(errors: Counter[str]) -> str:
    return ", ".join(f"{k} x{v}" for k, v in sorted(errors.items())) or "none"


def ms(values: list[float]) -> str:
    if not values:
        return "-"
    return f"p50 {statistics.median(values) * 1000:.0f} ms, max {max(values) * 1000:.0f} ms"


def load_figures(
    result: Result,
    tally: Tally,
    respondents: list[Respondent],
    rows: dict[tuple[str, str], tuple[int, str]],
) -> None:
    lost, total, examples = lost_answers(respondents, rows)
    result.add("requests sent", tally.sent)
    result.add("acknowledged autosaves", tally.acked)
    result.add("errors seen by clients", errors_text(tally.errors))
    result.add("autosave latency", ms([s for _, s, st in tally.latencies if st == 200]))
    result.add("answers still unacknowledged at the end", sum(len(r.pending) for r in respondents))
    stopped = Counter(r.stopped for r in respondents if r.stopped)
    result.add("clients stopped (409/410/403/404)", errors_text(stopped))
    result.add("acknowledged answers lost", f"{lost} of {total}")
    result.notes += examples
    result.ok = result.ok and lost == 0


# ----------------------------------------------------------------------------- the drills


@dataclass
class Setup:
    server: Server
    env: dict[str, str]
    data: dict[str, Any]
    folder: Path


@contextlib.contextmanager
def running(database_url: str | None, respondents: int) -> Iterator[Setup]:
    """A fresh database, seeded as bench/load.py seeds it, and gunicorn on it; all removed after."""
    folder = Path(tempfile.mkdtemp(prefix="drills-"))
    server: Server | None = None
    try:
        with fresh_database(database_url, folder) as url:
            port = free_port()
            env = app_env(url, port, folder)
            migrate(env)
            data = seed(env, respondents, EMAIL)
            server = Server(env, port, folder / "gunicorn.log")
            try:
                server.start()
                yield Setup(server, env, data, folder)
            finally:
                server.stop()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def autosave_load(
    setup: Setup,
    seconds: float,
    events: list[tuple[float, Callable[[], None]]],
    drain: float = 90,
) -> tuple[Tally, list[Respondent]]:
    """Every seeded respondent autosaving every 2 s for `seconds`; each event runs at its offset."""
    tally = Tally()
    people = [
        Respondent(i, t, list(setup.data["questions"]), setup.server.base, tally)
        for i, t in enumerate(setup.data["tokens"])
    ]
    for person in people:
        person.enter()
    start = time.monotonic()
    stop_at, drain_until = start + seconds, start + seconds + drain
    threads = [threading.Thread(target=p.run, args=(stop_at, drain_until)) for p in people]
    for thread in threads:
        thread.start()
    try:
        for offset, action in sorted(events, key=lambda e: e[0]):
            time.sleep(max(0.0, start + offset - time.monotonic()))
            action()
    finally:
        for thread in threads:
            thread.join()
    return tally, people


def drill_kill_worker(args: argparse.Namespace, result: Result) -> None:
    with running(args.database_url, 40) as setup:
        server = setup.server
        facts: dict[str, str] = {}

        def kill() -> None:
            before = server.workers()
            victim = before[0]
            os.kill(victim, signal.SIGKILL)
            t0 = time.monotonic()
            while time.monotonic() - t0 < 60:
                now = server.workers()
                if len(now) >= len(before) and victim not in now:
                    facts["replacement"] = f"{time.monotonic() - t0:.1f} s (pid {victim} -> {now})"
                    return
                time.sleep(0.05)
            facts["replacement"] = "none within 60 s"

        tally, people = autosave_load(setup, args.seconds, [(args.seconds * 0.4, kill)])
        server.stop()
        rows, _ = stored(setup.env)
        result.add("worker killed at", f"{args.seconds * 0.4:g} s (kill -9)")
        result.add("gunicorn started a new worker after", facts.get("replacement", "-"))
        load_figures(result, tally, people, rows)
        result.add("server log", server.log_counts())


def drill_kill_master(args: argparse.Namespace, result: Result) -> None:
    with running(args.database_url, 40) as setup:
        server = setup.server
        facts: dict[str, str] = {}

        def kill() -> None:
            workers = server.workers()
            os.kill(server.master, signal.SIGKILL)
            t0 = time.monotonic()
            while time.monotonic() - t0 < 10 and any(alive(w) for w in workers):
                time.sleep(0.05)
            left = [w for w in workers if alive(w)]
            facts["workers"] = (
                f"exited by themselves within {time.monotonic() - t0:.1f} s"
                if not left
                else f"{len(left)} still alive after 10 s: killed"
            )
            for pid in left:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            ready = server.start()
            facts["down"] = f"{time.monotonic() - t0:.1f} s (new gunicorn ready in {ready:.1f} s)"

        tally, people = autosave_load(setup, args.seconds, [(args.seconds * 0.4, kill)])
        server.stop()
        rows, _ = stored(setup.env)
        result.add("master killed at", f"{args.seconds * 0.4:g} s (kill -9)")
        result.add("its workers", facts.get("workers", "-"))
        result.add("server down for", facts.get("down", "-"))
        load_figures(result, tally, people, rows)
        result.add("server log", server.log_counts())


def drill_held_lock(args: argparse.Namespace, result: Result) -> None:
    if args.database_url and not args.database_url.startswith("sqlite"):
        result.notes.append("SQLite only: skipped")
        return
    hold, hold_at = 15.0, 3.0
    seconds = max(args.seconds, hold_at + hold + 5)
    with running(None, 40) as setup:
        server = setup.server
        path = setup.env["PLANNER_DATABASE_URL"].removeprefix("sqlite:///")
        window: dict[str, float] = {}
        holder: list[subprocess.Popen[str]] = []
        probes: list[tuple[float, float, int]] = []
        stop = threading.Event()

        def probe() -> None:
            client = DrillClient(server.base)
            while not stop.is_set():
                started = time.monotonic()
                status, took = client.status_of("/login")
                probes.append((started, took, status))
                stop.wait(0.25)

        code = (
            "import sqlite3, sys, time\n"
            f"c = sqlite3.connect({path!r}, isolation_level=None, timeout=30)\n"
            "c.execute('BEGIN IMMEDIATE'); print('held', flush=True)\n"
            f"time.sleep({hold}); c.execute('ROLLBACK')\n"
        )

        def take_lock() -> None:
            p = subprocess.Popen(
                [sys.executable, "-c", code],
                stdout=subprocess.PIPE,
                text=True,
                start_new_session=True,
            )
            holder.append(p)
            assert p.stdout is not None
            p.stdout.readline()
            window["start"] = time.monotonic()

        def release() -> None:
            if holder:
                holder[0].wait(hold + 30)
            window["end"] = window.get("start", 0.0) + hold  # it rolls back after `hold` s

        prober = threading.Thread(target=probe)
        prober.start()
        try:
            tally, people = autosave_load(
                setup, seconds, [(hold_at, take_lock), (hold_at + hold + 1, release)]
            )
        finally:
            stop.set()
            prober.join()
            for p in holder:
                if p.poll() is None:
                    os.killpg(p.pid, signal.SIGKILL)
                p.wait()
        server.stop()
        rows, _ = stored(setup.env)
        start, end = window.get("start", 0.0), window.get("end", 0.0)
        during = [t for s, t, _ in probes if start <= s <= end]
        in_hold = [(s, t, st) for s, t, st in tally.latencies if start <= s <= end]
        result.add("lock held", f"{end - start:.1f} s (BEGIN IMMEDIATE in another process)")
        result.add("GET /login during the hold", f"{len(during)} requests, {ms(during)}")
        result.add(
            "GET /login statuses during the hold",
            errors_text(Counter(str(st) for s, _, st in probes if start <= s <= end)),
        )
        result.add("autosave answers started during the hold", ms([t for _, t, _ in in_hold]))
        result.add(
            "autosave statuses during the hold", errors_text(Counter(str(st) for *_, st in in_hold))
        )
        result.add("503 answers with Retry-After", tally.retry_after)
        load_figures(result, tally, people, rows)
        result.add("server log", server.log_counts())


def drill_pg_restart(args: argparse.Namespace, result: Result) -> None:
    given = args.database_url if args.database_url and "postgresql" in args.database_url else None
    url = given or PG_LOCAL
    version = sorted(os.listdir("/etc/postgresql"))[-1]
    facts: dict[str, str] = {}
    try:
        with running(url, 40) as setup:
            server = setup.server

            def restart() -> None:
                t0 = time.monotonic()
                out = subprocess.run(
                    [
                        PG_CTL,
                        "--skip-systemctl-redirect",
                        version,
                        "main",
                        "restart",
                        "-m",
                        "immediate",
                    ],
                    capture_output=True,
                    text=True,
                    check=False,
                )
                facts["restart"] = f"{time.monotonic() - t0:.1f} s (exit {out.returncode})"

            tally, people = autosave_load(setup, args.seconds, [(args.seconds * 0.4, restart)])
            server.stop()
            rows, _ = stored(setup.env)
            result.add("PostgreSQL restarted at", f"{args.seconds * 0.4:g} s (-m immediate)")
            result.add("pg_ctlcluster restart took", facts.get("restart", "-"))
            load_figures(result, tally, people, rows)
            result.add("server log", server.log_counts())
    finally:
        ensure_postgres()
    result.add("PostgreSQL running after the drill", pg_reachable())


def drill_revoke(args: argparse.Namespace, result: Result) -> None:
    with running(args.database_url, 4) as setup:
        server = setup.server
        consultant, csrf = login(server.base)
        _, ids = stored(setup.env)
        target = 0
        rid = ids[f"R{target}"]
        statuses: dict[str, Counter[str]] = {}
        facts: dict[str, Any] = {}
        probe_seqs: list[tuple[str, int, str]] = []

        def probes(name: str, person: Respondent, client: DrillClient, csrf_token: str) -> None:
            seen: Counter[str] = Counter()
            for _ in range(3):
                question, seq, value = person.answer()
                person.pending.pop(question)
                answer = client.save(question, value, seq, csrf_token)
                seen[str(answer.status or answer.problem)] += 1
                if answer.status == 200:
                    person.acked[question] = (seq, value)
                else:
                    probe_seqs.append((question, seq, name))
            statuses[name] = seen

        def revoke() -> None:
            facts["revoke"] = post_form(consultant, csrf, f"/assessments/respondents/{rid}/revoke")[
                0
            ]
            facts["revoked_at"] = time.monotonic()

        tally, people = autosave_load(
            setup, args.seconds, [(args.seconds / 2, revoke)], drain=10
        )  # the others go on
        person = people[target]
        acked_after = sum(1 for t in person.ack_times if t > facts["revoked_at"] + 0.5)
        probes("old session after revoke", person, person.client, person.csrf)
        # the redirect lands on the assessment page, which shows the new link once
        status, _, page = post_form(consultant, csrf, f"/assessments/respondents/{rid}/reissue")
        new_token = re.search(r"/r/([A-Za-z0-9_-]{20,})", page)
        probes("old session after re-issue", person, person.client, person.csrf)
        old_link = person.client.status_of(f"/r/{person.token}")[0]
        fresh = DrillClient(server.base)
        if new_token:
            person.token = new_token.group(1)
            person.enter(fresh)
            probes("new link after re-issue", person, fresh, person.csrf)
        server.stop()
        rows, _ = stored(setup.env)
        landed = [
            f"{q} seq {s} ({name})"
            for q, s, name in probe_seqs
            if rows.get((person.name, q), (0, ""))[0] >= s
        ]
        result.add("revoke (HTTP POST)", facts.get("revoke"))
        result.add("R0 acknowledged before the revoke", len(person.ack_times))
        result.add("R0's autosave loop stopped on", person.stopped or "-")
        result.add("R0 acknowledged later than 0.5 s after the revoke", acked_after)
        for name, seen in statuses.items():
            result.add(f"R0 {name}", errors_text(seen))
        result.add("re-issue (HTTP POST)", status)
        result.add("old link /r/<old token> after re-issue", old_link)
        result.add("refused saves found in the database", len(landed))
        result.notes += landed
        expected = {
            "old session after revoke": "410",
            "old session after re-issue": "410",
            "new link after re-issue": "200",
        }
        for name, code in expected.items():
            if set(statuses.get(name, {})) != {code}:
                result.ok = False
                result.notes.append(f"{name}: expected only {code}")
        result.ok = result.ok and not landed and acked_after == 0 and person.stopped == "410"
        load_figures(result, tally, people, rows)
        result.add("server log", server.log_counts())


def drill_render_child(args: argparse.Namespace, result: Result) -> None:
    instance = ROOT / "instance"
    cache = instance / "pdf-cache"
    existed = (instance.exists(), cache.exists())
    before = set(cache.iterdir()) if cache.exists() else set()
    try:
        with running(args.database_url, 10) as setup:
            _render_child(args, setup, result)
    finally:  # the app still writes its PDF cache in the checkout's instance/ folder
        if cache.exists():
            for path in set(cache.iterdir()) - before:
                path.unlink(missing_ok=True)
        for path, was in ((cache, existed[1]), (instance, existed[0])):
            if not was:
                with contextlib.suppress(OSError):
                    path.rmdir()


def _render_child(args: argparse.Namespace, setup: Setup, result: Result) -> None:
    server = setup.server
    tally, people = autosave_load(setup, min(args.seconds, 10), [])  # answers to report on
    consultant, csrf = login(server.base)
    assessment = setup.data["assessment"]
    probes: list[tuple[float, int]] = []
    stop = threading.Event()

    def probe() -> None:
        client = DrillClient(server.base)
        while not stop.is_set():
            status, took = client.status_of("/login")
            probes.append((took, status))
            stop.wait(0.2)

    prober = threading.Thread(target=probe)
    prober.start()
    try:
        with consultant.opener.open(
            server.base + f"/assessments/{assessment}/report.pdf", timeout=30
        ) as response:
            status_url = response.geturl()
        t0, child = time.monotonic(), 0
        while time.monotonic() - t0 < 60 and not child:
            forkservers = [
                p for w in server.workers() for p in children(w) if "forkserver" in _cmdline(p)
            ]
            kids = [c for f in forkservers for c in children(f)]
            child = kids[0] if kids else 0
            if not child:
                time.sleep(0.01)
        result.add("render child found after", f"{time.monotonic() - t0:.2f} s (pid {child})")
        if not child:
            result.ok = False
            return
        os.kill(child, signal.SIGKILL)
        killed = time.monotonic()
        state, error = "", ""
        while time.monotonic() - killed < 90 and state not in ("failed", "done"):
            body = json.loads(
                consultant.get(urllib.parse.urlsplit(status_url).path + "?format=json")[1]
            )
            state, error = body["state"], body.get("error") or ""
            time.sleep(0.05)
        result.add("status after kill -9", f"{state} after {time.monotonic() - killed:.2f} s")
        result.add("error shown", error)
        page = consultant.get(urllib.parse.urlsplit(status_url).path)[1]
        result.add("status page shows the failure", "could not be rendered" in page)
        result.ok = result.ok and state == "failed" and time.monotonic() - killed < 10
        again = post_form(consultant, csrf, f"/assessments/{assessment}/report")
        t1, state = time.monotonic(), ""
        while time.monotonic() - t1 < 90 and state not in ("failed", "done"):
            body = json.loads(
                consultant.get(urllib.parse.urlsplit(again[1]).path + "?format=json")[1]
            )
            state = body["state"]
            time.sleep(0.1)
        pdf = b""
        if state == "done":
            with consultant.opener.open(
                server.base + urllib.parse.urlsplit(again[1]).path + ".pdf", timeout=30
            ) as response:
                pdf = response.read()
        result.add(
            "'Try again' render",
            f"{state} in {time.monotonic() - t1:.1f} s, {len(pdf)} bytes, PDF: {pdf[:5] == b'%PDF-'}",
        )
        result.ok = result.ok and pdf[:5] == b"%PDF-"
    finally:
        stop.set()
        prober.join()
    result.add(
        "GET /login during the drill",
        f"{len(probes)} requests, {errors_text(Counter(str(s) for _, s in probes))}, "
        f"{ms([t for t, _ in probes])}",
    )
    server.stop()
    rows, _ = stored(setup.env)
    load_figures(result, tally, people, rows)
    result.add("server log", server.log_counts())


DRILLS: dict[str, Callable[[argparse.Namespace, Result], None]] = {
    "kill-worker": drill_kill_worker,
    "kill-master": drill_kill_master,
    "render-child": drill_render_child,
    "held-lock": drill_held_lock,
    "pg-restart": drill_pg_restart,
    "revoke": drill_revoke,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--drill", choices=sorted(DRILLS))
    parser.add_argument("--database-url")
    parser.add_argument("--seconds", type=float, default=30)
    args = parser.parse_args()
    if args.drill:
        names = [args.drill]
    else:
        with_pg = bool(args.database_url and "postgresql" in args.database_url) or pg_reachable()
        names = [n for n in DRILLS if n != "pg-restart" or with_pg]
    results = []
    for name in names:
        command = f".venv/bin/python bench/drills.py --drill {name} --seconds {args.seconds:g}"
        if args.database_url:
            command += f" --database-url {args.database_url}"
        result = Result(name, command)
        started = datetime.now(UTC)
        try:
            DRILLS[name](args, result)
        except Exception as exc:
            result.ok = False
            result.notes.append(f"the drill itself failed: {type(exc).__name__}: {exc}")
        result.notes.insert(0, f"run {started:%Y-%m-%d %H:%M} UTC")
        results.append(result)
        print(result.table(), flush=True)
    print()
    for result in results:
        print(result.markdown())
        print()
    sys.exit(0 if all(r.ok for r in results) else 1)


if __name__ == "__main__":
    main()
