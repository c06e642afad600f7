"""The results and share pages with thin data (issue 9): coverage stated, tentative scores marked,
and no claim the answers cannot support, in English and Vietnamese."""

from __future__ import annotations

import pytest

from tests.web.test_reports_and_sharing import share_link
from tests.web.test_respond import Q1, open_link, respondent_client, save

NOTHING_NEEDED = {"en": "No initiative is needed", "vi": "Không cần sáng kiến nào"}
NOT_ENOUGH_ROADMAP = {
    "en": "Not enough answers yet for a roadmap",
    "vi": "Chưa đủ câu trả lời để lập lộ trình",
}
NOT_ENOUGH_HIGHLIGHTS = {
    "en": "Not enough answers yet to name strengths and gaps: 0 of 4",
    "vi": "Chưa đủ câu trả lời để xác định điểm mạnh và khoảng cách: mới có 0/4",
}
TENTATIVE = {"en": "tentative", "vi": "tạm tính"}
UNSCORED = {
    "en": "3 dimensions have no score yet and are not in this roadmap",
    "vi": "3 khía cạnh chưa có điểm nên chưa có trong lộ trình này",
}
COVERAGE = {"en": "Coverage 5%", "vi": "Độ bao phủ 5%"}


def page(client, url: str, lang: str) -> str:
    response = client.get(url, headers={"Accept-Language": lang})
    assert response.status_code == 200
    return response.get_data(as_text=True)


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_an_assessment_nobody_answered(app, consultant, lang):
    assessment_id, _ = open_link(consultant)
    results = page(consultant.client, f"/assessments/{assessment_id}/results", lang)
    team = app.test_client()
    team.get(share_link(consultant, assessment_id))
    shared = page(team, "/shared", lang)
    for html in (results, shared):
        assert NOT_ENOUGH_ROADMAP[lang] in html
        assert NOT_ENOUGH_HIGHLIGHTS[lang] in html
        assert NOTHING_NEEDED[lang] not in html


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_one_answer_is_a_tentative_score(app, consultant, lang):
    assessment_id, link = open_link(consultant)
    assert save(respondent_client(app, link), Q1, "3", 1).status_code == 200
    results = page(consultant.client, f"/assessments/{assessment_id}/results", lang)
    team = app.test_client()
    team.get(share_link(consultant, assessment_id))
    shared = page(team, "/shared", lang)
    for html in (results, shared):
        assert TENTATIVE[lang] in html  # one question of twenty: the model's score is tentative
        assert UNSCORED[lang] in html  # three of four dimensions are not in the roadmap
        assert COVERAGE[lang] in html  # its coverage (1 of 5 questions in 1 of 4 dimensions)
        assert NOTHING_NEEDED[lang] not in html


def test_the_results_speak_the_assessment_s_language_under_any_ui(app, consultant):
    client_id = consultant.new_client()
    assessment_id = consultant.new_assessment(client_id, ("idic",), language="vi")
    link = consultant.invite(assessment_id)
    browser = respondent_client(app, link)
    for seq, question in enumerate(
        ["idic.identify.one-customer-id", "idic.identify.known-transactions", Q1], 1
    ):
        assert save(browser, question, "1", seq).status_code == 200
    html = page(consultant.client, f"/assessments/{assessment_id}/results", "en")
    assert ">Results<" in html  # the page's own words follow the user
    assert "Nhận diện khách hàng" in html  # the content follows the assessment
    assert "0–3 tháng" in html  # phase names and
    assert "Identify" not in html  # no English dimension name beside them


@pytest.mark.parametrize(
    ("language", "decimal", "other"), [("vi", "1,50", "1.50"), ("en", "1.50", "1,50")]
)
def test_numbers_on_the_results_and_share_pages_follow_the_assessment_s_language(
    app, consultant, language, decimal, other
):
    client_id = consultant.new_client()
    assessment_id = consultant.new_assessment(client_id, ("idic",), language=language)
    link = consultant.invite(assessment_id)
    browser = respondent_client(app, link)
    assert save(browser, Q1, "1", 1).status_code == 200
    assert save(browser, "idic.identify.known-transactions", "2", 2).status_code == 200
    results = page(consultant.client, f"/assessments/{assessment_id}/results", "en")
    team = app.test_client()
    team.get(share_link(consultant, assessment_id))
    shared = page(team, "/shared", "en")
    for html in (results, shared):
        assert f">{decimal}<" in html  # the Identify dimension's score in its table cell
        assert f">{other}<" not in html
