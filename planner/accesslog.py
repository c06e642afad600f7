"""Gunicorn's access log without secrets: link tokens in paths are replaced before the line is written.

Invitation, share and colleague links carry their token in the path on the first visit (it is
swapped for a cookie at once, DESIGN §11), and gunicorn logs the path, the raw URI and the
Referer. Use with `gunicorn --logger-class planner.accesslog.RedactingLogger`.
"""

from __future__ import annotations

import re
from typing import Any

from gunicorn.glogging import Logger

_TOKEN_PATH = re.compile(r"(/(?:r|s|invite)/)[^/?#\s\"]+")
_TOKEN_QUERY = re.compile(r"((?:^|[?&])token=)[^&\s\"]+")


def redact(text: str) -> str:
    return _TOKEN_QUERY.sub(r"\1[redacted]", _TOKEN_PATH.sub(r"\1[redacted]", text))


class RedactingLogger(Logger):  # type: ignore[misc]
    def atoms(self, resp: Any, req: Any, environ: Any, request_time: Any) -> dict[str, Any]:
        atoms: dict[str, Any] = super().atoms(resp, req, environ, request_time)
        return {key: redact(v) if isinstance(v, str) else v for key, v in atoms.items()}
