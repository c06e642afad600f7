"""Issue 12 item 5: downloads named `<client>-<title>-<date>` (ASCII, with RFC 6266's `filename*`
carrying the real Vietnamese name), a favicon, and a title naming the page (and client) on every page."""

from __future__ import annotations

import html
import re
import time
from datetime import date
from urllib.parse import unquote

import pytest

from tests.web.conftest import csrf_token

CLIENT = "Công ty Đông Á"
TITLE = "Đánh giá CRM 2026"
ASCII_STEM = "cong-ty-dong-a-danh-gia-crm-2026"
APP = {"en": "CRM Maturity Planner", "vi": "Hoạch định mức độ trưởng thành CRM"}


def vietnamese_assessment(consultant) -> int:
    client_id = consultant.new_client(CLIENT)
    response = consultant.post(
        "/assessments/new",
        {"client": str(client_id), "title": TITLE, "language": "vi", "frameworks": ["idic"]},
    )
    assert response.status_code == 302
    return int(response.headers["Location"].rsplit("/", 1)[1])


def disposition(response) -> tuple[str, str]:
    """(filename, the decoded filename*) of an attachment."""
    value = response.headers["Content-Disposition"]
    assert value.startswith("attachment;")
    plain = re.search(r'filename="([^"]*)"', value).group(1)
    extended = re.search(r"filename\*=UTF-8''(\S+)", value).group(1)
    assert plain.isascii()
    assert extended.isascii()
    return plain, unquote(extended, encoding="utf-8", errors="strict")


def expected(suffix: str) -> tuple[str, str]:
    today = date.today().isoformat()
    return f"{ASCII_STEM}-{today}{suffix}", f"{CLIENT} - {TITLE} - {today}{suffix}"


@pytest.mark.parametrize(
    ("kind", "suffix"),
    [
        ("answers.yaml", ".yaml"),
        ("responses.csv", "-responses.csv"),
        ("results.json", "-results.json"),
        ("results.xlsx", "-results.xlsx"),
    ],
)
def test_exports_are_named_client_title_date(consultant, kind, suffix):
    assessment_id = vietnamese_assessment(consultant)
    response = consultant.client.get(f"/assessments/{assessment_id}/export/{kind}")
    assert response.status_code == 200
    assert disposition(response) == expected(suffix)


def pdf_after_render(browser, url: str):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + 90
    response = browser.get(url, follow_redirects=True)
    while response.content_type.startswith("text/html") and time.monotonic() < deadline:
        time.sleep(0.3)
        response = browser.get(url, follow_redirects=True)
    assert response.status_code == 200
    assert response.data.startswith(b"%PDF")
    return response


@pytest.mark.slow
def test_the_pdf_is_named_client_title_date_for_the_consultant_and_the_share_page(app, consultant):
    assessment_id = vietnamese_assessment(consultant)
    own = pdf_after_render(consultant.client, f"/assessments/{assessment_id}/report.pdf")
    assert disposition(own) == expected(".pdf")
    assert "crm-roadmap" not in own.headers["Content-Disposition"]

    consultant.post(f"/assessments/{assessment_id}/share")
    page = consultant.client.get(f"/assessments/{assessment_id}").get_data(as_text=True)
    link = re.search(r'value="http://planner.test(/s/[^"]+)"', page).group(1)
    team = app.test_client()
    team.get(link)
    shared = pdf_after_render(team, "/shared/report.pdf")
    assert disposition(shared) == expected(".pdf")


def test_favicon(app, client):
    with client.get("/favicon.ico") as icon:  # a file response: closed here
        assert icon.status_code == 200
        assert icon.content_type.startswith("image/svg+xml")
        assert b"<svg" in icon.data
    login = client.get("/login").get_data(as_text=True)
    href = re.search(r'<link rel="icon" href="([^"]+)"', login).group(1)
    with client.get(href) as linked:
        assert linked.status_code == 200


def title(response) -> str:
    assert response.status_code == 200, response.request.path
    page = response.get_data(as_text=True)
    return html.unescape(re.search(r"<title>(.*?)</title>", page, re.S).group(1)).strip()


def pages(app, consultant, lang: str) -> dict[str, tuple[str, str | None]]:
    """Every main page: its title, and the client it should name (None where there is none)."""
    get = consultant.client.get
    assessment_id = vietnamese_assessment(consultant)
    client_id = int(re.search(r"/clients/(\d+)", get(f"/assessments/{assessment_id}").get_data(as_text=True)).group(1))  # fmt: skip
    link = consultant.invite(assessment_id).replace("http://planner.test", "")
    consultant.post(f"/assessments/{assessment_id}/share")
    shown = get(f"/assessments/{assessment_id}").get_data(as_text=True)
    share = re.search(r'value="http://planner.test(/s/[^"]+)"', shown).group(1)
    workshop = get(f"/assessments/{assessment_id}/workshop")
    code = re.search(r'data-join-code="([A-Z0-9]{6})"', workshop.get_data(as_text=True)).group(1)
    framework = "idic"
    found = {
        "dashboard": (title(get("/")), None),
        "client": (title(get(f"/clients/{client_id}")), CLIENT),
        "new assessment": (title(get("/assessments/new")), None),
        "import": (title(get("/assessments/import")), None),
        "assessment": (title(get(f"/assessments/{assessment_id}")), CLIENT),
        "results": (title(get(f"/assessments/{assessment_id}/results")), CLIENT),
        "targets": (title(get(f"/assessments/{assessment_id}/targets")), CLIENT),
        "roadmap": (title(get(f"/assessments/{assessment_id}/roadmap")), CLIENT),
        "model versions": (title(get(f"/assessments/{assessment_id}/models")), CLIENT),
        "workshop": (title(workshop), CLIENT),
        "catalog": (title(get("/catalog/")), None),
        "model": (title(get(f"/catalog/models/{framework}")), None),
        "team": (title(get("/team")), None),
        "branding": (title(get("/settings/branding")), None),
    }
    respondent = app.test_client()
    respondent.post(
        f"/language/{lang}", data={"csrf_token": csrf_token(respondent), "next": "/login"}
    )
    respondent.get(link)
    found["questionnaire welcome"] = (title(respondent.get("/respond")), CLIENT)
    found["questionnaire page"] = (title(respondent.get("/respond/page/1")), CLIENT)
    found["questionnaire review"] = (title(respondent.get("/respond/review")), CLIENT)
    token = csrf_token(respondent, "/respond/review")
    respondent.post("/respond/submit", data={"csrf_token": token})
    found["questionnaire done"] = (title(respondent.get("/respond/done")), CLIENT)
    phone = app.test_client()
    phone.post(f"/language/{lang}", data={"csrf_token": csrf_token(phone), "next": "/login"})
    found["workshop join"] = (title(phone.get(f"/w/{code}")), None)
    token = csrf_token(phone, f"/w/{code}")
    phone.post(f"/w/{code}/join", data={"name": "Minh", "role": "CEO", "csrf_token": token})
    found["workshop phone"] = (title(phone.get(f"/w/{code}")), CLIENT)
    render = consultant.post(f"/assessments/{assessment_id}/report")
    found["pdf report"] = (title(get(render.headers["Location"])), CLIENT)
    team = app.test_client()
    team.post(f"/language/{lang}", data={"csrf_token": csrf_token(team), "next": "/login"})
    team.get(share)
    found["share page"] = (title(team.get("/shared")), CLIENT)
    stranger = app.test_client()
    stranger.post(f"/language/{lang}", data={"csrf_token": csrf_token(stranger), "next": "/login"})
    found["log in"] = (title(stranger.get("/login")), None)
    found["sign up"] = (title(stranger.get("/signup")), None)
    return found


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_every_page_has_a_title_naming_the_page_and_its_client(app, consultant, lang):
    consultant.post(f"/language/{lang}", {"next": "/"})
    found = pages(app, consultant, lang)
    for page, (text, client) in found.items():
        assert text != APP[lang], f"{page}: the bare app name"
        assert " · " in text, f"{page}: {text!r} names no page"
        if client:
            assert client in text, f"{page}: {text!r} does not name the client"
    titles = [text for text, _ in found.values()]
    assert len(set(titles)) == len(titles), sorted(t for t in titles if titles.count(t) > 1)
    if lang == "en":
        assert found["results"][0] == f"Results · {CLIENT} · CRM Maturity Planner"
        assert found["questionnaire review"][0].startswith("Review your answers · ")
    else:
        assert found["results"][0] == f"Kết quả · {CLIENT} · {APP['vi']}"
        assert found["dashboard"][0].endswith(APP["vi"])
        assert found["log in"][0].endswith(APP["vi"])
