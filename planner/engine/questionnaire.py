"""A blank answers file for a set of models: each unique question once, its text and anchors as comments."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Iterable, Sequence

from planner.catalog import Framework
from planner.engine.scoring import Equivalents

HEADINGS: dict[str, dict[str, str]] = {
    "en": {
        "title": "CRM maturity questionnaire",
        "how": "Answer each question with a level number, `na` (not applicable) or `unknown` (don't know).\n"
        'Add a remark with {level: 3, comment: "..."}. Leave a question blank to skip it.\n'
        "Copy the respondent block for each person; `role` groups perception gaps.",
        "client": "Client name",
        "respondent": "Respondent 1",
        "role": "executive",
        "evidence": "Evidence",
        "also": "Also answers",
        "questions": "unique questions",
    },
    "vi": {
        "title": "Bảng câu hỏi đánh giá mức độ trưởng thành CRM",
        "how": "Trả lời mỗi câu bằng số cấp độ, `na` (không áp dụng) hoặc `unknown` (không rõ).\n"
        'Thêm ghi chú bằng {level: 3, comment: "..."}. Để trống nếu bỏ qua câu hỏi.\n'
        "Sao chép khối người trả lời cho từng người; `role` dùng để so sánh khác biệt nhận thức.",
        "client": "Tên khách hàng",
        "respondent": "Người trả lời 1",
        "role": "executive",
        "evidence": "Bằng chứng",
        "also": "Đồng thời trả lời",
        "questions": "câu hỏi",
    },
}


def _comment(text: str, indent: str, first: str = "", rest: str = "") -> list[str]:
    lines = textwrap.wrap(
        " ".join(text.split()), width=96 - len(indent), initial_indent=first, subsequent_indent=rest
    )
    return [f"{indent}# {line}".rstrip() for line in lines]


def _quote(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def unique_questions(frameworks: Sequence[Framework], groups: Iterable[Sequence[str]]) -> list[str]:
    """Full ids of the questions a questionnaire over `frameworks` asks, in order."""
    equivalents = Equivalents(groups, (q.full_id for fw in frameworks for _, q in fw.questions()))
    return [
        q.full_id for fw in frameworks for _, q in fw.questions() if equivalents.asked(q.full_id)
    ]


def blank_answers(
    frameworks: Sequence[Framework], groups: Iterable[Sequence[str]], lang: str = "en"
) -> str:
    words = HEADINGS.get(lang, HEADINGS["en"])
    groups = list(groups)
    equivalents = Equivalents(groups, (q.full_id for fw in frameworks for _, q in fw.questions()))
    asked = unique_questions(frameworks, groups)
    names = ", ".join(fw.name.get(lang) for fw in frameworks)
    out = [f"# {words['title']}: {names}", f"# {len(asked)} {words['questions']}."]
    out += [f"# {line}" for line in words["how"].splitlines()]
    out += [
        f"client: {_quote(words['client'])}",
        f"language: {lang}",
        "frameworks: [" + ", ".join(fw.id for fw in frameworks) + "]",
        "respondents:",
        f"  - name: {_quote(words['respondent'])}",
        f"    role: {words['role']}",
        "    answers:",
    ]
    number = 0
    for fw in frameworks:
        for dim in fw.dimensions:
            questions = [q for q in dim.questions if equivalents.asked(q.full_id)]
            if not questions:
                continue
            out.append("")
            out += _comment(f"== {fw.name.get(lang)} — {dim.name.get(lang)} ==", "      ")
            for q in questions:
                number += 1
                out.append("")
                out += _comment(f"{number}/{len(asked)}. {q.text.get(lang)}", "      ", "", "    ")
                for value, anchor in q.anchors:
                    level_name = fw.scale.level(value).name.get(lang)
                    out += _comment(
                        f"{value} {level_name}: {anchor.get(lang)}", "      ", "  ", "      "
                    )
                if q.evidence:
                    evidence = "; ".join(e.get(lang) for e in q.evidence)
                    out += _comment(f"{words['evidence']}: {evidence}", "      ", "  ", "    ")
                others = [m for m in equivalents.members.get(q.full_id, ()) if m != q.full_id]
                if others:
                    out += _comment(f"{words['also']}: {', '.join(others)}", "      ", "  ", "    ")
                out.append(f"      {q.full_id}:")
    return "\n".join(out) + "\n"
