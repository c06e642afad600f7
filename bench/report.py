"""Benchmark: the six-model report. Pages, seconds, peak memory, our overhead over bare WeasyPrint on
the same HTML, and the time to serve an unchanged report from the cache.

Run: .venv/bin/python bench/report.py [--answers examples/all-models-en.yaml] [--repeat 3]
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
    parser.add_argument("--answers", default=str(ROOT / "examples" / "all-models-en.yaml"))
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    started = time.perf_counter()
    import weasyprint

    from planner.answers import read_answers
    from planner.pdf import REPORTS_DIR, RestrictedFetcher, html_to_pdf, render_html
    from planner.report import build_report

    imports = time.perf_counter() - started
    out = Path(tempfile.mkdtemp()) / "report.pdf"
    ours, bare, builds, pages = [], [], [], 0
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        html = render_html(build_report(read_answers(Path(args.answers))))
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
    print(f"report: {args.answers}")
    print(f"pages {pages}, {len(data) / 1024:.0f} KB; imports {imports:.2f} s (once per process)")
    print(
        f"ours (scoring + HTML + layout): median {statistics.median(ours):.2f} s; of which HTML {statistics.median(builds):.2f} s"
    )
    print(f"bare WeasyPrint on the same HTML: median {statistics.median(bare):.2f} s")
    print(f"overhead: {statistics.median(ours) / statistics.median(bare):.2f}x (target <= 1.2x)")
    print(f"peak memory (this process): {peak_mb:.0f} MB")
    print(f"cached PDF read: median {statistics.median(cached) * 1000:.2f} ms")
    print(
        f"web download of an unchanged report (cache key + file): median {web_cached(Path(args.answers)) * 1000:.1f} ms"
    )


def web_cached(answers: Path) -> float:
    """GET /assessments/<id>/report.pdf through the Flask app once the PDF is cached."""
    from planner import create_app
    from planner.extensions import db
    from planner.models import Base
    from planner.services import accounts, exchange

    folder = Path(tempfile.mkdtemp())
    app = create_app(
        {
            "SECRET_KEY": "bench",
            "DATABASE_URL": f"sqlite:///{folder / 'b.sqlite3'}",
            "RATE_LIMITS": False,
        }
    )
    app.instance_path = str(folder)
    with app.app_context():
        Base.metadata.create_all(db.engine)
        user = accounts.sign_up("Bench", "Bench", "bench@example.com", "bench password 1")
        assessment = exchange.import_answers(
            user.organisation_id, answers.read_bytes(), answers.name, ROOT / "frameworks"
        )
        assessment_id = assessment.id
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
    first = client.get(f"/assessments/{assessment_id}/report.pdf")
    status_url = first.headers["Location"]
    deadline = time.monotonic() + 120
    while client.get(status_url + "?format=json").get_json()["state"] not in ("done", "failed"):
        if time.monotonic() > deadline:
            raise SystemExit("the render did not finish")
        time.sleep(0.2)
    times = []
    for _ in range(20):
        t0 = time.perf_counter()
        response = client.get(f"/assessments/{assessment_id}/report.pdf")
        times.append(time.perf_counter() - t0)
        assert response.status_code == 200
    return statistics.median(times)


if __name__ == "__main__":
    main()
