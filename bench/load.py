"""Load benchmark (DESIGN §12): respondents autosaving every 2 s and a consultant polling every 2 s,
against gunicorn on this machine; prints p50/p99 and checks that no acknowledged answer was lost.

Run: .venv/bin/python bench/load.py [--respondents 40] [--seconds 30] [--database-url URL]
(default database: a fresh SQLite file; give a PostgreSQL URL to measure that instead)
"""

from __future__ import annotations

import argparse
import http.cookiejar
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
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TOKEN = re.compile(r'name="csrf-token" content="([^"]+)"')


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def seed(env: dict[str, str], respondents: int) -> dict[str, object]:
    code = f"""
import json
from pathlib import Path
from planner import create_app
from planner.services import accounts, assessments, clients
app = create_app()
with app.app_context():
    user = accounts.sign_up("Load", "Load", "load@example.com", "load password 123")
    client = clients.create(user.organisation_id, "Load Co")
    a = assessments.create(user.organisation_id, client.id, "Load", "en", ["idic", "gartner-8"], Path(app.config["FRAMEWORKS_DIR"]))
    assessments.set_status(user.organisation_id, a.id, "open")
    tokens = [assessments.add_respondent(user.organisation_id, a.id, f"R{{i}}", "exec", None).token for i in range({respondents})]
    print(json.dumps({{"assessment": a.id, "tokens": tokens, "questions": assessments.asked_questions(a)}}))
"""
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


class Client:
    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def get(self, path: str) -> tuple[int, str]:
        with self.opener.open(self.base + path, timeout=30) as response:
            return response.status, response.read().decode()

    def post_json(
        self, path: str, data: dict[str, object], token: str
    ) -> tuple[int, dict[str, object]]:
        request = urllib.request.Request(
            self.base + path,
            data=json.dumps(data).encode(),
            method="POST",
            headers={"Content-Type": "application/json", "X-CSRFToken": token},
        )
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as exc:
            return exc.code, {}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--respondents", type=int, default=40)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    url = args.database_url or f"sqlite:///{folder / 'load.sqlite3'}"
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
    data = seed(env, args.respondents)
    port = free_port()
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
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/login", timeout=1)
            break
        except OSError:
            time.sleep(0.1)
    saves: list[float] = []
    gets: list[float] = []
    errors: list[str] = []
    acked: dict[tuple[int, str], tuple[int, str]] = {}
    lock = threading.Lock()
    stop = time.monotonic() + args.seconds

    def respondent(index: int, token: str) -> None:
        client = Client(base)
        client.get(f"/r/{token}")
        csrf = TOKEN.search(client.get("/respond/page/1")[1]).group(1)  # type: ignore[union-attr]
        rng = random.Random(index)
        seq = 0
        time.sleep(rng.random() * 2)
        while time.monotonic() < stop:
            seq += 1
            question = rng.choice(data["questions"])  # type: ignore[arg-type]
            value = str(rng.randint(1, 5))
            t0 = time.perf_counter()
            status, _body = client.post_json(
                "/respond/save", {"question": question, "value": value, "client_seq": seq}, csrf
            )
            elapsed = time.perf_counter() - t0
            with lock:
                saves.append(elapsed)
                if status != 200:
                    errors.append(f"save {status}")
                else:
                    acked[(index, question)] = (seq, value)
            time.sleep(max(0.0, 2 - elapsed))

    def consultant() -> None:
        client = Client(base)
        client.get("/login")
        page = client.get("/login")[1]
        csrf = re.search(
            r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token"[^>]*value="([^"]+)"',
            page,
        )
        token = (csrf.group(1) or csrf.group(2)) if csrf else ""
        form = urllib.parse.urlencode(
            {"csrf_token": token, "email": "load@example.com", "password": "load password 123"}
        ).encode()
        client.opener.open(
            urllib.request.Request(base + "/login", data=form, method="POST"), timeout=30
        )
        while time.monotonic() < stop:
            t0 = time.perf_counter()
            status, _ = client.get(f"/assessments/{data['assessment']}")
            elapsed = time.perf_counter() - t0
            with lock:
                gets.append(elapsed)
                if status != 200:
                    errors.append(f"get {status}")
            time.sleep(max(0.0, 2 - elapsed))

    threads = [
        threading.Thread(target=respondent, args=(i, t)) for i, t in enumerate(data["tokens"])
    ]  # type: ignore[arg-type]
    threads.append(threading.Thread(target=consultant))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    server.send_signal(signal.SIGTERM)
    server.wait(10)

    check = """
import json
from sqlalchemy import select
from planner import create_app
from planner.extensions import db
from planner.models import AnswerRow, Respondent
app = create_app()
with app.app_context():
    rows = db.session.execute(select(Respondent.name, AnswerRow.question_id, AnswerRow.client_seq, AnswerRow.value).join(AnswerRow)).all()
    print(json.dumps([[r[0], r[1], r[2], r[3]] for r in rows]))
"""
    stored = json.loads(
        subprocess.run(
            [sys.executable, "-c", check], env=env, capture_output=True, text=True, check=True
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    in_db = {(int(name[1:]), q): (seq, value) for name, q, seq, value in stored}
    lost = sum(1 for key, value in acked.items() if in_db.get(key) != value)

    def pct(values: list[float], p: float) -> float:
        ordered = sorted(values)
        return ordered[min(len(ordered) - 1, int(p * len(ordered)))] * 1000

    kind = url.split(":", 1)[0]
    print(
        f"{kind}: {args.respondents} respondents autosaving every 2 s + 1 consultant polling, {args.seconds:g} s, gunicorn 2 workers x 8 threads"
    )
    print(
        f"autosave: {len(saves)} requests, p50 {statistics.median(saves) * 1000:.1f} ms, p99 {pct(saves, 0.99):.1f} ms (target < 150 ms)"
    )
    print(
        f"page GET: {len(gets)} requests, p50 {statistics.median(gets) * 1000:.1f} ms, p99 {pct(gets, 0.99):.1f} ms (target < 250 ms)"
    )
    print(f"errors: {len(errors)}; acknowledged answers lost: {lost} of {len(acked)}")


if __name__ == "__main__":
    main()
