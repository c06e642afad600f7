"""The dashboard's list of assessments: client, title, models by name, dates, responses, status and
the headline score per model with its coverage — searchable and sortable."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from planner.catalog import Framework
from planner.engine.findings import tentative
from planner.engine.scoring import score
from planner.models import Assessment, Client
from planner.services import assessments as assessment_service
from planner.services import clients as client_service

SORTS = ("created", "client", "title", "deadline", "status", "responses")
STATUS_ORDER = {"open": 1, "closed": 2}


@dataclass(frozen=True)
class Headline:
    """A model's score as the dashboard states it: with how much of it was answered."""

    framework: Framework
    score: float | None
    level: int | None
    coverage: float | None

    @property
    def tentative(self) -> bool:
        return self.score is not None and tentative(self.coverage)


@dataclass(frozen=True)
class Row:
    assessment: Assessment
    client: Client
    frameworks: tuple[Framework, ...]
    submitted: int  # respondents who submitted
    invited: int  # respondents whose link was not withdrawn before they submitted
    headlines: tuple[Headline, ...]

    @property
    def created(self) -> datetime:
        return self.assessment.created_at

    def days_left(self, today: date) -> int | None:
        deadline = self.assessment.deadline
        return None if deadline is None else (deadline - today).days


def folded(text: str) -> str:
    """Case and Vietnamese marks folded away, so "an phat" finds "An Phát"."""
    plain = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in plain if not unicodedata.combining(c)).casefold()


def rows(
    organisation_id: int,
    query: str = "",
    sort: str = "created",
    descending: bool | None = None,
    client_id: int | None = None,
    archived: bool = False,
) -> list[Row]:
    """The consultancy's assessments (of one client when given) matching `query` in the client's
    name, the title or a model's name, in the order asked for (newest first by default); the
    archived ones instead of the others when `archived`."""
    clients = {c.id: c for c in client_service.listing(organisation_id)}
    needle = folded(query.strip())
    out = []
    for assessment in assessment_service.listing(organisation_id, client_id, archived):
        client = clients[assessment.client_id]
        catalog = assessment_service.catalog_of(assessment)
        frameworks = tuple(assessment_service.frameworks_of(assessment, catalog))
        names = [fw.name.get(lang) for fw in frameworks for lang in fw.languages]
        if needle and not any(
            needle in folded(text) for text in (client.name, assessment.title, *names)
        ):
            continue
        card = score(
            assessment_service.as_answers(assessment),
            list(frameworks),
            catalog.crosswalk.equivalent_questions,
        )
        out.append(
            Row(
                assessment,
                client,
                frameworks,
                sum(1 for r in assessment.respondents if r.submitted_at),
                sum(1 for r in assessment.respondents if r.submitted_at or not r.revoked_at),
                tuple(
                    Headline(fs.framework, fs.score, fs.level, fs.coverage)
                    for fs in card.frameworks
                ),
            )
        )
    return _sorted(out, sort if sort in SORTS else "created", descending)


def _sorted(found: list[Row], sort: str, descending: bool | None) -> list[Row]:
    newest_first = sort == "created" if descending is None else descending
    keys: dict[str, Callable[[Row], Any]] = {
        "created": lambda r: (r.created, r.assessment.id),
        "client": lambda r: (folded(r.client.name), folded(r.assessment.title)),
        "title": lambda r: (folded(r.assessment.title), folded(r.client.name)),
        "deadline": lambda r: (r.assessment.deadline is None, r.assessment.deadline or date.max),
        "status": lambda r: (STATUS_ORDER.get(r.assessment.status, 9), folded(r.client.name)),
        "responses": lambda r: (r.submitted, r.invited),
    }
    ordered = sorted(found, key=keys[sort])
    return ordered[::-1] if newest_first else ordered
