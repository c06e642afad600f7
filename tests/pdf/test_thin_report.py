"""The PDF of a thin and of an empty assessment (issue 9), parsed back in both languages: coverage
stated, tentative scores marked, and no claim the answers cannot support."""

from __future__ import annotations

import shutil
import subprocess
import unicodedata

import pytest
from pypdf import PdfReader

from planner.answers import parse_answers
from planner.catalog import SHIPPED_DIR
from planner.report.content import build_report
from planner.report.pdf import html_to_pdf, render_html
from planner.report.text import labels

pytestmark = pytest.mark.slow

THIN = """client: Thin Co
title: Five answers
language: {lang}
frameworks: [idic, gartner-8]
respondents:
  - name: Minh
    role: executive
    answers:
      idic.identify.one-customer-id: 3
      idic.identify.known-transactions: 3
      idic.identify.duplicate-records: 4
      idic.differentiate.actual-value: 2
      idic.interact.shared-history: 3
"""
EMPTY = """client: Empty Co
title: Nobody answered
language: {lang}
frameworks: [idic, gartner-8]
respondents: []
"""


def clean(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def rendered(source: str, lang: str, folder):
    loaded = parse_answers(source.format(lang=lang).encode(), "a.yaml", None, SHIPPED_DIR)
    built = build_report(loaded)
    out = folder / f"{lang}.pdf"
    html_to_pdf(render_html(built), out)
    pages = [clean(p.extract_text()) for p in PdfReader(out).pages]
    return built, " ".join(pages), out


@pytest.fixture(scope="module", params=["en", "vi"])
def thin(request, tmp_path_factory):
    return rendered(THIN, request.param, tmp_path_factory.mktemp("thin"))


@pytest.fixture(scope="module", params=["en", "vi"])
def empty(request, tmp_path_factory):
    return rendered(EMPTY, request.param, tmp_path_factory.mktemp("empty"))


def asked(fs) -> int:  # type: ignore[no-untyped-def]
    """Every question of the model: the report counts them all as asked."""
    return sum(len(d.questions) for d in fs.framework.dimensions)


def test_a_thin_report_states_coverage_and_marks_tentative_scores(thin):
    built, text, _ = thin
    t = labels(built.lang)
    idic = built.card.frameworks[0]
    assert idic.coverage == pytest.approx(0.25)
    assert clean(t["tentative_line"].format(coverage="25%")) in text  # beside the headline
    assert clean(t["not_enough_highlights"].format(eligible=1, total=12)) in text
    assert (
        clean(
            t["overall_none"].format(
                model=built.card.frameworks[1].framework.name.get(built.lang),
                answered=0,
                of=asked(built.card.frameworks[1]),
            )
        )
        in text
    )
    assert t["tentative"] in text  # radar caption and model page
    assert built.roadmap_caveat is not None
    assert clean(built.roadmap_caveat) in text
    # Gartner's eight dimensions and IDIC's Customize have no score: the roadmap says so
    assert clean(t["roadmap_unscored"].format(n=9)) in clean(built.roadmap_caveat)
    assert clean(t["no_roadmap"]) not in text


def test_a_thin_report_names_no_dimension_both_strong_and_weak(thin):
    built, text, _ = thin
    assert built.strengths == built.weakest == []  # one dimension with enough answers: neither
    assert clean(labels(built.lang)["strengths"]) in text


def test_an_empty_report_says_not_enough_answers_and_never_that_nothing_is_needed(empty):
    built, text, _ = empty
    t = labels(built.lang)
    assert clean(t["no_roadmap"]) not in text
    assert clean(t["no_roadmap_partial"].split("{")[0]) not in text
    assert clean(t["no_roadmap_empty"].split("{")[0]) in text
    assert clean(t["no_respondents"]) in text
    for fs in built.card.frameworks:
        assert (
            clean(
                t["overall_none"].format(
                    model=fs.framework.name.get(built.lang), answered=0, of=asked(fs)
                )
            )
            in text
        )
    # dimensions nobody answered take one line, not a page of empty questions
    assert clean(t["no_answers_dimension"].format(n=5)) in text


@pytest.mark.skipif(not shutil.which("pdffonts"), reason="poppler-utils is not installed")
def test_numbers_are_drawn_with_the_text_font_not_the_emoji_font(thin):
    """Digits are emoji keycap bases: with the emoji font merely listed after DejaVu, Pango drew
    every number with it (grey, widely spaced). No emoji here, so no emoji font at all."""
    _, text, pdf = thin
    assert "2.78" in text or "2,78" in text
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True)
    assert "DejaVu" in fonts.stdout
    assert "Emoji" not in fonts.stdout, fonts.stdout


def test_the_confidentiality_line_is_on_the_cover_and_every_page(empty):
    built, _, pdf = empty
    line = clean(labels(built.lang)["confidential"].format(client="Empty Co"))
    pages = [clean(p.extract_text()) for p in PdfReader(pdf).pages]
    assert all(line in page for page in pages), [i for i, p in enumerate(pages, 1) if line not in p]


def test_numbers_and_dates_follow_the_report_s_language(thin):
    built, text, _ = thin
    if built.lang == "vi":
        assert "điểm 2,78" in text
        assert "2.78" not in text
        spelled = f"ngày {built.today.day} tháng {built.today.month} năm {built.today.year}"
        assert spelled in text  # the cover's date spelled out
    else:
        assert "score 2.78" in text
        assert "2,78" not in text
        assert built.today.strftime("%B") in text  # 3 December 2026
    assert built.today.isoformat() not in text  # never an ISO date
