"""What is true of a respondent and of a deadline, in one place: every page that lists respondents
or shows a deadline asks here (issue 12 "Statuses that say what is true")."""

from __future__ import annotations

from datetime import date, datetime

INVITED = "invited"  # the link was created, never opened
OPENED = "opened"  # the link was opened, nothing answered yet
IN_PROGRESS = "in_progress"  # some answers given, not submitted
SUBMITTED = "submitted"  # submitted: stays so whatever happens to the link or the assessment
WITHDRAWN = "withdrawn"  # the link was withdrawn before the respondent submitted
RESPONDENT_STATES = (INVITED, OPENED, IN_PROGRESS, SUBMITTED, WITHDRAWN)

ASSESSMENT_STATES = ("open", "closed")  # for answers; there is no draft (docs/decisions.md)


def respondent_state(
    *,
    submitted_at: datetime | None,
    revoked_at: datetime | None,
    opened_at: datetime | None,
    answered: int,
) -> str:
    """A respondent's state. Submitting wins over a withdrawn link: an imported respondent's link
    never worked, and withdrawing a link after the answers came in does not take them back."""
    if submitted_at is not None:
        return SUBMITTED
    if revoked_at is not None:
        return WITHDRAWN
    if answered > 0:
        return IN_PROGRESS
    if opened_at is not None:
        return OPENED
    return INVITED


def days_left(deadline: date, today: date) -> int:
    """Whole days from today to the deadline: 0 on the day, negative once it has passed."""
    return (deadline - today).days
