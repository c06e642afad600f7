"""E-mail invitations, reminders and colleague invitations (issue 12 "E-mail").

Each message is written from `templates/mail/<kind>.txt` in the recipient's language, with a
link built from PLANNER_BASE_URL (planner/urls.py), sent outside any database transaction, and
recorded in `mail_sends`, whether the server took it or not. Without PLANNER_SMTP_URL nothing
is sent: the pages show the same message ready to copy.

Link tokens are stored hashed, so a reminder cannot repeat the invitation's link: it carries a
new one, which replaces the old link only once the server has accepted the reminder
(docs/decisions.md "E-mail").
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from urllib.parse import urlsplit

from flask import current_app, g
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from planner import formats, mail, urls
from planner.database import transaction
from planner.extensions import db
from planner.models import Assessment, Client, MailSend, Organisation, Respondent, User
from planner.models.base import utcnow
from planner.services import ServiceError
from planner.services import assessments as assessment_service

LANGUAGES = ("en", "vi")


@dataclass(frozen=True)
class Draft:
    """A message as the recipient reads it: the subject and the plain-text body."""

    subject: str
    body: str

    @property
    def text(self) -> str:
        """What the copy button copies, for a chat or one's own mail program."""
        return f"{self.subject}\n\n{self.body}"


@dataclass(frozen=True)
class Letter:
    """A draft addressed and ready to send, with what its `mail_sends` row records."""

    kind: str
    recipient: str
    name: str  # the recipient's name, for the consultant's messages
    language: str
    draft: Draft
    organisation_id: int
    assessment_id: int | None = None
    respondent_id: int | None = None
    user_id: int | None = None
    reply_to: str | None = None


@dataclass(frozen=True)
class Outcome:
    """One send: None as error means the mail server accepted it."""

    name: str
    recipient: str
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass
class Reminders:
    """What one round of reminders did, for the consultant's message or the CLI's line."""

    sent: list[Outcome] = field(default_factory=list)
    failed: list[Outcome] = field(default_factory=list)
    no_email: list[str] = field(default_factory=list)  # names
    already: list[str] = field(default_factory=list)  # reminded today: names
    links: dict[int, str] = field(default_factory=dict)  # without SMTP: new links to copy


def configured() -> bool:
    return bool(current_app.config.get("SMTP_URL"))


def current_language() -> str:
    """The language of the page being served (a consultant's choice), else English."""
    from flask_babel import get_locale

    try:
        locale = get_locale()
    except RuntimeError:  # no request: the CLI
        return "en"
    return locale.language if locale is not None and locale.language in LANGUAGES else "en"


# --- composing ---------------------------------------------------------------------------------


def compose(kind: str, language: str, **values: object) -> Draft:
    """`templates/mail/<kind>.txt` in `language`: its first line is the subject."""
    language = language if language in LANGUAGES else "en"
    template = current_app.jinja_env.get_template(f"mail/{kind}.txt")
    with force_locale(language):
        text = template.render(**values)  # not render_template: the CLI has no request
    subject, _, body = text.strip().partition("\n")
    body = re.sub(r"\n{3,}", "\n\n", body.strip())
    return Draft(" ".join(subject.split()), body + "\n")


def language_of(respondent: Respondent) -> str:
    return respondent.language or respondent.assessment.language or "en"


def respondent_draft(
    respondent: Respondent,
    link: str,
    kind: str,
    consultant: User | None = None,
    expires: datetime | None = None,
) -> Draft:
    """The invitation or reminder a respondent gets, with `link` (their questionnaire) and the
    day it stops working (`expires`, else the respondent's current link's)."""
    assessment = respondent.assessment
    language = language_of(respondent)
    client = db.session.get(Client, assessment.client_id)
    organisation = db.session.get(Organisation, assessment.organisation_id)
    return compose(
        kind,
        language,
        name=respondent.name,
        org=organisation.name if organisation else "",
        client=client.name if client else "",
        title=assessment.title,
        link=link,
        deadline=formats.day(assessment.deadline, language) if assessment.deadline else None,
        expires=formats.day((expires or respondent.token_expires_at).date(), language),
        consultant=consultant.name if consultant else None,
    )


def questionnaire_link(token: str) -> str:
    return urls.absolute("respond.enter", token=token)


# --- sending -----------------------------------------------------------------------------------


def _end_reads() -> None:
    """No transaction stays open while the mail server is talked to (it may take seconds)."""
    if db.session.in_transaction():
        db.session.commit()


def _send(letters: Sequence[Letter]) -> list[str | None]:
    """Hand the letters to the SMTP server over one connection: an error text per letter or None."""
    config = current_app.config
    server = mail.server_of(str(config["SMTP_URL"]))
    base_host = urlsplit(str(config["BASE_URL"])).hostname or "localhost"
    sender = mail.sender_of(config.get("MAIL_FROM"), server, base_host)
    names = {
        o.id: o.name
        for o in db.session.scalars(
            select(Organisation).where(Organisation.id.in_({x.organisation_id for x in letters}))
        )
    }
    messages = [
        mail.message(
            sender,
            names.get(x.organisation_id) or _("CRM Maturity Planner"),
            x.recipient,
            x.draft.subject,
            x.draft.body,
            x.reply_to,
        )
        for x in letters
    ]
    _end_reads()
    errors: list[str | None] = []
    with mail.Outbox(server) as outbox:
        for message in messages:
            error = outbox.send(message)
            if error is not None:
                current_app.logger.warning("mail to %s not sent: %s", message["To"], error)
            errors.append(error)
    return errors


def _row(letter: Letter, error: str | None, when: datetime) -> MailSend:
    return MailSend(
        organisation_id=letter.organisation_id,
        assessment_id=letter.assessment_id,
        respondent_id=letter.respondent_id,
        user_id=letter.user_id,
        kind=letter.kind,
        recipient=letter.recipient,
        language=letter.language,
        sent_at=when,
        ok=error is None,
        error=error,
    )


def _record(letters: Sequence[Letter], errors: Sequence[str | None]) -> list[Outcome]:
    when = utcnow()
    with transaction() as session:
        session.add_all(_row(x, e, when) for x, e in zip(letters, errors, strict=True))
    return [Outcome(x.name, x.recipient, e) for x, e in zip(letters, errors, strict=True)]


def _reply_to(user: User | None, organisation_id: int) -> str | None:
    """Replies reach the consultant who sent it; for automatic reminders, the consultancy's owner."""
    if user is not None:
        return user.email
    owner = db.session.scalars(
        select(User)
        .where(User.organisation_id == organisation_id, User.role == "owner")
        .order_by(User.id)
    ).first()
    return owner.email if owner else None


# --- invitations -------------------------------------------------------------------------------


def invite_respondent(respondent: Respondent, token: str, user: User | None) -> Outcome | None:
    """E-mail a new respondent their invitation; None when there is no SMTP server or address."""
    if not configured() or not respondent.email:
        return None
    assessment = respondent.assessment
    letter = Letter(
        kind="invitation",
        recipient=respondent.email,
        name=respondent.name,
        language=language_of(respondent),
        draft=respondent_draft(respondent, questionnaire_link(token), "invitation", user),
        organisation_id=assessment.organisation_id,
        assessment_id=assessment.id,
        respondent_id=respondent.id,
        user_id=user.id if user else None,
        reply_to=_reply_to(user, assessment.organisation_id),
    )
    return _record([letter], _send([letter]))[0]


def colleague_draft(user: User, link: str, inviter: User | None, language: str) -> Draft:
    return compose(
        "colleague",
        language,
        name=user.name,
        org=user.organisation.name,
        inviter=inviter.name if inviter else None,
        link=link,
    )


def invite_colleague(
    user: User, token: str, inviter: User | None = None, language: str | None = None
) -> Outcome | None:
    """E-mail a colleague the link that lets them choose a password; None without SMTP."""
    if not configured():
        return None
    language = language or current_language()
    letter = Letter(
        kind="colleague",
        recipient=user.email,
        name=user.name,
        language=language,
        draft=colleague_draft(user, urls.absolute("auth.accept", token=token), inviter, language),
        organisation_id=user.organisation_id,
        user_id=inviter.id if inviter else None,
        reply_to=_reply_to(inviter, user.organisation_id),
    )
    return _record([letter], _send([letter]))[0]


# --- reminders ---------------------------------------------------------------------------------


def _start_of_today() -> datetime:
    return datetime.combine(utcnow().date(), time())


def reminded_today(respondent_ids: Iterable[int]) -> set[int]:
    """Respondents a reminder reached today (UTC): at most one a day, however often it is asked."""
    ids = list(respondent_ids)
    if not ids:
        return set()
    return set(
        db.session.scalars(
            select(MailSend.respondent_id).where(
                MailSend.respondent_id.in_(ids),
                MailSend.kind == "reminder",
                MailSend.ok.is_(True),
                MailSend.sent_at >= _start_of_today(),
            )
        )
    )


def waiting(assessment: Assessment) -> list[Respondent]:
    """Who a reminder is for: respondents who have not submitted and whose link was not withdrawn."""
    return [r for r in assessment.respondents if r.submitted_at is None and r.revoked_at is None]


def remind(
    organisation_id: int, assessment_id: int, user: User | None, automatic: bool = False
) -> Reminders:
    """Remind everyone who has not submitted, each with a new link.

    With SMTP, those with an address who were not reminded today get an e-mail; a new link
    replaces the old one only once the server took the reminder (a failed send changes nothing).
    Without SMTP, everyone waiting gets a new link at once, for the consultant to send.
    """
    assessment = assessment_service.get(organisation_id, assessment_id)
    if assessment.status == "closed":
        raise ServiceError(_("The assessment is closed: its links do not open."))
    people = waiting(assessment)
    if not configured():
        return Reminders() if automatic else _new_links(assessment_id, people)
    result = Reminders(no_email=[r.name for r in people if not r.email])
    done = reminded_today(r.id for r in people)
    result.already = [r.name for r in people if r.id in done and r.email]
    for outcome in _mail_reminders(
        assessment, [r for r in people if r.email and r.id not in done], user
    ):
        (result.sent if outcome.ok else result.failed).append(outcome)
    return result


def _new_links(assessment_id: int, people: Sequence[Respondent]) -> Reminders:
    """No SMTP server: a new link for each, at once, for the messages the page shows to copy."""
    tokens = {r.id: secrets.token_urlsafe(24) for r in people}
    days = int(current_app.config["INVITATION_DAYS"])
    stale = _rotate(assessment_id, {r.id: (r.token_hash, tokens[r.id]) for r in people}, days)
    return Reminders(links={i: questionnaire_link(t) for i, t in tokens.items() if i not in stale})


def _mail_reminders(
    assessment: Assessment, people: Sequence[Respondent], user: User | None
) -> list[Outcome]:
    """Send each a reminder with a new link; the links change for those the server accepted."""
    if not people:
        return []
    days = int(current_app.config["INVITATION_DAYS"])
    tokens = {r.id: secrets.token_urlsafe(24) for r in people}
    old = {r.id: r.token_hash for r in people}
    expires = utcnow() + timedelta(days=days)  # the new link's, as _rotate will set it
    reply_to = _reply_to(user, assessment.organisation_id)
    letters = [
        Letter(
            kind="reminder",
            recipient=str(r.email),
            name=r.name,
            language=language_of(r),
            draft=respondent_draft(r, questionnaire_link(tokens[r.id]), "reminder", user, expires),
            organisation_id=assessment.organisation_id,
            assessment_id=assessment.id,
            respondent_id=r.id,
            user_id=user.id if user else None,
            reply_to=reply_to,
        )
        for r in people
    ]
    errors = _send(letters)
    ids = [r.id for r in people]
    accepted = {i: (old[i], tokens[i]) for i, e in zip(ids, errors, strict=True) if e is None}
    stale = _rotate(assessment.id, accepted, days)
    moved = _("The link changed while the reminder was sent: send a new link.")
    errors = [moved if i in stale else e for i, e in zip(ids, errors, strict=True)]
    return _record(letters, errors)


def _rotate(assessment_id: int, new: dict[int, tuple[str, str]], days: int) -> set[int]:
    """Give each respondent the new token (id -> (the hash it replaces, token)), unless their link
    changed meanwhile (a colleague's "New link" or "Withdraw"); return those left alone."""
    stale: set[int] = set()
    if not new:
        return stale
    expires = utcnow() + timedelta(days=days)
    with transaction() as session:
        for respondent_id, (old_hash, token) in new.items():
            respondent = session.get(Respondent, respondent_id)
            if (
                respondent is None
                or respondent.assessment_id != assessment_id
                or respondent.token_hash != old_hash
                or respondent.revoked_at is not None
            ):
                stale.add(respondent_id)
                continue
            respondent.token_hash = assessment_service.hash_token(token)
            respondent.token_expires_at = expires
    return stale


def due(today: date, days: int) -> list[Assessment]:
    """Open assessments, not archived, whose deadline is today or within `days` days."""
    return list(
        db.session.scalars(
            select(Assessment)
            .where(
                Assessment.status == "open",
                Assessment.archived_at.is_(None),
                Assessment.deadline.is_not(None),
                Assessment.deadline >= today,
                Assessment.deadline <= today + timedelta(days=days),
            )
            .order_by(Assessment.id)
        )
    )


def send_due_reminders(today: date | None = None) -> list[tuple[Assessment, Reminders]]:
    """`planner reminders send`: one reminder a day to each respondent of each assessment due soon."""
    if not configured():
        raise ServiceError("PLANNER_SMTP_URL is not set: no reminder can be sent.")
    today = today or utcnow().date()
    done = []
    for assessment in due(today, int(current_app.config["REMINDER_DAYS"])):
        done.append(
            (assessment, remind(assessment.organisation_id, assessment.id, None, automatic=True))
        )
    return done


def acting_user() -> User | None:
    """The consultant of the request being served, if any (None from the CLI)."""
    user = g.get("user") if g else None
    return user if isinstance(user, User) else None


def sends_of(assessment: Assessment) -> list[MailSend]:
    """The assessment's e-mails, newest first."""
    return list(
        db.session.scalars(
            select(MailSend)
            .where(
                MailSend.assessment_id == assessment.id,
                MailSend.organisation_id == assessment.organisation_id,
            )
            .order_by(MailSend.sent_at.desc(), MailSend.id.desc())
        )
    )
