"""Model versions in a real browser (issue 11 item 5): a consultancy uploads a newer version of its
own model; the assessment page announces it, the comparison shows the scores side by side, the
consultant moves the assessment to it and undoes the move."""

from __future__ import annotations

from tests.e2e import test_browser as e2e
from tests.web import conftest
from tests.web.test_model_versions import custom_model

# The browser suite's real server (SQLite, and PostgreSQL when configured) and Chromium.
server = e2e.server
browser = e2e.browser
postgres_database = conftest.postgres_database
pytestmark = e2e.pytestmark


def upload(page, server, tmp_path, version, dims):  # type: ignore[no-untyped-def]
    path = tmp_path / f"acme-{version}" / "acme.yaml"
    path.parent.mkdir()
    path.write_bytes(custom_model(version, dims))
    page.goto(server + "/catalog/")
    page.set_input_files("input[type=file]", str(path))
    page.click("button.primary")
    page.wait_for_selector("text=Acme model")


def test_notice_comparison_move_and_undo(server, browser, tmp_path):
    desk = browser.new_context(viewport={"width": 1280, "height": 900})
    page = desk.new_page()
    e2e.signed_up(page, server, "Version Advisory", "lan@versions.example")
    upload(page, server, tmp_path, "1.0", {"a": ["a1"], "b": ["b1"]})
    page.goto(server + "/")
    page.fill("#name", "Phương Nam Retail")
    page.click("text=Add client")
    page.click("text=New assessment")
    page.fill("#title", "CRM review")
    page.check("input[value=acme]")
    page.click("button.primary")
    page.wait_for_selector("h1")
    assessment_url = page.url
    assert page.locator("p.model-update").count() == 0

    upload(page, server, tmp_path, "1.1", {"a": ["a1", "a2"], "c": ["c1"]})
    page.goto(assessment_url)
    notice = page.locator("p.model-update")
    assert "A newer version of Acme model is available: 1.0 → 1.1" in notice.inner_text()
    notice.locator("a").click()

    page.wait_for_selector("table.rescore")
    assert "Acme model: version 1.0 → 1.1" in page.locator("h1").inner_text()
    assert "new dimension" in page.locator('tr[data-dimension="c"]').inner_text()
    assert "removed" in page.locator('tr[data-dimension="b"]').inner_text()
    assert "acme.a.a2" in page.locator("ul.added-questions").inner_text()
    assert "acme.b.b1" in page.locator("ul.removed-questions").inner_text()

    page.click("#move-model")
    page.wait_for_selector("ul.moves")
    assert "now uses version 1.1 of Acme model" in page.locator("p.flash").inner_text()
    assert "1.0 → 1.1" in page.locator("ul.moves li").first.inner_text()
    assert page.locator('tr[data-model="acme"] td').nth(1).inner_text() == "1.1"

    page.click("button.undo-move")
    page.wait_for_selector("text=back on version 1.0")
    assert page.locator('tr[data-model="acme"] td').nth(1).inner_text() == "1.0"
    assert page.locator("ul.moves li").count() == 2
    assert page.locator("button.undo-move").count() == 0
    page.goto(assessment_url)
    assert page.locator("p.model-update").count() == 1  # 1.1 is on offer again
    desk.close()
