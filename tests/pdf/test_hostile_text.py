"""People's text in the PDF (DESIGN §11): emoji drawn with a real font, markup printed as text,
right-to-left and bidi controls isolated so they cannot reverse the text around them."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from planner.answers import read_answers
from planner.inputs import FSI, PDI
from planner.report.content import Brand, build_report
from planner.report.pdf import html_to_pdf, render_html

pytestmark = pytest.mark.slow

CLIENT = "Quán Phở 🍜 Hà Nội \u202eevil"
ANSWERS = f"""
client: "{CLIENT}"
title: "Review <script>alert(1)</script>"
language: en
frameworks: [idic]
respondents:
  - name: "Lan 😀"
    role: executive
    answers:
      idic.identify.one-customer-id: {{level: 3, comment: "Two CRMs <b>merged</b> by hand 🚀"}}
      idic.identify.known-transactions: 2
"""


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    source = folder / "answers.yaml"
    source.write_text(ANSWERS, encoding="utf-8")
    built = build_report(read_answers(source), brand=Brand(name="Advisory 🌟", logo=None))
    html = render_html(built)
    out = folder / "r.pdf"
    html_to_pdf(html, out)
    return html, out


@pytest.mark.skipif(not shutil.which("pdffonts"), reason="poppler-utils is not installed")
def test_emoji_are_drawn_with_the_emoji_font(rendered):
    _, pdf = rendered
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True)
    assert "Noto-Color-Emoji" in fonts.stdout, fonts.stdout  # not a box from DejaVu


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils is not installed")
def test_markup_is_printed_as_text(rendered):
    html, pdf = rendered
    assert "<script>alert" not in html
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "<script>alert(1)</script>" in text


def test_bidi_controls_are_isolated(rendered):
    html, _ = rendered
    assert f"{FSI}{CLIENT}{PDI}" in html
    assert CLIENT.replace("\u202e", "") in html.replace("\u202e", "")
