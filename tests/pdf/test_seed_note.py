"""A model's `seed_note` — where the Vietnamese seed articles differ from the literature — is cited
in the report's methodology, in the report's language (issue 13)."""

from __future__ import annotations

import re

import pytest

from planner.report.content import build_report
from planner.report.pdf import render_html
from tests.conftest import model, question

NOTE = (
    "seed_note:\n"
    "  en: The Vietnamese article calls Identify targeting; the literature does not.\n"
    "  vi: Bài viết tiếng Việt gọi bước Nhận diện là chọn khách hàng mục tiêu; tài liệu gốc thì không.\n"
)


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "The Vietnamese article calls Identify targeting; the literature does not."),
        (
            "vi",
            "Bài viết tiếng Việt gọi bước Nhận diện là chọn khách hàng mục tiêu; tài liệu gốc thì không.",
        ),
    ],
)
def test_the_methodology_cites_the_seed_note(answers_of, lang, expected):
    files = {"m.yaml": model("m", {"d": [question("q1")]}, header=NOTE)}
    answers = f"client: C\nlanguage: {lang}\nframeworks: [m]\nrespondents:\n  - name: R\n    answers: {{m.d.q1: 3}}\n"
    html = render_html(build_report(answers_of(files, answers)))
    methodology = html.split('id="methodology"', 1)[1]
    note = re.search(r'<p class="small seed-note">(.*?)</p>', methodology, re.S)
    assert note
    assert expected in note.group(1)
    assert note.group(1).split(":")[0].strip()  # a label before the note


def test_without_a_seed_note_the_methodology_says_nothing_of_it(answers_of):
    files = {"m.yaml": model("m", {"d": [question("q1")]})}
    answers = "client: C\nframeworks: [m]\nrespondents:\n  - name: R\n    answers: {m.d.q1: 3}\n"
    assert "seed-note" not in render_html(build_report(answers_of(files, answers)))
