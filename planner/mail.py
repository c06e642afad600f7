"""Sending e-mail through the SMTP server PLANNER_SMTP_URL names (no bounce processing).

`smtp://user:password@host:587?starttls=1`, `smtps://host` (TLS from the first byte) or
`smtp://localhost:25`. One connection serves a whole batch (a day's reminders); a server that
cannot be reached fails every message of the batch at once, with the same reason, instead of
waiting out the timeout once per message.
"""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formataddr, formatdate, make_msgid, parseaddr
from types import TracebackType
from urllib.parse import parse_qs, unquote, urlsplit

from flask_babel import gettext

TIMEOUT = 10  # seconds for the connection and each SMTP command
DEFAULT_PORTS = {"smtp": 25, "smtps": 465}
YES = ("1", "true", "yes", "on")


def _(text: str, **values: object) -> str:
    """The reason in the language of the page being served (English from the CLI)."""
    return str(gettext(text, **values))


class MailConfigError(ValueError):
    """PLANNER_SMTP_URL cannot be read; the application refuses to start with it."""


@dataclass(frozen=True)
class Server:
    host: str
    port: int
    tls: bool  # smtps: TLS from the first byte
    starttls: bool
    user: str | None
    password: str | None

    @property
    def shown(self) -> str:
        return f"{self.host}:{self.port}"


def server_of(url: str) -> Server:
    """The SMTP server a PLANNER_SMTP_URL names (MailConfigError when it names none)."""
    parts = urlsplit(url.strip())
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
        raise MailConfigError(
            "PLANNER_SMTP_URL must look like smtp://user:password@host:587?starttls=1 "
            "or smtps://host:465"
        )
    try:
        port = parts.port or DEFAULT_PORTS[parts.scheme]
    except ValueError as exc:
        raise MailConfigError(f"PLANNER_SMTP_URL has a bad port: {exc}") from None
    query = parse_qs(parts.query)
    starttls = query.get("starttls", [""])[-1].lower() in YES
    return Server(
        host=parts.hostname,
        port=port,
        tls=parts.scheme == "smtps",
        starttls=starttls and parts.scheme == "smtp",
        user=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
    )


def sender_of(mail_from: str | None, server: Server, base_host: str) -> str:
    """The From address: PLANNER_MAIL_FROM, else the SMTP user when it is an address, else
    planner@ the base URL's host."""
    if mail_from:
        return mail_from.strip()
    if server.user and "@" in server.user:
        return server.user
    return f"planner@{base_host}"


def message(
    sender: str,
    sender_name: str,
    recipient: str,
    subject: str,
    body: str,
    reply_to: str | None = None,
) -> EmailMessage:
    """A plain-text UTF-8 message. `sender_name` (the consultancy) replaces any display name of
    `sender`; header values are single lines (a line break cannot add a header)."""
    _, address = parseaddr(sender)
    msg = EmailMessage()
    msg["From"] = formataddr((_one_line(sender_name), address or sender))
    msg["To"] = recipient
    if reply_to:
        msg["Reply-To"] = reply_to
    msg["Subject"] = _one_line(subject)
    msg["Date"] = formatdate(localtime=False, usegmt=True)
    msg["Message-ID"] = make_msgid(domain=(address or sender).rpartition("@")[2] or None)
    msg.set_content(body, charset="utf-8")
    return msg


def _one_line(text: str) -> str:
    return " ".join(text.split())


class Outbox:
    """One SMTP connection for a batch of messages: `with Outbox(server) as out: out.send(m)`.

    `send` returns None when the server accepted the message, else the reason, in a sentence
    the consultant can act on; it never raises for a mail problem.
    """

    def __init__(self, server: Server) -> None:
        self.server = server
        self._smtp: smtplib.SMTP | None = None
        self._failure: str | None = None  # the connection could not be made: every send fails

    def __enter__(self) -> Outbox:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (OSError, smtplib.SMTPException):
                self._smtp.close()
            self._smtp = None

    def send(self, msg: EmailMessage) -> str | None:
        if self._failure is not None:
            return self._failure
        if self._smtp is None:
            try:
                self._smtp = self._connect()
            except (OSError, smtplib.SMTPException) as exc:
                self._failure = _reason(exc, self.server.shown)
                return self._failure
        try:
            refused = self._smtp.send_message(msg)
        except smtplib.SMTPRecipientsRefused as exc:
            return _refused(exc.recipients)
        except (OSError, smtplib.SMTPException) as exc:
            if isinstance(exc, smtplib.SMTPServerDisconnected):
                self._smtp = None  # the next message opens a new connection
            return _reason(exc, self.server.shown)
        return _refused(refused) if refused else None

    def _connect(self) -> smtplib.SMTP:
        server = self.server
        context = ssl.create_default_context()
        smtp: smtplib.SMTP
        if server.tls:
            smtp = smtplib.SMTP_SSL(server.host, server.port, timeout=TIMEOUT, context=context)
        else:
            smtp = smtplib.SMTP(server.host, server.port, timeout=TIMEOUT)
        try:
            smtp.ehlo()
            if server.starttls:
                smtp.starttls(context=context)
                smtp.ehlo()
            if server.user:
                smtp.login(server.user, server.password or "")
        except BaseException:
            smtp.close()
            raise
        return smtp


def _refused(refused: dict[str, tuple[int, bytes]]) -> str:
    return _("The mail server refused the address %(address)s.", address=", ".join(sorted(refused)))


def _reason(exc: BaseException, server: str) -> str:
    """What went wrong, in words the consultant can act on."""
    if isinstance(exc, ConnectionRefusedError):
        return _(
            "The mail server %(server)s refused the connection (is it running, and is the port"
            " right?).",
            server=server,
        )
    if isinstance(exc, TimeoutError):
        return _(
            "The mail server %(server)s did not answer within %(n)s seconds.",
            server=server,
            n=TIMEOUT,
        )
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return _("The mail server %(server)s refused the user name or password.", server=server)
    if isinstance(exc, ssl.SSLError):
        return _(
            "The TLS connection to the mail server %(server)s failed: %(error)s",
            server=server,
            error=exc.reason or str(exc),
        )
    if isinstance(exc, smtplib.SMTPResponseException):
        error = exc.smtp_error
        text = error.decode("utf-8", "replace") if isinstance(error, bytes) else str(error or "")
        return _(
            "The mail server %(server)s answered: %(error)s",
            server=server,
            error=f"{exc.smtp_code} {text}".strip(),
        )
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return _("The mail server %(server)s closed the connection.", server=server)
    return _(
        "The mail server %(server)s could not be reached: %(error)s",
        server=server,
        error=(exc.strerror if isinstance(exc, OSError) else None) or str(exc),
    )
