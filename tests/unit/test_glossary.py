"""One glossary the tests enforce (issue 13): every shipped Vietnamese string — models, initiatives,
crosswalk, the interface catalog and the report's texts — uses the glossary's term, never an avoided
variant (docs/glossary.md, "Terms the tests enforce"), and quotes with “…”."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from babel.messages.pofile import read_po

from planner.report.text import labels

ROOT = Path(__file__).resolve().parents[2]
GLOSSARY = ROOT / "docs" / "glossary.md"
PHRASE = re.compile(r"`([^`]+)`")
STRAIGHT_QUOTES = re.compile(r'"[^"<>]{1,80}"')


@dataclass(frozen=True)
class Rule:
    term: str
    avoid: tuple[str, ...]
    fine: tuple[str, ...]
    where: str


def fold(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold()


def rules(glossary: str = "") -> list[Rule]:
    """The rows of the enforced table."""
    text = glossary or GLOSSARY.read_text(encoding="utf-8")
    section = text.split("## 6. Terms the tests enforce", 1)[1]
    found = []
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 6 or cells[0] in ("English", "---") or set(cells[0]) <= {"-"}:
            continue
        found.append(
            Rule(
                cells[1],
                tuple(fold(p) for p in PHRASE.findall(cells[2])),
                tuple(fold(p) for p in PHRASE.findall(cells[3])),
                cells[4],
            )
        )
    return found


def spans(text: str, phrase: str) -> Iterator[tuple[int, int]]:
    """Where `phrase` stands in `text` as whole words."""
    for m in re.finditer(rf"(?<!\w){re.escape(phrase)}(?!\w)", text):
        yield m.start(), m.end()


def breaks(rule: Rule, text: str) -> str | None:
    """The avoided phrase `text` uses outside the rule's fine contexts, if any."""
    folded = fold(text)
    allowed = [s for fine in rule.fine for s in spans(folded, fine)]
    for phrase in rule.avoid:
        for start, end in spans(folded, phrase):
            if not any(a <= start and end <= b for a, b in allowed):
                return phrase
    return None


def yaml_strings(path: Path, node: object, where: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "vi" and isinstance(value, str):
                yield f"{path.name}: {where}", value
            else:
                yield from yaml_strings(path, value, f"{where}.{key}" if where else str(key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            label = value.get("id", i) if isinstance(value, dict) else i
            yield from yaml_strings(path, value, f"{where}[{label}]")


def shipped_strings() -> Iterator[tuple[str, str, str]]:
    """(kind, where, text) for every shipped Vietnamese string."""
    for path in sorted((ROOT / "frameworks").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for where, text in yaml_strings(path, data):
            yield "models", where, text
    po = ROOT / "translations" / "vi" / "LC_MESSAGES" / "messages.po"
    with po.open("rb") as f:
        for message in read_po(f):
            if not message.id:
                continue
            texts = message.string if isinstance(message.string, tuple) else (message.string,)
            msgid = message.id if isinstance(message.id, str) else message.id[0]
            for text in texts:
                if text:
                    yield "ui", f"messages.po: {msgid[:60]!r}", text
    for key, text in labels("vi").items():
        if isinstance(text, str):
            yield "report", f"planner/report/text.py: {key}", text


def test_the_enforced_table_is_read():
    found = rules()
    assert len(found) >= 15
    assert all(rule.avoid for rule in found)
    assert {rule.where for rule in found} <= {"all", "models"}


def test_every_shipped_vietnamese_string_uses_the_glossarys_terms():
    table = rules()
    wrong = []
    for kind, where, text in shipped_strings():
        for rule in table:
            if rule.where == "models" and kind != "models":
                continue
            phrase = breaks(rule, text)
            if phrase:
                wrong.append(f"{where}: {phrase!r} (use {rule.term!r})")
    assert not wrong, f"{len(wrong)} strings use avoided terms:\n" + "\n".join(wrong[:80])


def test_vietnamese_text_quotes_with_curly_quotes():
    wrong = [
        f"{where}: {m.group(0)}"
        for _, where, text in shipped_strings()
        for m in [STRAIGHT_QUOTES.search(re.sub(r"<[^>]*>", "", text))]
        if m
    ]
    assert not wrong, f"{len(wrong)} strings quote with straight quotes:\n" + "\n".join(wrong[:40])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Nhân viên kinh doanh gọi cho khách hàng.", "nhân viên kinh doanh"),
        ("Chiến lược kinh doanh của doanh nghiệp.", None),
        ("Doanh nghiệp có bằng chứng không?", "bằng chứng"),
        ("Điểm chạm số", "điểm chạm"),
        ("Doanh nghiệp ĐỐI XỬ với khách hàng", "đối xử"),
        ("Khuyến khích nhân viên chia sẻ", None),  # the verb
    ],
)
def test_the_scan_matches_whole_phrases_in_any_case(text, expected):
    table = rules()
    found = {breaks(rule, text) for rule in table} - {None}
    assert found == ({expected} if expected else set())


def test_a_fine_context_lets_an_avoided_phrase_stand():
    glossary = (
        "## 6. Terms the tests enforce\n\n| English | Tiếng Việt | Avoid | Fine in | Where | Note |\n"
        "|---|---|---|---|---|---|\n| sales | bán hàng | `kinh doanh` | `chiến lược kinh doanh` | all | |\n"
    )
    (rule,) = rules(glossary)
    assert breaks(rule, "Chiến lược kinh doanh rõ ràng") is None
    assert breaks(rule, "Phòng kinh doanh và chiến lược kinh doanh") == "kinh doanh"
