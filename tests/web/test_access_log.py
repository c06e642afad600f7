"""No link token reaches gunicorn's access log (DESIGN §11), through a real gunicorn."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from planner.accesslog import redact


def test_redact_hides_tokens_in_paths_queries_and_referers():
    line = 'GET /r/AbC-123_x?x=1 HTTP/1.1 "http://h/s/Tok3n/report.pdf" /invite/zzz ?token=k'
    cleaned = redact(line)
    for secret in ("AbC-123_x", "Tok3n", "zzz", "token=k"):
        assert secret not in cleaned
    assert "/r/[redacted]?x=1" in cleaned
    assert redact("GET /respond/page/2 HTTP/1.1") == "GET /respond/page/2 HTTP/1.1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.slow
def test_gunicorn_logs_the_visit_without_the_token(tmp_path: Path):
    database = f"sqlite:///{tmp_path / 'log.sqlite3'}"
    env = {**os.environ, "PLANNER_DATABASE_URL": database, "PLANNER_SECRET_KEY": "log-test"}
    seed = """
from pathlib import Path
from planner import create_app
from planner.migrate import upgrade
from planner.services import accounts, assessments, clients
app = create_app()
upgrade(app.config["DATABASE_URL"])
with app.app_context():
    user = accounts.sign_up("Log", "Log", "log@example.com", "log password 123")
    client = clients.create(user.organisation_id, "Log Co")
    a = assessments.create(user.organisation_id, client.id, "Log", "en", ["idic"], Path(app.config["FRAMEWORKS_DIR"]))
    assessments.set_status(user.organisation_id, a.id, "open")
    print(assessments.add_respondent(user.organisation_id, a.id, "R", "exec", None).token)
"""
    token = subprocess.run(
        [sys.executable, "-c", seed], env=env, capture_output=True, text=True, check=True
    ).stdout.split()[-1]
    port = free_port()
    log = tmp_path / "access.log"
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", "1",
         "--access-logfile", str(log), "--logger-class", "planner.accesslog.RedactingLogger",
         "planner:create_app()"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/login", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
        page = opener.open(base + f"/r/{token}", timeout=5)  # follows to /respond
        assert page.status == 200
        assert page.url.endswith("/respond")
        time.sleep(0.3)
        written = log.read_text(encoding="utf-8")
        assert "/r/[redacted]" in written
        assert token not in written
    finally:
        server.terminate()
        server.wait(10)
