"""A live workshop in real browsers (Playwright driving Debian's Chromium) against a real server:
the projector and three phones follow each other by polling (DESIGN §7).

Set WORKSHOP_SHOTS=/some/folder to keep screenshots of every phase, projector and phone.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from tests.e2e import test_browser as e2e
from tests.web import conftest

# The browser suite's real server (SQLite, and PostgreSQL when configured) and Chromium.
server = e2e.server
browser = e2e.browser
postgres_database = conftest.postgres_database
new_assessment = e2e.new_assessment
PHONE = e2e.PHONE
pytestmark = e2e.pytestmark
PROJECTOR = {"width": 1920, "height": 1080}
SOON = 8_000  # ms: phones poll every 2 s
SHOTS = os.environ.get("WORKSHOP_SHOTS")


def shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def join(browser, server, code, name, role):  # type: ignore[no-untyped-def]
    """A phone that opens the join address, gives its name and role, and lands on the room."""
    from playwright.sync_api import expect

    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="en-US")
    phone = context.new_page()
    phone.goto(f"{server}/w/{code}")
    shot(phone, "phone-0-join")
    phone.get_by_label("Your name").fill(name)
    phone.get_by_label("Your role").fill(role)
    phone.get_by_role("button", name="Join").click()
    expect(phone.get_by_text("Waiting for the next question")).to_be_visible()
    return context, phone


def no_horizontal_scroll(phone) -> bool:  # type: ignore[no-untyped-def]
    return phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_room_votes_on_phones_the_projector_reveals_and_records_the_agreement(server, browser):
    from playwright.sync_api import expect

    desk = browser.new_context(viewport=PROJECTOR, locale="en-US")
    page = desk.new_page()
    new_assessment(
        page, server, "Workshop Advisory", "lan@workshop.example", "An Phát Retail",
        "Workshop review", ("idic",),
    )  # fmt: skip
    assessment_url = page.url
    page.goto(assessment_url + "/workshop")
    code = page.locator("[data-join-code]").get_attribute("data-join-code")
    assert code
    assert re.fullmatch(r"[A-Z2-9]{6}", code)
    join_url = f"{server}/w/{code}"  # the configured BASE_URL, not the Host header
    qr = page.get_by_role("img", name=f"QR code to join: {join_url}")
    expect(qr).to_be_visible()
    assert qr.evaluate("e => e.tagName.toLowerCase()") == "svg"
    assert qr.locator("title").text_content() == join_url
    expect(page.locator(".ws-url")).to_have_text(join_url)
    expect(page.locator(".ws-code")).to_have_text(code)

    people = [("Minh", "Executive"), ("Hà", "Sales"), ("Tuấn", "Sales")]
    phones = [join(browser, server, code, name, role) for name, role in people]
    roster = page.locator("#ws-people")
    expect(roster).to_contain_text("Tuấn", timeout=SOON)  # the projector's roster follows joins
    expect(roster.locator(".ws-role")).to_have_count(2)  # Executive and Sales
    expect(roster.locator("h2 .ws-n")).to_have_text("3")
    shot(page, "projector-1-waiting")
    shot(phones[0][1], "phone-1-waiting")

    page.keyboard.press("ArrowRight")  # the clicker opens the first item
    first = page.locator("h2.item")
    expect(first).to_be_visible()
    first_text = first.inner_text()
    expect(page.get_by_text("Item 1 of")).to_be_visible()
    expect(page.locator(".agenda li[aria-current=step]")).to_contain_text(first_text[:30])
    for k, (_, phone) in enumerate(phones):
        expect(phone.locator("h1.item")).to_have_text(first_text, timeout=SOON)
        expect(phone.get_by_role("button", name="Not applicable")).to_be_visible()
        expect(phone.get_by_role("button", name="Don't know")).to_be_visible()
        choice = phone.locator("form.vote .ws-choice").nth(2 + k % 2)  # levels 3, 4, 3
        choice.click()
        expect(choice).to_have_attribute("aria-pressed", "true")
        expect(phone.get_by_text("Vote saved")).to_be_visible()
        # the phone's own count includes its vote at once, not a 2-s poll later
        expect(phone.locator(".ws-count .votes")).to_have_text(str(k + 1), timeout=1500)
        assert no_horizontal_scroll(phone)
    expect(page.locator(".ws-count .votes")).to_have_text("3", timeout=SOON)
    shot(page, "projector-2-voting")
    shot(phones[0][1], "phone-2-voting")

    page.keyboard.press("r")
    expect(page.get_by_role("img", name=re.compile("Votes per level"))).to_be_visible()
    expect(page.locator(".ws-stats")).to_contain_text("3.33")  # mean of 3, 4, 3
    for _, phone in phones:
        expect(phone.get_by_text("Votes revealed.")).to_be_visible(timeout=SOON)
        expect(
            phone.get_by_role("img", name=re.compile("Votes per level: .*3 = 2"))
        ).to_be_visible()
    shot(page, "projector-3-revealed")
    shot(phones[0][1], "phone-3-revealed")

    page.get_by_label("Note for the record").fill("Only the Hanoi branches do this.")
    page.get_by_role("button", name="Agree on level 3").click()
    expect(page.locator(".ws-agreed")).to_contain_text("Agreed: 3")
    expect(page.locator(".ws-agreed")).to_contain_text("Only the Hanoi branches do this.")
    for _, phone in phones:
        expect(phone.get_by_text("The room agreed on 3.")).to_be_visible(timeout=SOON)
    shot(page, "projector-4-agreed")
    shot(phones[0][1], "phone-4-agreed")

    page.keyboard.press("ArrowRight")
    expect(page.get_by_text("Item 2 of")).to_be_visible()
    second_text = page.locator("h2.item").inner_text()
    assert second_text != first_text
    for _, phone in phones:
        expect(phone.locator("h1.item")).to_have_text(second_text, timeout=SOON)
        expect(phone.locator("form.vote .ws-choice[aria-pressed=true]")).to_have_count(0)

    page.get_by_role("button", name=re.compile(r"Target: Identify")).click()  # jump on the agenda
    expect(page.locator(".ws-kind")).to_contain_text("Target level for")
    expect(page.locator(".agenda li[aria-current=step]")).to_contain_text("Target: Identify")
    phone = phones[0][1]
    expect(phone.get_by_text("Target level for")).to_be_visible(timeout=SOON)
    expect(phone.get_by_role("button", name="Don't know")).to_be_visible()
    expect(phone.get_by_role("button", name="Not applicable")).to_have_count(0)  # not for targets
    expect(page.get_by_role("button", name="Agree on not applicable")).to_have_count(0)
    shot(page, "projector-5-target")
    shot(phone, "phone-6-target")
    for context, _ in phones:
        context.close()

    # The same flow for a Vietnamese assessment, on a phone that switches to Vietnamese.
    page.goto(server + "/")
    page.fill("#name", "Công ty Minh Long")
    page.click("text=Add client")
    page.click("text=New assessment")
    page.fill("#title", "Đánh giá CRM")
    page.select_option("#language", "vi")
    page.check("input[value=idic]")
    page.click("button.primary")
    page.goto(page.url + "/workshop")
    code = page.locator("[data-join-code]").get_attribute("data-join-code")
    context, phone = join(browser, server, code, "Lan", "Marketing")
    page.keyboard.press("ArrowRight")
    item_vi = page.locator("h2.item").inner_text()
    assert re.search(r"[ạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹđ]", item_vi.lower())
    expect(phone.locator("h1.item")).to_have_text(
        item_vi, timeout=SOON
    )  # the assessment's language
    expect(phone.get_by_role("button", name="Don't know")).to_be_visible()  # the phone's own
    phone.get_by_role("link", name="Tiếng Việt").click()
    expect(phone.locator("h1.item")).to_have_text(item_vi)
    expect(phone.get_by_role("button", name="Không rõ")).to_be_visible()
    expect(phone.get_by_role("button", name="Không áp dụng")).to_be_visible()
    phone.locator("form.vote .ws-choice").first.click()
    expect(phone.get_by_text("Đã lưu phiếu")).to_be_visible()
    shot(phone, "phone-5-vietnamese")
    expect(page.locator(".ws-count .votes")).to_have_text("1", timeout=SOON)
    page.keyboard.press("r")
    expect(phone.get_by_text("Đã công bố kết quả bình chọn.")).to_be_visible(timeout=SOON)
    assert no_horizontal_scroll(phone)

    page.once("dialog", lambda dialog: dialog.accept())  # "End the workshop for everyone?"
    page.get_by_role("button", name="Close the workshop").click()
    expect(page.get_by_text("The workshop has ended.")).to_be_visible(timeout=SOON)
    expect(phone.get_by_text("Buổi hội thảo đã kết thúc.")).to_be_visible(timeout=SOON)
    shot(phone, "phone-7-closed")
    context.close()
    desk.close()
