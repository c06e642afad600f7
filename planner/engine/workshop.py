"""The live workshop (DESIGN §7): the agenda, the phase machine, the votes, what a phone may see.

Pure: no Flask, no database. The service loads, calls these functions and persists the state; the
web layer turns `Refused` into a 409 and `Invalid` into a 400.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Container, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Literal

from planner.answers import NA, UNKNOWN, AnswerValue
from planner.catalog import Framework, Level, Scale, Text
from planner.engine.questionnaire import unique_questions
from planner.engine.scoring import Equivalents, ScoreCard, pstdev
from planner.formats import r2

Kind = Literal["question", "target"]
WorkshopPhase = Literal["waiting", "voting", "revealed", "agreed", "closed"]
Action = Literal["next", "prev", "open", "reveal", "agree", "close"]
Agreed = int | Literal["na"]  # "unknown" is a vote, never what a room agrees on

PHASES: tuple[WorkshopPhase, ...] = ("waiting", "voting", "revealed", "agreed", "closed")
ACTIONS: tuple[Action, ...] = ("next", "prev", "open", "reveal", "agree", "close")
SHOWN: frozenset[WorkshopPhase] = frozenset({"revealed", "agreed"})  # the distribution is public

NOW: Mapping[WorkshopPhase, str] = {  # why a control does not apply, for refusals
    "waiting": "no item is open yet",
    "voting": "voting is open",
    "revealed": "the votes are already revealed",
    "agreed": "the room has already agreed on this item (open it again to change it)",
    "closed": "the workshop is closed",
}

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no look-alikes: 0/O, 1/I/L
CODE_LENGTH = 6
CODE_TRIES = 1000  # 31**6 codes: a draw is almost never taken; give up rather than loop forever


class WorkshopError(Exception):
    """A control or a vote the workshop does not take; the message says why, in English."""


class Refused(WorkshopError):
    """Not possible in the current phase or on the current item (the web layer's 409)."""


class Invalid(WorkshopError):
    """A value off the item's scale, an item not on the agenda, an unknown action (a 400)."""


@dataclass(frozen=True)
class Item:
    """One step of the agenda: a question to vote on, or a dimension's target."""

    kind: Kind
    id: str  # the question's full id, or the dimension's for a target
    framework: str
    text: Text
    scale: Scale
    anchors: tuple[tuple[int, Text], ...]  # what each scale value means for this item
    contested: bool = False  # the earlier answers disagree on it

    @property
    def offers_na(self) -> bool:
        """N/A is an answer to a question, never a target."""
        return self.kind == "question"

    def public(self, lang: str) -> dict[str, object]:
        return {
            "kind": self.kind,
            "id": self.id,
            "text": self.text.get(lang),
            "levels": [{"value": v, "anchor": text.get(lang)} for v, text in self.anchors],
        }


def _level_text(level: Level) -> Text:
    """A target's choice: the level's name, and its description where the scale has one."""
    description = level.description
    if description is None:
        return level.name
    return Text(
        tuple((code, f"{name}: {description.get(code)}") for code, name in level.name.values)
    )


def agenda(
    frameworks: Sequence[Framework],
    groups: Iterable[Sequence[str]],
    card: ScoreCard | None = None,
) -> tuple[Item, ...]:
    """Every question asked once (an equivalence group as the member the questionnaire asks), the
    contested questions of `card` first, most contested first; then a target item per dimension, in
    model then dimension order. `card` scores the answers given before the workshop, if any."""
    groups = list(groups)
    equivalents = Equivalents(groups, (q.full_id for fw in frameworks for _, q in fw.questions()))
    asked = unique_questions(frameworks, groups)
    contested: list[str] = []
    for c in card.contested if card is not None else ():
        qid = c.question.question.full_id
        first = equivalents.members.get(qid, (qid,))[0]  # who asks for the group
        if first in asked and first not in contested:
            contested.append(first)
    found = {q.full_id: (fw, q) for fw in frameworks for _, q in fw.questions()}
    items = []
    for qid in [*contested, *(q for q in asked if q not in contested)]:
        fw, q = found[qid]
        items.append(Item("question", qid, fw.id, q.text, fw.scale, q.anchors, qid in contested))
    for fw in frameworks:
        levels = tuple((level.value, _level_text(level)) for level in fw.scale.levels)
        for dim in fw.dimensions:
            items.append(Item("target", dim.full_id, fw.id, dim.name, fw.scale, levels))
    return tuple(items)


def in_order(items: Sequence[Item], order: Sequence[str]) -> tuple[Item, ...]:
    """`items` in a stored order (the agenda as the workshop started), any others after, in theirs.

    Votes become answers, so the contested questions change during a workshop: the service keeps the
    order it started with, and positions keep pointing at the same items."""
    rank = {item_id: i for i, item_id in enumerate(order)}
    return tuple(sorted(items, key=lambda item: rank.get(item.id, len(rank))))


def index_of(items: Sequence[Item], item_id: str) -> int:
    for index, item in enumerate(items):
        if item.id == item_id:
            return index
    raise Invalid(f"{item_id!r} is not on the workshop's agenda")


@dataclass(frozen=True)
class WorkshopState:
    """Where a workshop stands; every change makes a new state with the next version (the ETag)."""

    phase: WorkshopPhase = "waiting"
    position: int | None = None  # the current item's index in the agenda
    item: str | None = None  # and its id, which votes must name
    version: int = 1
    agreed: Agreed | None = None  # the room's value for the current item, once agreed
    note: str | None = None


def current(state: WorkshopState, items: Sequence[Item]) -> Item | None:
    return None if state.position is None else items[state.position]


def _open(state: WorkshopState, items: Sequence[Item], position: int) -> WorkshopState:
    return WorkshopState("voting", position, items[position].id, state.version + 1)


def _live(state: WorkshopState, doing: str) -> None:
    if state.phase == "closed":
        raise Refused(f"cannot {doing}: {NOW['closed']}")


def next_item(state: WorkshopState, items: Sequence[Item]) -> WorkshopState:
    """Open the item after the current one for voting (the first one while waiting)."""
    _live(state, "move to the next item")
    position = 0 if state.position is None else state.position + 1
    if position >= len(items):
        raise Refused(
            "cannot move to the next item: the agenda is empty"
            if not items
            else "cannot move to the next item: this is the last one"
        )
    return _open(state, items, position)


def prev_item(state: WorkshopState, items: Sequence[Item]) -> WorkshopState:
    _live(state, "move to the previous item")
    if state.position is None:
        raise Refused("cannot move to the previous item: no item is open yet")
    if state.position == 0:
        raise Refused("cannot move to the previous item: this is the first one")
    return _open(state, items, state.position - 1)


def open_item(state: WorkshopState, items: Sequence[Item], item_id: str) -> WorkshopState:
    """Open any item of the agenda for voting: the facilitator may jump anywhere."""
    _live(state, "open an item")
    return _open(state, items, index_of(items, item_id))


def reveal(state: WorkshopState) -> WorkshopState:
    if state.phase != "voting":
        raise Refused(f"cannot reveal the votes: {NOW[state.phase]}")
    return replace(state, phase="revealed", version=state.version + 1)


def agree(
    state: WorkshopState, items: Sequence[Item], value: object, note: str | None = None
) -> WorkshopState:
    """Record the room's value for the current item: a level, or N/A for a question."""
    item = current(state, items)
    if state.phase not in ("voting", "revealed") or item is None:
        raise Refused(f"cannot agree on a value: {NOW[state.phase]}")
    agreed = agreed_value(item, value)
    note = note.strip() if note else None
    return replace(
        state, phase="agreed", agreed=agreed, note=note or None, version=state.version + 1
    )


def close(state: WorkshopState) -> WorkshopState:
    _live(state, "close the workshop")
    return WorkshopState("closed", version=state.version + 1)


def apply(
    state: WorkshopState,
    items: Sequence[Item],
    action: str,
    item: str | None = None,
    value: object = None,
    note: str | None = None,
) -> WorkshopState:
    """One facilitator control (`action` as the control request names it)."""
    if action == "next":
        return next_item(state, items)
    if action == "prev":
        return prev_item(state, items)
    if action == "open":
        if not item:
            raise Invalid("open needs the item to open")
        return open_item(state, items, item)
    if action == "reveal":
        return reveal(state)
    if action == "agree":
        return agree(state, items, value, note)
    if action == "close":
        return close(state)
    raise Invalid(f"unknown action {action!r}: use one of {', '.join(ACTIONS)}")


def _value(raw: object, scale: Scale, na: bool, unknown: bool, what: str) -> AnswerValue:
    """A scale value (an int, or its digits as text), or "na"/"unknown" where allowed."""
    number = raw
    if isinstance(raw, str):
        text = raw.strip().lower()
        if na and text == NA:
            return NA
        if unknown and text == UNKNOWN:
            return UNKNOWN
        number = int(text) if text.isascii() and text.isdigit() else None
    if isinstance(number, int) and not isinstance(number, bool) and number in scale.values:
        return number
    choices = [str(v) for v in scale.values] + ([NA] if na else []) + ([UNKNOWN] if unknown else [])
    raise Invalid(f"{raw!r} is not {what}: use one of {', '.join(choices)}")


def agreed_value(item: Item, raw: object) -> Agreed:
    """What the room may agree on for `item`: a scale value, or "na" for a question."""
    value = _value(raw, item.scale, item.offers_na, False, f"a value to agree on for {item.id}")
    return value if isinstance(value, int) else NA  # "unknown" was not accepted


def vote_value(item: Item, raw: object) -> AnswerValue:
    """A vote on `item`: a scale value, "unknown", or "na" for a question."""
    return _value(raw, item.scale, item.offers_na, True, f"a vote on {item.id}")


def vote_allowed(state: WorkshopState, item_id: str) -> bool:
    """Votes are taken while the current item is open for voting, and only on it."""
    return state.phase == "voting" and state.item == item_id


def check_vote(
    state: WorkshopState, items: Sequence[Item], item_id: str, raw: object
) -> AnswerValue:
    """The vote's value; `Refused` when the item is not open for voting, `Invalid` off the scale."""
    item = current(state, items)
    if item is None or not vote_allowed(state, item_id):
        raise Refused(f"{item_id!r} is not open for voting")
    return vote_value(item, raw)


@dataclass(frozen=True)
class Summary:
    distribution: Mapping[str, int]  # "<value>" for every scale value, then "na" and "unknown"
    mean: float | None  # of the numeric votes, as scoring takes a question's mean
    spread: float | None  # their population standard deviation: 0 for one vote, None for none
    total: int


def summary(votes: Iterable[object], scale: Scale) -> Summary:
    """The distribution of `votes` (values as `vote_value` takes them) on `scale`."""
    distribution = {str(v): 0 for v in scale.values} | {NA: 0, UNKNOWN: 0}
    numeric: list[float] = []
    for raw in votes:
        value = _value(raw, scale, True, True, "a vote")
        distribution[str(value)] += 1
        if isinstance(value, int):
            numeric.append(value)
    return Summary(
        distribution,
        sum(numeric) / len(numeric) if numeric else None,
        pstdev(numeric) if numeric else None,
        sum(distribution.values()),
    )


def public_state(
    state: WorkshopState,
    items: Sequence[Item],
    lang: str,
    votes: Sequence[object] = (),
    you: object = None,
) -> dict[str, object]:
    """The state a phone or the projector reads (`GET /w/<CODE>/state`): `votes` are this session's
    votes on the current item, `you` the reader's own. The distribution is hidden until revealed."""
    item = current(state, items)
    shown = summary(votes, item.scale) if item is not None and state.phase in SHOWN else None
    return {
        "version": state.version,
        "phase": state.phase,
        "item": None if item is None else item.public(lang),
        "votes": 0 if item is None else len(votes),
        "distribution": None if shown is None else dict(shown.distribution),
        "mean": None if shown is None else r2(shown.mean),
        "spread": None if shown is None else r2(shown.spread),
        "agreed": state.agreed,
        "you": None if item is None or you is None else vote_value(item, you),
    }


def new_code(taken: Container[str], rand: random.Random | None = None) -> str:
    """A join code not in `taken` (every code ever issued: codes are never reused)."""
    chooser = rand or secrets.SystemRandom()
    for _ in range(CODE_TRIES):
        code = "".join(chooser.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if code not in taken:
            return code
    raise RuntimeError(f"no free join code after {CODE_TRIES} draws")


def normal_code(text: str) -> str | None:
    """A join code as typed or in a URL, in its canonical form; None if it cannot be one."""
    code = "".join(text.split()).upper()
    if len(code) == CODE_LENGTH and all(c in CODE_ALPHABET for c in code):
        return code
    return None
