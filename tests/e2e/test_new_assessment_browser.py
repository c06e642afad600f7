"""The new-assessment form in a real browser (issue 12 item 7), at 390×844 and 1366×900: ticking
models recounts the estimate (unique questions after the crosswalk × the time per question), the
cards stack on a phone and the page never scrolls sideways."""

from __future__ import annotations

import math
import os
from pathlib import Path

import pytest

from planner.catalog.loader import load_catalog
from planner.engine.questionnaire import unique_questions
from tests.e2e import test_browser as e2e
from tests.web import conftest

server = e2e.server
browser = e2e.browser
postgres_database = conftest.postgres_database
pytestmark = e2e.pytestmark

CATALOG = load_catalog(Path(__file__).parents[2] / "frameworks")
SECONDS = 40  # the default time per question: a new consultancy has no submitted respondents
SHOTS = os.environ.get("NEW_ASSESSMENT_SHOTS")  # a folder: screenshots are saved there


def expected(models: tuple[str, ...]) -> str:
    frameworks = [CATALOG.framework(m) for m in models]
    n = len(unique_questions(frameworks, CATALOG.crosswalk.equivalent_questions))
    minutes = max(1, math.floor(n * SECONDS / 60 + 0.5))
    return f"{n} unique questions · about {minutes} minutes"


def no_sideways_scroll(page) -> bool:  # type: ignore[no-untyped-def]
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize(
    ("size", "email"),
    [({"width": 390, "height": 844}, "lan@phone.example"), ({"width": 1366, "height": 900}, "lan@desk.example")],
)  # fmt: skip
def test_ticking_models_recounts_the_estimate(server, browser, size, email):
    context = browser.new_context(viewport=size, is_mobile=size["width"] < 500)
    page = context.new_page()
    e2e.signed_up(page, server, "Hải Đăng Advisory", email)
    page.fill("#name", "Công ty Đông Á")
    page.click("text=Add client")
    page.goto(server + "/assessments/new")
    total = page.locator("#estimate .estimate-total")
    assert total.inner_text().startswith("Tick one or more models")
    assert no_sideways_scroll(page)

    page.check("input[value=idic]")
    assert total.inner_text() == expected(("idic",))
    page.check("input[value=gartner-8]")
    assert total.inner_text() == expected(("idic", "gartner-8"))
    # the whole card ticks its box, not only the box itself
    card = page.locator(".model-card:has(input[value=payne-frow])")
    box = card.bounding_box()
    card.click(position={"x": box["width"] / 2, "y": box["height"] - 8})  # on its size line
    assert page.is_checked("input[value=payne-frow]")
    assert total.inner_text() == expected(("idic", "gartner-8", "payne-frow"))
    for model in ("conceptual", "qci", "value-chain"):
        page.check(f"input[value={model}]")
    everything = tuple(fw.id for fw in CATALOG.frameworks)
    assert total.inner_text() == expected(everything)
    page.uncheck("input[value=gartner-8]")
    assert total.inner_text() == expected(tuple(m for m in everything if m != "gartner-8"))
    # "More" opens the rest of the summary without ticking the box
    page.uncheck("input[value=idic]")
    page.locator(".model-card:has(input[value=idic]) details summary").click()
    assert (
        page.locator(".model-card:has(input[value=idic]) details").get_attribute("open") is not None
    )
    assert not page.is_checked("input[value=idic]")
    assert no_sideways_scroll(page)

    boxes = page.locator(".model-card")
    lefts = {round(boxes.nth(i).bounding_box()["x"]) for i in range(boxes.count())}
    if size["width"] < 500:
        assert len(lefts) == 1, "the cards stack on a phone"
    else:
        assert len(lefts) >= 3, "the cards sit side by side on a desk"
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(
            path=str(Path(SHOTS) / f"new-assessment-{size['width']}.png"), full_page=True
        )
        page.evaluate("window.scrollTo(0, 700)")  # the total, pinned below the cards
        page.screenshot(path=str(Path(SHOTS) / f"new-assessment-{size['width']}-scrolled.png"))

    page.fill("#title", "Đánh giá CRM 2026")
    page.click("button.primary")
    page.wait_for_selector("h1")
    assert page.locator("h1").inner_text().startswith("Đánh giá CRM 2026")
    context.close()


def test_without_javascript_each_card_still_says_its_size(server, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False)
    page = context.new_page()
    e2e.signed_up(page, server, "No Script Advisory", "lan@noscript.example")
    page.fill("#name", "An Phát")
    page.click("text=Add client")
    page.goto(server + "/assessments/new")
    idic = page.locator(".model-card:has(input[value=idic])").inner_text()
    assert "4 dimensions · 20 questions · about" in idic
    assert no_sideways_scroll(page)
    context.close()
