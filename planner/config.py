"""Configuration: defaults, then PLANNER_* environment variables, then the test mapping."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from flask import Flask

ROOT = Path(__file__).resolve().parents[1]

DEFAULTS: dict[str, Any] = {
    "SECRET_KEY": None,  # generated into the instance folder when not configured
    "DATABASE_URL": None,  # default: SQLite in the instance folder
    "FRAMEWORKS_DIR": str(ROOT / "frameworks"),
    "REPORTS_DIR": str(ROOT / "reports"),
    "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
    "UPLOAD_MAX_BYTES": 1_000_000,
    "INVITATION_DAYS": 30,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_SECURE": False,
    "PERMANENT_SESSION_LIFETIME": 60 * 60 * 24 * 14,
    "WTF_CSRF_TIME_LIMIT": None,  # a workshop outlives an hour: the token lives as long as the session
    "BABEL_DEFAULT_LOCALE": "en",
    "LANGUAGES": ["en", "vi"],
    "PDF_TIMEOUT": 60,
    "REDIS_URL": None,  # PLANNER_REDIS_URL: render PDFs on RQ workers instead of in-process
    # Every absolute link (invitations, share links) is built from this, never from the Host header.
    "BASE_URL": "http://127.0.0.1:5000",
    # Hosts a request may name (PLANNER_TRUSTED_HOSTS='["planner.example"]'); others get a 400.
    # Default: the BASE_URL's host, localhost and 127.0.0.1.
    "TRUSTED_HOSTS": None,
    "SQLITE_BUSY_SECONDS": 5,  # a write that cannot get the lock this long answers 503
    # Writers of one process that stay queued once the queue has not moved for 1 s; the others
    # get a 503 at once, so the server's other threads go on serving pages.
    "SQLITE_WRITERS_WAITING": 3,
    "WARM_CATALOGS": True,
    # Render an assessment's report this long after its answers, targets or roadmap last changed,
    # in the background, so "download" is served from the cache; null turns it off.
    "PRERENDER_SECONDS": 30,  # build the pinned catalogs in create_app, before the first request
    # E-mail invitations and reminders: smtp://user:pass@host:587?starttls=1 or smtps://host;
    # without it the pages show a ready-to-copy message instead (planner/mail.py)
    "SMTP_URL": None,
    "MAIL_FROM": None,  # default: the SMTP user when it is an address, else planner@<BASE_URL host>
    "REMINDER_DAYS": 3,  # `planner reminders send` reminds this many days before a deadline
}


def load(app: Flask, test_config: Mapping[str, Any] | None) -> None:
    app.config.from_mapping(DEFAULTS)
    app.config.from_prefixed_env("PLANNER")
    if test_config is not None:
        app.config.from_mapping(test_config)
    instance = Path(app.instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    if not app.config["SECRET_KEY"]:
        key_file = instance / "secret_key"
        if not key_file.exists():
            import secrets

            key_file.write_text(secrets.token_hex(32), encoding="utf-8")
            key_file.chmod(0o600)
        app.config["SECRET_KEY"] = key_file.read_text(encoding="utf-8").strip()
    url = app.config["DATABASE_URL"] or f"sqlite:///{instance / 'planner.sqlite3'}"
    app.config["DATABASE_URL"] = url
    app.config["SQLALCHEMY_ENGINES"] = {
        "default": engine_options(url, float(app.config["SQLITE_BUSY_SECONDS"]))
    }
    base = urlsplit(str(app.config["BASE_URL"]))
    if base.scheme not in ("http", "https") or not base.hostname:
        raise ValueError(f"PLANNER_BASE_URL must be an http(s) URL, not {app.config['BASE_URL']!r}")
    app.config["BASE_URL"] = f"{base.scheme}://{base.netloc}{base.path.rstrip('/')}"
    if app.config["SMTP_URL"]:
        from planner.mail import server_of

        server_of(str(app.config["SMTP_URL"]))  # a MailConfigError now, not at the first send
    if app.config["TRUSTED_HOSTS"] is None:
        named = {base.hostname, "localhost", "127.0.0.1"}
        if app.config.get("SERVER_NAME"):
            named.add(str(app.config["SERVER_NAME"]).split(":", 1)[0])
        app.config["TRUSTED_HOSTS"] = sorted(named)


def engine_options(url: str, busy_seconds: float = 5) -> dict[str, Any]:
    if url.startswith("sqlite"):
        return {"url": url, "connect_args": {"timeout": busy_seconds, "check_same_thread": False}}
    return {"url": url, "pool_pre_ping": True}
