"""Every refusal is a 4xx page (or JSON for autosave) with a clear message; never a traceback."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, g, jsonify, make_response, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException

from planner.database import DatabaseBusy
from planner.services import ServiceError

log = logging.getLogger("planner")


def _wants_json() -> bool:
    return request.is_json or request.accept_mimetypes.best == "application/json"


def _page(status: int, message: str) -> Any:
    if _wants_json():
        return jsonify({"error": message}), status
    return render_template("error.html", status=status, message=message), status


def register(app: Flask) -> None:
    @app.errorhandler(ServiceError)
    def service_error(exc: ServiceError) -> Any:
        return _page(exc.status, str(exc))

    @app.errorhandler(CSRFError)
    def csrf_error(exc: CSRFError) -> Any:
        return _page(
            400, "The form expired or was sent from elsewhere. Reload the page and try again."
        )

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> Any:
        return _page(exc.code or 500, exc.description or exc.name)

    @app.errorhandler(OperationalError)
    @app.errorhandler(DatabaseBusy)
    def database_unavailable(exc: Exception) -> Any:
        """SQLite's lock held past the busy timeout, or PostgreSQL restarting: try again soon."""
        log.warning("database unavailable (request %s): %s", g.get("request_id"), exc)
        response = make_response(
            _page(503, "The database is busy. Your answer was not saved yet; it is retried.")
        )
        response.headers["Retry-After"] = "2"
        return response

    @app.errorhandler(Exception)
    def unexpected(exc: Exception) -> Any:
        log.exception("unhandled error (request %s)", g.get("request_id"))
        return _page(
            500, f"Something went wrong on our side (reference {g.get('request_id', '-')})."
        )
