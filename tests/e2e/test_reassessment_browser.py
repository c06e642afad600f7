"""Re-assessment in a real browser (issue 11): on an imported assessment, "New assessment from this
one" opens the new assessment with its respondents' fresh links, and its results page shows the
progress to date against the earlier one."""

from __future__ import annotations

from tests.e2e import test_browser as e2e
from tests.web import conftest

# The browser suite's real server (SQLite, and PostgreSQL when configured) and Chromium.
server = e2e.server
browser = e2e.browser
postgres_database = conftest.postgres_database
pytestmark = e2e.pytestmark


def test_new_assessment_from_this_one_shows_the_baseline(server, browser):
    desk = browser.new_context(viewport={"width": 1366, "height": 900})
    page = desk.new_page()
    e2e.imported(page, server, "Baseline Advisory", "lan@baseline.example")
    earlier_url = page.url

    page.click("#reassess")
    page.wait_for_url(lambda url: url != earlier_url)
    assert "re-assessment" in page.locator("h1").inner_text()
    assert page.locator("p.baseline-of a").inner_text() == "CRM maturity review 2026"
    links = page.locator("p.copy input")
    assert links.count() == 5  # every respondent's fresh link, shown once
    assert "/r/" in (links.first.input_value() or "")

    page.click("a.button:text-is('Results')")
    section = page.locator("section.progress-to-date")
    section.wait_for()
    assert "Progress to date" in section.locator("h2").inner_text()
    assert "Measured against CRM maturity review 2026" in section.inner_text()
    assert section.locator("svg.before-after").count() == 1
    baseline_cells = section.locator("tbody tr td:nth-child(2)")
    assert baseline_cells.count() == 4  # IDIC's four dimensions, each with its baseline score
    assert all(cell != "–" for cell in baseline_cells.all_inner_texts())
    desk.close()
