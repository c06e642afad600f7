"""Every chart's text, measured by a real browser (Debian's Chromium): inside its SVG, and made of
whole words of the labels it was given (nothing cut mid-word, no "…")."""

from __future__ import annotations

import base64
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from planner.answers import read_answers
from planner.report.content import Report, build_report
from planner.report.pdf import render_html
from tests.e2e.test_browser import ARGS, CHROMIUM

EXAMPLES = Path(__file__).parents[2] / "examples"
SVG = re.compile(r'<svg[^>]*class="chart [^"]*".*?</svg>', re.S)
IMAGE = re.compile(r'src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)"')


def charts_in(html: str) -> list[str]:
    """The report's charts: inline, or as the `data:` images the PDF template makes of them."""
    images = [base64.b64decode(data).decode("utf-8") for data in IMAGE.findall(html)]
    return SVG.findall(html) + [svg for svg in images if 'class="chart ' in svg]


NUMBER = re.compile(r"^[\d.,–→:-]+$")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(),
        reason="Debian's chromium is not installed (make test installs it)",
    ),
]

# Each chart's texts: its box against the SVG's, and the text itself (joined tspans).
MEASURE = """() => [...document.querySelectorAll("svg.chart")].map((svg, i) => {
  const box = svg.getBoundingClientRect();
  return {
    chart: svg.getAttribute("class") + " #" + i,
    box: [box.left, box.top, box.right, box.bottom],
    texts: [...svg.querySelectorAll("text")].map((t) => {
      const r = t.getBoundingClientRect();
      const spans = [...t.querySelectorAll("tspan")];
      return {text: spans.length ? spans.map((s) => s.textContent).join(" ") : t.textContent,
              tspans: spans.length,
              box: [r.left, r.top, r.right, r.bottom]};
    }),
  };
})"""


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Chromium as tests/e2e/test_browser.py launches it (no server needed here)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


def sources(report: Report) -> tuple[set[str], set[str]]:
    """(whole labels, their words): what the charts were given to say."""
    lang, t = report.lang, report.t
    labels: set[str] = set()
    for fs in report.card.frameworks:
        fw = fs.framework
        labels |= {fw.name.get(lang), fw.label(lang)}
        labels |= {ds.dimension.name.get(lang) for ds in fs.dimensions}
        labels |= {level.name.get(lang) for level in fw.scale.levels}
    labels |= {cap.name.get(lang) for cap in report.loaded.catalog.crosswalk.capabilities}
    labels |= {p.name for p in report.roadmap.phases}
    labels |= {s.initiative.title.get(lang) for s in report.roadmap.initiatives}
    labels |= {t[k] for k in ("months", "matrix_x", "score", "not_covered", "today")}
    labels = {" ".join(label.split()) for label in labels}
    words = {word for label in labels for word in label.split()}
    return labels, words


@pytest.mark.parametrize(
    "example", ["all-models-en.yaml", "all-models-vi.yaml", "northwind-en.yaml"]
)
def test_chart_texts_stay_inside_and_whole(browser, example):
    report = build_report(read_answers(EXAMPLES / example))
    html = render_html(report)
    charts = charts_in(html)
    assert any('class="chart radar"' in c for c in charts)
    assert any('class="chart matrix"' in c for c in charts)
    labels, words = sources(report)
    page = browser.new_page()
    page.set_content(
        "<!DOCTYPE html><html><body style=\"margin: 20px; font-family: 'DejaVu Sans'\">"
        + "".join(f"<div>{c}</div>" for c in charts)
        + "</body></html>"
    )
    measured = page.evaluate(MEASURE)
    page.close()
    assert len(measured) == len(charts)
    problems: list[str] = []
    checked = 0
    for chart in measured:
        left, top, right, bottom = chart["box"]
        for text in chart["texts"]:
            checked += 1
            content = " ".join(text["text"].split())
            x0, y0, x1, y1 = text["box"]
            if x0 < left - 0.5 or y0 < top - 0.5 or x1 > right + 0.5 or y1 > bottom + 0.5:
                problems.append(
                    f"{chart['chart']}: {content!r} outside {chart['box']}: {text['box']}"
                )
            if "…" in content:
                problems.append(f"{chart['chart']}: {content!r} cut")
            if text["tspans"] and content not in labels:  # a radar label: all its lines
                problems.append(f"{chart['chart']}: {content!r} is not a whole label")
            for word in content.removesuffix(" →").split():
                if word not in words and not NUMBER.match(word):
                    problems.append(f"{chart['chart']}: {word!r} of {content!r} is not a word")
    assert checked > 30
    assert not problems, "\n".join(problems)
