"""The consultant's edits (DESIGN §6 step 7, §4 `roadmap:`): each rule on the hand-checked library of
test_roadmap, the warnings, the answers file's errors with their lines, and the round trip."""

from __future__ import annotations

import pytest

from planner.answers import AnswersError, dump_answers, parse_answers
from planner.engine.roadmap import plan
from planner.engine.scoring import score
from planner.report.present import roadmap_data, roadmap_text
from tests.unit.test_roadmap import ANSWERS, FRAMEWORK, LIBRARY, roadmap_of


def weeks_of(road):
    return {s.initiative.id: (s.start_week, s.end_week) for s in road.initiatives}


def test_drop_removes_it_and_its_dependents_no_longer_wait(answers_of):
    # by hand (test_roadmap): setup (0-5) is b3's prerequisite; dropped, b3 starts when b2 ends
    road = roadmap_of(answers_of, "roadmap:\n  drop: [setup]\n")
    weeks = weeks_of(road)
    assert "setup" not in weeks
    assert "setup" not in {d for s in road.initiatives for d in s.depends_on}
    assert weeks["b3"] == (3, 7)
    assert road.dropped == ("setup",)
    assert road.warnings == ()


def test_a_dropped_initiative_is_never_re_added_as_a_prerequisite(answers_of):
    # b3 is selected and needs setup; dropping setup does not bring it back through b3
    road = roadmap_of(answers_of, "roadmap:\n  drop: [setup, b2]\n")
    assert set(weeks_of(road)) == {"a3", "a4", "b3", "b4"}


def test_added_initiatives_are_planned_whatever_the_levels(answers_of):
    extra = """roadmap:
  add:
    - {id: playbook, title: Sales playbook, improves: [{dimension: m.c, to_level: 2}],
       depends_on: [b2], duration_weeks: 6, owner: Head of Sales}
"""
    road = roadmap_of(answers_of, extra)
    by_id = {s.initiative.id: s for s in road.initiatives}
    playbook = by_id["playbook"]
    assert playbook.added
    assert not playbook.enabler
    assert playbook.priority == 0  # c is at 4: it lifts nothing assessed
    assert playbook.start_week >= by_id["b2"].end_week
    assert playbook.initiative.owner.get("en") == "Head of Sales"
    data = roadmap_data(road)
    assert [i["added"] for i in data["initiatives"] if i["id"] == "playbook"] == [True]


def test_an_added_initiative_is_planned_even_without_scores(answers_of):
    answers = (
        "client: C\nframeworks: [m]\nrespondents: []\nroadmap:\n  add:\n"
        "    - {id: kickoff, title: Kick-off, improves: [{dimension: m.a, to_level: 2}], duration_weeks: 2}\n"
    )
    loaded = answers_of({"m.yaml": FRAMEWORK, "initiatives.yaml": LIBRARY}, answers)
    road = plan(
        score(loaded.assessment, loaded.frameworks),
        loaded.catalog.all_initiatives(),
        loaded.assessment.roadmap,
    )
    assert [(s.initiative.id, s.start_week, s.end_week) for s in road.initiatives] == [
        ("kickoff", 0, 2)
    ]
    assert road.state == "planned"


def test_change_overrides_duration_owner_and_title(answers_of):
    extra = "roadmap:\n  change:\n    setup: {duration_weeks: 2, owner: CIO, title: Quick setup}\n"
    road = roadmap_of(answers_of, extra)
    by_id = {s.initiative.id: s for s in road.initiatives}
    setup = by_id["setup"]
    assert (setup.start_week, setup.end_week) == (0, 2)
    assert setup.edited
    assert not setup.pinned
    assert (setup.initiative.title.get("en"), setup.initiative.owner.get("en")) == (
        "Quick setup",
        "CIO",
    )
    assert by_id["b3"].start_week == 3  # after b2 (0-3) and the shorter setup (0-2)


def test_a_pin_is_exact_and_the_rest_plan_around_it(answers_of):
    # a3 pinned at week 6; a4 (its implicit follower) starts when it ends
    road = roadmap_of(answers_of, "roadmap:\n  change:\n    a3: {start_week: 6}\n")
    weeks = weeks_of(road)
    assert weeks["a3"] == (6, 10)
    assert weeks["a4"] == (10, 14)
    assert road.warnings == ()


def test_a_pin_before_its_prerequisite_ends_is_kept_with_a_warning(answers_of):
    # b3 needs setup (0-5) and b2 (0-3); pinned at week 1
    road = roadmap_of(answers_of, "roadmap:\n  change:\n    b3: {start_week: 1}\n")
    assert weeks_of(road)["b3"] == (1, 5)
    kinds = {(w.initiative, w.kind, w.other) for w in road.warnings}
    assert kinds == {("b3", "prerequisite", "setup"), ("b3", "prerequisite", "b2")}
    assert "b3: pinned to start before its prerequisite setup ends (week 5)" in roadmap_text(road)


def test_pins_may_exceed_capacity_alone_and_say_so(answers_of):
    extra = (
        "roadmap:\n  max_parallel: 1\n  change:\n    a3: {start_week: 0}\n    b2: {start_week: 2}\n"
    )
    road = roadmap_of(answers_of, extra)
    weeks = weeks_of(road)
    assert weeks["a3"] == (0, 4)
    assert weeks["b2"] == (2, 5)
    # week 2-3: two pins; nothing unpinned runs beside a pin when max_parallel is 1
    (warning,) = [w for w in road.warnings if w.kind == "capacity"]
    assert (warning.initiative, warning.weeks, warning.count) == ("b2", (2, 3), 2)
    for iid, (start, _end) in weeks.items():
        if iid not in ("a3", "b2"):
            assert start >= 5
    assert "2 initiatives run at once in weeks 2-3 (at most 1)" in warning.message


def test_edits_on_initiatives_outside_todays_plan_are_kept_and_listed(answers_of):
    # found improves c to 3 while c is at 4: it is not in the plan
    road = roadmap_of(answers_of, "roadmap:\n  drop: [found]\n  change:\n    a5: {owner: CMO}\n")
    assert road.inactive == ("a5", "found")
    assert road.dropped == ()
    assert {(w.initiative, w.kind) for w in road.warnings} == {
        ("a5", "inactive"),
        ("found", "inactive"),
    }


def test_the_answers_file_round_trips_its_edits(answers_of, tmp_path):
    extra = """roadmap:
  max_parallel: 2
  horizon_weeks: 40
  drop: [setup]
  add:
    - {id: playbook, title: Sales playbook, summary: One way to sell, improves: [{dimension: m.c, to_level: 5}],
       depends_on: [b2], duration_weeks: 6, owner: Head of Sales, kpis: [Win rate]}
  change:
    a3: {start_week: 2, duration_weeks: 5, owner: CMO, title: Value tiers}
"""
    first = answers_of({"m.yaml": FRAMEWORK, "initiatives.yaml": LIBRARY}, ANSWERS + extra)
    written = dump_answers(first.assessment)
    again = answers_of({"m.yaml": FRAMEWORK, "initiatives.yaml": LIBRARY}, written)
    assert again.assessment == first.assessment
    assert again.assessment.roadmap.change["a3"].start_week == 2
    assert again.assessment.roadmap.add[0].kpis[0].get("en") == "Win rate"


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        (
            "roadmap:\n  drop: [nothing]\n",
            "answers.yaml:8:10: unknown initiative 'nothing' in drop",
        ),
        (
            "roadmap:\n  change:\n    nothing: {owner: X}\n",
            "answers.yaml:9:5: unknown initiative 'nothing' in change",
        ),
        (
            "roadmap:\n  change:\n    a3: {start_week: -1}\n",
            "answers.yaml:9:22: start_week must be a whole number of weeks from 0 to 520",
        ),
        (
            "roadmap:\n  change:\n    a3: {duration_weeks: 0}\n",
            "answers.yaml:9:26: duration_weeks must be a whole number of weeks from 1 to 520",
        ),
        (
            "roadmap:\n  change:\n    a3: {colour: red}\n",
            "answers.yaml:9:10: unknown key 'colour' in the change of a3",
        ),
        (
            "roadmap:\n  add:\n    - {id: a3, title: X, improves: [{dimension: m.a, to_level: 3}], duration_weeks: 2}\n",
            "initiative 'a3' is already in the library",
        ),
        (
            "roadmap:\n  add:\n    - {id: new, title: X, improves: [{dimension: m.zz, to_level: 3}], duration_weeks: 2}\n",
            "answers.yaml:9:50: initiative 'new' improves unknown dimension 'm.zz'",
        ),
        (
            "roadmap:\n  add:\n    - {id: new, title: X, improves: [{dimension: m.a, to_level: 3}], depends_on: [ghost], duration_weeks: 2}\n",
            "initiative 'new' depends on unknown initiative 'ghost'",
        ),
        (
            "roadmap:\n  add:\n    - {id: new, title: X, improves: [{dimension: m.a, to_level: 3}]}\n",
            "duration_weeks",
        ),
        (
            "roadmap:\n  add:\n    - {id: p, title: P, improves: [{dimension: m.a, to_level: 3}], depends_on: [q], duration_weeks: 2}\n"
            "    - {id: q, title: Q, improves: [{dimension: m.a, to_level: 3}], depends_on: [p], duration_weeks: 2}\n",
            "dependency cycle: p -> q -> p",
        ),
    ],
)
def test_bad_edits_name_their_line(answers_of, extra, expected):
    with pytest.raises(AnswersError) as caught:
        answers_of({"m.yaml": FRAMEWORK, "initiatives.yaml": LIBRARY}, ANSWERS + extra)
    assert any(expected in str(p) for p in caught.value.problems), caught.value.problems


def test_an_upload_reads_edits_too(write_catalog):
    folder = write_catalog({"m.yaml": FRAMEWORK, "initiatives.yaml": LIBRARY})
    data = (ANSWERS + "roadmap:\n  drop: [setup]\n").encode()
    loaded = parse_answers(data, "upload.yaml", None, folder)
    assert loaded.assessment.roadmap.drop == ("setup",)
