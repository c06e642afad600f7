"""How long a questionnaire takes: its unique questions after the crosswalk × a time per question.

The new-assessment form counts the union of any set of models in the browser, so each question is
named by its crosswalk group (the group's first member) rather than by its own id: two models that
ask the same question give the same key once, and a set's unique questions are its distinct keys —
the count `questionnaire.unique_questions` gives for the same set.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Sequence

from planner.catalog import Framework


def question_keys(framework: Framework, groups: Iterable[Sequence[str]]) -> list[str]:
    """The distinct keys of the questions `framework` asks: a crosswalk group's first member for a
    question in a group, else the question's own id."""
    canonical = {qid: group[0] for group in groups for qid in group}
    keys = (canonical.get(q.full_id, q.full_id) for _, q in framework.questions())
    return list(dict.fromkeys(keys))


def minutes(questions: int, seconds_per_question: float) -> int:
    """Whole minutes, half up, at least one for a questionnaire with questions.

    The browser rounds the same way (static/new-assessment.js), so the page never shows two numbers.
    """
    if questions <= 0:
        return 0
    return max(1, math.floor(questions * seconds_per_question / 60 + 0.5))


def seconds_per_question(spans: Iterable[tuple[float, int]]) -> float | None:
    """The median pace over (seconds from the first to the last answer saved, answers) of each
    respondent: n answers saved one after another span n - 1 intervals. None without a span."""
    paces = [
        seconds / (answered - 1) for seconds, answered in spans if answered > 1 and seconds > 0
    ]
    return statistics.median(paces) if paces else None
