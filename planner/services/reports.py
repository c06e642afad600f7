"""The PDF of an assessment: HTML built here, laid out by WeasyPrint in a child process, cached by hash."""

from __future__ import annotations

import hashlib
import os
import threading
from pathlib import Path

from planner import isolation
from planner.answers import Loaded
from planner.models import Assessment
from planner.pdf import html_to_pdf, render_html
from planner.report import Brand, build_report
from planner.services import ServiceError
from planner.services import assessments as assessment_service

MEMORY_LIMIT = 2 * 1024 * 1024 * 1024


def report_html(assessment: Assessment, brand: Brand | None = None) -> str:
    catalog = assessment_service.catalog_of(assessment)
    loaded = Loaded(
        assessment_service.as_answers(assessment),
        catalog,
        tuple(assessment_service.frameworks_of(assessment, catalog)),
    )
    return render_html(build_report(loaded, brand=brand))


def pdf_for(assessment: Assessment, cache_dir: Path, timeout: float) -> Path:
    """The report's PDF, rendered at most once per distinct HTML (never inside a transaction)."""
    html = report_html(assessment)
    digest = hashlib.sha256(html.encode()).hexdigest()
    cache_dir.mkdir(parents=True, exist_ok=True)
    target = cache_dir / f"{digest}.pdf"
    if target.exists():
        return target
    partial = cache_dir / f"{digest}.{os.getpid()}.{threading.get_ident()}.part"
    try:
        isolation.run(html_to_pdf, (html, partial), timeout, MEMORY_LIMIT)
    except isolation.Timeout:
        raise ServiceError(
            "The report took too long to render. Try again in a moment.", 503
        ) from None
    except isolation.Failed:
        raise ServiceError(
            "The report could not be rendered. Try again in a moment.", 503
        ) from None
    finally:
        if not target.exists() and partial.exists() and partial.stat().st_size == 0:
            partial.unlink()
    partial.replace(target)
    return target
