"""The consultancy's brand on every page (issue 12 item 6): name, logo and colour on the workspace,
the questionnaire, the share page and the workshop phone; a colour too light for white text gets a
darker shade; a change shows at once (the stylesheet's address changes with the brand)."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image
from sqlalchemy import select

from planner.extensions import db
from planner.models import Organisation
from planner.services import branding
from tests.web.conftest import csrf_token
from tests.web.test_reports_and_sharing import share_link

CSS = re.compile(r'href="(/settings/brand/[0-9]+/[0-9a-f]+\.css)"')
LOGO = re.compile(r'src="(/settings/brand/[0-9]+/[0-9a-f]+/logo)"')


def wcag(a: str, b: str) -> float:
    """The WCAG contrast ratio, computed here again (not with the code under test)."""

    def lum(colour: str) -> float:
        out = []
        for k in (1, 3, 5):
            c = int(colour[k : k + 2], 16) / 255
            out.append(c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4)
        return 0.2126 * out[0] + 0.7152 * out[1] + 0.0722 * out[2]

    high, low = sorted((lum(a), lum(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (90, 30), (240, 196, 25)).save(out, format="PNG")
    return out.getvalue()


def brand(consultant, colour: str, logo: bool = False):  # type: ignore[no-untyped-def]
    data = {"name": "Hải Đăng Advisory", "colour": colour}
    if logo:
        data["logo"] = (io.BytesIO(png()), "logo.png")
    response = consultant.post("/settings/branding", data, content_type="multipart/form-data")
    assert response.status_code == 302


def colour_of(client, page: str) -> str:  # type: ignore[no-untyped-def]
    """The brand colour the page's brand stylesheet sets, fetched as the browser would."""
    found = CSS.search(page)
    assert found, "the page links the consultancy's stylesheet"
    css = client.get(found.group(1))
    assert css.status_code == 200
    assert "immutable" in css.headers["Cache-Control"]
    body = css.get_data(as_text=True)
    accent = re.search(r"--accent: (#[0-9a-f]{6})", body)
    assert accent
    assert f"--brand: {accent.group(1)}" in body
    return accent.group(1)


@pytest.mark.parametrize("colour", ["#f0c419", "#7fd1ff", "#ffffff", "#2a9d8f"])
def test_a_light_colour_gets_a_shade_that_white_text_can_sit_on(colour):
    shade = branding.readable(colour)
    assert wcag(shade, "#ffffff") >= 4.5
    assert wcag(shade, "#f4f6f9") >= 4.5  # links on the page's grey
    hue = [int(colour[k : k + 2], 16) for k in (1, 3, 5)]
    got = [int(shade[k : k + 2], 16) for k in (1, 3, 5)]
    if max(hue):  # the same hue, darker: each channel scaled by one factor
        k = max(got) / max(hue)
        assert all(abs(g - h * k) <= 1.5 for g, h in zip(got, hue, strict=True))


def test_a_dark_colour_is_kept_as_it_is():
    assert branding.readable("#7a1f3d") == "#7a1f3d"


def test_the_brand_reaches_the_questionnaire_the_share_page_and_the_workshop(app, consultant):
    brand(consultant, "#F0C419", logo=True)
    assessment_id = consultant.new_assessment(consultant.new_client(), ("idic",))
    link = consultant.invite(assessment_id).replace("http://planner.test", "")
    shade = branding.readable("#f0c419")

    workspace = consultant.client.get(f"/assessments/{assessment_id}").get_data(as_text=True)
    assert colour_of(consultant.client, workspace) == shade

    respondent = app.test_client()
    welcome = respondent.get(link, follow_redirects=True).get_data(as_text=True)
    assert colour_of(respondent, welcome) == shade
    assert "Hải Đăng Advisory" in welcome
    logo = LOGO.search(welcome)
    assert logo, "the logo is in the questionnaire's top bar"
    image = respondent.get(logo.group(1))
    assert image.status_code == 200
    assert image.mimetype == "image/png"
    assert image.data == png()

    team = app.test_client()
    shared = team.get(share_link(consultant, assessment_id), follow_redirects=True)
    assert colour_of(team, shared.get_data(as_text=True)) == shade

    room = consultant.client.get(f"/assessments/{assessment_id}/workshop").get_data(as_text=True)
    code = re.search(r'data-join-code="([A-Z0-9]{6})"', room).group(1)
    phone = app.test_client()
    joined = phone.get(f"/w/{code}", follow_redirects=True).get_data(as_text=True)
    assert colour_of(phone, joined) == shade
    assert "Hải Đăng Advisory" in joined


def test_a_new_colour_shows_at_once(app, consultant):
    brand(consultant, "#7a1f3d")
    before = consultant.client.get("/").get_data(as_text=True)
    brand(consultant, "#1b5e20")
    after = consultant.client.get("/").get_data(as_text=True)
    assert CSS.search(before).group(1) != CSS.search(after).group(
        1
    )  # a new address: no stale cache
    assert colour_of(consultant.client, after) == "#1b5e20"


def test_without_a_colour_the_apps_own_colours_stay_and_visitors_see_no_brand(app, consultant):
    page = consultant.client.get("/").get_data(as_text=True)
    assert not CSS.search(page)
    visitor = app.test_client()
    login = visitor.get("/login").get_data(as_text=True)
    assert not CSS.search(login)
    assert "Acme Consulting" not in login
    assert csrf_token(visitor)  # the page still works


def test_an_unknown_consultancy_or_logo_is_404(app, consultant):
    visitor = app.test_client()
    assert visitor.get("/settings/brand/999999/abc.css").status_code == 404
    with app.app_context():
        me = branding.look_of(db.session.scalars(select(Organisation.id)).one())
    assert visitor.get(f"/settings/brand/{me.organisation_id}/{me.version}/logo").status_code == 404
