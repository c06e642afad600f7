"""Benchmark: a live workshop (DESIGN §7, §12). N phones join, poll the state every 2 s with the
last ETag, and vote on each item while a facilitator opens, reveals and agrees it, on gunicorn.

Prints vote and state latency (p50/p99), the share of polls answered 304, the time from each
reveal to the last phone seeing it, errors, and votes lost (the database against the last vote
each phone had acknowledged; must be 0). A benchmark that prints figures, not a test.

Run: .venv/bin/python bench/workshop.py [--phones 200] [--items 10] [--discussion 8]
                                         [--database-url URL] [--runs N]
A disk probe fsyncs beside the load (as in bench/load.py), so a slow vote can be told from a stall
of this machine's virtual disk.
--discussion: seconds the room talks between the reveal and the agreement (real rooms take minutes;
0 moves on at once, the hardest case for the server).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import re
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from http.cookiejar import CookieJar
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from load import (
    DISK_STALL,
    FORM_TOKEN,
    META_TOKEN,
    PASSWORD,
    DiskProbe,
    Span,
    free_port,
    overlaps,
    percentile,
    python,
    start_server,
)

CODE = re.compile(r'data-join-code="([A-Z0-9]{6})"')
POLL = 2.0
VOTE_P99 = 0.150  # DESIGN §12


class Browser:
    """One cookie jar, requests with headers, the status of 3xx/4xx/5xx answers kept."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))

    def request(
        self, path: str, body: bytes | None = None, headers: dict[str, str] | None = None
    ) -> tuple[int, bytes, dict[str, str]]:
        req = urllib.request.Request(
            self.base + path, data=body, method="POST" if body is not None else "GET"
        )
        for key, value in (headers or {}).items():
            req.add_header(key, value)
        try:
            with self.opener.open(req, timeout=30) as response:
                return response.status, response.read(), dict(response.headers)
        except urllib.error.HTTPError as exc:
            return exc.code, b"", dict(exc.headers or {})
        except OSError:
            return 0, b"", {}


@dataclass
class Figures:
    votes: list[Span] = field(default_factory=list)
    polls: list[Span] = field(default_factory=list)
    not_modified: int = 0
    errors: dict[str, int] = field(default_factory=dict)
    seen_reveal: dict[str, list[float]] = field(
        default_factory=dict
    )  # item -> when each phone saw it
    acked: dict[tuple[int, str], tuple[int, str]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def error(self, what: str) -> None:
        with self.lock:
            self.errors[what] = self.errors.get(what, 0) + 1


def seed(env: dict[str, str], email: str) -> int:
    code = f"""
import json
from pathlib import Path
from planner import create_app
from planner.services import accounts, assessments, clients
app = create_app()
with app.app_context():
    user = accounts.sign_up("Bench", "Bench", {email!r}, {PASSWORD!r})
    client = clients.create(user.organisation_id, "Workshop Co")
    a = assessments.create(user.organisation_id, client.id, "Workshop", "en", ["idic"], Path(app.config["FRAMEWORKS_DIR"]))
    print(json.dumps(a.id))
"""
    return int(python(code, env))  # type: ignore[call-overload]


def stored_votes(env: dict[str, str], code: str) -> dict[tuple[int, str], tuple[int, str]]:
    script = """
import json, sys
from sqlalchemy import select
from planner import create_app
from planner.extensions import db
from planner.models import Respondent, WorkshopParticipant, WorkshopSession, WorkshopVote
app = create_app()
with app.app_context():
    rows = db.session.execute(
        select(Respondent.name, WorkshopVote.item, WorkshopVote.client_seq, WorkshopVote.value)
        .join(WorkshopParticipant, WorkshopParticipant.respondent_id == Respondent.id)
        .join(WorkshopVote, WorkshopVote.participant_id == WorkshopParticipant.id)
        .join(WorkshopSession, WorkshopSession.id == WorkshopVote.session_id)
        .where(WorkshopSession.code == sys.argv[1])
    ).all()
    print(json.dumps([list(r) for r in rows]))
"""
    rows = python(script, env, code)
    assert isinstance(rows, list)
    return {(int(name[1:]), item): (seq, value) for name, item, seq, value in rows}


def phone(index: int, base: str, code: str, stop: threading.Event, figures: Figures) -> None:
    browser = Browser(base)
    rng = random.Random(index)
    status, page, _ = browser.request(f"/w/{code}")
    match = META_TOKEN.search(page.decode())
    csrf = match.group(1) if match else ""
    form = f"csrf_token={csrf}&name=P{index}&role=exec".encode()
    status, _, _ = browser.request(
        f"/w/{code}/join", form, {"Content-Type": "application/x-www-form-urlencoded"}
    )
    if status not in (200, 302):
        figures.error(f"join {status}")
        return
    etag: str | None = None
    voted: set[str] = set()
    revealed: set[str] = set()
    seq = 0
    time.sleep(rng.random() * POLL)
    while not stop.is_set():
        started = time.monotonic()
        status, body, headers = browser.request(
            f"/w/{code}/state", headers={"If-None-Match": etag} if etag else {}
        )
        with figures.lock:
            figures.polls.append((started, time.monotonic()))
        if status == 304:
            with figures.lock:
                figures.not_modified += 1
        elif status == 200:
            etag = headers.get("ETag")
            state = json.loads(body)
            item = (state.get("item") or {}).get("id")
            if state["phase"] == "voting" and item and item not in voted:
                seq += 1
                value = str(rng.randint(1, 5))
                payload = json.dumps({"item": item, "value": value, "client_seq": seq}).encode()
                t0 = time.monotonic()
                answer, _, _ = browser.request(
                    f"/w/{code}/vote",
                    payload,
                    {"Content-Type": "application/json", "X-CSRFToken": csrf},
                )
                with figures.lock:
                    figures.votes.append((t0, time.monotonic()))
                if answer == 200:
                    voted.add(item)
                    with figures.lock:
                        figures.acked[(index, item)] = (seq, value)
                elif answer != 409:  # 409: the reveal came first, which is the room's rule
                    figures.error(f"vote {answer}")
            if state["phase"] in ("revealed", "agreed") and item and item not in revealed:
                revealed.add(item)
                with figures.lock:
                    figures.seen_reveal.setdefault(item, []).append(time.monotonic())
        else:
            figures.error(f"state {status}")
        stop.wait(max(0.0, POLL - (time.monotonic() - started)))


def phones_process(indices: list[int], base: str, code: str, stop: Any, conn: Any) -> None:
    """Some of the room's phones, as threads of one process (several processes share the load, so
    the generator's own GIL does not inflate the latencies it measures)."""
    figures = Figures()
    local = threading.Event()
    threads = [
        threading.Thread(target=phone, args=(i, base, code, local, figures), daemon=True)
        for i in indices
    ]
    for thread in threads:
        thread.start()
    stop.wait()
    local.set()
    for thread in threads:
        thread.join(timeout=40)
    conn.send(
        {
            "votes": figures.votes,
            "polls": figures.polls,
            "not_modified": figures.not_modified,
            "errors": figures.errors,
            "seen_reveal": figures.seen_reveal,
            "acked": list(figures.acked.items()),
        }
    )
    conn.close()


def run(
    phones: int, items: int, discussion: float, database_url: str | None, processes: int
) -> None:
    folder = Path(tempfile.mkdtemp(prefix="planner-workshop-"))
    url = database_url or f"sqlite:///{folder / 'workshop.sqlite3'}"
    env = {
        **os.environ,
        "PLANNER_DATABASE_URL": url,
        "PLANNER_SECRET_KEY": "workshop",
        "PLANNER_PRERENDER_SECONDS": "null",  # measured on its own in bench/report.py
    }
    subprocess.run(
        [sys.executable, "-m", "planner.cli", "db", "upgrade"],
        env=env,
        check=True,
        capture_output=True,
    )
    email = f"workshop-{uuid.uuid4().hex[:8]}@example.com"
    assessment = seed(env, email)
    port = free_port()
    server = start_server(env, port)
    disk = DiskProbe(folder)
    disk.start()
    base = f"http://127.0.0.1:{port}"
    figures = Figures()
    try:
        facilitator = Browser(base)
        login = FORM_TOKEN.search(facilitator.request("/login")[1].decode())
        facilitator.request(
            "/login",
            f"csrf_token={login.group(1) if login else ''}&email={email}&password={PASSWORD.replace(' ', '+')}".encode(),
            {"Content-Type": "application/x-www-form-urlencoded"},
        )
        page = facilitator.request(f"/assessments/{assessment}/workshop")[1].decode()
        found = CODE.search(page)
        if found is None:
            raise SystemExit("the facilitator screen shows no join code (log-in failed?)")
        code = found.group(1)
        csrf_match = META_TOKEN.search(page)
        csrf = csrf_match.group(1) if csrf_match else ""
        context = multiprocessing.get_context("fork")
        done = context.Event()
        workers = []
        for k in range(processes):
            mine, theirs = context.Pipe(duplex=False)
            worker = context.Process(
                target=phones_process,
                args=(list(range(k, phones, processes)), base, code, done, theirs),
                daemon=True,
            )
            worker.start()
            workers.append((worker, mine))
        time.sleep(POLL * 3)  # everyone has joined and polls

        def control(action: str, **fields: object) -> dict[str, object]:
            status, body, _ = facilitator.request(
                f"/w/{code}/control",
                json.dumps({"action": action, **fields}).encode(),
                {"Content-Type": "application/json", "X-CSRFToken": csrf},
            )
            if status != 200:
                figures.error(f"control {action} {status}")
                return {}
            return dict(json.loads(body))

        reveal_at: dict[str, float] = {}
        for _ in range(items):
            state = control("next")
            item = str((state.get("item") or {}).get("id"))  # type: ignore[union-attr]
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline:  # until every phone has voted
                status, body, _ = facilitator.request(f"/w/{code}/state")
                if status == 200 and json.loads(body).get("votes", 0) >= phones:
                    break
                time.sleep(0.2)
            reveal_at[item] = time.monotonic()
            control("reveal")
            time.sleep(POLL + 1.0 + discussion)  # one poll for every phone to see it, then talk
            control("agree", value="3")
        done.set()
        for worker, conn in workers:
            part = conn.recv()
            worker.join(timeout=60)
            figures.votes += part["votes"]
            figures.polls += part["polls"]
            figures.not_modified += part["not_modified"]
            for what, n in part["errors"].items():
                figures.errors[what] = figures.errors.get(what, 0) + n
            for item, seen in part["seen_reveal"].items():
                figures.seen_reveal.setdefault(item, []).extend(seen)
            figures.acked.update({tuple(key): tuple(value) for key, value in part["acked"]})
        reveal_lag = []
        for item, at in reveal_at.items():
            seen = figures.seen_reveal.get(item, [])
            if len(seen) < phones:
                figures.error("a phone did not see a reveal")
            if seen:
                reveal_lag.append(max(seen) - at)
        disk.stopping.set()
        disk.join()
        stalls = [(a, b) for a, b in disk.spans if b - a > DISK_STALL]
        stored = stored_votes(env, code)
        lost = sum(1 for key, acked in figures.acked.items() if stored.get(key) != acked)
        database = url.split(":", 1)[0].split("+", 1)[0]
        polls = len(figures.polls)
        print(
            f"workshop on {database}: {phones} phones in {processes} processes, {items} items, "
            f"{discussion:g} s of discussion after each reveal, gunicorn 2 workers x 8 threads"
        )
        votes = [b - a for a, b in figures.votes]
        polls_s = [b - a for a, b in figures.polls]
        slow = [v for v in figures.votes if v[1] - v[0] > VOTE_P99]
        print(
            f"votes: {len(votes)}, p50 {percentile(votes, 0.5) * 1000:.0f} ms, "
            f"p99 {percentile(votes, 0.99) * 1000:.0f} ms, max {max(votes, default=0) * 1000:.0f} ms; "
            f"over {VOTE_P99 * 1000:.0f} ms: {len(slow)}, "
            f"{sum(1 for v in slow if overlaps(v, stalls))} of them beside a disk stall"
        )
        print(
            f"state polls: {polls}, p50 {percentile(polls_s, 0.5) * 1000:.0f} ms, "
            f"p99 {percentile(polls_s, 0.99) * 1000:.0f} ms, "
            f"304: {100 * figures.not_modified / max(polls, 1):.0f}%"
        )
        fsyncs = [b - a for a, b in disk.spans]
        print(
            f"disk: {len(fsyncs)} fsyncs, max {max(fsyncs, default=0) * 1000:.0f} ms, "
            f"stalls over {DISK_STALL * 1000:.0f} ms: {len(stalls)}"
        )
        if reveal_lag:
            print(
                f"reveal -> last phone saw it: median {sorted(reveal_lag)[len(reveal_lag) // 2]:.2f} s, "
                f"max {max(reveal_lag):.2f} s (polling every {POLL:g} s)"
            )
        print(f"errors: {figures.errors or 'none'}")
        print(f"acknowledged votes lost: {lost} of {len(figures.acked)}")
    finally:
        disk.stopping.set()
        server.terminate()
        server.wait(timeout=20)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--phones", type=int, default=200)
    parser.add_argument("--items", type=int, default=10)
    parser.add_argument("--discussion", type=float, default=8.0)
    parser.add_argument("--database-url")
    parser.add_argument("--processes", type=int, default=4, help="processes simulating the phones")
    parser.add_argument(
        "--runs", type=int, default=1, help="consecutive runs, each on a fresh session"
    )
    args = parser.parse_args()
    for number in range(args.runs):
        if args.runs > 1:
            print(f"## run {number + 1} of {args.runs}")
        run(args.phones, args.items, args.discussion, args.database_url, args.processes)


if __name__ == "__main__":
    main()
