"""The PDF of a re-assessment (issue 11, DESIGN §8): a progress-to-date section with its
before/after chart, per model and dimension, and the baseline roadmap's initiatives due by now —
parsed back from the PDF in English and Vietnamese. The numbers are worked out by hand in
tests/unit/test_progress.py: alpha 1.50 → 2.50 of 3.5 is 50%, beta 2 → 1 of 3 is −100%, the
model 1.67 → 2.00 is 20%."""

from __future__ import annotations

import shutil
import unicodedata
from datetime import date

import pytest
from pypdf import PdfReader

from planner import formats
from planner.answers import read_answers
from planner.report.content import build_report
from planner.report.pdf import html_to_pdf, render_html
from planner.report.text import labels
from tests.conftest import DATA, TINY_CATALOG

pytestmark = pytest.mark.slow

FIVE_WEEKS_ON = date(2025, 2, 10)


def clean(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


@pytest.fixture(scope="module", params=["en", "vi"])
def rendered(request, tmp_path_factory):
    folder = tmp_path_factory.mktemp(f"progress-{request.param}")
    shutil.copy(DATA / "baseline-2025.yaml", folder)
    source = (DATA / "reassessment-2026.yaml").read_text(encoding="utf-8")
    (folder / "now.yaml").write_text(
        source.replace("language: en", f"language: {request.param}"), encoding="utf-8"
    )
    built = build_report(read_answers(folder / "now.yaml", TINY_CATALOG), FIVE_WEEKS_ON)
    out = folder / "report.pdf"
    html_to_pdf(render_html(built), out)
    text = clean(" ".join(page.extract_text() for page in PdfReader(str(out)).pages))
    return built, text


def test_the_progress_section_holds_the_numbers_worked_out_by_hand(rendered):
    built, text = rendered
    lang = built.lang
    t = labels(lang)
    start = text.index(clean(t["progress_title"]) + " " + clean(t["progress_text"])[:20])
    section = text[start : text.index(clean(t["due_title"]), start)]
    model = "Tiny model" if lang == "en" else "Mô hình nhỏ"
    n = lambda v: formats.number(v, lang)  # noqa: E731
    assert (
        clean(t["progress_line"].format(model=model, baseline=n(5 / 3), score=n(2), percent="20%"))
        in section
    )
    alpha, beta = ("Alpha", "Beta") if lang == "en" else ("Anpha", "Bêta")
    assert f"{alpha} {n(1.5)} {n(2.5)} {formats.short(3.5, lang)} 50%" in section
    assert f"{beta} {n(2)} {n(1)} 3 -100%" in section
    assert clean(t["baseline"]).upper() in section.upper()  # the table's and the chart's heading
    assert clean(t["progress_since"].format(date=formats.day(date(2025, 1, 6), lang))) in text


def test_the_due_list_names_what_the_baseline_roadmap_had_due(rendered):
    built, text = rendered
    t = labels(built.lang)
    due = text[text.index(clean(t["due_title"])) :]
    titles = {
        "en": ("Base", "Beta three", "Alpha three"),
        "vi": ("Nền tảng", "Bêta ba", "Anpha ba"),
    }
    base, beta, alpha = titles[built.lang]
    ends = formats.day(date(2025, 2, 3), built.lang)
    assert clean(t["due_line"].format(title=base, a=0, b=4, date=ends)) in due
    assert (
        clean(
            t["due_line"].format(title=beta, a=0, b=5, date=formats.day(FIVE_WEEKS_ON, built.lang))
        )
        in due
    )
    not_yet = t["due_line"].format(title=alpha, a=4, b=10, date="")  # ends in week 10
    assert clean(not_yet) not in due
    assert [s.initiative.id for s in built.progress.result.due] == ["base", "beta-3"]


def test_the_before_after_chart_speaks_the_report_language(rendered):
    built, _ = rendered
    t = labels(built.lang)
    svg = built.progress.charts["tiny"]
    for word in (t["baseline"], t["today"], t["target"]):
        assert f">{word}<" in svg
    assert 'class="chart before-after"' in svg


def test_no_baseline_no_section(tmp_path):
    built = build_report(read_answers(DATA / "answers-tiny.yaml", TINY_CATALOG))
    assert built.progress is None
    assert 'id="progress"' not in render_html(built)
