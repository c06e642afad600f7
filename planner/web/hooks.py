"""Per-request hooks: the signed-in user, a request id for the logs, security headers."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Flask, g, redirect, request, session, url_for
from flask.typing import ResponseReturnValue

from planner.services import accounts

CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)


def register(app: Flask) -> None:
    @app.before_request
    def load_user() -> None:
        g.request_id = request.headers.get("X-Request-Id", "")[:64] or secrets.token_hex(8)
        g.user = None
        user_id = session.get("user_id")
        if user_id is not None:
            g.user = accounts.get_user(int(user_id))

    @app.after_request
    def headers(response: Any) -> Any:
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers["X-Request-Id"] = g.get("request_id", "")
        return response

    @app.context_processor
    def template_globals() -> dict[str, Any]:
        from planner.i18n import NAMES, select_locale

        return {"current_user": g.get("user"), "locale": select_locale(), "language_names": NAMES}


def login_required(view: Callable[..., ResponseReturnValue]) -> Callable[..., ResponseReturnValue]:
    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> ResponseReturnValue:
        if g.get("user") is None:
            return redirect(
                url_for("auth.login", next=request.full_path if request.method == "GET" else None)
            )
        return view(*args, **kwargs)

    return wrapped


def org_id() -> int:
    return int(g.user.organisation_id)
