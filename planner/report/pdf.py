"""HTML -> PDF with WeasyPrint, outside any request, through a fetcher that only serves our own assets."""

from __future__ import annotations

import base64
import mimetypes
import re
from datetime import date
from html import unescape
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import jinja2
from markupsafe import Markup

from planner import formats
from planner.answers import Loaded
from planner.engine.findings import tentative
from planner.inputs import shown
from planner.report.content import Brand, Report, build_report

REPORTS_DIR = Path(__file__).resolve().parents[2] / "reports"


class RestrictedFetcher:
    """Serves `data:` URIs and files under the report folder; refuses everything else.

    Built lazily on WeasyPrint's URLFetcher so importing this module stays cheap.
    """

    def __new__(cls, roots: tuple[Path, ...] = (REPORTS_DIR,)) -> Any:
        from weasyprint.urls import URLFetcher, URLFetcherResponse

        allowed = tuple(r.resolve() for r in roots)

        class _Fetcher(URLFetcher):  # type: ignore[misc]
            def fetch(self, url: str, headers: Any = None) -> Any:
                parsed = urlparse(url)
                if parsed.scheme == "data":
                    return super().fetch(url, headers)
                if parsed.scheme == "file" and parsed.netloc in ("", "localhost"):
                    path = Path(unquote(parsed.path)).resolve()
                    if any(path.is_relative_to(root) for root in allowed) and path.is_file():
                        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": kind})
                raise ValueError(
                    f"refused to fetch {url[:80]!r}: only the report's own assets are served"
                )

        return _Fetcher(timeout=1, allowed_protocols=("data", "file"), allow_redirects=False)


def _environment(reports_dir: Path) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(reports_dir)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=shown,  # right-to-left and bidi-control text is isolated (DESIGN §11)
    )
    # Numbers and dates in the report's language (Babel): 2,35 and 03/12/2026 in Vietnamese.
    env.filters["num"] = jinja2.pass_context(
        lambda ctx, v, digits=2: formats.number(v, ctx["lang"], digits)
    )
    env.filters["short"] = jinja2.pass_context(lambda ctx, v: formats.short(v, ctx["lang"]))
    env.filters["pct"] = jinja2.pass_context(lambda ctx, v: formats.percent(v, ctx["lang"]))
    env.filters["progress"] = jinja2.pass_context(
        lambda ctx, v: formats.percent(None if v is None else v / 100, ctx["lang"])
    )
    env.filters["long_day"] = jinja2.pass_context(lambda ctx, v: formats.long_day(v, ctx["lang"]))
    env.tests["tentative"] = tentative
    env.filters["chart"] = chart_image
    return env


_SVG_CLASS = re.compile(r'class="([^"]*)"')
_SVG_LABEL = re.compile(r'aria-label="([^"]*)"')


def chart_image(svg: str) -> Markup:
    """A chart as an `<img>` of a `data:` SVG: WeasyPrint then reads it with ElementTree rather than
    through the HTML parser, which is pure Python and the slower half of reading the report."""
    head = svg[: svg.find(">") + 1]
    kind = _SVG_CLASS.search(head)
    label = _SVG_LABEL.search(head)
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return Markup('<img class="{}" alt="{}" src="data:image/svg+xml;base64,{}">').format(
        unescape(kind.group(1)) if kind else "chart",
        unescape(label.group(1)) if label else "",
        data,
    )


def render_html(
    report: Report, reports_dir: Path = REPORTS_DIR, screen_css: str | None = None
) -> str:
    """The report's HTML; with `screen_css`, a browser preview that links that stylesheet."""
    template = _environment(reports_dir).get_template("report.html")
    return template.render(r=report, t=report.t, lang=report.lang, screen_css=screen_css)


def html_to_pdf(html: str, output: Path, reports_dir: Path = REPORTS_DIR) -> int:
    """Write the PDF; return its page count."""
    from weasyprint import CSS, HTML

    fetcher = RestrictedFetcher((reports_dir,))
    stylesheet = CSS(filename=str(reports_dir / "print.css"), url_fetcher=fetcher)
    document = HTML(string=html, base_url=reports_dir.as_uri() + "/", url_fetcher=fetcher).render(
        stylesheets=[stylesheet]
    )
    document.write_pdf(str(output))  # the document keeps the HTML's fetcher for attachments
    return len(document.pages)


def render_report(
    loaded: Loaded,
    output: Path,
    html_out: Path | None = None,
    today: date | None = None,
    brand: Brand | None = None,
) -> int:
    html = render_html(build_report(loaded, today, brand))
    if html_out is not None:
        html_out.write_text(html, encoding="utf-8")
    return html_to_pdf(html, output)
