"""The assessment as an Excel workbook: scorecard, answers and the (edited) roadmap, in the
assessment's language, for consultants who finish their deck in Excel.

The figures are the JSON export's (`scorecard_data`, `roadmap_data` of `results.compute`), so the
workbook, the PDF and the JSON never disagree; every text cell is made inert as the CSV's are.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import force_locale
from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from planner.engine.findings import tentative
from planner.engine.roadmap import Roadmap
from planner.engine.scoring import ScoreCard
from planner.inputs import ascii_int
from planner.models import Assessment
from planner.report.present import roadmap_data, scorecard_data
from planner.services import assessments as assessment_service
from planner.services import results
from planner.services.exchange import safe_cell

Value = str | int | float | datetime | None

SCORE = "0.00"
PERCENT = "0%"
WHEN = "yyyy-mm-dd hh:mm:ss"
WIDEST = 60  # characters; longer texts (questions, comments) are cut off on screen, not in the cell


@dataclass(frozen=True)
class Column:
    header: str
    number_format: str | None = None


def export_xlsx(assessment: Assessment) -> bytes:
    """The workbook, its sheet names and headers in the assessment's language."""
    _, _, _, card, road = results.compute(assessment)
    progress = results.progress_to_date(assessment, card)
    lang = assessment.language
    book = Workbook()
    with force_locale(lang):
        _scorecard(book.active, card, scorecard_data(card, lang, progress), lang)
        _answers(book.create_sheet(), assessment)
        _roadmap(book.create_sheet(), road, lang)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _yes(flag: bool) -> str | None:
    """A flag as a word a filter can pick, blank when false."""
    return _("yes") if flag else None


def _scorecard(sheet: Worksheet, card: ScoreCard, data: dict[str, Any], lang: str) -> None:
    """A row per model, then a row per dimension of it."""
    sheet.title = _("Scorecard")
    with_baseline = "baseline" in data
    columns = [
        Column(_("Model")),
        Column(_("Dimension")),
        Column(_("ID")),
        Column(_("Score"), SCORE),
        Column(_("Level")),
        Column(_("Level name")),
        Column(_("Target")),
        Column(_("Gap"), SCORE),
        Column(_("Priority"), SCORE),
        Column(_("Coverage"), PERCENT),
        Column(_("Tentative (coverage under half)")),
    ]
    if with_baseline:
        columns += [Column(_("Baseline"), SCORE), Column(_("Progress to date"), PERCENT)]
    rows: list[list[Value]] = []
    for fs, fw in zip(card.frameworks, data["frameworks"], strict=True):
        model = fs.framework.name.get(lang)
        extra: list[Value] = [fw["baseline"], fw["progress_to_date"]] if with_baseline else []
        rows.append(
            [
                model,
                None,
                fw["id"],
                fw["score"],
                fw["level"],
                fw["level_name"],
                None,
                None,
                None,
                fw["coverage"],
                _yes(fw["score"] is not None and tentative(fw["coverage"])),
                *extra,
            ]
        )
        scale = fs.framework.scale
        for ds, dim in zip(fs.dimensions, fw["dimensions"], strict=True):
            extra = [dim["baseline"], dim["progress_to_date"]] if with_baseline else []
            rows.append(
                [
                    model,
                    ds.dimension.name.get(lang),
                    ds.dimension.full_id,
                    dim["score"],
                    dim["level"],
                    None if dim["level"] is None else scale.level(dim["level"]).name.get(lang),
                    dim["target"],
                    dim["gap"],
                    dim["priority"],
                    dim["coverage"],
                    _yes(dim["score"] is not None and tentative(dim["coverage"])),
                    *extra,
                ]
            )
    _fill(sheet, columns, rows)


def _answer(value: str | None) -> Value:
    """A level as a number; `na`, `unknown` and blanks as the CSV writes them."""
    number = ascii_int(value, -(2**31), 2**31)
    return value if number is None else number


def _answers(sheet: Worksheet, assessment: Assessment) -> None:
    """One row per respondent and question answered, as in the CSV of responses."""
    sheet.title = _("Answers")
    lang = assessment.language
    catalog = assessment_service.catalog_of(assessment)
    texts = {q.full_id: q.text.get(lang) for fw in catalog.frameworks for _dim, q in fw.questions()}
    columns = [
        Column(_("Respondent")),
        Column(_("Role")),
        Column(_("Question ID")),
        Column(_("Question")),
        Column(_("Answer")),
        Column(_("Comment")),
        Column(_("Updated (UTC)"), WHEN),
    ]
    rows: list[list[Value]] = [
        [
            respondent.name,
            respondent.role,
            row.question_id,
            texts.get(row.question_id),
            _answer(row.value),
            row.comment,
            row.updated_at.replace(microsecond=0),  # to the second, as the CSV
        ]
        for respondent in assessment.respondents
        for row in sorted(respondent.answers, key=lambda r: r.question_id)
    ]
    _fill(sheet, columns, rows)


def _roadmap(sheet: Worksheet, road: Roadmap, lang: str) -> None:
    """The roadmap the PDF and the JSON show, the consultant's edits applied; numbered as the
    report numbers it: the planned initiatives first, then the later ones."""
    sheet.title = _("Roadmap")
    items = roadmap_data(road, lang)["initiatives"]
    ordered = [i for i in items if not i["later"]] + [i for i in items if i["later"]]
    numbers = {item["id"]: n for n, item in enumerate(ordered, 1)}
    columns = [
        Column(_("No.")),
        Column(_("Initiative")),
        Column(_("ID")),
        Column(_("Phase")),
        Column(_("Start week")),
        Column(_("Weeks")),
        Column(_("End week")),
        Column(_("Owner")),
        Column(_("Depends on")),
        Column(_("Enabler")),
        Column(_("Added by the consultant")),
        Column(_("Changed by the consultant")),
        Column(_("Later (beyond the horizon)")),
    ]
    rows: list[list[Value]] = [
        [
            numbers[item["id"]],
            item["title"],
            item["id"],
            item["phase"],
            item["start_week"],
            item["end_week"] - item["start_week"],
            item["end_week"],
            item["owner"],
            ", ".join(str(numbers[d]) for d in item["depends_on"] if d in numbers) or None,
            _yes(item["enabler"]),
            _yes(item["added"]),
            _yes(item["edited"] and not item["added"]),
            _yes(item["later"]),
        ]
        for item in ordered
    ]
    _fill(sheet, columns, rows)


def _inert(text: str) -> str:
    """Text Excel shows as it is: no formula (the CSV's rule), no character XML cannot hold."""
    return safe_cell(ILLEGAL_CHARACTERS_RE.sub("", text))


def _fill(sheet: Worksheet, columns: Sequence[Column], rows: Sequence[Sequence[Value]]) -> None:
    """Header row bold and frozen, with a filter; numbers stay numbers, strings are never formulas."""
    bold = Font(bold=True)
    widths = [len(c.header) for c in columns]
    for r, values in enumerate([[c.header for c in columns], *rows], 1):
        for c, value in enumerate(values, 1):
            cell = sheet.cell(row=r, column=c)
            if isinstance(value, str):
                cell.value = _inert(value)
                cell.data_type = "s"  # a string cell, whatever openpyxl would guess from the text
                widths[c - 1] = max(widths[c - 1], len(cell.value))
            elif value is not None:
                cell.value = value
                number_format = columns[c - 1].number_format
                if number_format:
                    cell.number_format = number_format
                widths[c - 1] = max(widths[c - 1], 19 if isinstance(value, datetime) else 6)
            if r == 1:
                cell.font = bold
    for c, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(c)].width = min(width, WIDEST) + 2
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(rows) + 1}"
