"""Benchmark: the six-model report. Pages, seconds, peak memory, our overhead over bare WeasyPrint on
the same HTML, and the time to serve an unchanged report from the cache.

Run: .venv/bin/python bench/report.py [--answers FILE ...] [--repeat 3]
(default: the English and the Vietnamese six-model examples, one after the other)
"""

from __future__ import annotations

import argparse
import re
import resource
import statistics
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--answers",
        nargs="+",
        default=[str(ROOT / "examples" / f"all-models-{lang}.yaml") for lang in ("en", "vi")],
    )
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rows = [measure(Path(answers), args.repeat) for answers in args.answers]
    print()
    print(
        "| report | pages | ours (s) | bare WeasyPrint (s) | overhead | background render ready (s) | cached web download (ms) |"
    )
    print("|---|---|---|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


def measure(answers: Path, repeat: int) -> list[str]:
    started = time.perf_counter()
    import weasyprint

    from planner.answers import read_answers
    from planner.report.content import build_report
    from planner.report.pdf import REPORTS_DIR, RestrictedFetcher, html_to_pdf, render_html

    imports = time.perf_counter() - started
    out = Path(tempfile.mkdtemp()) / "report.pdf"
    ours, bare, builds, pages = [], [], [], 0
    for _ in range(repeat):
        t0 = time.perf_counter()
        html = render_html(build_report(read_answers(answers)))
        t1 = time.perf_counter()
        pages = html_to_pdf(html, out)
        t2 = time.perf_counter()
        builds.append(t1 - t0)
        ours.append(t2 - t0)
        t3 = time.perf_counter()
        weasyprint.HTML(
            string=html, base_url=REPORTS_DIR.as_uri() + "/", url_fetcher=RestrictedFetcher()
        ).write_pdf(
            str(out) + ".bare.pdf",
            stylesheets=[weasyprint.CSS(filename=str(REPORTS_DIR / "print.css"))],
        )
        bare.append(time.perf_counter() - t3)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    # the cached download: what the web app does for an unchanged report (key, then read the file)
    cached = []
    for _ in range(20):
        t0 = time.perf_counter()
        data = out.read_bytes()
        cached.append(time.perf_counter() - t0)
    print(f"report: {answers}")
    print(f"pages {pages}, {len(data) / 1024:.0f} KB; imports {imports:.2f} s (once per process)")
    print(
        f"ours (scoring + HTML + layout): median {statistics.median(ours):.2f} s; of which HTML {statistics.median(builds):.2f} s"
    )
    print(f"bare WeasyPrint on the same HTML: median {statistics.median(bare):.2f} s")
    print(f"overhead: {statistics.median(ours) / statistics.median(bare):.2f}x (target <= 1.2x)")
    print(f"peak memory (this process): {peak_mb:.0f} MB")
    print(f"cached PDF read: median {statistics.median(cached) * 1000:.2f} ms")
    ready, download = web_cached(answers)
    print(
        f"background render ready {ready:.1f} s after the import (PRERENDER_SECONDS={PRERENDER}); "
        f"web download of it (log-in session, cache key + file): median {download * 1000:.1f} ms"
    )
    return [
        answers.name,
        str(pages),
        f"{statistics.median(ours):.2f}",
        f"{statistics.median(bare):.2f}",
        f"{statistics.median(ours) / statistics.median(bare):.2f}x",
        f"{ready:.1f}",
        f"{download * 1000:.1f}",
    ]


PRERENDER = 1.0


def web_cached(answers: Path) -> tuple[float, float]:
    """Import the answers through the app, wait for the background render nobody asked for, then
    GET /assessments/<id>/report.pdf as a logged-in consultant: (seconds to ready, download)."""
    from planner import create_app
    from planner.extensions import db
    from planner.models import Base
    from planner.services import accounts, branding, exchange, reports

    folder = Path(tempfile.mkdtemp())
    app = create_app(
        {
            "SECRET_KEY": "bench",
            "DATABASE_URL": f"sqlite:///{folder / 'b.sqlite3'}",
            "RATE_LIMITS": False,
            "PRERENDER_SECONDS": PRERENDER,
        }
    )
    app.instance_path = str(folder)
    with app.test_request_context():
        Base.metadata.create_all(db.engine)
        user = accounts.sign_up("Bench", "Bench", "bench@example.com", "bench password 1")
        imported = time.monotonic()
        assessment = exchange.import_answers(
            user.organisation_id, answers.read_bytes(), answers.name, ROOT / "frameworks"
        )
        assessment_id = assessment.id
        path = reports.cached_path(
            reports.cache_folder(app),
            reports.report_key(assessment, branding.brand_of(user.organisation_id)),
        )
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    logged_in = client.post(
        "/login",
        data={
            "csrf_token": token.group(1) if token else "",
            "email": "bench@example.com",
            "password": "bench password 1",
        },
    )
    if logged_in.status_code != 302:
        raise SystemExit(f"log-in failed ({logged_in.status_code})")
    while not path.exists():  # nobody asks: the render starts by itself once the answers settle
        if time.monotonic() > imported + 120:
            raise SystemExit("no background render within 120 s")
        time.sleep(0.05)
    ready = time.monotonic() - imported
    times = []
    for _ in range(20):
        t0 = time.perf_counter()
        response = client.get(f"/assessments/{assessment_id}/report.pdf")
        times.append(time.perf_counter() - t0)
        assert response.status_code == 200
    return ready, statistics.median(times)


if __name__ == "__main__":
    main()
