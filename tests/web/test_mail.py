"""E-mail invitations, reminders and colleague invitations, through a real SMTP server (aiosmtpd)
on 127.0.0.1: what arrived, in which language, with a link that opens what it says."""

from __future__ import annotations

import re
import socket
from collections.abc import Iterator
from datetime import date, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from click.testing import CliRunner
from sqlalchemy import select

from planner.cli import cli
from planner.extensions import db
from planner.models import MailSend, Respondent
from tests.web.conftest import Actions, csrf_token

LINK = re.compile(r"https?://\S+/r/[A-Za-z0-9_-]+")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Inbox:
    """What the SMTP server received, parsed; it accepts user `planner` with password `s3cret`."""

    def __init__(self) -> None:
        self.received: list[EmailMessage] = []
        self.logins: list[bytes] = []

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 (aiosmtpd's name)
        message = message_from_bytes(envelope.original_content, policy=policy.default)
        assert isinstance(message, EmailMessage)
        self.received.append(message)
        return "250 Message accepted for delivery"

    def authenticate(self, server, session, envelope, mechanism, auth_data) -> AuthResult:
        ok = isinstance(auth_data, LoginPassword) and auth_data.password == b"s3cret"
        if ok:
            self.logins.append(auth_data.login)
        return AuthResult(success=ok)

    def take(self) -> list[EmailMessage]:
        received, self.received = self.received, []
        return received


@pytest.fixture
def smtp(app) -> Iterator[Inbox]:
    inbox = Inbox()
    port = free_port()
    controller = Controller(
        inbox,
        hostname="127.0.0.1",
        port=port,
        authenticator=inbox.authenticate,
        auth_require_tls=False,  # a test server on the loopback interface
    )
    controller.start()
    app.config["SMTP_URL"] = f"smtp://planner:s3cret@127.0.0.1:{port}"
    app.config["MAIL_FROM"] = "planner@acme.example"
    try:
        yield inbox
    finally:
        controller.stop()


def body(message: EmailMessage) -> str:
    part = message.get_body(("plain",))
    assert part is not None
    return str(part.get_content())


def link_in(message: EmailMessage) -> str:
    found = LINK.findall(body(message))
    assert len(found) == 1, body(message)
    return found[0]


def opens_questionnaire(app, link: str) -> bool:
    """The link, opened in a fresh browser, leads to the questionnaire's welcome page."""
    browser = app.test_client()
    response = browser.get(link.removeprefix(app.config["BASE_URL"]))
    if response.status_code != 302 or not response.headers["Location"].endswith("/respond"):
        return False
    return browser.get("/respond").status_code == 200


def add_respondent(consultant: Actions, assessment_id: int, name: str, email: str | None):
    data = {"name": name, "role": "executive"}
    if email:
        data["email"] = email
    response = consultant.post(f"/assessments/{assessment_id}/respondents", data)
    assert response.status_code == 302, response.get_data(as_text=True)
    return consultant.client.get(f"/assessments/{assessment_id}").get_data(as_text=True)


def new_assessment(consultant: Actions, language: str = "en", deadline: date | None = None) -> int:
    client_id = consultant.new_client("An Phát Retail")
    data = {
        "client": str(client_id),
        "title": "CRM review 2026",
        "language": language,
        "frameworks": ["idic"],
    }
    if deadline:
        data["deadline"] = deadline.isoformat()
    response = consultant.post("/assessments/new", data)
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.headers["Location"].rsplit("/", 1)[1])


def sends(app) -> list[tuple[str, str, bool]]:
    with app.app_context():
        rows = db.session.scalars(select(MailSend).order_by(MailSend.id))
        return [(r.kind, r.recipient, r.ok) for r in rows]


def test_invitation_in_english_with_a_link_from_the_base_url(app, consultant, smtp):
    app.config["BASE_URL"] = "http://planner.test"
    assessment_id = new_assessment(consultant, "en", date.today() + timedelta(days=10))
    page = add_respondent(consultant, assessment_id, "Minh", "minh@anphat.example")

    (message,) = smtp.take()
    assert smtp.logins == [b"planner"]  # the user and password of PLANNER_SMTP_URL
    assert message["To"] == "minh@anphat.example"
    assert message["From"].addresses[0].addr_spec == "planner@acme.example"
    assert message["From"].addresses[0].display_name == "Acme Consulting"
    assert message["Reply-To"] == "lan@acme.example"  # replies reach the consultant
    assert message["Subject"] == "An Phát Retail: your view on how you work with customers"
    text = body(message)
    assert text.startswith("Hello Minh,")
    assert "Acme Consulting is assessing how An Phát Retail works" in text
    assert "Please submit your answers by" in text
    link = link_in(message)
    assert link.startswith("http://planner.test/r/")
    assert opens_questionnaire(app, link)
    assert "The invitation was e-mailed to minh@anphat.example." in page
    assert sends(app) == [("invitation", "minh@anphat.example", True)]
    section = page.split('id="mail"', 1)[1]
    assert "minh@anphat.example" in section
    assert "sent" in section


def test_invitation_in_vietnamese(app, consultant, smtp):
    assessment_id = new_assessment(consultant, "vi")
    add_respondent(consultant, assessment_id, "Minh", "minh@anphat.example")
    (message,) = smtp.take()
    assert message["Subject"] == (
        "An Phát Retail: mời anh/chị cho ý kiến về cách làm việc với khách hàng"
    )
    text = body(message)
    assert text.startswith("Xin chào Minh,")
    assert "Mời anh/chị mở bảng câu hỏi bằng liên kết sau:" in text
    assert "Hạn" not in message["Subject"]  # no deadline, no "due" in the subject
    assert opens_questionnaire(app, link_in(message))


def test_a_respondent_without_an_address_gets_no_mail(app, consultant, smtp):
    assessment_id = new_assessment(consultant)
    add_respondent(consultant, assessment_id, "Hoa", None)
    assert smtp.take() == []
    assert sends(app) == []


def submit(app, link: str) -> None:
    browser = app.test_client()
    assert browser.get(link.removeprefix(app.config["BASE_URL"])).status_code == 302
    token = csrf_token(browser, "/respond/page/1")
    assert browser.post("/respond/submit", data={"csrf_token": token}).status_code == 302


def test_reminder_only_to_those_who_have_not_submitted(app, consultant, smtp):
    assessment_id = new_assessment(consultant, "vi", date.today() + timedelta(days=2))
    add_respondent(consultant, assessment_id, "Minh", "minh@anphat.example")
    add_respondent(consultant, assessment_id, "Hoa", "hoa@anphat.example")
    add_respondent(consultant, assessment_id, "Tuấn", None)
    invitations = {m["To"]: link_in(m) for m in smtp.take()}
    submit(app, invitations["hoa@anphat.example"])

    response = consultant.post(f"/assessments/{assessment_id}/reminders")
    assert response.status_code == 302
    (reminder,) = smtp.take()
    assert reminder["To"] == "minh@anphat.example"
    assert reminder["Subject"].startswith("Nhắc nhở: bảng câu hỏi của An Phát Retail, hạn trả lời")
    assert "liên kết cũ không còn dùng được" in body(reminder)
    new_link = link_in(reminder)
    assert opens_questionnaire(app, new_link)
    assert not opens_questionnaire(app, invitations["minh@anphat.example"])  # replaced
    page = consultant.client.get(f"/assessments/{assessment_id}").get_data(as_text=True)
    assert "Reminder e-mailed to Minh." in page
    assert "No e-mail address for Tuấn" in page
    assert sends(app)[-1] == ("reminder", "minh@anphat.example", True)

    consultant.post(f"/assessments/{assessment_id}/reminders")  # a second click the same day
    assert smtp.take() == []
    page = consultant.client.get(f"/assessments/{assessment_id}").get_data(as_text=True)
    assert "Already reminded today: Minh." in page
    assert opens_questionnaire(app, new_link)  # and the link it sent still works


def test_colleague_invitation_is_emailed(app, consultant, smtp):
    token = csrf_token(consultant.client, "/team")
    response = consultant.client.post(
        "/team", data={"name": "Bảo", "email": "bao@acme.example", "csrf_token": token}
    )
    assert response.status_code == 200
    assert "The invitation was e-mailed to bao@acme.example." in response.get_data(as_text=True)
    (message,) = smtp.take()
    assert message["To"] == "bao@acme.example"
    assert message["Subject"] == "You are invited to Acme Consulting on the CRM Maturity Planner"
    assert "Lan has invited you to join Acme Consulting" in body(message)
    link = re.search(r"https?://\S+/invite/\S+", body(message))
    assert link
    page = app.test_client().get(link.group(0).removeprefix(app.config["BASE_URL"]))
    assert page.status_code == 200
    assert "password" in page.get_data(as_text=True).lower()
    assert sends(app) == [("colleague", "bao@acme.example", True)]


def test_smtp_down_is_a_clear_message_and_a_failed_row(app, consultant, smtp):
    assessment_id = new_assessment(consultant)
    app.config["SMTP_URL"] = f"smtp://127.0.0.1:{free_port()}"  # nothing listens there
    response = consultant.post(
        f"/assessments/{assessment_id}/respondents",
        {"name": "Minh", "role": "executive", "email": "minh@anphat.example"},
    )
    assert response.status_code == 302
    page = consultant.client.get(f"/assessments/{assessment_id}").get_data(as_text=True)
    assert "The invitation to Minh could not be e-mailed" in page
    assert "refused the connection" in page
    draft = re.search(r'<textarea id="draft-\d+"[^>]*>([^<]+)</textarea>', page)
    assert draft, "the message to copy is shown instead"
    invitation_link = LINK.search(draft.group(1))
    assert invitation_link
    assert opens_questionnaire(app, invitation_link.group(0))
    ((kind, recipient, ok),) = sends(app)
    assert (kind, recipient, ok) == ("invitation", "minh@anphat.example", False)
    with app.app_context():
        assert "refused the connection" in (db.session.scalars(select(MailSend)).one().error or "")

    response = consultant.post(f"/assessments/{assessment_id}/reminders")
    assert response.status_code == 302
    page = consultant.client.get(f"/assessments/{assessment_id}").get_data(as_text=True)
    assert "The reminder to Minh could not be e-mailed" in page
    assert "Their links are unchanged" in page
    assert "not sent" in page.split('id="mail"', 1)[1]
    assert opens_questionnaire(app, invitation_link.group(0))  # a failed reminder changes nothing
    assert smtp.take() == []


def test_without_smtp_a_message_to_copy(app, consultant):
    assert not app.config.get("SMTP_URL")
    assessment_id = new_assessment(consultant, "vi")
    page = add_respondent(consultant, assessment_id, "Minh", "minh@anphat.example")
    draft = re.search(r'<textarea id="(draft-\d+)"[^>]*>([^<]+)</textarea>', page)
    assert draft
    text = draft.group(2)
    assert text.startswith("An Phát Retail: mời anh/chị cho ý kiến")  # the subject first
    assert "Xin chào Minh," in text
    first = LINK.search(text)
    assert first
    assert opens_questionnaire(app, first.group(0))
    assert f'data-copy="{draft.group(1)}"' in page
    assert "copy.js" in page
    script = app.test_client().get("/static/copy.js")
    assert script.status_code == 200
    assert b"navigator.clipboard" in script.get_data()
    script.close()

    consultant.post(f"/assessments/{assessment_id}/reminders")
    page = consultant.client.get(f"/assessments/{assessment_id}").get_data(as_text=True)
    reminder = re.search(r'<textarea id="draft-\d+"[^>]*>([^<]+)</textarea>', page)
    assert reminder
    assert reminder.group(1).startswith("Nhắc nhở: bảng câu hỏi của An Phát Retail")
    second = LINK.search(reminder.group(1))
    assert second
    assert opens_questionnaire(app, second.group(0))
    assert not opens_questionnaire(app, first.group(0))  # the reminder's link replaced it
    assert sends(app) == []  # nothing was sent


def test_reminders_send_twice_sends_once(app, consultant, smtp, monkeypatch):
    soon = new_assessment(consultant, "vi", date.today() + timedelta(days=2))
    later = new_assessment(consultant, "en", date.today() + timedelta(days=20))
    for assessment_id in (soon, later):
        consultant.post(f"/assessments/{assessment_id}/status", {"status": "open"})
        add_respondent(consultant, assessment_id, "Minh", f"minh{assessment_id}@anphat.example")
        add_respondent(consultant, assessment_id, "Hoa", f"hoa{assessment_id}@anphat.example")
    invitations = {m["To"]: link_in(m) for m in smtp.take()}
    submit(app, invitations[f"hoa{soon}@anphat.example"])
    for name, value in {
        "PLANNER_DATABASE_URL": app.config["DATABASE_URL"],
        "PLANNER_SMTP_URL": app.config["SMTP_URL"],
        "PLANNER_MAIL_FROM": "planner@acme.example",
        "PLANNER_BASE_URL": app.config["BASE_URL"],
        "PLANNER_SECRET_KEY": "test-secret",
        "PLANNER_WARM_CATALOGS": "false",
        "PLANNER_PRERENDER_SECONDS": "null",
    }.items():
        monkeypatch.setenv(name, value)

    first = CliRunner().invoke(cli, ["reminders", "send"], catch_exceptions=False)
    assert first.exit_code == 0, first.output
    assert f"assessment {soon} (CRM review 2026): 1 sent, 0 failed" in first.output
    (reminder,) = smtp.take()  # not Hoa, who submitted; nobody of the later assessment
    assert reminder["To"] == f"minh{soon}@anphat.example"
    assert reminder["Subject"].startswith("Nhắc nhở:")
    assert reminder["Reply-To"] == "lan@acme.example"  # the consultancy's owner
    assert opens_questionnaire(app, link_in(reminder))

    again = CliRunner().invoke(cli, ["reminders", "send"], catch_exceptions=False)
    assert again.exit_code == 0, again.output
    assert "0 sent, 0 failed, 1 already reminded today" in again.output
    assert smtp.take() == []
    with app.app_context():
        rows = db.session.scalars(select(MailSend).where(MailSend.kind == "reminder")).all()
        assert [(r.recipient, r.ok, r.user_id) for r in rows] == [
            (f"minh{soon}@anphat.example", True, None)
        ]


def test_reminders_send_without_smtp_fails_clearly(app, monkeypatch):
    monkeypatch.setenv("PLANNER_DATABASE_URL", app.config["DATABASE_URL"])
    monkeypatch.setenv("PLANNER_SECRET_KEY", "test-secret")
    monkeypatch.setenv("PLANNER_WARM_CATALOGS", "false")
    monkeypatch.delenv("PLANNER_SMTP_URL", raising=False)
    result = CliRunner().invoke(cli, ["reminders", "send"])
    assert result.exit_code == 1
    assert "PLANNER_SMTP_URL is not set" in result.output
    assert "Traceback" not in result.output


def test_another_consultancy_gets_404(app, consultant, smtp):
    assessment_id = new_assessment(consultant)
    add_respondent(consultant, assessment_id, "Minh", "minh@anphat.example")
    smtp.take()
    intruder = Actions(app, app.test_client())
    intruder.sign_up("Second Consulting", "b@second.example")
    assert intruder.post(f"/assessments/{assessment_id}/reminders").status_code == 404
    assert smtp.take() == []
    with app.app_context():
        respondent = db.session.scalars(select(Respondent)).one()
        assert respondent.token_hash  # untouched: the invitation link still opens
    page = intruder.client.get(f"/assessments/{assessment_id}")
    assert page.status_code == 404


def test_smtp_urls_are_read_or_refused_at_start(tmp_path):
    from planner import create_app
    from planner.mail import MailConfigError, server_of

    tls = server_of("smtps://me%40acme.example:p%3Ass@mail.acme.example")
    assert (tls.host, tls.port, tls.tls, tls.starttls) == ("mail.acme.example", 465, True, False)
    assert (tls.user, tls.password) == ("me@acme.example", "p:ss")
    plain = server_of("smtp://mail.acme.example:587?starttls=1")
    assert (plain.port, plain.tls, plain.starttls, plain.user) == (587, False, True, None)
    assert server_of("smtp://localhost").port == 25
    for bad in ("http://mail.acme.example", "smtp://", "smtp://host:99999", "mail.acme.example"):
        with pytest.raises(MailConfigError):
            server_of(bad)
    with pytest.raises(MailConfigError, match="PLANNER_SMTP_URL"):
        create_app({"SECRET_KEY": "x", "DATABASE_URL": "sqlite://", "SMTP_URL": "smtp:/nowhere"})


@pytest.fixture
def starttls_smtp(app, tmp_path, monkeypatch) -> Iterator[Inbox]:
    """An SMTP server that requires STARTTLS before AUTH, with a certificate for localhost that
    the client trusts through SSL_CERT_FILE."""
    import ssl
    import subprocess

    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    inbox = Inbox()
    port = free_port()
    controller = Controller(
        inbox,
        hostname="127.0.0.1",
        port=port,
        authenticator=inbox.authenticate,
        tls_context=context,
        require_starttls=True,
    )
    controller.start()
    app.config["SMTP_URL"] = f"smtp://planner:s3cret@localhost:{port}?starttls=1"
    try:
        yield inbox
    finally:
        controller.stop()


def test_starttls_and_log_in(app, consultant, starttls_smtp):
    assessment_id = new_assessment(consultant)
    add_respondent(consultant, assessment_id, "Minh", "minh@anphat.example")
    (message,) = starttls_smtp.take()
    assert starttls_smtp.logins == [b"planner"]
    assert message["To"] == "minh@anphat.example"
    assert sends(app) == [("invitation", "minh@anphat.example", True)]
