"""The roadmap editor (DESIGN §6 step 7, §7): each change re-plans, is stored with the assessment in
the answers file's form, travels in the export, and can be undone or reset."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest
import yaml

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.fixture
def assessment_id(consultant):
    data = (EXAMPLES / "northwind-en.yaml").read_bytes()
    return consultant.import_assessment(data, "northwind.yaml")


def _roadmap(consultant, assessment_id):
    data = consultant.client.get(f"/assessments/{assessment_id}/export/results.json").get_json()
    return data["roadmap"]


def _by_id(road):
    return {i["id"]: i for i in road["initiatives"]}


def _exported(consultant, assessment_id):
    text = consultant.client.get(f"/assessments/{assessment_id}/export/answers.yaml").data
    return yaml.safe_load(text).get("roadmap", {})


def _revision(consultant, assessment_id):
    page = consultant.client.get(f"/assessments/{assessment_id}/roadmap").get_data(as_text=True)
    return re.search(r'name="revision" value="(\d+)"', page).group(1)


def _edit(consultant, assessment_id, action, **fields):
    fields.setdefault("revision", _revision(consultant, assessment_id))
    return consultant.post(f"/assessments/{assessment_id}/roadmap/{action}", fields)


def _text(response):
    return unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


def test_the_editor_shows_the_generated_plan_as_gantt_and_list(consultant, assessment_id):
    road = _roadmap(consultant, assessment_id)
    page = consultant.client.get(f"/assessments/{assessment_id}/roadmap")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "<svg" in html
    rows = re.findall(r'<li class="plan-row[^"]*" id="row-([a-z0-9-]+)"', html)
    assert rows == [i["id"] for i in road["initiatives"]]


def test_drop_and_restore_re_plan_and_travel_in_the_export(consultant, assessment_id):
    first = _roadmap(consultant, assessment_id)["initiatives"][0]["id"]
    response = _edit(consultant, assessment_id, "drop", initiative=first)
    assert response.status_code == 303
    assert first not in _by_id(_roadmap(consultant, assessment_id))
    assert _exported(consultant, assessment_id)["drop"] == [first]
    page = consultant.client.get(response.headers["Location"])
    assert "Re-planned." in _text(page)
    _edit(consultant, assessment_id, "restore", initiative=first)
    assert first in _by_id(_roadmap(consultant, assessment_id))
    assert "drop" not in _exported(consultant, assessment_id)


def test_pin_duration_owner_and_title(consultant, assessment_id):
    road = _roadmap(consultant, assessment_id)
    target = road["initiatives"][-1]
    _edit(
        consultant,
        assessment_id,
        "change",
        initiative=target["id"],
        title="Our own title",
        start_week="3",
        duration_weeks=str(target["end_week"] - target["start_week"] + 2),
        owner="Head of Sales",
    )
    after = _by_id(_roadmap(consultant, assessment_id))[target["id"]]
    assert after["start_week"] == 3
    assert after["end_week"] - after["start_week"] == target["end_week"] - target["start_week"] + 2
    assert after["owner"] == "Head of Sales"
    assert after["title"] == "Our own title"
    assert after["edited"]
    change = _exported(consultant, assessment_id)["change"][target["id"]]
    assert change["start_week"] == 3


def test_a_start_left_as_planned_is_not_a_pin(consultant, assessment_id):
    target = _roadmap(consultant, assessment_id)["initiatives"][1]
    _edit(
        consultant,
        assessment_id,
        "change",
        initiative=target["id"],
        title=target["title"],
        start_week=str(target["start_week"]),
        duration_weeks=str(target["end_week"] - target["start_week"]),
        owner=target["owner"] or "",
    )
    assert "change" not in _exported(consultant, assessment_id)


def test_unpin_lets_the_plan_place_it_again(consultant, assessment_id):
    target = _roadmap(consultant, assessment_id)["initiatives"][-1]
    form = {
        "initiative": target["id"],
        "title": target["title"],
        "duration_weeks": str(target["end_week"] - target["start_week"]),
        "owner": target["owner"] or "",
    }
    _edit(consultant, assessment_id, "change", start_week="0", **form)
    assert _by_id(_roadmap(consultant, assessment_id))[target["id"]]["start_week"] == 0
    _edit(consultant, assessment_id, "change", start_week="0", unpin="1", **form)
    assert _by_id(_roadmap(consultant, assessment_id))[target["id"]] == target


def test_add_a_custom_initiative(consultant, assessment_id):
    prerequisite = _roadmap(consultant, assessment_id)["initiatives"][0]["id"]
    response = _edit(
        consultant,
        assessment_id,
        "add",
        title="Sales playbook",
        summary="How we sell",
        dimension="idic.interact",
        to_level="3",
        depends_on=prerequisite,
        duration_weeks="6",
        owner="Head of Sales",
        kpis="Win rate\nCycle time",
    )
    assert response.status_code == 303
    added = _by_id(_roadmap(consultant, assessment_id))["sales-playbook"]
    assert added["added"]
    assert added["owner"] == "Head of Sales"
    ends = _by_id(_roadmap(consultant, assessment_id))[prerequisite]["end_week"]
    assert added["start_week"] >= ends
    (entry,) = _exported(consultant, assessment_id)["add"]
    assert entry["kpis"] == ["Win rate", "Cycle time"]
    assert entry["depends_on"] == [prerequisite]
    _edit(consultant, assessment_id, "remove", initiative="sales-playbook")
    assert "sales-playbook" not in _by_id(_roadmap(consultant, assessment_id))


def test_settings_capacity_horizon_and_phases(consultant, assessment_id):
    _edit(
        consultant,
        assessment_id,
        "settings",
        max_parallel="1",
        horizon_weeks="30",
        phase_name_0="Now",
        phase_start_0="0",
        phase_name_1="Next",
        phase_start_1="10",
    )
    road = _roadmap(consultant, assessment_id)
    weeks = [(i["start_week"], i["end_week"]) for i in road["initiatives"]]
    for (_, end), (start, _) in zip(sorted(weeks), sorted(weeks)[1:], strict=False):
        assert start >= end, "one at a time"
    assert {i["phase"] for i in road["initiatives"]} <= {"Now", "Next"}
    assert all(i["later"] == (i["start_week"] >= 30) for i in road["initiatives"])
    exported = _exported(consultant, assessment_id)
    assert exported["max_parallel"] == 1
    assert exported["horizon_weeks"] == 30
    assert exported["phases"] == [
        {"name": "Now", "start_week": 0},
        {"name": "Next", "start_week": 10},
    ]


@pytest.mark.parametrize(
    ("action", "fields", "message"),
    [
        ("settings", {"max_parallel": "0", "horizon_weeks": "78"}, "from 1 to 50"),
        ("settings", {"max_parallel": "2", "horizon_weeks": "x"}, "whole number of weeks"),
        (
            "settings",
            {"max_parallel": "2", "horizon_weeks": "78", "phase_name_0": "A", "phase_start_0": "4"},
            "week 0",
        ),
        ("add", {"title": "", "dimension": "idic.interact", "to_level": "3"}, "needs a title"),
        ("add", {"title": "X", "dimension": "nope.nope", "to_level": "3"}, "dimension"),
        ("add", {"title": "X", "dimension": "idic.interact", "to_level": "9"}, "level"),
        ("drop", {"initiative": "no-such-initiative"}, "unknown initiative"),
    ],
)
def test_bad_edits_are_refused_and_nothing_is_saved(
    consultant, assessment_id, action, fields, message
):
    before = _exported(consultant, assessment_id)
    response = _edit(consultant, assessment_id, action, **fields)
    assert response.status_code == 422
    assert message in _text(response)
    assert _exported(consultant, assessment_id) == before


def test_a_change_made_on_an_old_page_is_refused(consultant, assessment_id):
    stale = _revision(consultant, assessment_id)
    first, second = [i["id"] for i in _roadmap(consultant, assessment_id)["initiatives"][:2]]
    _edit(consultant, assessment_id, "drop", initiative=first, revision=stale)
    response = _edit(consultant, assessment_id, "drop", initiative=second, revision=stale)
    assert response.status_code == 409
    assert _exported(consultant, assessment_id)["drop"] == [first]


def test_undo_and_reset(consultant, assessment_id):
    generated = _roadmap(consultant, assessment_id)
    first, second = [i["id"] for i in generated["initiatives"][:2]]
    _edit(consultant, assessment_id, "drop", initiative=first)
    _edit(consultant, assessment_id, "drop", initiative=second)
    _edit(consultant, assessment_id, "undo")
    assert _exported(consultant, assessment_id)["drop"] == [first]
    _edit(consultant, assessment_id, "settings", max_parallel="2", horizon_weeks="78")
    _edit(consultant, assessment_id, "reset")
    exported = _exported(consultant, assessment_id)
    assert "drop" not in exported
    assert exported["max_parallel"] == 2, "reset keeps the settings"
    _edit(consultant, assessment_id, "undo")
    assert _exported(consultant, assessment_id)["drop"] == [first]


def test_undo_with_nothing_to_undo_is_a_conflict(consultant, assessment_id):
    assert _edit(consultant, assessment_id, "undo").status_code == 409


def test_edits_survive_new_answers_and_an_inactive_edit_is_shown(consultant, assessment_id):
    road = _roadmap(consultant, assessment_id)
    in_plan = {i["id"] for i in road["initiatives"]}
    library = consultant.client.get(f"/assessments/{assessment_id}/roadmap")
    assert library.status_code == 200
    outside = "customer-data-inventory"
    if outside in in_plan:
        outside = next(i for i in ("crm-data-quality-programme",) if i not in in_plan)
    before = _exported(consultant, assessment_id)
    response = _edit(consultant, assessment_id, "drop", initiative=outside)
    assert response.status_code == 303
    road = _roadmap(consultant, assessment_id)
    assert outside in road["inactive"]
    page = consultant.client.get(f"/assessments/{assessment_id}/roadmap")
    assert "not in today's plan" in _text(page)
    _edit(consultant, assessment_id, "forget", initiative=outside)
    assert _exported(consultant, assessment_id) == before


def test_another_consultancy_cannot_see_or_edit(app, consultant, assessment_id):
    other = app.test_client()
    from tests.web.conftest import Actions

    Actions(app, other).sign_up("Other Co", "other@example.com")
    assert other.get(f"/assessments/{assessment_id}/roadmap").status_code == 404
    stranger = Actions(app, other)
    response = stranger.post(
        f"/assessments/{assessment_id}/roadmap/drop", {"initiative": "x", "revision": "0"}
    )
    assert response.status_code == 404


def test_the_editor_speaks_vietnamese(consultant):
    data = (EXAMPLES / "an-phat-vi.yaml").read_bytes()
    assessment_id = consultant.import_assessment(data, "an-phat.yaml")
    consultant.post("/language/vi", {"next": "/"})
    page = _text(consultant.client.get(f"/assessments/{assessment_id}/roadmap"))
    assert "Điều chỉnh lộ trình" in page
    assert "Lưu và lập lại kế hoạch" in page
    response = _edit(consultant, assessment_id, "settings", max_parallel="0", horizon_weeks="78")
    assert "phải là số nguyên từ 1 đến 50" in _text(response)
