"""Roadmap rules of DESIGN §6 on a small library whose schedule was worked out by hand."""

from __future__ import annotations

import pytest

from planner.engine.roadmap import plan
from planner.engine.scoring import score
from tests.conftest import model, question

DIMS = {"a": [question("q1")], "b": [question("q2")], "c": [question("q3")]}
FRAMEWORK = model("m", DIMS, header="default_target: 4\nsequence: [b, a, c]")


def init(iid: str, improves: str, weeks: int, depends: str = "") -> str:
    dep = f", depends_on: [{depends}]" if depends else ""
    items = ", ".join(
        f"{{dimension: m.{d.split(':')[0]}, to_level: {d.split(':')[1]}}}" for d in improves.split()
    )
    return f"  - {{id: {iid}, title: {{en: T {iid}, vi: TV {iid}}}, improves: [{items}], duration_weeks: {weeks}{dep}}}"


LIBRARY = "\n".join(
    [
        "initiatives:",
        init("a2", "a:2", 2),
        init("a3", "a:3", 4),
        init("a4", "a:4", 4),
        init("a5", "a:5", 4),
        init("b2", "b:2", 3, "found"),
        init("found", "c:3", 6),
        init("b3", "b:3", 4, "setup"),
        init("setup", "c:5", 5),
        init("b4", "b:4", 4),
    ]
)
ANSWERS = """
client: C
frameworks: [m]
respondents:
  - name: R
    answers: {m.a.q1: 2, m.b.q2: 1, m.c.q3: 4}
"""


def roadmap_of(answers_of, extra: str = "", library: str = LIBRARY):
    loaded = answers_of({"m.yaml": FRAMEWORK, "initiatives.yaml": library}, ANSWERS + extra)
    card = score(loaded.assessment, loaded.frameworks)
    return plan(card, loaded.catalog.all_initiatives(), loaded.assessment.roadmap, "en")


def test_selection_closure_enablers_and_implicit_order(answers_of):
    road = roadmap_of(answers_of)
    by_id = {s.initiative.id: s for s in road.initiatives}
    # a is at level 2 with target 4: steps to 3 and 4; not 2 (reached) nor 5 (beyond target)
    # found improves c to 3 while c is at 4: an achieved prerequisite is skipped
    assert set(by_id) == {"a3", "a4", "b2", "b3", "b4", "setup"}
    assert by_id["setup"].enabler
    assert not by_id["b3"].enabler
    assert by_id["a4"].depends_on == ("a3",)  # implicit: within a dimension, lower steps first
    assert set(by_id["b4"].depends_on) == {"b2", "b3"}
    assert set(by_id["b3"].depends_on) == {"setup", "b2"}
    assert by_id["b2"].depends_on == ()  # its prerequisite was already achieved


def test_priorities_rank_and_enablers_inherit(answers_of):
    by_id = {s.initiative.id: s for s in roadmap_of(answers_of).initiatives}
    assert by_id["b2"].priority == 9  # gap 3 x weight 1 x importance 3
    assert by_id["a3"].priority == 6
    assert by_id["setup"].priority == 9  # from its dependent b3


def test_a_selected_prerequisite_inherits_the_priority_of_what_needs_it(answers_of):
    # b2 (priority 9) now needs a3 (own priority 6): a3 is as urgent as b2 and goes first
    library = LIBRARY.replace(
        "duration_weeks: 3, depends_on: [found]", "duration_weeks: 3, depends_on: [found, a3]"
    )
    road = roadmap_of(answers_of, "roadmap:\n  max_parallel: 1\n", library)
    by_id = {s.initiative.id: s for s in road.initiatives}
    assert by_id["a3"].priority == 9
    assert by_id["a4"].priority == 6  # what a3 needs passes upward, not what depends on a3 alone
    weeks = {i: (s.start_week, s.end_week) for i, s in by_id.items()}
    # by hand, one at a time: a3 (9, level 3) before setup (9, level 5); then b2 (9), setup, b3, b4
    # and a4 (6) last; under the old rule a3 kept 6 and waited behind setup (weeks 5-9)
    assert weeks == {
        "a3": (0, 4),
        "b2": (4, 7),
        "setup": (7, 12),
        "b3": (12, 16),
        "b4": (16, 20),
        "a4": (20, 24),
    }


def test_schedule_by_hand(answers_of):
    road = roadmap_of(answers_of)
    weeks = {s.initiative.id: (s.start_week, s.end_week) for s in road.initiatives}
    assert weeks == {
        "b2": (0, 3),
        "setup": (0, 5),
        "b3": (5, 9),
        "b4": (9, 13),
        "a3": (0, 4),
        "a4": (4, 8),
    }
    assert [s.initiative.id for s in road.initiatives] == ["b2", "setup", "a3", "a4", "b3", "b4"]
    assert {s.phase for s in road.initiatives} == {"0–3 months"}


def test_max_parallel_and_custom_phases_from_the_answers_file(answers_of):
    extra = "roadmap:\n  max_parallel: 1\n  phases: [{name: First, start_week: 0}, {name: Later, start_week: 10}]\n"
    road = roadmap_of(answers_of, extra)
    weeks = {s.initiative.id: (s.start_week, s.end_week, s.phase) for s in road.initiatives}
    assert weeks == {
        "b2": (0, 3, "First"),
        "setup": (3, 8, "First"),
        "b3": (8, 12, "First"),
        "b4": (12, 16, "Later"),
        "a3": (16, 20, "Later"),
        "a4": (20, 24, "Later"),
    }
    first, later = road.phases
    assert (first.start_week, first.end_week, later.end_week) == (0, 10, None)
    assert first.projected_dimensions == {"m.a": 2, "m.b": 2, "m.c": 5}
    assert first.projected["m"] == pytest.approx(3)
    assert later.projected["m"] == pytest.approx((4 + 4 + 5) / 3)


def test_trajectory_never_falls_below_the_current_score(answers_of):
    road = roadmap_of(answers_of)
    assert road.phases[0].projected_dimensions["m.c"] == 5
    assert all(p.projected_dimensions["m.a"] >= 2 for p in road.phases)


def test_no_gap_no_roadmap(answers_of):
    road = roadmap_of(answers_of, "targets: {m: 1}\n")
    assert road.initiatives == ()


def test_ties_break_on_level_then_sequence_then_id(answers_of):
    library = "\n".join(
        ["initiatives:", init("zz", "a:3", 2), init("yy", "b:2", 2), init("xx", "a:2", 2)]
    )
    loaded = answers_of(
        {"m.yaml": FRAMEWORK, "initiatives.yaml": library},
        "client: C\nframeworks: [m]\nrespondents:\n  - name: R\n    answers: {m.a.q1: 1, m.b.q2: 1}\n",
    )
    road = plan(
        score(loaded.assessment, loaded.frameworks),
        loaded.catalog.all_initiatives(),
        loaded.assessment.roadmap.__class__(max_parallel=1),
    )
    # a and b have equal priority; to_level 2 before 3; among level 2, b comes first in the sequence
    assert [s.initiative.id for s in road.initiatives] == ["yy", "xx", "zz"]
