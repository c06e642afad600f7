"""Load benchmark (DESIGN §12): respondents autosaving every 2 s and a consultant polling every 2 s,
against gunicorn on this machine; prints p50/p99, checks that no acknowledged answer was lost, and
measures the disk in the same run, so a slow autosave can be told from a slow disk.

Run: .venv/bin/python bench/load.py [--respondents 40 [100 200 …]] [--seconds 30] [--runs 1]
     [--database-url URL]
(default database: a fresh SQLite file per run; give a PostgreSQL URL to measure that instead)

Beside the load, a thread writes 4 KB and fsyncs a file in the database's folder every 10 ms (for
PostgreSQL: this run's temporary folder, on the same disk here). An fsync over 100 ms is a disk
stall; an autosave over 150 ms that overlapped no stall is ours, and is counted.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import itertools
import json
import os
import random
import re
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
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
META_TOKEN = re.compile(r'name="csrf-token" content="([^"]+)"')
FORM_TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
SLOW_SAVE = 0.150  # DESIGN §12: autosave p99 < 150 ms
DISK_STALL = 0.100
PASSWORD = f"load {uuid.uuid4().hex}"  # the seeded consultant's log-in

Span = tuple[float, float]  # (start, end) on time.monotonic()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def python(code: str, env: dict[str, str], *args: str) -> object:
    """Run `code` (with `args` in sys.argv) in a fresh interpreter with the app's environment;
    its last line, as JSON."""
    out = subprocess.run(
        [sys.executable, "-c", code, *args], env=env, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def seed(env: dict[str, str], respondents: int, email: str) -> dict[str, object]:
    code = f"""
import json
from pathlib import Path
from planner import create_app
from planner.services import accounts, assessments, clients
app = create_app()
with app.app_context():
    user = accounts.sign_up("Load", "Load", {email!r}, {PASSWORD!r})
    client = clients.create(user.organisation_id, "Load Co")
    a = assessments.create(user.organisation_id, client.id, "Load", "en", ["idic", "gartner-8"], Path(app.config["FRAMEWORKS_DIR"]))
    assessments.set_status(user.organisation_id, a.id, "open")
    tokens = [assessments.add_respondent(user.organisation_id, a.id, f"R{{i}}", "exec", None).token for i in range({respondents})]
    print(json.dumps({{"assessment": a.id, "tokens": tokens, "questions": assessments.asked_questions(a)}}))
"""
    data = python(code, env)
    assert isinstance(data, dict)
    return data


def stored_answers(env: dict[str, str], assessment: int) -> dict[tuple[int, str], tuple[int, str]]:
    code = """
import json
import sys
from sqlalchemy import select
from planner import create_app
from planner.extensions import db
from planner.models import AnswerRow, Respondent
app = create_app()
with app.app_context():
    rows = db.session.execute(select(Respondent.name, AnswerRow.question_id, AnswerRow.client_seq, AnswerRow.value).join(AnswerRow).where(Respondent.assessment_id == int(sys.argv[1]))).all()
    print(json.dumps([[r[0], r[1], r[2], r[3]] for r in rows]))
"""
    rows = python(code, env, str(assessment))
    assert isinstance(rows, list)
    return {(int(name[1:]), q): (seq, value) for name, q, seq, value in rows}


class Client:
    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def get(self, path: str) -> tuple[int, str]:
        try:
            with self.opener.open(self.base + path, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, ""

    def post(self, path: str, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
        request = urllib.request.Request(
            self.base + path, data=body, method="POST", headers=headers
        )
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, b""


class DiskProbe(threading.Thread):
    """Append 4 KB and fsync every 10 ms in `folder`; keep each fsync's span."""

    def __init__(self, folder: Path) -> None:
        super().__init__(daemon=True)
        self.path = folder / "disk-probe.bin"
        self.spans: list[Span] = []
        self.stopping = threading.Event()

    def run(self) -> None:
        block = os.urandom(4096)
        fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_APPEND, 0o600)
        try:
            for count in itertools.count():
                if self.stopping.wait(0.010):
                    break
                # appended, as SQLite appends to its WAL: the size changes, so the fsync commits
                # the file system's journal as a commit does (overwriting one block may not)
                if count % 1024 == 0:
                    os.ftruncate(fd, 0)
                os.write(fd, block)
                start = time.monotonic()
                os.fsync(fd)
                self.spans.append((start, time.monotonic()))
        finally:
            os.close(fd)
            self.path.unlink(missing_ok=True)


def overlaps(span: Span, others: list[Span]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in others)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p * len(ordered)))] if ordered else 0.0


@dataclass
class Run:
    kind: str
    respondents: int
    seconds: float
    opens: list[Span] = field(default_factory=list)  # each respondent's first two pages
    saves: list[Span] = field(default_factory=list)
    gets: list[Span] = field(default_factory=list)
    fsyncs: list[Span] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    acked: int = 0
    lost: int = 0

    @staticmethod
    def durations(spans: list[Span]) -> list[float]:
        return [end - start for start, end in spans]

    def stalls(self) -> list[Span]:
        return [(s, e) for s, e in self.fsyncs if e - s > DISK_STALL]

    def unexplained(self) -> int:
        """Autosaves over 150 ms that overlapped no disk stall."""
        stalls = self.stalls()
        return sum(1 for s in self.saves if s[1] - s[0] > SLOW_SAVE and not overlaps(s, stalls))

    def figures(self) -> dict[str, float]:
        saves, gets, fsyncs = (self.durations(x) for x in (self.saves, self.gets, self.fsyncs))
        opens = self.durations(self.opens)
        return {
            "open_p50": statistics.median(opens) * 1000 if opens else 0.0,
            "open_p99": percentile(opens, 0.99) * 1000,
            "save_p50": statistics.median(saves) * 1000 if saves else 0.0,
            "save_p99": percentile(saves, 0.99) * 1000,
            "save_max": max(saves, default=0.0) * 1000,
            "get_p50": statistics.median(gets) * 1000 if gets else 0.0,
            "get_p99": percentile(gets, 0.99) * 1000,
            "fsync_p99": percentile(fsyncs, 0.99) * 1000,
            "fsync_max": max(fsyncs, default=0.0) * 1000,
        }

    def report(self) -> str:
        f = self.figures()
        slow = sum(1 for s, e in self.saves if e - s > SLOW_SAVE)
        return "\n".join(
            [
                f"{self.kind}: {self.respondents} respondents autosaving every 2 s + 1 consultant polling, {self.seconds:g} s, gunicorn 2 workers x 8 threads",
                f"autosave: {len(self.saves)} requests, p50 {f['save_p50']:.1f} ms, p99 {f['save_p99']:.1f} ms (target < 150 ms), max {f['save_max']:.1f} ms",
                f"page GET: {len(self.gets)} requests, p50 {f['get_p50']:.1f} ms, p99 {f['get_p99']:.1f} ms (target < 250 ms)",
                f"questionnaire opened (link + first page, everyone at once, before the timed window): {len(self.opens)}, p50 {f['open_p50']:.0f} ms, p99 {f['open_p99']:.0f} ms",
                f"disk: {len(self.fsyncs)} fsyncs of 4 KB, p99 {f['fsync_p99']:.1f} ms, max {f['fsync_max']:.1f} ms, stalls over 100 ms: {len(self.stalls())}",
                f"autosaves over 150 ms: {slow}, of which overlapping no disk stall: {self.unexplained()}",
                f"errors: {len(self.errors)}; acknowledged answers lost: {self.lost} of {self.acked}",
            ]
            + [f"  {kind}: {count}" for kind, count in sorted(Counter(self.errors).items())]
        )


def start_server(env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--threads",
            "8",
            "planner:create_app()",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(300):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=1)
            return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit("gunicorn did not start")


def once(respondents: int, seconds: float, database_url: str | None) -> Run:
    folder = Path(tempfile.mkdtemp(prefix="planner-load-"))
    url = database_url or f"sqlite:///{folder / 'load.sqlite3'}"
    env = {
        **os.environ,
        "PLANNER_DATABASE_URL": url,
        "PLANNER_SECRET_KEY": "load",
        "PLANNER_RATE_LIMITS": "false",
    }
    subprocess.run(
        [sys.executable, "-m", "planner.cli", "db", "upgrade"],
        env=env,
        check=True,
        capture_output=True,
    )
    email = f"load-{uuid.uuid4().hex[:8]}@example.com"  # several runs may share one PostgreSQL
    data = seed(env, respondents, email)
    port = free_port()
    server = start_server(env, port)
    base = f"http://127.0.0.1:{port}"
    run = Run(url.split(":", 1)[0].split("+", 1)[0], respondents, seconds)
    acked: dict[tuple[int, str], tuple[int, str]] = {}
    lock = threading.Lock()
    probe = DiskProbe(folder)
    probe.start()
    tokens: list[str] = data["tokens"]  # type: ignore[assignment]
    # Everyone opens the questionnaire (and the consultant logs in) first; the timed window, in
    # which respondents autosave, starts when all have.
    window: list[float] = []
    ready = threading.Barrier(
        len(tokens) + 1, action=lambda: window.append(time.monotonic() + seconds)
    )

    def respondent(index: int, token: str) -> None:
        client = Client(base)
        start = time.monotonic()
        client.get(f"/r/{token}")
        match = META_TOKEN.search(client.get("/respond/page/1")[1])
        with lock:
            run.opens.append((start, time.monotonic()))
        csrf = match.group(1) if match else ""
        rng = random.Random(index)
        seq = 0
        ready.wait()
        stop = window[0]
        time.sleep(rng.random() * 2)
        while time.monotonic() < stop:
            seq += 1
            question = rng.choice(data["questions"])  # type: ignore[arg-type]
            value = str(rng.randint(1, 5))
            body = json.dumps({"question": question, "value": value, "client_seq": seq})
            start = time.monotonic()
            status, _ = client.post(
                "/respond/save",
                body.encode(),
                {"Content-Type": "application/json", "X-CSRFToken": csrf},
            )
            end = time.monotonic()
            with lock:
                run.saves.append((start, end))
                if status != 200:
                    run.errors.append(f"save {status}")
                else:
                    acked[(index, question)] = (seq, value)
            time.sleep(max(0.0, 2 - (end - start)))

    def consultant() -> None:
        client = Client(base)
        match = FORM_TOKEN.search(client.get("/login")[1])
        form = {"csrf_token": match.group(1) if match else "", "email": email}
        form["password"] = PASSWORD
        client.post(
            "/login",
            urllib.parse.urlencode(form).encode(),
            {"Content-Type": "application/x-www-form-urlencoded"},
        )
        ready.wait()
        stop = window[0]
        while time.monotonic() < stop:
            start = time.monotonic()
            status, _ = client.get(f"/assessments/{data['assessment']}")
            end = time.monotonic()
            with lock:
                run.gets.append((start, end))
                if status != 200:
                    run.errors.append(f"get {status}")
            time.sleep(max(0.0, 2 - (end - start)))

    threads = [threading.Thread(target=respondent, args=(i, t)) for i, t in enumerate(tokens)]
    threads.append(threading.Thread(target=consultant))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    probe.stopping.set()
    probe.join()
    server.send_signal(signal.SIGTERM)
    server.wait(10)
    run.fsyncs = probe.spans
    in_db = stored_answers(env, int(data["assessment"]))  # type: ignore[call-overload]
    run.acked = len(acked)
    run.lost = sum(1 for key, value in acked.items() if in_db.get(key) != value)
    return run


def summary(runs: list[Run]) -> str:
    lines = [
        "",
        "run  respondents  autosave p50/p99/max ms  GET p99 ms  fsync p99/max ms  stalls  slow  unexplained  errors  lost",
    ]
    for number, run in enumerate(runs, 1):
        f = run.figures()
        slow = sum(1 for s, e in run.saves if e - s > SLOW_SAVE)
        lines.append(
            f"{number:>3}  {run.respondents:>11}  {f['save_p50']:6.1f} / {f['save_p99']:6.1f} / {f['save_max']:6.1f}"
            f"  {f['get_p99']:10.1f}  {f['fsync_p99']:6.1f} / {f['fsync_max']:6.1f}"
            f"  {len(run.stalls()):>6}  {slow:>4}  {run.unexplained():>11}  {len(run.errors):>6}  {run.lost:>4}"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--respondents", type=int, nargs="+", default=[40], help="one run per value (a sweep)"
    )
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--runs", type=int, default=1, help="runs per respondents value")
    parser.add_argument("--database-url")
    args = parser.parse_args()
    runs: list[Run] = []
    for respondents in args.respondents:
        for _ in range(args.runs):
            run = once(respondents, args.seconds, args.database_url)
            runs.append(run)
            print(("\n" if len(runs) > 1 else "") + run.report(), flush=True)
    if len(runs) > 1:
        print(summary(runs))


if __name__ == "__main__":
    main()
