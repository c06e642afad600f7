"""Which language a request is served in: the respondent's or user's choice, else the browser's."""

from __future__ import annotations

from flask import current_app, request, session

LANGUAGES = ("en", "vi")
NAMES = {"en": "English", "vi": "Tiếng Việt"}


def select_locale() -> str:
    chosen = session.get("lang")
    if chosen in LANGUAGES:
        return str(chosen)
    best = request.accept_languages.best_match(LANGUAGES)
    return best or str(current_app.config.get("BABEL_DEFAULT_LOCALE", "en"))
