"""Without SMTP, the invitation is a message to copy: the copy button appears with JavaScript and
puts the subject, body and link on the clipboard; the page fits a phone."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine
from werkzeug.serving import make_server

from planner import create_app
from planner.extensions import db
from planner.models import Base
from tests.e2e import test_browser as e2e
from tests.e2e.test_browser import PHONE, new_assessment

pytestmark = e2e.pytestmark


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("e2e-mail")
    url = f"sqlite:///{folder / 'e2e.sqlite3'}"
    app = create_app(
        {"DATABASE_URL": url, "SECRET_KEY": "e2e", "PRERENDER_SECONDS": None, "SMTP_URL": None}
    )
    app.instance_path = str(folder / "instance")
    engine = create_engine(url)
    Base.metadata.create_all(engine)
    engine.dispose()
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    app.config["BASE_URL"] = f"http://127.0.0.1:{httpd.server_port}"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    httpd.server_close()
    with app.app_context():
        db.engine.dispose()


# Chromium from the browser suite, started after this module's server.
browser = e2e.browser


def test_copy_the_invitation_message_on_a_phone(server, browser):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server)
    page = context.new_page()
    new_assessment(
        page, server, "Hải Đăng Advisory", "lan@haidang.example", "An Phát Retail",
        "CRM review 2026", ("idic",),
    )  # fmt: skip
    page.fill("#name", "Minh")
    page.fill("#email", "minh@anphat.example")
    page.click("text=Create invitation link")
    draft = page.locator(".mail-draft textarea")
    text = draft.input_value()
    assert text.startswith("An Phát Retail: your view on how you work with customers")
    assert page.locator(".copy input").last.input_value() in text  # the link, in the message
    button = page.locator(".mail-draft button[data-copy]")
    assert button.is_visible()  # hidden until copy.js runs
    button.click()
    page.wait_for_function("b => b.textContent === 'Copied'", arg=button.element_handle())
    assert page.evaluate("navigator.clipboard.readText()") == text
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    context.close()
