"""Consultancies, users, log-in and colleague invitations."""

from __future__ import annotations

import hashlib
import secrets

from flask import flash, has_request_context
from flask_babel import gettext as _
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from planner.database import transaction
from planner.extensions import db
from planner.models import Organisation, User, UserSession
from planner.services import NotFound, ServiceError, mail

MIN_PASSWORD = 10


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise ServiceError(f"The password needs at least {MIN_PASSWORD} characters.")


def _email(email: str) -> str:
    email = email.strip().lower()
    if "@" not in email or len(email) > 320:
        raise ServiceError("Enter a valid e-mail address.")
    return email


def sign_up(organisation: str, name: str, email: str, password: str) -> User:
    """A new consultancy with its first user, its owner."""
    email = _email(email)
    _check_password(password)
    with transaction() as session:
        if session.scalar(select(func.count()).select_from(User).where(User.email == email)):
            raise ServiceError("An account with this e-mail address already exists.")
        org = Organisation(name=organisation.strip())
        user = User(
            organisation=org,
            name=name.strip(),
            email=email,
            role="owner",
            password_hash=generate_password_hash(password),
        )
        session.add_all([org, user])
    return user


def authenticate(email: str, password: str) -> User | None:
    user = db.session.scalars(select(User).where(User.email == email.strip().lower())).first()
    if (
        user is None
        or not user.password_hash
        or not check_password_hash(user.password_hash, password)
    ):
        return None
    return user


def invite(organisation_id: int, name: str, email: str, inviter: User | None = None) -> str:
    """Create a colleague's account without a password; return the one-time token to set it.

    With PLANNER_SMTP_URL the link is e-mailed too, after the commit; the outcome is flashed
    (the team page shows it) and recorded in mail_sends.
    """
    email = _email(email)
    token = secrets.token_urlsafe(24)
    user = User(
        organisation_id=organisation_id,
        name=name.strip(),
        email=email,
        role="consultant",
        invite_hash=_hash_token(token),
    )
    with transaction() as session:
        if session.scalar(select(func.count()).select_from(User).where(User.email == email)):
            raise ServiceError("An account with this e-mail address already exists.")
        session.add(user)
    outcome = mail.invite_colleague(user, token, inviter or mail.acting_user())
    if outcome is not None and has_request_context():
        if outcome.ok:
            flash(_("The invitation was e-mailed to %(email)s.", email=outcome.recipient))
        else:
            flash(
                _(
                    "The invitation could not be e-mailed: %(error)s Send the link below yourself.",
                    error=outcome.error,
                )
            )
    return token


def invited_user(token: str) -> User:
    user = db.session.scalars(select(User).where(User.invite_hash == _hash_token(token))).first()
    if user is None:
        raise NotFound("This invitation is not valid any more.")
    return user


def accept_invite(token: str, password: str) -> User:
    _check_password(password)
    with transaction():
        user = invited_user(token)
        user.password_hash = generate_password_hash(password)
        user.invite_hash = None
    return user


def start_session(user_id: int) -> str:
    """A server-side session for a signed-in browser; the key goes in its (signed) cookie."""
    key = secrets.token_urlsafe(24)
    with transaction() as session:
        session.add(UserSession(key_hash=_hash_token(key), user_id=user_id))
    return key


def session_user(user_id: int, key: str) -> User | None:
    """The user of a live session: None once it ended (log-out) or when the cookie was forged."""
    if not key or len(key) > 100:
        return None
    found = db.session.get(UserSession, _hash_token(key))
    if found is None or found.user_id != user_id:
        return None
    return db.session.get(User, user_id)


def end_session(key: str) -> None:
    """Log-out: the cookie, and every copy of it, stops working on every instance."""
    with transaction() as session:
        found = session.get(UserSession, _hash_token(key or ""))
        if found is not None:
            session.delete(found)


def colleagues(organisation_id: int) -> list[User]:
    return list(
        db.session.scalars(
            select(User).where(User.organisation_id == organisation_id).order_by(User.name)
        )
    )
