"""The dashboard (issue 12 item 5): assessments with client, models by name, dates, responses,
status and the headline score with its coverage; searchable and sortable."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _rows(html: str) -> list[str]:
    return re.findall(r'<tr data-assessment="(\d+)">', html)


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def test_rows_carry_client_models_responses_and_honest_scores(consultant):
    imported = consultant.import_assessment((EXAMPLES / "northwind-en.yaml").read_bytes(), "n.yaml")
    empty_client = consultant.new_client("Công ty Đông Á")
    empty = consultant.new_assessment(empty_client, ("idic", "gartner-8"))
    html = consultant.client.get("/").get_data(as_text=True)
    assert _rows(html) == [str(empty), str(imported)], "newest first"
    card = _text(html.split(f'data-assessment="{empty}"')[1].split("</tr>")[0])
    assert "Công ty Đông Á" in card
    assert "IDIC model (Peppers & Rogers)" in card, "models by name, not id"
    assert "gartner-8" not in card
    assert "0 of 0" in card
    assert card.count("not enough answers yet") == 2
    results = consultant.client.get(f"/assessments/{imported}/export/results.json").get_json()
    model = results["scorecard"]["frameworks"][0]
    row = _text(html.split(f'data-assessment="{imported}"')[1].split("</tr>")[0])
    assert f"{model['score']:.2f}" in row
    assert f"{round(model['coverage'] * 100)}% answered" in row


def test_search_ignores_case_and_vietnamese_marks(consultant):
    first = consultant.new_assessment(consultant.new_client("Công ty Đông Á"))
    second = consultant.new_assessment(consultant.new_client("Northwind"))
    assert _rows(consultant.client.get("/?q=dong a").get_data(as_text=True)) == [str(first)]
    assert _rows(consultant.client.get("/?q=NORTH").get_data(as_text=True)) == [str(second)]
    none = consultant.client.get("/?q=zzz").get_data(as_text=True)
    assert _rows(none) == []
    assert "No assessment matches" in _text(none)


def test_sort_by_client_both_ways(consultant):
    b = consultant.new_assessment(consultant.new_client("Beta"))
    a = consultant.new_assessment(consultant.new_client("Alpha"))
    c = consultant.new_assessment(consultant.new_client("Gamma"))
    up = _rows(consultant.client.get("/?sort=client&dir=asc").get_data(as_text=True))
    down = _rows(consultant.client.get("/?sort=client&dir=desc").get_data(as_text=True))
    assert up == [str(a), str(b), str(c)]
    assert down == up[::-1]
    assert consultant.client.get("/?sort=nonsense").status_code == 200


def test_a_client_page_lists_only_its_assessments(consultant):
    mine = consultant.new_client("Alpha")
    ours = consultant.new_assessment(mine)
    consultant.new_assessment(consultant.new_client("Beta"))
    html = consultant.client.get(f"/clients/{mine}").get_data(as_text=True)
    assert _rows(html) == [str(ours)]
    assert "<title>Alpha · CRM Maturity Planner</title>" in html


def test_another_consultancy_sees_none_of_it(app, consultant):
    from tests.web.conftest import Actions

    consultant.new_assessment(consultant.new_client("Alpha"))
    other = Actions(app, app.test_client())
    other.sign_up("Other Co", "other@example.com")
    assert _rows(other.client.get("/").get_data(as_text=True)) == []
