"""Sign-up, log-in, log-out and colleagues."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, Length

from planner import urls
from planner.services import ServiceError, accounts
from planner.web import links
from planner.web.forms import Form
from planner.web.hooks import login_required, org_id
from planner.web.limits import limiter

bp = Blueprint("auth", __name__)


class SignUpForm(Form):
    organisation = StringField(_l("Consultancy"), validators=[DataRequired(), Length(max=200)])
    name = StringField(_l("Your name"), validators=[DataRequired(), Length(max=200)])
    email = EmailField(
        _l("E-mail"),
        validators=[DataRequired(), Email(check_deliverability=False), Length(max=320)],
    )
    password = PasswordField(
        _l("Password (at least 10 characters)"),
        validators=[DataRequired(), Length(min=10, max=200)],
    )


class LoginForm(Form):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=320)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])


class InviteForm(Form):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    email = EmailField(
        _l("E-mail"),
        validators=[DataRequired(), Email(check_deliverability=False), Length(max=320)],
    )


class PasswordForm(Form):
    password = PasswordField(
        _l("Choose a password (at least 10 characters)"),
        validators=[DataRequired(), Length(min=10, max=200)],
    )


def _sign_in(user_id: int) -> None:
    lang = session.get("lang")
    session.clear()  # a new session key: nothing from before the log-in is trusted
    session.permanent = True
    session["user_id"] = user_id
    session["sid"] = accounts.start_session(user_id)
    if lang:
        session["lang"] = lang


@bp.route("/signup", methods=["GET", "POST"])
def signup() -> ResponseReturnValue:
    form = SignUpForm()
    if form.validate_on_submit():
        try:
            user = accounts.sign_up(
                form.organisation.data, form.name.data, form.email.data, form.password.data
            )
        except ServiceError as exc:
            form.email.errors = [*form.email.errors, str(exc)]
        else:
            _sign_in(user.id)
            return redirect(url_for("clients.dashboard"))
    return render_template("auth/signup.html", form=form), 400 if form.errors else 200


@bp.route("/login", methods=["GET", "POST"])
def login() -> ResponseReturnValue:
    form = LoginForm()
    if form.validate_on_submit():
        # Keyed on the e-mail AND the address, so wrong guesses from elsewhere never lock the
        # user out; a looser limit per address slows one machine trying many e-mails.
        email = form.email.data.strip().lower()
        limiter.hit(f"login:{email}:{request.remote_addr}", 10, 60)
        limiter.hit(f"login-ip:{request.remote_addr}", 50, 60)
        user = accounts.authenticate(form.email.data, form.password.data)
        if user is not None:
            _sign_in(user.id)
            return redirect(links.safe_next(request.args.get("next")))
        form.password.errors = [*form.password.errors, _("Wrong e-mail or password.")]
    return render_template("auth/login.html", form=form), 400 if form.errors else 200


@bp.post("/logout")
def logout() -> ResponseReturnValue:
    accounts.end_session(str(session.get("sid", "")))
    session.clear()
    return redirect(url_for("auth.login"))


@bp.route("/team", methods=["GET", "POST"])
@login_required
def team() -> ResponseReturnValue:
    form = InviteForm()
    link = None
    if form.validate_on_submit():
        try:
            token = accounts.invite(org_id(), form.name.data, form.email.data)
        except ServiceError as exc:
            form.email.errors = [*form.email.errors, str(exc)]
        else:
            link = urls.absolute("auth.accept", token=token)
            form = InviteForm(formdata=None)
    return render_template(
        "auth/team.html", form=form, users=accounts.colleagues(org_id()), link=link
    ), 400 if form.errors else 200


@bp.route("/invite/<token>", methods=["GET", "POST"])
def accept(token: str) -> ResponseReturnValue:
    user = accounts.invited_user(token)
    form = PasswordForm()
    if form.validate_on_submit():
        accounts.accept_invite(token, form.password.data)
        _sign_in(user.id)
        flash(_("Welcome to %(org)s.", org=user.organisation.name))
        return redirect(url_for("clients.dashboard"))
    return render_template("auth/accept.html", form=form, user=user)


@bp.post("/language/<code>")
def language(code: str) -> ResponseReturnValue:
    if code in ("en", "vi"):
        session["lang"] = code
    return redirect(links.safe_next(request.form.get("next")))
