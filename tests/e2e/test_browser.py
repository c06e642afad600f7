"""Real browser (Playwright driving Debian's Chromium) against a real server: the flows people click through."""

from __future__ import annotations

import io
import re
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine
from werkzeug.serving import make_server

from planner import create_app
from planner.extensions import db
from planner.models import Base
from tests.web.conftest import BACKENDS, postgres_database  # noqa: F401

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 390, "height": 844}

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(),
        reason="Debian's chromium is not installed (make test installs it)",
    ),
]


@pytest.fixture(scope="module", params=BACKENDS)
def server(request, tmp_path_factory) -> Iterator[str]:
    """The app on a real server, on SQLite and on PostgreSQL (where autosave's 64-bit
    Date.now() sequences once failed with "integer out of range")."""
    folder = tmp_path_factory.mktemp("e2e")
    if request.param == "postgresql":
        url = request.getfixturevalue("postgres_database")
    else:
        url = f"sqlite:///{folder / 'e2e.sqlite3'}"
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "e2e"})
    app.instance_path = str(folder / "instance")
    engine = create_engine(url)
    Base.metadata.drop_all(engine)
    Base.metadata.create_all(engine)
    engine.dispose()
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    app.config["BASE_URL"] = f"http://127.0.0.1:{httpd.server_port}"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    httpd.server_close()
    with app.app_context():  # the browser (started after the server) is closed by now
        db.engine.dispose()


@pytest.fixture(scope="module")
def browser(server):  # type: ignore[no-untyped-def]
    """Started after the server of each database: create_app cannot run beside Playwright's loop."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


def signed_up(page, server, organisation, email):  # type: ignore[no-untyped-def]
    """Sign up a consultant as Lan of `organisation`, through the sign-up page."""
    page.goto(server + "/signup")
    page.fill("#organisation", organisation)
    page.fill("#name", "Lan")
    page.fill("#email", email)
    page.fill("#password", "a long enough password")
    page.click("button.primary")


def imported(page, server, organisation, email):  # type: ignore[no-untyped-def]
    """Sign up and import the shipped Northwind answers file; the page is its assessment."""
    signed_up(page, server, organisation, email)
    page.click("text=Import answers file")
    page.set_input_files("input[type=file]", str(EXAMPLES / "northwind-en.yaml"))
    page.click("button.primary")
    page.wait_for_selector("h1")


def new_assessment(page, server, organisation, email, client, title, models):  # type: ignore[no-untyped-def]
    """Sign up, add a client and create an assessment over `models`, through the pages."""
    signed_up(page, server, organisation, email)
    page.fill("#name", client)
    page.click("text=Add client")
    page.click("text=New assessment")
    page.fill("#title", title)
    for model in models:
        page.check(f"input[value={model}]")
    page.click("button.primary")


def test_consultant_invites_respondent_answers_on_a_phone_consultant_downloads_pdf(
    server, browser, tmp_path
):
    desk = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = desk.new_page()
    new_assessment(
        page, server, "Hải Đăng Advisory", "lan@haidang.example", "Công ty CP Bán lẻ An Phát",
        "CRM review 2026", ("idic", "gartner-8"),
    )  # fmt: skip
    assert page.locator("h1").inner_text().startswith("CRM review 2026")
    links = []
    for name, role in (("Minh", "executive"), ("Hà", "sales")):
        page.fill("#name", name)
        page.fill("#role", role)
        page.click("text=Create invitation link")
        links.append(page.locator(".copy input").last.input_value())
    assert all("/r/" in link for link in links)
    assessment_url = page.url

    phone = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    mobile = phone.new_page()
    mobile.goto(links[0])
    assert "/r/" not in mobile.url  # the token left the address bar
    mobile.click("text=Start")
    questions = mobile.locator("fieldset.question")
    first_ids = [questions.nth(i).get_attribute("data-question") for i in range(questions.count())]
    for i, qid in enumerate(first_ids):
        mobile.locator(f'fieldset[data-question="{qid}"] .choice').nth(i % 5).click()
    mobile.locator("fieldset.importance .pick").nth(3).click()
    assert not mobile.locator("textarea").first.is_visible()  # the comment waits to be asked for
    mobile.locator("details.comment summary").first.click()
    mobile.locator("textarea").first.fill("Chỉ ở chi nhánh Hà Nội")
    mobile.wait_for_selector("#save-state.saved")
    mobile.wait_for_timeout(1200)  # the comment's debounce, then its save
    mobile.wait_for_selector("#save-state.saved")
    mobile.reload()
    for i, qid in enumerate(first_ids):
        assert (
            mobile.locator(f'fieldset[data-question="{qid}"] input[type=radio]')
            .nth(i % 5)
            .is_checked()
        )
    assert mobile.locator("textarea").first.input_value() == "Chỉ ở chi nhánh Hà Nội"
    assert mobile.locator("textarea").first.is_visible()  # a saved comment shows open
    assert mobile.locator("fieldset.importance input[type=radio]").nth(3).is_checked()
    mobile.click("button[value=next]")
    mobile.locator("fieldset.question .choice").first.click()
    mobile.wait_for_selector("#save-state.saved")
    mobile.goto(server + "/respond/review")
    mobile.click("text=Submit my answers")
    mobile.wait_for_url("**/respond/done")
    phone.close()

    page.goto(assessment_url)
    assert "submitted" in page.content()
    page.click("text=Results")
    assert page.locator("svg.radar").count() == 2
    page.goto(assessment_url)
    page.click("#generate")  # a background job; the page shows its progress and refreshes itself
    page.wait_for_selector("#download", timeout=60_000)
    with page.expect_download() as download:
        page.click("#download")
    pdf = tmp_path / "report.pdf"
    download.value.save_as(pdf)
    from pypdf import PdfReader

    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.read_bytes())).pages)
    assert "Công ty CP Bán lẻ An Phát" in re.sub(r"\s+", " ", text)
    desk.close()


def test_a_withdrawn_link_stops_autosave_with_the_servers_message_and_keeps_the_answer(
    server, browser
):
    desk = browser.new_context(viewport={"width": 1280, "height": 900})
    page = desk.new_page()
    new_assessment(
        page, server, "Withdraw Advisory", "lan@withdraw.example", "Withdraw Co",
        "Withdrawn link", ("idic",),
    )  # fmt: skip
    page.fill("#name", "Minh")
    page.click("text=Create invitation link")
    link = page.locator(".copy input").last.input_value()

    phone = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    mobile = phone.new_page()
    mobile.goto(link)
    mobile.click("text=Start")
    first, second = (
        mobile.locator("fieldset.question").nth(0),
        mobile.locator("fieldset.question").nth(1),
    )
    first.locator(".choice").nth(2).click()
    mobile.wait_for_selector("#save-state.saved")

    page.click("text=Withdraw link")
    second.locator(".choice").nth(3).click()
    mobile.wait_for_selector("#save-state.locked")
    state = mobile.locator("#save-state").inner_text()
    assert "withdrawn" in state  # the server's own message, not "retrying" forever
    assert second.locator("input[type=radio]").nth(3).is_checked()  # the answer stays on screen
    kept = mobile.evaluate("Object.keys(localStorage).filter(k => k.startsWith('planner-pending-'))"
                           ".map(k => localStorage.getItem(k)).join('')")  # fmt: skip
    assert second.get_attribute("data-question") in kept  # and in this browser, for a reopen
    mobile.wait_for_timeout(2500)
    assert "withdrawn" in mobile.locator("#save-state").inner_text()  # no retry loop took over
    phone.close()
    desk.close()
