"""The new-assessment form (issue 12 item 7): the models as cards, and the time the chosen set takes
— its unique questions after the crosswalk × the time per question, measured once five of the
consultancy's respondents have submitted."""

from __future__ import annotations

import html
import itertools
import math
import re
import statistics
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from planner.catalog.loader import load_catalog
from planner.engine.questionnaire import unique_questions
from planner.extensions import db
from planner.models import AnswerRow, Respondent
from tests.web.conftest import csrf_token

CATALOG = load_catalog(Path(__file__).parents[2] / "frameworks")
GROUPS = CATALOG.crosswalk.equivalent_questions
DEFAULT_SECONDS = 40  # docs/decisions.md, "New assessment: models as cards"


def expected_minutes(questions: int, seconds: float) -> int:
    return max(1, math.floor(questions * seconds / 60 + 0.5))


def unique_count(models: tuple[str, ...]) -> int:
    return len(unique_questions([CATALOG.framework(m) for m in models], GROUPS))


def text_of(page: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))


def cards(page: str) -> dict[str, str]:
    """Each card's text, by the model id of its checkbox."""
    found = re.findall(r'<div class="model-card">(.*?)</div>', page, re.S)
    return {re.search(r'value="([^"]+)"', card).group(1): text_of(card) for card in found}


def estimate(page: str) -> str:
    """The total and the line saying what it rests on."""
    return text_of(
        re.search(r'<p class="estimate".*?<p class="estimate-basis.*?</p>', page, re.S).group(0)
    )


def tried(consultant, models: tuple[str, ...]) -> str:
    """The form sent back without a title: re-shown (400) with these boxes ticked."""
    client_id = consultant.new_client()
    response = consultant.post(
        "/assessments/new",
        {"client": str(client_id), "title": "", "language": "en", "frameworks": list(models)},
    )
    assert response.status_code == 400
    return response.get_data(as_text=True)


def test_every_model_is_a_card_with_its_box_name_summary_and_size(consultant):
    page = consultant.client.get("/assessments/new").get_data(as_text=True)
    shown = cards(page)
    assert list(shown) == [fw.id for fw in CATALOG.frameworks]
    for fw in CATALOG.frameworks:
        card = shown[fw.id]
        first_sentence = fw.summary.get("en").split(". ")[0]
        questions = sum(1 for _ in fw.questions())
        assert fw.name.get("en") in card
        assert first_sentence in card
        assert f"{len(fw.dimensions)} dimensions · {questions} questions" in card
        alone = expected_minutes(unique_count((fw.id,)), DEFAULT_SECONDS)
        assert f"about {alone} minutes" in card  # shown without JavaScript too
        # the checkbox sits inside its label, on the line of the model's name
        label = re.search(
            rf'<label for="[^"]+">(<input[^>]*value="{fw.id}"[^>]*>)(.*?)</label>', page
        )
        assert label, f"no label around the box of {fw.id}"
        assert fw.name.get("en") in html.unescape(label.group(2))
    assert "Tick one or more models" in estimate(page)


def test_cards_in_vietnamese(consultant):
    consultant.post("/language/vi", {"next": "/assessments/new"})
    page = consultant.client.get("/assessments/new").get_data(as_text=True)
    shown = cards(page)
    idic = CATALOG.framework("idic")
    assert idic.name.get("vi") in shown["idic"]
    assert idic.summary.get("vi").split(". ")[0] in shown["idic"]
    assert "4 khía cạnh · 20 câu hỏi" in shown["idic"]
    assert (
        f"khoảng {expected_minutes(unique_count(('idic',)), DEFAULT_SECONDS)} phút" in shown["idic"]
    )
    assert "Xem thêm" in shown["idic"]
    assert "Chọn một hoặc nhiều mô hình" in estimate(page)
    assert "<title>Đánh giá mới · " in page


def test_the_estimate_is_the_unique_questions_times_the_time_per_question(consultant):
    chosen = ("idic", "gartner-8", "payne-frow")
    page = tried(consultant, chosen)
    questions = unique_count(chosen)
    assert questions < sum(sum(1 for _ in CATALOG.framework(m).questions()) for m in chosen)
    minutes = expected_minutes(questions, DEFAULT_SECONDS)
    assert f"{questions} unique questions · about {minutes} minutes" in estimate(page)
    assert f"At {DEFAULT_SECONDS} seconds a question, until 5 of your respondents" in estimate(page)
    assert f'data-seconds="{float(DEFAULT_SECONDS)}"' in page


def test_the_keys_count_every_combination_exactly(consultant):
    """static/new-assessment.js counts the union of the ticked boxes' keys: for every set of
    models that union is the number of questions the questionnaire asks."""
    page = consultant.client.get("/assessments/new").get_data(as_text=True)
    keys = {
        model: set(found.split())
        for found, model in re.findall(r'<input data-keys="([^"]*)"[^>]*value="([^"]+)"', page)
    }
    ids = [fw.id for fw in CATALOG.frameworks]
    assert set(keys) == set(ids)
    for size in range(1, len(ids) + 1):
        for chosen in itertools.combinations(ids, size):
            union = set().union(*(keys[m] for m in chosen))
            assert len(union) == unique_count(chosen), chosen


def submitted_respondents(app, consultant, paces: list[float]) -> None:
    """One respondent per pace answers three questions through their link and submits; their
    saves are then spread `pace` seconds apart (a test cannot wait minutes)."""
    client_id = consultant.new_client("Pace Co")
    assessment_id = consultant.new_assessment(client_id, ("idic",))
    questions = unique_questions([CATALOG.framework("idic")], GROUPS)[:3]
    for number, pace in enumerate(paces):
        link = consultant.invite(assessment_id, name=f"Person {number}")
        browser = app.test_client()
        browser.get(link)
        token = csrf_token(browser, "/respond/page/1")
        for seq, question in enumerate(questions, start=1):
            saved = browser.post(
                "/respond/save",
                json={"question": question, "value": "3", "comment": None, "client_seq": seq},
                headers={"X-CSRFToken": token},
            )
            assert saved.status_code == 200
        assert browser.post("/respond/submit", data={"csrf_token": token}).status_code == 302
        with app.app_context():
            respondent = db.session.scalars(
                select(Respondent).order_by(Respondent.id.desc()).limit(1)
            ).one()
            rows = db.session.scalars(
                select(AnswerRow).where(AnswerRow.respondent_id == respondent.id)
            ).all()
            for position, row in enumerate(sorted(rows, key=lambda r: r.client_seq)):
                row.updated_at = respondent.started_at + timedelta(seconds=pace * position)
            db.session.commit()


def test_the_measured_pace_is_used_from_five_submitted_respondents(app, consultant):
    paces = [20.0, 30.0, 25.0, 70.0]
    submitted_respondents(app, consultant, paces)
    chosen = ("idic", "qci")
    questions = unique_count(chosen)
    page = tried(consultant, chosen)
    default = expected_minutes(questions, DEFAULT_SECONDS)
    assert f"about {default} minutes" in estimate(page), "four respondents keep the default"

    paces.append(35.0)
    submitted_respondents(app, consultant, paces[-1:])
    page = tried(consultant, chosen)
    median = statistics.median(paces)  # 30 s: three answers span two intervals each
    assert (
        f"{questions} unique questions · about {expected_minutes(questions, median)} minutes"
        in (estimate(page))
    )
    assert f"At {round(median)} seconds a question, the median pace of your 5 respondents" in (
        estimate(page)
    )
    assert f'data-seconds="{median}"' in page


def test_imported_answers_have_no_pace(app, consultant):
    """An imported file's respondents were not timed: they never replace the default."""
    examples = Path(__file__).parents[2] / "examples"
    for name in ("northwind-en.yaml", "an-phat-vi.yaml", "all-models-en.yaml"):
        consultant.import_assessment((examples / name).read_bytes(), name)
    page = tried(consultant, ("idic",))
    assert f"At {DEFAULT_SECONDS} seconds a question, until 5" in estimate(page)


def test_the_respondent_is_told_the_same_time_as_the_consultant(app, consultant):
    """The welcome page's minutes are the form's estimate for the assessment's models."""
    chosen = ("idic", "gartner-8")
    form = estimate(tried(consultant, chosen))
    assessment_id = consultant.new_assessment(consultant.new_client("Same Time Co"), chosen)
    browser = app.test_client()
    welcome = text_of(browser.get(consultant.invite(assessment_id), follow_redirects=True).text)
    minutes = expected_minutes(unique_count(chosen), DEFAULT_SECONDS)
    assert f"about {minutes} minutes" in form
    assert f"it takes about {minutes} minutes" in welcome
