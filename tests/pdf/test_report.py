"""The full report on the all-models example, parsed back page by page (English and Vietnamese)."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader

from planner.answers import read_answers
from planner.report.content import Brand, build_report
from planner.report.pdf import html_to_pdf, render_html
from planner.report.text import labels

EXAMPLES = Path(__file__).parents[2] / "examples"
pytestmark = pytest.mark.slow
PIXEL = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="


def clean(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


@pytest.fixture(scope="module", params=["all-models-en.yaml", "all-models-vi.yaml"])
def report(request, tmp_path_factory):
    loaded = read_answers(EXAMPLES / request.param)
    built = build_report(
        loaded, brand=Brand(name="Hải Đăng Advisory", logo=PIXEL, colour="#7a1f3d")
    )
    out = tmp_path_factory.mktemp("report") / "r.pdf"
    html_to_pdf(render_html(built), out)
    reader = PdfReader(out)
    pages = [clean(p.extract_text()) for p in reader.pages]
    return built, reader, pages


def test_every_section_heading_client_and_brand(report):
    built, _, pages = report
    text = " ".join(pages)
    t = labels(built.lang)
    for key in (
        "contents",
        "summary",
        "profile",
        "perception",
        "roadmap",
        "methodology",
        "appendix",
        "initiatives",
    ):
        assert t[key] in text, key
    assert built.loaded.assessment.client in text
    assert "Hải Đăng Advisory" in text
    for fs in built.card.frameworks:
        assert clean(fs.framework.name.get(built.lang)) in text


def test_the_report_speaks_its_language(report):
    built, _, pages = report
    text = " ".join(pages)
    expected = {
        "vi": (
            "Nhận diện khách hàng",
            "Tóm tắt dành cho lãnh đạo",
            "Lộ trình nâng cao mức độ trưởng thành",
            "Phụ lục",
        ),
        "en": ("Identify", "Executive summary", "Maturity trajectory", "Appendix"),
    }[built.lang]
    for phrase in expected:
        assert phrase in text
    other = "Tóm tắt dành cho lãnh đạo" if built.lang == "en" else "Executive summary"
    assert other not in text


def test_every_initiative_title_is_in_the_roadmap(report):
    built, _, pages = report
    text = " ".join(pages)
    assert built.roadmap.initiatives
    for item in built.roadmap.initiatives:
        assert clean(item.initiative.title.get(built.lang)) in text


def test_contents_page_numbers_match_the_pages(report):
    built, _, pages = report
    t = labels(built.lang)
    toc = pages[1]
    assert toc.startswith(t["contents"]) or t["contents"] in toc[:80]
    checked = 0
    for key in ("summary", "profile", "perception", "roadmap", "methodology", "appendix"):
        match = re.search(rf"{re.escape(t[key])}[ .]*?(\d+)", toc)
        assert match, key
        number = int(match.group(1))
        assert t[key] in pages[number - 1], (key, number)  # a chapter may start mid-page
        assert t[key] not in " ".join(p[:300] for p in pages[2 : number - 1]) or key == "roadmap", (
            key
        )
        checked += 1
    assert checked == 6


def test_executive_summary_fits_on_one_page(report):
    built, _, pages = report
    t = labels(built.lang)
    summary = next(i for i, p in enumerate(pages) if i > 1 and t["summary"] in p[:200])
    assert t["participation"] in pages[summary]
    assert t["profile"] in pages[summary + 1][:300]


def test_bookmarks_and_metadata(report):
    built, reader, _ = report
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    t = labels(built.lang)
    assert t["summary"] in titles
    assert t["roadmap"] in titles
    meta = reader.metadata
    assert built.loaded.assessment.client in meta.title
    assert meta.author == "Hải Đăng Advisory"
