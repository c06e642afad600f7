"""The PDF report, parsed back: its text, its language, and a renderer that fetches nothing it should not."""

from __future__ import annotations

import http.server
import threading
import unicodedata
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from planner.answers import read_answers
from planner.report.content import build_report
from planner.report.pdf import RestrictedFetcher, html_to_pdf, render_html, render_report

EXAMPLES = Path(__file__).parents[2] / "examples"
pytestmark = pytest.mark.slow


def pdf_text(path: Path) -> str:
    reader = PdfReader(path)
    text = " ".join(page.extract_text() for page in reader.pages)
    return " ".join(unicodedata.normalize("NFC", text).split())


@pytest.fixture(scope="module")
def vietnamese_report(tmp_path_factory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("pdf") / "vi.pdf"
    render_report(read_answers(EXAMPLES / "an-phat-vi.yaml"), out)
    return out, pdf_text(out)


def test_vietnamese_report_keeps_its_diacritics(vietnamese_report):
    _, text = vietnamese_report
    for expected in [
        "Công ty CP Bán lẻ An Phát",
        "Đánh giá mức độ trưởng thành CRM 2026",
        "Nhận diện khách hàng",
        "Phân biệt khách hàng",
        "Tương tác với khách hàng",
        "Cá biệt hóa",
        "Lộ trình",
        "Tóm tắt",
        "0–3 tháng",
    ]:
        assert expected in text, expected


def test_report_holds_scores_and_roadmap(vietnamese_report):
    path, text = vietnamese_report
    loaded = read_answers(EXAMPLES / "an-phat-vi.yaml")
    data = build_report(loaded)
    assert f"{data.card.frameworks[0].score:.2f}".replace(".", ",") in text  # Vietnamese decimals
    for item in data.roadmap.initiatives:
        assert item.initiative.title.get("vi").split()[0] in text
    assert len(PdfReader(path).pages) >= 5


def test_english_report(tmp_path):
    out = tmp_path / "en.pdf"
    render_report(read_answers(EXAMPLES / "northwind-en.yaml"), out)
    text = pdf_text(out)
    assert "Northwind Industrial Supply Ltd" in text
    assert "Identify" in text
    assert "Roadmap" in text
    assert "Methodology" in text


class Canary(http.server.BaseHTTPRequestHandler):
    hits = 0

    def do_GET(self):
        Canary.hits += 1
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_hostile_client_name_is_text_and_nothing_is_fetched(tmp_path):
    server = http.server.HTTPServer(("127.0.0.1", 0), Canary)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_port}/x.png"
    try:
        data = yaml.safe_load((EXAMPLES / "northwind-en.yaml").read_text(encoding="utf-8"))
        hostile = f'<img src="file:///etc/passwd"><img src="{url}">'
        data["client"] = hostile
        path = tmp_path / "a.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        loaded = read_answers(path)
        assert loaded.assessment.client == hostile
        out = tmp_path / "r.pdf"
        html = render_html(build_report(loaded))
        assert "&lt;img src=" in html
        html_to_pdf(
            html + f'<img src="{url}"><link rel="stylesheet" href="file:///etc/passwd">', out
        )
        assert '<img src="file:///etc/passwd">' in pdf_text(out).replace(" ", "").replace(
            "imgsrc", "img src"
        )
    finally:
        server.shutdown()
        server.server_close()
    assert Canary.hits == 0


def test_fetcher_serves_only_report_assets_and_data_uris():
    fetcher = RestrictedFetcher()
    css = (Path(__file__).parents[2] / "reports" / "print.css").resolve()
    assert fetcher.fetch(css.as_uri()).read().startswith(b"/*")
    assert fetcher.fetch("data:text/plain;base64,aGk=").read() == b"hi"
    for url in [
        "file:///etc/passwd",
        "http://127.0.0.1/",
        "https://example.com/a.png",
        "ftp://x/y",
        (css.parent / ".." / "setup.cfg").as_uri(),
    ]:
        with pytest.raises(ValueError, match="refused"):
            fetcher.fetch(url)


@pytest.mark.parametrize("name", ["all-models-en.yaml", "all-models-vi.yaml"])
def test_all_models_report_in_both_languages(tmp_path, name):
    loaded = read_answers(EXAMPLES / name)
    out = tmp_path / "all.pdf"
    pages = render_report(loaded, out)
    text = pdf_text(out)
    lang = loaded.assessment.language
    for fw in loaded.frameworks:
        assert " ".join(fw.name.get(lang).split()) in text
    assert pages <= 46  # "about 40" (DESIGN §12); Vietnamese runs a few pages longer
