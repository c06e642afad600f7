"""Redirect targets: a user-supplied `next` survives only as a same-site path (DESIGN §11)."""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

from flask import url_for

_INVISIBLE = re.compile(r"[\s\x00-\x1f\x7f-\x9f]")


def _same_site_path(target: str) -> bool:
    parts = urlsplit(target)
    return (
        target.startswith("/")
        and not target.startswith("//")
        and "\\" not in target
        and not parts.scheme
        and not parts.netloc
    )


def safe_next(target: str | None, fallback_endpoint: str = "clients.dashboard") -> str:
    """`target` when it is a path on this site, else the fallback page.

    Browsers ignore tabs and newlines inside URLs and read a backslash as a slash, so
    `/%09/evil.com` or `/\\evil.com` would leave the site: those characters are stripped (or the
    target refused) before the check.
    """
    if target:
        cleaned = _INVISIBLE.sub("", target)
        decoded = _INVISIBLE.sub("", unquote(cleaned))  # judged as a browser might read it, too
        if all(_same_site_path(form) for form in (cleaned, decoded)):
            return cleaned
    return url_for(fallback_endpoint)
