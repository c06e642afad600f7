"""Scoring rules of DESIGN §5 on tiny frameworks, computed by hand."""

from __future__ import annotations

import json
import math

import pytest

from planner.engine.scoring import score
from planner.report.present import scorecard_data
from tests.conftest import model, question

ALPHA = {"a": [question("q1"), question("q2", weight=3)], "b": [question("q3")]}


def card_of(
    answers_of, answers: str, files: dict[str, str] | None = None, header: str = "", dim_extra=None
):
    files = files or {"m.yaml": model("m", ALPHA, header=header, dim_extra=dim_extra)}
    loaded = answers_of(files, answers)
    return score(
        loaded.assessment, loaded.frameworks, loaded.catalog.crosswalk.equivalent_questions
    )


def respondents(*rows: dict[str, object], roles: list[str] | None = None) -> str:
    out = ["client: C", "frameworks: [m]", "respondents:"]
    for i, answers in enumerate(rows):
        out.append(f"  - name: R{i}")
        if roles:
            out.append(f"    role: {roles[i]}")
        out.append("    answers:")
        out += [f"      {q}: {v}" for q, v in answers.items()]
    return "\n".join(out) + "\n"


def test_question_mean_spread_and_distribution(answers_of):
    card = card_of(
        answers_of, respondents({"m.a.q1": 1}, {"m.a.q1": 3}, {"m.a.q1": 5}, {"m.a.q1": "unknown"})
    )
    q1 = card.frameworks[0].dimensions[0].questions[0]
    assert q1.score == 3
    assert q1.n == 3
    assert q1.spread == pytest.approx(math.sqrt(8 / 3))
    assert q1.unknown == 1
    assert dict(q1.distribution) == {1: 1, 2: 0, 3: 1, 4: 0, 5: 1}


def test_dimension_is_the_weighted_mean_and_framework_rolls_up_by_dimension_weight(answers_of):
    extra = {"a": "weight: 3"}
    card = card_of(
        answers_of, respondents({"m.a.q1": 1, "m.a.q2": 3, "m.b.q3": 5}), dim_extra=extra
    )
    fs = card.frameworks[0]
    a, b = fs.dimensions
    assert a.score == pytest.approx((1 * 1 + 3 * 3) / 4)
    assert b.score == 5
    assert fs.score == pytest.approx((3 * 2.5 + 1 * 5) / 4)
    assert (a.level, b.level, fs.level) == (2, 5, 3)


def test_agreed_value_replaces_the_mean(answers_of):
    text = respondents({"m.a.q1": 1}, {"m.a.q1": 2}) + "agreed: {m.a.q1: 4}\n"
    q1 = card_of(answers_of, text).frameworks[0].dimensions[0].questions[0]
    assert (q1.score, q1.agreed, q1.n) == (4, True, 2)


def test_na_questions_leave_score_and_coverage_under_exclude(answers_of):
    card = card_of(answers_of, respondents({"m.a.q1": "na", "m.a.q2": 2}, {"m.a.q1": "na"}))
    a = card.frameworks[0].dimensions[0]
    assert a.questions[0].is_na
    assert a.questions[0].na == 2
    assert a.score == 2
    assert a.coverage == 1.0


def test_unknown_only_lowers_coverage_and_insufficient_below_half(answers_of):
    card = card_of(answers_of, respondents({"m.a.q1": 4, "m.a.q2": "unknown"}))
    a = card.frameworks[0].dimensions[0]
    assert not a.questions[1].is_na
    assert a.questions[1].score is None
    assert a.score == 4
    assert a.coverage == pytest.approx(1 / 4)
    assert a.insufficient


def test_na_policy_minimum_counts_na_as_the_lowest_level(answers_of):
    card = card_of(
        answers_of, respondents({"m.a.q1": "na"}, {"m.a.q1": 5}), header="na_policy: minimum"
    )
    q1 = card.frameworks[0].dimensions[0].questions[0]
    assert (q1.score, q1.n, q1.is_na) == (3, 2, False)


def test_weakest_level_rule(answers_of):
    card = card_of(
        answers_of,
        respondents({"m.a.q1": 2, "m.a.q2": 5, "m.b.q3": 4}),
        header="level_rule: weakest",
    )
    fs = card.frameworks[0]
    a, _b = fs.dimensions
    assert a.score == pytest.approx((2 + 15) / 4)
    assert a.level == 2  # the weakest question, not floor(4.25)
    assert fs.level == 2  # the lowest dimension level


def test_unscored_dimension_has_no_score_level_or_gap(answers_of):
    card = card_of(answers_of, respondents({"m.a.q1": 3}))
    b = card.frameworks[0].dimensions[1]
    assert (b.score, b.level, b.gap, b.priority, b.coverage) == (None, None, None, None, 0.0)
    assert card.frameworks[0].score == 3


def test_target_precedence(answers_of):
    header = "default_target: 3"
    extra = {"a": "target: 4", "b": "target: 2"}
    answers = respondents({"m.a.q1": 1, "m.b.q3": 1})
    fs = card_of(answers_of, answers, header=header, dim_extra=extra).frameworks[0]
    assert [d.target for d in fs.dimensions] == [4, 2]  # the dimension's own target
    fs = card_of(
        answers_of, answers + "targets: {m: 5}\n", header=header, dim_extra=extra
    ).frameworks[0]
    assert [d.target for d in fs.dimensions] == [5, 5]  # the answers file's framework entry
    fs = card_of(
        answers_of, answers + "targets: {m: 5, m.b: 3}\n", header=header, dim_extra=extra
    ).frameworks[0]
    assert [d.target for d in fs.dimensions] == [5, 3]  # a dimension's own entry first
    fs = card_of(answers_of, answers).frameworks[0]
    assert [d.target for d in fs.dimensions] == [5, 5]  # no target anywhere: the scale's top
    fs = card_of(answers_of, answers, header=header).frameworks[0]
    assert [d.target for d in fs.dimensions] == [3, 3]  # default_target


def test_gap_percent_to_target_and_priority_with_importance(answers_of):
    text = respondents({"m.a.q1": 2, "m.a.q2": 2, "m.b.q3": 5}) + "targets: {m: 4}\n"
    text = text.replace("    answers:", "    importance: {m.a: 5}\n    answers:", 1)
    fs = card_of(answers_of, text, dim_extra={"a": "weight: 2"}).frameworks[0]
    a, b = fs.dimensions
    assert (a.gap, b.gap) == (2, 0)
    assert a.priority == 2 * 2 * 5
    assert b.priority == 0
    assert b.importance == 3  # no rating: 3
    assert fs.percent_to_target == pytest.approx(100 * (1 - (2 * 2) / (2 * 3 + 1 * 3)))


def test_percent_to_target_is_100_when_targets_are_at_the_bottom(answers_of):
    fs = card_of(answers_of, respondents({"m.a.q1": 1}) + "targets: {m: 1}\n").frameworks[0]
    assert fs.percent_to_target == 100


def test_contested_questions(answers_of):
    text = respondents(
        {"m.a.q1": 1, "m.a.q2": 3}, {"m.a.q1": 3, "m.a.q2": 3}, {"m.a.q1": 4, "m.a.q2": 4}
    )
    card = card_of(answers_of, text)
    assert [c.question.question.full_id for c in card.contested] == [
        "m.a.q1"
    ]  # q2's spread is 0.47


def test_perception_gaps_by_role(answers_of):
    text = respondents(
        {"m.a.q1": 4, "m.b.q3": 3},
        {"m.a.q1": 2, "m.b.q3": 3},
        {"m.a.q1": 2},
        roles=["ceo", "staff", "staff"],
    )
    gaps = card_of(answers_of, text).perception_gaps
    assert len(gaps) == 1
    assert gaps[0].dimension.full_id == "m.a"
    assert dict(gaps[0].scores) == {"ceo": 4, "staff": 2}
    assert gaps[0].difference == 2


EQUIV = """
equivalent_questions:
  - [m.a.q1, n.x.p1]
"""


def test_equivalent_questions_share_answers_and_own_answers_win(answers_of):
    files = {
        "m.yaml": model("m", ALPHA),
        "n.yaml": model("n", {"x": [question("p1"), question("p2")]}),
        "crosswalk.yaml": EQUIV,
    }
    text = respondents({"m.a.q1": 2}, {"m.a.q1": 4, "n.x.p1": 1}).replace("[m]", "[m, n]")
    card = card_of(answers_of, text, files=files)
    assert card.frameworks[0].dimensions[0].questions[0].score == 3
    p1 = card.frameworks[1].dimensions[0].questions[0]
    assert p1.score == pytest.approx((2 + 1) / 2)  # R0's m.a.q1, then R1's own n.x.p1


def test_same_input_same_output(answers_of):
    text = respondents({"m.a.q1": 1, "m.a.q2": 4}, {"m.a.q1": 5, "m.b.q3": "na"}, roles=["a", "b"])
    first, second = card_of(answers_of, text), card_of(answers_of, text)
    assert json.dumps(scorecard_data(first)) == json.dumps(scorecard_data(second))
    assert first.perception_gaps == second.perception_gaps
