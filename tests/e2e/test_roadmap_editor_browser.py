"""The roadmap editor in a real browser (issue 11): drop one, add one, pin one — each re-planned in
place by htmx — then the PDF holds the added initiative and not the dropped one in its roadmap."""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

from pypdf import PdfReader

from tests.e2e import test_browser as e2e
from tests.web import conftest

# The browser suite's real server (SQLite, and PostgreSQL when configured) and Chromium.
server = e2e.server
browser = e2e.browser
postgres_database = conftest.postgres_database
pytestmark = e2e.pytestmark

SHOTS = os.environ.get("ROADMAP_SHOTS")  # a folder: screenshots of the editor are saved there


def _shot(page, name):  # type: ignore[no-untyped-def]
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def _words(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_drop_add_pin_in_the_browser_and_the_pdf_follows(server, browser, tmp_path):
    desk = browser.new_context(viewport={"width": 1366, "height": 900}, accept_downloads=True)
    page = desk.new_page()
    e2e.imported(page, server, "Northwind Advisory", "lan@northwind.example")
    assessment_url = page.url
    page.click("a.button:text-is('Roadmap')")
    page.wait_for_selector("#editor .plan-row")
    page.evaluate("window.sameDocument = true")  # gone if a change reloaded the whole page
    _shot(page, "editor-1366")

    rows = page.locator("#editor li.plan-row")
    dropped_id = rows.nth(0).get_attribute("data-initiative")
    dropped_title = rows.nth(0).locator(".plan-title").inner_text()
    rows.nth(0).locator("summary").click()
    rows.nth(0).locator("button:text-is('Leave out of the roadmap')").click()
    page.wait_for_selector(f'ul.dropped li[data-initiative="{dropped_id}"]')
    assert page.locator(f'li.plan-row[data-initiative="{dropped_id}"]').count() == 0
    assert page.locator(".editor-status").inner_text().startswith("Re-planned.")

    page.fill("#add-title", "Sales playbook for key accounts")
    page.select_option("#add-dimension", "idic.interact")
    page.select_option("#add-level", "3")
    page.fill("#add-weeks", "5")
    page.fill("#add-owner", "Head of Sales")
    page.click("button:text-is('Add and re-plan')")
    added = page.locator('li.plan-row:has(.plan-title:text-is("Sales playbook for key accounts"))')
    added.wait_for()
    assert added.locator(".tag-added").count() == 1

    pinned = page.locator("#editor li.plan-row").last
    pinned_id = pinned.get_attribute("data-initiative")
    pinned.locator("summary").click()
    pinned.locator("input[name=start_week]").fill("1")
    pinned.locator("button:text-is('Save and re-plan')").click()
    row = page.locator(f'li.plan-row[data-initiative="{pinned_id}"]')
    row.locator(".tag-pinned").wait_for()
    assert "weeks 1–" in row.locator("summary").inner_text()
    from playwright.sync_api import expect

    expect(row.locator("details"), "the open row stays open").to_have_attribute("open", "")
    assert page.evaluate("window.sameDocument") is True, "htmx re-planned in place"
    _shot(page, "editor-edited-1366")

    page.set_viewport_size({"width": 390, "height": 844})
    _shot(page, "editor-edited-390")

    page.goto(assessment_url)
    page.click("#generate")
    page.wait_for_selector("#download", timeout=90_000)
    with page.expect_download() as download:
        page.click("#download")
    pdf = tmp_path / "report.pdf"
    download.value.save_as(pdf)
    text = _words(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.read_bytes())).pages))
    assert "Sales playbook for key accounts" in text
    # the dropped initiative is named once, in the list of the consultant's changes, and nowhere
    # in the roadmap itself
    left_out = re.search(r"Left out of the roadmap: (.*?)\.", text)
    assert left_out
    assert _words(dropped_title) in left_out.group(1)
    assert text.count(_words(dropped_title)) == 1
    desk.close()
