"""Per-request hooks: the signed-in user, a request id for the logs, security headers."""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Flask, g, redirect, request, session, url_for
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import BadRequest, SecurityError
from werkzeug.wsgi import get_host

from planner import formats
from planner.engine.findings import tentative
from planner.inputs import shown
from planner.services import accounts

_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")

CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)


def register(app: Flask) -> None:
    app.jinja_env.finalize = shown  # right-to-left and bidi-control text is isolated where shown
    app.jinja_env.tests["tentative"] = tentative  # a score resting on too few answers
    # Numbers in the given language (the assessment's, on results pages): 2.35 / 2,35.
    app.jinja_env.filters["num"] = formats.number
    app.jinja_env.filters["short"] = formats.short
    app.jinja_env.filters["pct"] = formats.percent
    app.jinja_env.filters["day"] = formats.day
    app.wsgi_app = _refuse_unknown_hosts(app, app.wsgi_app)  # type: ignore[method-assign]

    @app.before_request
    def load_user() -> None:
        given = request.headers.get("X-Request-Id", "")
        g.request_id = given if _REQUEST_ID.fullmatch(given) else secrets.token_hex(8)
        g.user = None
        user_id = session.get("user_id")
        if isinstance(user_id, int):
            g.user = accounts.session_user(user_id, str(session.get("sid", "")))
            if g.user is None:
                session.pop("user_id", None)  # logged out elsewhere: this copy ends too
                session.pop("sid", None)

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


def _refuse_unknown_hosts(app: Flask, inner: Any) -> Any:
    """A 400 for a Host outside TRUSTED_HOSTS, before Flask builds its request context.

    Flask checks the host while creating the context, outside its error handling, so the
    refusal would otherwise reach the server as an unhandled exception (a 500).
    """

    def wsgi(environ: dict[str, Any], start_response: Any) -> Any:
        try:
            get_host(environ, trusted_hosts=app.config["TRUSTED_HOSTS"])
        except SecurityError:
            refusal = BadRequest("This address is not served here.")
            return refusal(environ, start_response)
        return inner(environ, start_response)

    return wsgi


def login_required(view: Callable[..., ResponseReturnValue]) -> Callable[..., ResponseReturnValue]:
    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> ResponseReturnValue:
        if g.get("user") is None:
            return redirect(
                url_for("auth.login", next=request.full_path if request.method == "GET" else None)
            )
        return view(*args, **kwargs)

    wrapped.requires_login = True  # type: ignore[attr-defined]  # the tenancy matrix finds routes by it
    return wrapped


def org_id() -> int:
    return int(g.user.organisation_id)
