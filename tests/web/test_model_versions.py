"""Model versions (issue 11 item 5, DESIGN §7): a newer version of a pinned model in the catalog is
announced, compared on the assessment's answers, moved to and moved back from."""

from __future__ import annotations

import copy
import io
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import func, select

from planner.catalog import load_catalog
from planner.catalog.loader import SHIPPED_DIR
from planner.engine.scoring import score
from planner.extensions import db
from planner.formats import number
from planner.models import AnswerRow, Assessment, ModelMove, Respondent
from planner.services import assessments as assessment_service
from planner.services import results
from tests.web.conftest import Actions, csrf_token

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
OLD = yaml.safe_load((SHIPPED_DIR / "idic.yaml").read_text(encoding="utf-8"))["version"]
NEW = ".".join(
    [*OLD.split(".")[:-1], str(int(OLD.split(".")[-1]) + 1)]
)  # the shipped one, plus one
NOTICE = f"A newer version of IDIC model (Peppers &amp; Rogers) is available: {OLD} → {NEW}"
NEW_QUESTION = {
    "id": "golden-record",
    "text": {
        "en": "Is there one golden record per customer that every system reads?",
        "vi": "Mỗi khách hàng có một bản ghi gốc duy nhất mà mọi hệ thống cùng đọc không?",
    },
    "levels": {v: {"en": f"Level {v}", "vi": f"Mức {v}"} for v in range(1, 6)},
}


def _question(qid: str, en: str) -> dict[str, Any]:
    return {
        "id": qid,
        "text": {"en": en, "vi": f"{en} (vi)"},
        "levels": {v: {"en": f"L{v}", "vi": f"M{v}"} for v in range(1, 6)},
    }


def write_idic(folder: Path, version: str = NEW, drop: str | None = "known-transactions") -> None:
    """A newer IDIC in `folder`: `drop` removed from Identify, a question added to it, and a new
    dimension, Retain."""
    data = yaml.safe_load((SHIPPED_DIR / "idic.yaml").read_text(encoding="utf-8"))
    data["version"] = version
    identify = data["dimensions"][0]
    if drop:
        identify["questions"] = [q for q in identify["questions"] if q["id"] != drop]
    identify["questions"].append(copy.deepcopy(NEW_QUESTION))
    data["dimensions"].append(
        {
            "id": "retain",
            "name": {"en": "Retain", "vi": "Giữ chân"},
            "questions": [_question("win-back", "Do you win back customers who leave?")],
        }
    )
    (folder / "idic.yaml").write_text(
        yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )


@pytest.fixture
def frameworks(app, tmp_path) -> Path:
    folder = tmp_path / "frameworks"
    shutil.copytree(SHIPPED_DIR, folder)
    app.config["FRAMEWORKS_DIR"] = str(folder)
    return folder


@pytest.fixture
def northwind(consultant: Actions, frameworks: Path) -> int:
    """An IDIC assessment with five respondents' answers, pinned to the shipped IDIC."""
    path = EXAMPLES / "northwind-en.yaml"
    return consultant.import_assessment(path.read_bytes(), path.name)


def _assessment(app, assessment_id: int) -> Assessment:
    assessment = db.session.get(Assessment, assessment_id)
    assert assessment is not None
    return assessment


def _expected(app, assessment_id: int, folder: Path):  # type: ignore[no-untyped-def]
    """The engine's IDIC scores of the assessment's answers, on the catalog in `folder`."""
    catalog = load_catalog(folder)
    with app.app_context():
        answers = assessment_service.as_answers(_assessment(app, assessment_id))
    return score(answers, [catalog.framework("idic")], catalog.crosswalk.equivalent_questions)


def _row(html: str, dimension: str) -> str:
    match = re.search(rf'<tr data-dimension="{dimension}"[^>]*>(.*?)</tr>', html, re.S)
    assert match, f"no row for {dimension}"
    return match.group(1)


def _cells(row: str) -> list[str]:
    return [
        re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
    ]


def _form(html: str) -> dict[str, str]:
    return {
        "model": re.search(r'name="model" value="([a-z0-9-]+)"', html).group(1),  # type: ignore[union-attr]
        "from": re.search(r'name="from" value="([0-9a-f]{64})"', html).group(1),  # type: ignore[union-attr]
        "to": re.search(r'name="to" value="([0-9a-f]{64})"', html).group(1),  # type: ignore[union-attr]
    }


def _idic_version(app, assessment_id: int) -> str:
    with app.app_context():
        card = results.compute(_assessment(app, assessment_id))[3]
    return card.frameworks[0].framework.version


def test_newer_version_is_announced_and_compared_on_the_answers(
    app, consultant, northwind, frameworks
):
    before = _expected(app, northwind, frameworks)
    write_idic(frameworks)
    after = _expected(app, northwind, frameworks)
    page = consultant.client.get(f"/assessments/{northwind}").get_data(as_text=True)
    assert NOTICE in page
    assert f"/assessments/{northwind}/models/compare?model=idic" in page

    response = consultant.client.get(f"/assessments/{northwind}/models/compare?model=idic")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    old, new = before.frameworks[0], after.frameworks[0]
    for ds_old, ds_new in zip(old.dimensions, new.dimensions, strict=False):
        cells = _cells(_row(html, ds_old.dimension.id))
        assert cells[1] == number(ds_old.score, "en")
        assert cells[2].startswith(str(ds_old.level))
        assert cells[3] == number(ds_new.score, "en")
        assert cells[4].startswith(str(ds_new.level))
    identify = _cells(_row(html, "identify"))
    assert identify[1] != identify[3]  # a removed question moves the score
    retain = _cells(_row(html, "retain"))
    assert retain[1] == "–"
    assert retain[3] == "–"
    assert "new dimension" in retain[5]
    total = re.search(r'<tr class="model-total">(.*?)</tr>', html, re.S).group(1)  # type: ignore[union-attr]
    total_cells = _cells(total)
    assert total_cells[0] == number(old.score, "en")
    assert total_cells[2] == number(new.score, "en")
    assert "idic.identify.golden-record" in html
    assert NEW_QUESTION["text"]["en"] in html
    assert "idic.identify.known-transactions" in html
    assert "answers kept but no longer counted: 5" in html


def test_move_then_undo(app, consultant, northwind, frameworks):
    with app.app_context():
        rows_before = db.session.scalar(select(func.count()).select_from(AnswerRow))
        scores_before = results.compute(_assessment(app, northwind))[3].frameworks[0].score
    write_idic(frameworks)
    expected = _expected(app, northwind, frameworks).frameworks[0]
    html = consultant.client.get(f"/assessments/{northwind}/models/compare?model=idic").get_data(
        as_text=True
    )
    seen = _form(html)
    response = consultant.post(f"/assessments/{northwind}/models/move", seen)
    assert response.status_code == 303
    assert _idic_version(app, northwind) == NEW
    with app.app_context():
        card = results.compute(_assessment(app, northwind))[3]
        assert card.frameworks[0].score == pytest.approx(expected.score)
        assert [d.dimension.id for d in card.frameworks[0].dimensions][-1] == "retain"
        # nothing is lost: the answers to the removed question stay in the database
        assert db.session.scalar(select(func.count()).select_from(AnswerRow)) == rows_before
        move = db.session.scalars(select(ModelMove)).one()
        assert (move.from_version, move.to_version) == (OLD, NEW)
        assert (move.from_hash, move.to_hash) == (seen["from"], seen["to"])
        assert move.user_id is not None
        assert move.library == []
    page = consultant.client.get(f"/assessments/{northwind}/models").get_data(as_text=True)
    assert f"The assessment now uses version {NEW} of IDIC model" in page
    assert f"{OLD} → {NEW}" in page
    assert "Lan" in page
    assert NOTICE not in consultant.client.get(f"/assessments/{northwind}").get_data(as_text=True)

    # the exported answers file leaves the removed question out, and reads back
    exported = consultant.client.get(f"/assessments/{northwind}/export/answers.yaml").data
    assert b"known-transactions" not in exported
    consultant.import_assessment(exported, "exported.yaml")

    # a second move from the same form is stale; undo moves back
    assert consultant.post(f"/assessments/{northwind}/models/move", seen).status_code == 409
    undo = re.search(r'action="(/assessments/\d+/models/moves/\d+/undo)"', page).group(1)  # type: ignore[union-attr]
    response = consultant.post(undo)
    assert response.status_code == 303
    assert _idic_version(app, northwind) == OLD
    with app.app_context():
        card = results.compute(_assessment(app, northwind))[3]
        assert card.frameworks[0].score == pytest.approx(scores_before)
    page = consultant.client.get(f"/assessments/{northwind}/models").get_data(as_text=True)
    assert f"The assessment is back on version {OLD} of IDIC model" in page
    assert "undone" in page
    assert f"{NEW} → {OLD}" in page
    assert 'class="small undo-move"' not in page
    assert NOTICE in consultant.client.get(f"/assessments/{northwind}").get_data(as_text=True)
    again = consultant.post(undo)
    assert again.status_code == 409
    assert "undo" in again.get_data(as_text=True).lower()


def test_same_version_with_other_bytes_is_no_update(app, consultant, northwind, frameworks):
    text = (frameworks / "idic.yaml").read_text(encoding="utf-8")
    (frameworks / "idic.yaml").write_text(
        text.replace("default_target: 4", "default_target: 3"), encoding="utf-8"
    )
    page = consultant.client.get(f"/assessments/{northwind}").get_data(as_text=True)
    assert "A newer version" not in page
    response = consultant.client.get(f"/assessments/{northwind}/models/compare?model=idic")
    assert response.status_code == 409
    assert "There is no newer version of IDIC model" in response.get_data(as_text=True)
    refused = consultant.post(
        f"/assessments/{northwind}/models/move",
        {"model": "idic", "from": "a" * 64, "to": "b" * 64},
    )
    assert refused.status_code == 409


def test_an_older_version_is_no_update(app, consultant, northwind, frameworks):
    write_idic(frameworks, version="0.9")
    assert "A newer version" not in consultant.client.get(f"/assessments/{northwind}").get_data(
        as_text=True
    )


def test_a_version_above_nine_is_newer(app, consultant, frameworks):
    (frameworks / "idic.yaml").write_text(
        (SHIPPED_DIR / "idic.yaml").read_text(encoding="utf-8").replace(f'"{OLD}"', '"1.9"', 1),
        encoding="utf-8",
    )
    assessment_id = consultant.new_assessment(consultant.new_client())
    write_idic(frameworks, version="1.10")
    page = consultant.client.get(f"/assessments/{assessment_id}").get_data(as_text=True)
    assert "is available: 1.9 → 1.10" in page


def test_bad_requests_are_4xx(app, consultant, northwind, frameworks):
    write_idic(frameworks)
    base = f"/assessments/{northwind}/models"
    bad = consultant.post(f"{base}/move", {"model": "idic", "from": "x", "to": ""})
    assert bad.status_code == 400
    assert "The form is incomplete" in bad.get_data(as_text=True)
    assert consultant.post(f"{base}/move", {}).status_code == 400
    assert "Choose a model." in consultant.client.get(f"{base}/compare").get_data(as_text=True)
    assert consultant.post(f"{base}/move", {"model": "gartner-8"}).status_code == 404
    assert consultant.client.get(f"{base}/compare?model=nope").status_code == 404
    assert consultant.post(f"{base}/moves/999/undo").status_code == 404
    stale = consultant.post(f"{base}/move", {"model": "idic", "from": "a" * 64, "to": "b" * 64})
    assert stale.status_code == 409
    assert "changed since this page was shown" in stale.get_data(as_text=True)
    assert consultant.client.get(base).status_code == 200


def test_library_files_move_with_a_version_that_needs_them(app, consultant, northwind, frameworks):
    """A newer IDIC drops a question the pinned crosswalk names: the crosswalk moves with it."""
    crosswalk = frameworks / "crosswalk.yaml"
    crosswalk.write_text(
        crosswalk.read_text(encoding="utf-8").replace(
            "  - [value-chain.customer-intimacy.requirements-preferences, idic.interact.needs-capture]\n",
            "",
        ),
        encoding="utf-8",
    )
    data = yaml.safe_load((SHIPPED_DIR / "idic.yaml").read_text(encoding="utf-8"))
    data["version"] = NEW
    interact = data["dimensions"][2]
    interact["questions"] = [q for q in interact["questions"] if q["id"] != "needs-capture"]
    (frameworks / "idic.yaml").write_text(
        yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    html = consultant.client.get(f"/assessments/{northwind}/models/compare?model=idic").get_data(
        as_text=True
    )
    assert "<code>crosswalk.yaml</code>" in html
    response = consultant.post(f"/assessments/{northwind}/models/move", _form(html))
    assert response.status_code == 303
    with app.app_context():
        assessment = _assessment(app, northwind)
        pinned = {f.name: f.file_hash for f in assessment.files}
        move = db.session.scalars(select(ModelMove)).one()
        assert [lib["kind"] for lib in move.library] == ["crosswalk"]
        assert pinned["crosswalk.yaml"] == move.library[0]["to_hash"]
    page = consultant.client.get(f"/assessments/{northwind}/models").get_data(as_text=True)
    undo = re.search(r'action="(/assessments/\d+/models/moves/\d+/undo)"', page).group(1)  # type: ignore[union-attr]
    assert consultant.post(undo).status_code == 303
    with app.app_context():
        assessment = _assessment(app, northwind)
        pinned = {f.name: f.file_hash for f in assessment.files}
        assert pinned["crosswalk.yaml"] == move.library[0]["from_hash"]
        assert assessment_service.catalog_of(assessment).framework("idic").version == OLD


CUSTOM = """\
id: acme
version: "{version}"
name: {{en: Acme model, vi: Mô hình Acme}}
languages: [en, vi]
scale: crm-5
dimensions:
{dimensions}
"""


def custom_model(version: str, dims: dict[str, list[str]]) -> bytes:
    anchors = ", ".join(f"{v}: {{en: L{v}, vi: M{v}}}" for v in range(1, 6))
    lines = []
    for did, questions in dims.items():
        lines += [
            f"  - id: {did}",
            f"    name: {{en: Dim {did}, vi: Khía cạnh {did}}}",
            "    questions:",
        ]
        lines += [
            f"      - {{id: {q}, text: {{en: Question {q}?, vi: Câu hỏi {q}?}}, levels: {{{anchors}}}}}"
            for q in questions
        ]
    return CUSTOM.format(version=version, dimensions="\n".join(lines)).encode()


def upload(consultant: Actions, data: bytes) -> None:
    response = consultant.post(
        "/catalog/upload",
        {"file": (io.BytesIO(data), "acme.yaml")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200, response.get_data(as_text=True)


def test_a_newer_custom_model_moves_and_drops_a_dimension(app, consultant):
    upload(consultant, custom_model("1.0", {"a": ["a1", "a2"], "b": ["b1"]}))
    assessment_id = consultant.new_assessment(consultant.new_client(), ("acme",))
    link = consultant.invite(assessment_id)
    browser = app.test_client()
    browser.get(link)
    token = csrf_token(browser, "/respond/page/1")
    for seq, (qid, value) in enumerate(
        (("acme.a.a1", "2"), ("acme.a.a2", "4"), ("acme.b.b1", "5"))
    ):
        saved = browser.post(
            "/respond/save",
            json={"question": qid, "value": value, "client_seq": seq + 1},
            headers={"X-CSRFToken": token},
        )
        assert saved.status_code == 200, saved.get_data(as_text=True)
    upload(consultant, custom_model("1.1", {"a": ["a1", "a2"], "c": ["c1"]}))
    page = consultant.client.get(f"/assessments/{assessment_id}").get_data(as_text=True)
    assert "A newer version of Acme model is available: 1.0 → 1.1" in page
    html = consultant.client.get(
        f"/assessments/{assessment_id}/models/compare?model=acme"
    ).get_data(as_text=True)
    assert "new dimension" in _cells(_row(html, "c"))[5]
    b = _cells(_row(html, "b"))
    assert b[1] == "5.00"
    assert b[3] == "–"
    assert "removed" in b[5]
    total = _cells(re.search(r'<tr class="model-total">(.*?)</tr>', html, re.S).group(1))  # type: ignore[union-attr]
    assert (total[0], total[2]) == ("4.00", "3.00")  # (3 + 5) / 2, then 3 alone
    assert (
        consultant.post(f"/assessments/{assessment_id}/models/move", _form(html)).status_code == 303
    )
    with app.app_context():
        card = results.compute(_assessment(app, assessment_id))[3]
        assert card.frameworks[0].framework.version == "1.1"
        assert card.frameworks[0].score == pytest.approx(3.0)
        answers = db.session.scalars(
            select(AnswerRow.question_id)
            .join(Respondent)
            .where(Respondent.assessment_id == assessment_id)
        ).all()
        assert "acme.b.b1" in answers


def test_another_consultancy_gets_404(app, consultant, northwind, frameworks):
    write_idic(frameworks)
    html = consultant.client.get(f"/assessments/{northwind}/models/compare?model=idic").get_data(
        as_text=True
    )
    seen = _form(html)
    assert consultant.post(f"/assessments/{northwind}/models/move", seen).status_code == 303
    with app.app_context():
        move_id = db.session.scalars(select(ModelMove.id)).one()
    intruder = Actions(app, app.test_client())
    intruder.sign_up("Second Consulting", "b@second.example")
    base = f"/assessments/{northwind}/models"
    assert intruder.client.get(base).status_code == 404
    assert intruder.client.get(f"{base}/compare?model=idic").status_code == 404
    assert intruder.post(f"{base}/move", seen).status_code == 404
    assert intruder.post(f"{base}/moves/{move_id}/undo").status_code == 404
    # nor can a move of one assessment be undone through another of one's own
    own = intruder.new_assessment(intruder.new_client())
    assert intruder.post(f"/assessments/{own}/models/moves/{move_id}/undo").status_code == 404
    assert _idic_version(app, northwind) == NEW


def test_pages_speak_vietnamese(app, consultant, northwind, frameworks):
    write_idic(frameworks)
    with consultant.client.session_transaction() as session:
        session["lang"] = "vi"
    page = consultant.client.get(f"/assessments/{northwind}").get_data(as_text=True)
    assert "Đã có phiên bản mới hơn của" in page
    html = consultant.client.get(f"/assessments/{northwind}/models/compare?model=idic").get_data(
        as_text=True
    )
    assert "Điểm trước và sau" in html
    assert f"Chuyển đợt đánh giá này sang phiên bản {NEW}" in html


def test_no_move_during_a_live_workshop(app, consultant, northwind, frameworks):
    write_idic(frameworks)
    html = consultant.client.get(f"/assessments/{northwind}/models/compare?model=idic").get_data(
        as_text=True
    )
    consultant.post(f"/assessments/{northwind}/status", {"status": "open"})  # imported: closed
    assert consultant.client.get(f"/assessments/{northwind}/workshop").status_code == 200
    refused = consultant.post(f"/assessments/{northwind}/models/move", _form(html))
    assert refused.status_code == 409
    assert "Close the live workshop" in refused.get_data(as_text=True)
    assert _idic_version(app, northwind) == OLD
