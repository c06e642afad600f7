"""Every page, on a phone and on a laptop (issue 12): no horizontal page scroll and no serious or
critical axe-core violation.

The pages are found, not listed: from the demo consultancy's dashboard (`planner demo seed`, what
`make run` shows) every same-site link is followed, so a page added later is checked too; the
respondent's pages from an invitation link, the client team's from a share link, the phone's
workshop page from a join code, and the pages a visitor sees before signing in.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from sqlalchemy import create_engine
from werkzeug.serving import make_server

from planner import create_app, demo
from planner.extensions import db
from planner.models import Base
from tests.e2e import test_browser as e2e

pytestmark = e2e.pytestmark

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
SIZES = {"phone": e2e.PHONE, "laptop": {"width": 1366, "height": 900}}
MOST = 80  # pages a crawl visits at most (one per route shape)
TABS = 25  # keyboard steps taken on each page
SKIP = re.compile(
    r"/logout|/static/|\.(pdf|csv|json|xlsx|yaml|svg|png|ico)(\?|$)|/export/|/download|/state$"
)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Iterator[tuple[str, list[str]]]:
    """The app on a real server with the demo data; yields its address and the respondent links."""
    folder = tmp_path_factory.mktemp("pages")
    url = f"sqlite:///{folder / 'pages.sqlite3'}"
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "pages"})
    app.instance_path = str(folder / "instance")
    engine = create_engine(url)
    Base.metadata.create_all(engine)
    engine.dispose()
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    address = f"http://127.0.0.1:{httpd.server_port}"
    app.config["BASE_URL"] = address
    with app.app_context():
        lines = demo.seed(app)
    links = [m.group(0) for line in lines for m in [re.search(r"http\S+/r/\S+", line)] if m]
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield address, links
    httpd.shutdown()
    httpd.server_close()
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="module")
def browser(site):  # type: ignore[no-untyped-def]
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=e2e.CHROMIUM, args=e2e.ARGS)
        yield chromium
        chromium.close()


def shape(path: str) -> str:
    """A route's shape: /assessments/3/results and /assessments/7/results are one page."""
    return re.sub(r"/[0-9]+(?=/|$)", "/N", re.sub(r"/(r|s|w)/[^/]+", r"/\1/T", path))


def crawl(page, start: str, origin: str) -> list[str]:  # type: ignore[no-untyped-def]
    """Every same-site page reachable by links from `start`, one per route shape."""
    queue, seen, found = [start], set(), []
    while queue and len(found) < MOST:
        url = queue.pop(0)
        if shape(urlsplit(url).path) in seen:
            continue
        seen.add(shape(urlsplit(url).path))
        response = page.goto(url)
        if response is None or response.status >= 400 or not page.url.startswith(origin):
            continue
        found.append(page.url)
        for href in page.eval_on_selector_all("a[href]", "as => as.map(a => a.href)"):
            target = urljoin(page.url, href).split("#")[0]
            if target.startswith(origin) and not SKIP.search(target):
                queue.append(target)
    return found


def problems(page, url: str) -> list[str]:  # type: ignore[no-untyped-def]
    """What is wrong with the page at `url` at the page's current viewport size."""
    page.goto(url)
    page.wait_for_load_state("networkidle")
    wrong = []
    wide = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    if wide[0] > wide[1]:
        wrong.append(f"scrolls sideways: {wide[0]} px wide in a {wide[1]} px window")
    wrong += unfocusable(page)
    page.add_script_tag(path=str(AXE))
    found = page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ['violations']})).violations
            .filter(v => v.impact === 'serious' || v.impact === 'critical')
            .map(v => v.id + ' (' + v.impact + '): ' + v.help + ' at '
                 + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '))"""
    )
    return wrong + list(found)


def unfocusable(page) -> list[str]:  # type: ignore[no-untyped-def]
    """Tab through the page: every control the keyboard reaches shows where the focus is."""
    wrong = []
    page.evaluate("document.activeElement && document.activeElement.blur()")
    for _ in range(TABS):
        page.keyboard.press("Tab")
        seen = page.evaluate(
            """() => { const e = document.activeElement;
                if (!e || e === document.body) return null;
                // focus inside the element's own parts (a date field's calendar button): the
                // part draws its ring, which the element's style does not show
                if (!e.matches(':focus')) return [e.tagName.toLowerCase(), true];
                const s = getComputedStyle(e);
                const shown = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0)
                    || s.boxShadow !== 'none';
                return [e.tagName.toLowerCase() + (e.id ? '#' + e.id : ''), shown]; }"""
        )
        if seen is None:
            break
        if not seen[1]:
            wrong.append(f"{seen[0]} takes the focus without showing it")
    return sorted(set(wrong))


def check(browser, urls: list[str], prepare=None) -> list[str]:  # type: ignore[no-untyped-def]
    report = []
    for size, viewport in SIZES.items():
        context = browser.new_context(viewport=viewport, bypass_csp=True)  # to inject axe
        page = context.new_page()
        if prepare:
            prepare(page)
        lang = page.evaluate("document.documentElement.lang")
        for url in urls:
            report += [f"{size} {lang} {urlsplit(url).path}: {p}" for p in problems(page, url)]
        context.close()
    return report


def in_language(page, lang: str) -> None:  # type: ignore[no-untyped-def]
    """Switch the page's language with the header's button when it is not `lang` yet."""
    if page.evaluate("document.documentElement.lang") != lang:
        if page.locator(".menu-toggle").is_visible():  # a phone: the language is in the menu
            page.click(".menu-toggle")
        page.click("button.lang, a.lang")
        page.wait_for_load_state("networkidle")
    assert page.evaluate("document.documentElement.lang") == lang


def signed_in(address: str, lang: str):  # type: ignore[no-untyped-def]
    def login(page) -> None:  # type: ignore[no-untyped-def]
        page.goto(address + "/login")
        page.fill("#email", demo.EMAIL)
        page.fill("#password", demo.PASSWORD)
        page.click("button.primary")
        page.wait_for_load_state("networkidle")
        in_language(page, lang)

    return login


def test_every_consultant_page_the_projector_and_the_share_page(site, browser):  # type: ignore[no-untyped-def]
    address, _ = site
    context = browser.new_context()
    page = context.new_page()
    signed_in(address, "en")(page)
    pages = crawl(page, address + "/", address)
    shapes = {shape(urlsplit(url).path) for url in pages}
    for expected in (
        "/",
        "/assessments/N",
        "/assessments/N/results",
        "/assessments/N/roadmap",
        "/assessments/N/workshop",
        "/settings/branding",
        "/assessments/new",
    ):
        assert expected in shapes, f"no link leads to {expected}: {sorted(shapes)}"
    page.goto(next(url for url in pages if shape(urlsplit(url).path) == "/assessments/N"))
    page.click("text=Create a read-only link")
    share = page.locator("p.copy input").input_value()
    context.close()
    for lang in ("en", "vi"):
        report = check(browser, pages, signed_in(address, lang))
        assert not report, "\n".join(report)
    report = check(browser, [share])
    assert not report, "\n".join(report)


def test_the_phone_in_the_workshop_room(site, browser):  # type: ignore[no-untyped-def]
    address, _ = site
    context = browser.new_context()
    page = context.new_page()
    signed_in(address, "en")(page)
    page.goto(address + "/")
    hrefs = page.eval_on_selector_all("a[href]", "as => as.map(a => a.href)")
    for href in sorted({h for h in hrefs if re.search(r"/assessments/[0-9]+$", h)}):
        page.goto(href)
        if page.locator("#workshop").count():  # the open one
            break
    page.click("#workshop")
    code = page.locator("[data-join-code]").get_attribute("data-join-code")
    context.close()
    phone = f"{address}/w/{code}"
    report = check(browser, [phone, phone + "?lang=en"])
    assert not report, "\n".join(report)


def test_every_respondent_page(site, browser):  # type: ignore[no-untyped-def]
    address, links = site
    assert links, "the demo prints respondent links"
    context = browser.new_context()
    page = context.new_page()
    pages = crawl(page, links[1], address)  # half answered: welcome, question pages, review
    context.close()
    assert len(pages) >= 3, pages
    for lang in ("vi", "en"):
        report = check(
            browser, pages, lambda p, lang=lang: (p.goto(links[1]), in_language(p, lang))
        )
        assert not report, "\n".join(report)


def test_the_pages_before_signing_in(site, browser):  # type: ignore[no-untyped-def]
    address, _ = site
    pages = [address + "/login", address + "/signup"]
    for lang in ("en", "vi"):
        report = check(
            browser, pages, lambda p, lang=lang: (p.goto(pages[0]), in_language(p, lang))
        )
        assert not report, "\n".join(report)
