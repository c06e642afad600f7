"""The six-model reports' layout (issue 9), read back from the PDF's text positions: no heading left
alone at the foot of a page, and about thirty pages."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from planner.answers import read_answers
from planner.report.content import build_report
from planner.report.pdf import html_to_pdf, render_html

EXAMPLES = Path(__file__).parents[2] / "examples"
FOOTER = 60  # points from the bottom: the running footer lives below
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module", params=["all-models-en.yaml", "all-models-vi.yaml"])
def report(request, tmp_path_factory):
    built = build_report(read_answers(EXAMPLES / request.param))
    out = tmp_path_factory.mktemp("layout") / "r.pdf"
    html_to_pdf(render_html(built), out)
    return built, PdfReader(out)


def lines(page) -> list[tuple[float, float, str]]:
    """(height from the bottom, font size, text) of each piece of text above the footer; the size
    is 0 unless the text is bold, as headings are (chart labels are not)."""
    found: list[tuple[float, float, str]] = []

    def visit(text, cm, tm, font, size):  # type: ignore[no-untyped-def]
        if text.strip() and tm and cm:
            y = tm[5] * cm[3] + cm[5]
            bold = "Bold" in str((font or {}).get("/BaseFont", ""))
            if y > FOOTER:
                found.append((y, size * tm[0] * cm[0] if bold else 0.0, " ".join(text.split())))

    page.extract_text(visitor_text=visit)
    return sorted(found, key=lambda item: item[0])


def headings(built) -> set[str]:
    t, lang = built.t, built.lang
    names = {
        t[k]
        for k in (
            "summary",
            "profile",
            "perception",
            "roadmap",
            "methodology",
            "initiatives",
            "gantt",
            "trajectory",
            "importance_matrix",
            "appendix",
        )
    }
    for fs in built.card.frameworks:
        names.add(fs.framework.name.get(lang))
        names.update(ds.dimension.name.get(lang) for ds in fs.dimensions)
    names.update(p.name for p in built.roadmap.phases)
    return {" ".join(n.split()) for n in names}


def test_no_page_ends_with_a_heading(report):
    built, reader = report
    titles = headings(built)
    score = built.t["score"]
    alone = []
    for number, page in enumerate(reader.pages, 1):
        found = lines(page)
        if not found:
            continue
        lowest = found[0]
        if lowest[2] in titles and lowest[1] >= 9.5:
            alone.append((number, lowest[2]))
        # a dimension's heading and its one-line facts, with everything else on the next page
        elif lowest[2].startswith(score) and len(found) > 1:
            above = [item for item in found[1:] if item[0] - lowest[0] < 30]
            stranded = [item[2] for item in above if item[2] in titles and item[1] >= 9.5]
            if stranded:
                alone.append((number, f"{stranded[0]} + {lowest[2]}"))
    assert alone == []


def test_the_six_model_report_stays_within_32_pages(report):
    _, reader = report
    assert len(reader.pages) <= 32
