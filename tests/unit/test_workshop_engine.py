"""The workshop's pure engine (DESIGN §7) on the shipped models: agenda, phases, votes, codes."""

from __future__ import annotations

import json
import math
import random
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.answers import Answer, Assessment, Respondent
from planner.catalog import Catalog, load_catalog
from planner.engine.questionnaire import unique_questions
from planner.engine.scoring import score
from planner.engine.workshop import (
    ACTIONS,
    CODE_ALPHABET,
    PHASES,
    Invalid,
    Item,
    Refused,
    WorkshopError,
    WorkshopState,
    agenda,
    agree,
    apply,
    check_vote,
    close,
    in_order,
    new_code,
    next_item,
    normal_code,
    open_item,
    prev_item,
    public_state,
    reveal,
    summary,
    vote_allowed,
    vote_value,
)

SPREAD = "gartner-8.vision.customer-centric-vision"  # 1, 3, 5: the widest spread
GROUPED = "gartner-8.collaboration.aligned-incentives"  # 1, 1, 4; its group asks it as FIRST
FIRST = "value-chain.hr-processes.customer-linked-rewards"
CALM = "gartner-8.strategy.formal-customer-strategy"  # 2, 3, 4: spread under 1
PAIR = "gartner-8.vision.brand-value-proposition"  # 1, 5: too few answers to be contested

CONTRACT_KEYS = {
    "version",
    "phase",
    "item",
    "votes",
    "distribution",
    "mean",
    "spread",
    "agreed",
    "you",
}


@pytest.fixture(scope="module")
def shipped() -> Catalog:
    return load_catalog()


@pytest.fixture(scope="module")
def groups(shipped):
    return shipped.crosswalk.equivalent_questions


@pytest.fixture(scope="module")
def items(shipped, groups) -> tuple[Item, ...]:
    return agenda(shipped.frameworks, groups)


@pytest.fixture(scope="module")
def pair(shipped):
    return (shipped.framework("gartner-8"), shipped.framework("value-chain"))


def answered(*rows: dict[str, int]) -> Assessment:
    people = tuple(
        Respondent(f"R{i}", answers={q: Answer(v) for q, v in row.items()})
        for i, row in enumerate(rows)
    )
    return Assessment("C", ("gartner-8", "value-chain"), respondents=people)


def in_phase(phase: str, items, position: int = 1) -> WorkshopState:
    """A workshop in `phase`, on the item at `position` unless waiting or closed."""
    state = WorkshopState()
    if phase == "waiting":
        return state
    state = open_item(state, items, items[position].id)
    if phase == "revealed":
        state = reveal(state)
    elif phase == "agreed":
        state = agree(state, items, 3)
    elif phase == "closed":
        state = close(state)
    assert state.phase == phase
    return state


# The agenda


def test_agenda_asks_each_unique_question_once_then_a_target_per_dimension(shipped, groups, items):
    questions = [i.id for i in items if i.kind == "question"]
    targets = [i.id for i in items if i.kind == "target"]
    assert questions == unique_questions(shipped.frameworks, groups)
    assert len(set(questions)) == len(questions)
    for group in groups:
        assert sum(1 for q in group if q in questions) == 1, group
    assert targets == [d.full_id for fw in shipped.frameworks for d in fw.dimensions]
    assert [i.kind for i in items] == ["question"] * len(questions) + ["target"] * len(targets)
    assert not any(i.contested for i in items)


def test_items_carry_their_text_and_levels_in_each_language(shipped, items):
    by_id = {i.id: i for i in items}
    fw = shipped.framework("idic")
    dim = fw.dimensions[0]
    q = dim.questions[0]
    for lang in ("en", "vi"):
        shown = by_id[q.full_id].public(lang)
        assert shown == {
            "kind": "question",
            "id": q.full_id,
            "text": q.text.get(lang),
            "levels": [{"value": v, "anchor": a.get(lang)} for v, a in q.anchors],
        }
        target = by_id[dim.full_id].public(lang)
        assert (target["kind"], target["text"]) == ("target", dim.name.get(lang))
        assert [lv["value"] for lv in target["levels"]] == list(fw.scale.values)
        for shown_level, level in zip(target["levels"], fw.scale.levels, strict=True):
            assert shown_level["anchor"].startswith(level.name.get(lang))
            assert level.description is not None
            assert level.description.get(lang) in shown_level["anchor"]
    assert by_id[q.full_id].offers_na
    assert not by_id[dim.full_id].offers_na


def test_contested_questions_come_first_most_contested_first(pair, groups):
    assessment = answered(
        {SPREAD: 1, GROUPED: 1, CALM: 2, PAIR: 1},
        {SPREAD: 3, GROUPED: 1, CALM: 3, PAIR: 5},
        {SPREAD: 5, GROUPED: 4, CALM: 4},
    )
    card = score(assessment, pair, groups)
    assert [c.question.question.full_id for c in card.contested] == [SPREAD, GROUPED]
    plain = agenda(pair, groups)
    ordered = agenda(pair, groups, card)
    assert [i.id for i in ordered[:2]] == [SPREAD, FIRST]  # the group, as the member it asks
    assert [i.contested for i in ordered[:3]] == [True, True, False]
    assert GROUPED not in {i.id for i in ordered}
    rest = [i for i in plain if i.id not in (SPREAD, FIRST)]
    assert [i.id for i in ordered[2:]] == [i.id for i in rest]
    assert in_order(plain, [i.id for i in ordered]) == tuple(
        replace(i, contested=False) for i in ordered
    )


def test_a_workshop_without_earlier_answers_keeps_the_questionnaire_order(pair, groups):
    card = score(Assessment("C", ("gartner-8", "value-chain")), pair, groups)
    assert card.contested == ()
    assert agenda(pair, groups, card) == agenda(pair, groups)


# Phases

ALLOWED = {
    "waiting": {"next", "open", "close"},  # no item yet: nothing before it
    "voting": {"next", "prev", "open", "reveal", "agree", "close"},
    "revealed": {"next", "prev", "open", "agree", "close"},
    "agreed": {"next", "prev", "open", "close"},
    "closed": set(),
}
LEADS_TO = {
    "next": "voting",
    "prev": "voting",
    "open": "voting",
    "reveal": "revealed",
    "agree": "agreed",
    "close": "closed",
}


@pytest.mark.parametrize("phase", PHASES)
@pytest.mark.parametrize("action", ACTIONS)
def test_every_phase_and_action(items, phase, action):
    state = in_phase(phase, items)
    args = {"item": items[5].id, "value": 2, "note": "n"}
    if action in ALLOWED[phase]:
        after = apply(state, items, action, **args)
        assert after.phase == LEADS_TO[action]
        assert after.version == state.version + 1
    else:
        with pytest.raises(Refused):
            apply(state, items, action, **args)


def test_moving_through_the_agenda(items):
    state = next_item(WorkshopState(), items)
    assert (state.phase, state.position, state.item, state.version) == ("voting", 0, items[0].id, 2)
    state = next_item(reveal(state), items)
    assert (state.phase, state.position, state.version) == ("voting", 1, 4)
    state = prev_item(agree(state, items, 4, "ok"), items)
    assert (state.phase, state.position, state.agreed, state.note) == ("voting", 0, None, None)
    state = open_item(state, items, items[-1].id)
    assert (state.position, state.item) == (len(items) - 1, items[-1].id)
    assert close(state) == WorkshopState("closed", version=state.version + 1)


@pytest.mark.parametrize("phase", ["voting", "revealed", "agreed"])
def test_no_item_after_the_last_nor_before_the_first(items, phase):
    with pytest.raises(Refused, match="last"):
        next_item(in_phase(phase, items, len(items) - 1), items)
    with pytest.raises(Refused, match="first"):
        prev_item(in_phase(phase, items, 0), items)
    with pytest.raises(Refused, match="empty"):
        next_item(WorkshopState(), ())


def test_unknown_items_and_actions_are_invalid(items):
    with pytest.raises(Invalid, match="agenda"):
        open_item(WorkshopState(), items, "idic.nowhere.nothing")
    with pytest.raises(Invalid, match="item"):
        apply(WorkshopState(), items, "open")
    with pytest.raises(Invalid, match="unknown action"):
        apply(WorkshopState(), items, "dance")


def test_every_change_adds_one_to_the_version(items):
    state = WorkshopState()
    for step in (
        lambda s: next_item(s, items),
        lambda s: open_item(s, items, items[3].id),
        reveal,
        lambda s: agree(s, items, "na", "  Two CRMs  "),
        lambda s: prev_item(s, items),
        close,
    ):
        after = step(state)
        assert after.version == state.version + 1
        state = after


# Agreeing


def test_agree_takes_a_level_or_na_for_a_question(items):
    voting = in_phase("voting", items, 0)
    assert items[0].kind == "question"
    for value in (1, 5, "3", " 2 ", "na", "NA"):
        expected = "na" if str(value).lower() == "na" else int(value)
        assert agree(voting, items, value).agreed == expected
    agreed = agree(voting, items, 4, "  Two CRMs  ")
    assert (agreed.agreed, agreed.note) == (4, "Two CRMs")
    for bad in ("unknown", 0, 6, 3.5, "3.5", True, None, "", "three"):
        with pytest.raises(Invalid):
            agree(voting, items, bad)


def test_agree_takes_a_level_only_for_a_target(items):
    position = next(i for i, item in enumerate(items) if item.kind == "target")
    revealed = reveal(in_phase("voting", items, position))
    assert agree(revealed, items, "4").agreed == 4
    for bad in ("na", "unknown", 0, 6):
        with pytest.raises(Invalid):
            agree(revealed, items, bad)


def test_refusal_comes_before_the_value_check(items):
    with pytest.raises(Refused):
        agree(in_phase("agreed", items), items, "bad")


# Votes


@pytest.mark.parametrize("phase", PHASES)
def test_votes_only_while_voting_and_on_the_current_item(items, phase):
    state = in_phase(phase, items)
    assert vote_allowed(state, items[1].id) == (phase == "voting")
    assert not vote_allowed(state, items[2].id)
    with pytest.raises(Refused):
        check_vote(state, items, items[2].id, 3)
    if phase == "voting":
        assert check_vote(state, items, items[1].id, "3") == 3
    else:
        with pytest.raises(Refused):
            check_vote(state, items, items[1].id, 3)


def test_vote_values(items):
    question = items[0]
    target = next(i for i in items if i.kind == "target")
    assert [vote_value(question, v) for v in (1, "5", "na", "Unknown")] == [1, 5, "na", "unknown"]
    assert vote_value(target, "unknown") == "unknown"
    for item, bad in ((target, "na"), (question, 0), (question, 6), (question, False)):
        with pytest.raises(Invalid):
            vote_value(item, bad)


def test_summary_counts_every_value_and_takes_scorings_mean_and_spread(items):
    scale = items[0].scale
    found = summary([1, "3", 5, "unknown", "na", "na"], scale)
    assert found.distribution == {"1": 1, "2": 0, "3": 1, "4": 0, "5": 1, "na": 2, "unknown": 1}
    assert found.mean == 3
    assert found.spread == pytest.approx(math.sqrt(8 / 3))  # as test_scoring has it
    assert found.total == 6
    assert (summary([4], scale).mean, summary([4], scale).spread) == (4, 0)
    assert (summary(["na", "unknown"], scale).mean, summary([], scale).spread) == (None, None)
    with pytest.raises(Invalid):
        summary([7], scale)


def test_the_distribution_stays_hidden_until_the_reveal(items):
    votes = [1, 2, 2, "unknown"]
    for phase in PHASES:
        state = in_phase(phase, items)
        shown = public_state(state, items, "vi", votes, you="2")
        assert set(shown) == CONTRACT_KEYS
        assert (shown["version"], shown["phase"]) == (state.version, phase)
        json.dumps(shown)
        if phase in ("waiting", "closed"):
            assert (shown["item"], shown["votes"], shown["you"]) == (None, 0, None)
        else:
            assert shown["item"] == items[1].public("vi")
            assert (shown["votes"], shown["you"]) == (4, 2)
        if phase in ("revealed", "agreed"):
            assert shown["distribution"] == {
                "1": 1,
                "2": 2,
                "3": 0,
                "4": 0,
                "5": 0,
                "na": 0,
                "unknown": 1,
            }
            assert (shown["mean"], shown["spread"]) == (1.67, 0.47)
        else:
            assert (shown["distribution"], shown["mean"], shown["spread"]) == (None, None, None)
        assert shown["agreed"] == (3 if phase == "agreed" else None)


# Join codes


def test_the_code_alphabet_has_no_look_alikes():
    assert len(set(CODE_ALPHABET)) == len(CODE_ALPHABET) == 31
    assert not set(CODE_ALPHABET) & set("0O1IL")
    assert all(c.isdigit() or c.isupper() for c in CODE_ALPHABET)


def test_new_codes_are_six_characters_and_never_taken():
    first = new_code(set(), random.Random(7))  # noqa: S311 — a seeded draw, to repeat it
    assert len(first) == 6
    assert set(first) <= set(CODE_ALPHABET)
    assert new_code({first}, random.Random(7)) != first  # noqa: S311
    codes = {new_code(set()) for _ in range(50)}
    assert len(codes) == 50


def test_a_full_code_space_is_an_error_not_a_hang():
    class Everything:
        def __contains__(self, code: object) -> bool:
            return True

    with pytest.raises(RuntimeError):
        new_code(Everything(), random.Random(1))  # noqa: S311


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("ABC234", "ABC234"),
        (" abc234\n", "ABC234"),
        ("abc 234", "ABC234"),
        ("ABC23", None),
        ("ABC2345", None),
        ("ABC230", None),
        ("ABCO23", None),
        ("abcl23", None),
        ("ABC-23", None),
        ("", None),
    ],
)
def test_normal_code(text, code):
    assert normal_code(text) == code


# Any sequence of controls

CONTROLS = st.one_of(
    st.tuples(st.sampled_from(["next", "prev", "reveal", "close"]), st.none(), st.none()),
    st.tuples(st.just("open"), st.integers(-2, 30), st.none()),  # an index; past the end: unknown
    st.tuples(st.just("agree"), st.none(), st.sampled_from([1, 3, 5, "na", "unknown", 0, "x"])),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(CONTROLS, max_size=40))
def test_any_sequence_of_controls(shipped, groups, controls):
    items = agenda([shipped.framework("idic")], groups)
    state = WorkshopState()
    for action, index, value in controls:
        item = None if index is None else items[index].id if index < len(items) else "idic.nowhere"
        try:
            after = apply(state, items, action, item=item, value=value)
        except WorkshopError:
            continue
        assert state.phase != "closed"  # closed is terminal
        assert after.version == state.version + 1
        assert after.phase in PHASES
        if after.phase in ("waiting", "closed"):
            assert (after.position, after.item) == (None, None)
        else:
            assert after.position is not None
            assert after.item == items[after.position].id
        state = after
