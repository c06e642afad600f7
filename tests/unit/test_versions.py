"""Model versions, pure (DESIGN §7): which version is newer, what changed between two versions of a
model, and the same answers scored on both."""

from __future__ import annotations

import pytest

from planner.answers import NA, Answer, Assessment, Respondent
from planner.catalog.versions import diff, is_newer, version_key
from planner.engine.rescore import counted_only, rescore
from tests.conftest import model, question


@pytest.mark.parametrize(
    ("candidate", "pinned", "newer"),
    [
        ("1.1", "1.0", True),
        ("1.10", "1.9", True),  # numbers, not text: "1.10" < "1.9" as strings
        ("1.9", "1.10", False),
        ("2", "1.9.9", True),
        ("1.0", "1", False),  # trailing zeros: the same version
        ("1", "1.0.0", False),
        ("1.0.1", "1.0", True),
        ("1.0", "1.0", False),
        ("0.9", "1.0", False),
        ("1.1-beta", "1.0", False),  # not dotted numbers: never taken for newer
        ("1.1", "draft", False),
        (" 1.2 ", "1.1", True),
    ],
)
def test_versions_compare_number_by_number(candidate, pinned, newer):
    assert is_newer(candidate, pinned) is newer


def test_version_key():
    assert version_key("1.10") == (1, 10)
    assert version_key("1.0") == version_key("1") == (1,)
    assert version_key("0") == (0,)
    assert version_key("1.x") is None
    assert version_key("") is None
    assert version_key("١.٢") is None  # other scripts' digits are not version numbers


OLD = {"a": [question("q1"), question("q2", weight=3)], "b": [question("q3")]}
NEW = {
    "a": [question("q1"), question("q2", weight=2), question("q4")],
    "c": [question("q5")],
}


def pair(catalog_of):  # type: ignore[no-untyped-def]
    old = catalog_of({"m.yaml": model("m", OLD, header='version: "1.0"')}).framework("m")
    new = catalog_of({"m.yaml": model("m", NEW, header='version: "1.1"')}).framework("m")
    return old, new


def test_the_diff_names_questions_and_dimensions_added_and_removed(catalog_of):
    old, new = pair(catalog_of)
    changes = diff(old, new)
    assert [d.full_id for d in changes.added_dimensions] == ["m.c"]
    assert [d.full_id for d in changes.removed_dimensions] == ["m.b"]
    assert [c.question.full_id for c in changes.added_questions] == ["m.a.q4", "m.c.q5"]
    assert [c.question.full_id for c in changes.removed_questions] == ["m.b.q3"]
    assert [c.dimension.id for c in changes.removed_questions] == ["b"]
    assert [c.question.full_id for c in changes.reworded] == ["m.a.q2"]  # its weight changed
    assert not changes.scale_changed
    assert changes.changes_questions


def test_the_same_model_has_no_changes(catalog_of):
    old, _ = pair(catalog_of)
    changes = diff(old, old)
    assert not changes.changes_questions
    assert changes.added_dimensions == changes.removed_dimensions == ()


def test_a_question_moved_to_another_dimension_is_removed_and_added(catalog_of):
    old = catalog_of({"m.yaml": model("m", {"a": [question("q1"), question("q2")]})})
    new = catalog_of({"m.yaml": model("m", {"a": [question("q1")], "b": [question("q2")]})})
    changes = diff(old.framework("m"), new.framework("m"))
    assert [c.question.full_id for c in changes.removed_questions] == ["m.a.q2"]
    assert [c.question.full_id for c in changes.added_questions] == ["m.b.q2"]


def answers(values: dict[str, object], agreed: dict[str, object] | None = None) -> Assessment:
    return Assessment(
        client="C",
        frameworks=("m",),
        respondents=(
            Respondent("R", answers={q: Answer(v) for q, v in values.items()}),  # type: ignore[arg-type]
        ),
        agreed=agreed or {},  # type: ignore[arg-type]
    )


def test_rescore_compares_dimension_by_dimension(catalog_of):
    old, new = pair(catalog_of)
    given = answers({"m.a.q1": 1, "m.a.q2": 4, "m.b.q3": 5, "m.a.q4": 2}, {"m.b.q3": 4})
    result = rescore(given, [old], [new], "m")
    rows = {r.dimension.id: r for r in result.dimensions}
    assert [r.dimension.id for r in result.dimensions] == ["a", "c", "b"]
    # a: (1 + 3*4) / 4 before; (1 + 2*4 + 2) / 4 after (q2 weighs 2, q4 counts)
    assert rows["a"].before.score == pytest.approx(13 / 4)
    assert rows["a"].after.score == pytest.approx(11 / 4)
    assert (rows["a"].before.level, rows["a"].after.level) == (3, 2)
    assert rows["a"].status == "kept"
    assert rows["a"].changed
    assert rows["b"].status == "removed"
    assert rows["b"].after is None
    assert rows["b"].before.score == 4  # the agreed level
    assert rows["c"].status == "added"
    assert rows["c"].after.score is None
    assert result.before.score == pytest.approx((13 / 4 + 4) / 2)
    assert result.after.score == pytest.approx(11 / 4)
    assert result.kept_answers == {"m.b.q3": 2}  # the answer and the agreed level
    assert result.changed


def test_rescore_on_the_same_model_changes_nothing(catalog_of):
    old, _ = pair(catalog_of)
    result = rescore(answers({"m.a.q1": 2}), [old], [old], "m")
    assert not result.changed
    assert not any(r.changed for r in result.dimensions)
    assert result.kept_answers == {}
    assert result.others == ()


def test_counted_only_drops_what_the_models_no_longer_ask(catalog_of):
    _, new = pair(catalog_of)
    given = Assessment(
        client="C",
        frameworks=("m",),
        targets={"m": 4, "m.b": 3, "m.a": 2},
        respondents=(
            Respondent(
                "R",
                answers={"m.a.q1": Answer(2), "m.b.q3": Answer(NA, "gone")},
                importance={"m.a": 5, "m.b": 4},
            ),
        ),
        agreed={"m.b.q3": 3, "m.a.q1": 2},
        notes={"m.b.q3": "x", "m.b": "y", "m.a": "z"},
    )
    kept = counted_only(given, [new])
    assert dict(kept.respondents[0].answers) == {"m.a.q1": Answer(2)}
    assert dict(kept.respondents[0].importance) == {"m.a": 5}
    assert dict(kept.agreed) == {"m.a.q1": 2}
    assert dict(kept.notes) == {"m.a": "z"}
    assert dict(kept.targets) == {"m": 4, "m.a": 2}
    assert counted_only(kept, [new]) == kept
