"""Writing an answers file: plain YAML in the file's own key order; reading it back gives the same data."""

from __future__ import annotations

from typing import Any

import yaml

from planner.answers.model import Assessment, Respondent, RoadmapSettings


def to_data(assessment: Assessment) -> dict[str, Any]:
    """The assessment as plain data in the file's key order; `read(write(a)) == a`."""
    out: dict[str, Any] = {"client": assessment.client}
    if assessment.title is not None:
        out["title"] = assessment.title
    out["language"] = assessment.language
    out["frameworks"] = list(assessment.frameworks)
    if assessment.targets:
        out["targets"] = dict(assessment.targets)
    out["respondents"] = [_respondent_data(r) for r in assessment.respondents]
    if assessment.agreed:
        out["agreed"] = dict(assessment.agreed)
    if assessment.notes:
        out["notes"] = dict(assessment.notes)
    settings = assessment.roadmap
    if settings != RoadmapSettings():
        road: dict[str, Any] = {"max_parallel": settings.max_parallel}
        if settings.horizon_weeks != RoadmapSettings().horizon_weeks:
            road["horizon_weeks"] = settings.horizon_weeks
        if settings.phases:
            road["phases"] = [{"name": p.name, "start_week": p.start_week} for p in settings.phases]
        out["roadmap"] = road
    return out


def _respondent_data(r: Respondent) -> dict[str, Any]:
    out: dict[str, Any] = {"name": r.name}
    if r.role is not None:
        out["role"] = r.role
    if r.email is not None:
        out["email"] = r.email
    answers: dict[str, Any] = {}
    for qid, answer in r.answers.items():
        answers[qid] = (
            answer.value
            if answer.comment is None
            else {"level": answer.value, "comment": answer.comment}
        )
    out["answers"] = answers
    if r.importance:
        out["importance"] = dict(r.importance)
    return out


def dump_answers(assessment: Assessment) -> str:
    return yaml.safe_dump(to_data(assessment), allow_unicode=True, sort_keys=False, width=100)
