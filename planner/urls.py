"""Absolute links from PLANNER_BASE_URL, never from the request's Host header (DESIGN §11).

Invitations, share links and colleague invitations end up in e-mails and chat messages; a link
built from the Host header would let anyone who can send a request choose where they point.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import current_app


def absolute(endpoint: str, **values: Any) -> str:
    """The full URL of an endpoint under BASE_URL (e.g. http://192.168.1.20:5000/r/<token>)."""
    base = urlsplit(current_app.config["BASE_URL"])
    adapter = current_app.url_map.bind(
        base.netloc, script_name=base.path or "/", url_scheme=base.scheme
    )
    return adapter.build(endpoint, values, force_external=True)
