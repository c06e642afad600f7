"""Writing an answers file: plain YAML in the file's own key order; reading it back gives the same data."""

from __future__ import annotations

from typing import Any

import yaml

from planner.answers.model import Assessment, Respondent, RoadmapSettings
from planner.catalog import Initiative


def to_data(assessment: Assessment) -> dict[str, Any]:
    """The assessment as plain data in the file's key order; `read(write(a)) == a`."""
    out: dict[str, Any] = {"client": assessment.client}
    if assessment.title is not None:
        out["title"] = assessment.title
    if assessment.date is not None:
        out["date"] = assessment.date  # YAML writes a day unquoted: 2026-03-31
    out["language"] = assessment.language
    out["frameworks"] = list(assessment.frameworks)
    if assessment.targets:
        out["targets"] = dict(assessment.targets)
    out["respondents"] = [_respondent_data(r) for r in assessment.respondents]
    if assessment.agreed:
        out["agreed"] = dict(assessment.agreed)
    if assessment.notes:
        out["notes"] = dict(assessment.notes)
    if assessment.roadmap != RoadmapSettings():
        out["roadmap"] = roadmap_settings_data(assessment.roadmap, assessment.language)
    if assessment.baseline is not None:
        baseline = assessment.baseline
        out["baseline"] = baseline.path if baseline.path is not None else dict(baseline.scores)
    return out


def roadmap_settings_data(settings: RoadmapSettings, lang: str) -> dict[str, Any]:
    """The answers file's `roadmap:` mapping; `read_roadmap` reads it back to the same settings."""
    road: dict[str, Any] = {"max_parallel": settings.max_parallel}
    if settings.horizon_weeks != RoadmapSettings().horizon_weeks:
        road["horizon_weeks"] = settings.horizon_weeks
    if settings.phases:
        road["phases"] = [{"name": p.name, "start_week": p.start_week} for p in settings.phases]
    if settings.drop:
        road["drop"] = list(settings.drop)
    if settings.add:
        road["add"] = [_initiative_data(i, lang) for i in settings.add]
    if settings.change:
        road["change"] = {
            iid: {
                key: value
                for key, value in (
                    ("start_week", c.start_week),
                    ("duration_weeks", c.duration_weeks),
                    ("owner", c.owner),
                    ("title", c.title),
                )
                if value is not None
            }
            for iid, c in settings.change.items()
        }
    return road


def _initiative_data(init: Initiative, lang: str) -> dict[str, Any]:
    """A consultant's initiative in the library's form, its texts in the assessment's language."""
    out: dict[str, Any] = {"id": init.id, "title": init.title.get(lang)}
    if init.summary is not None:
        out["summary"] = init.summary.get(lang)
    out["improves"] = [{"dimension": i.dimension, "to_level": i.to_level} for i in init.improves]
    if init.depends_on:
        out["depends_on"] = list(init.depends_on)
    out["duration_weeks"] = init.duration_weeks
    if init.effort is not None:
        out["effort"] = init.effort
    if init.owner is not None:
        out["owner"] = init.owner.get(lang)
    if init.kpis:
        out["kpis"] = [k.get(lang) for k in init.kpis]
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
