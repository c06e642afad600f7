"""What a workshop agreed reaches the PDF: the mark and note beside the question, and the count in
the methodology, in both languages (parsed back from the rendered PDF)."""

from __future__ import annotations

import unicodedata

import pytest
from pypdf import PdfReader

from planner.answers import parse_answers
from planner.catalog import SHIPPED_DIR
from planner.report.content import build_report
from planner.report.pdf import html_to_pdf, render_html
from planner.report.text import labels

pytestmark = pytest.mark.slow

SOURCE = """client: Hải Đăng
language: {lang}
frameworks: [idic]
respondents:
  - name: Minh
    answers:
      idic.identify.one-customer-id: 2
      idic.identify.known-transactions: 3
agreed:
  idic.identify.one-customer-id: 4
  idic.identify.known-transactions: na
notes:
  idic.identify.one-customer-id: Two CRMs, merged by hand
"""


def clean(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_agreed_levels_are_marked_with_their_note_and_counted(lang, tmp_path):
    loaded = parse_answers(SOURCE.format(lang=lang).encode(), "a.yaml", None, SHIPPED_DIR)
    built = build_report(loaded)
    out = tmp_path / "r.pdf"
    html_to_pdf(render_html(built), out)
    text = clean(" ".join(page.extract_text() for page in PdfReader(str(out)).pages))
    t = labels(lang)
    assert text.count(clean(t["agreed_in_workshop"])) == 2  # both agreed questions are marked
    assert "“Two CRMs, merged by hand”" in text
    assert clean(t["method_agreed"].format(n=2)) in text
    identify = built.card.frameworks[0].dimensions[0]
    first = next(q for q in identify.questions if q.question.id == "one-customer-id")
    assert first.score == 4  # the room's level, not Minh's 2
