"""The bad-input suite: one case per row of the table in docs/reliability.md (DESIGN §11).

Each case sends what a hostile or careless user would, and asserts the status, the message, and
that nothing already saved changed (every row of every table, before and after). Runs on SQLite
and, with PLANNER_TEST_POSTGRES_URL, on PostgreSQL.
"""

from __future__ import annotations

import io
import re
import struct
import unicodedata
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from PIL import Image
from sqlalchemy import select

from planner.extensions import db
from planner.inputs import FSI, PDI
from planner.models import AnswerRow, Assessment, Client, CustomFramework, Respondent
from tests.security.conftest import snapshot
from tests.web.conftest import Actions, csrf_token

Q1 = "idic.identify.one-customer-id"
Q2 = "idic.identify.known-transactions"
CONTROL = "control characters"


@dataclass
class World:
    """A consultant with a client, an open IDIC assessment, and a respondent's browser in it."""

    app: Flask
    consultant: Actions
    client_id: int
    assessment_id: int
    respondent_id: int
    link: str
    browser: FlaskClient

    def token(self) -> str:
        return csrf_token(self.browser, "/respond/page/1")

    def save(self, body: Any, **kwargs: Any) -> Any:
        return self.browser.post(
            "/respond/save", json=body, headers={"X-CSRFToken": self.token()}, **kwargs
        )

    def answer(self, question: str = Q1) -> tuple[Any, ...] | None:
        with self.app.app_context():
            row = db.session.scalars(
                select(AnswerRow).where(AnswerRow.question_id == question)
            ).first()
            return None if row is None else (row.value, row.comment, row.client_seq)

    def state(self) -> dict[str, list[tuple[Any, ...]]]:
        with self.app.app_context():
            return snapshot()


@pytest.fixture
def world(app: Flask, consultant: Actions) -> World:
    client_id = consultant.new_client("An Phát Retail")
    assessment_id = consultant.new_assessment(client_id, ("idic",))
    consultant.post(f"/assessments/{assessment_id}/status", {"status": "open"})
    link = consultant.invite(assessment_id, "Minh")
    browser = app.test_client()
    assert browser.get(link).status_code == 302
    with app.app_context():
        respondent_id = db.session.scalars(select(Respondent.id)).one()
    w = World(app, consultant, client_id, assessment_id, respondent_id, link, browser)
    assert w.save({"question": Q1, "value": "3", "client_seq": 100}).status_code == 200
    return w


def unchanged(world: World, act: Callable[[], Any]) -> Any:
    """Run a refused request; assert that nothing saved moved."""
    before = world.state()
    response = act()
    assert world.state() == before
    return response


def body(response: Any) -> str:
    return response.get_data(as_text=True)


# --- request size and shape ----------------------------------------------------------------------


def test_oversize_body_is_413(world):
    huge = {"csrf_token": csrf_token(world.consultant.client), "name": "x" * (3 * 1024 * 1024)}
    response = unchanged(world, lambda: world.consultant.client.post("/clients", data=huge))
    assert response.status_code == 413


@pytest.mark.parametrize(
    ("url", "field", "limit"),
    [("/clients", "name", 200), ("/team", "name", 200)],
)
def test_oversize_fields_get_a_field_error(world, url, field, limit):
    form = {field: "x" * (limit + 1), "email": "new@acme.example"}
    response = unchanged(world, lambda: world.consultant.post(url, form))
    assert response.status_code == 400
    assert f"longer than {limit} characters" in body(response)


def test_oversize_comment_is_refused(world):
    response = unchanged(
        world,
        lambda: world.save(
            {"question": Q1, "value": "3", "comment": "x" * 2001, "client_seq": 101}
        ),
    )
    assert response.status_code == 400
    assert "longer than 2000" in response.json["error"]


@pytest.mark.parametrize(
    "payload",
    [b"not json", b"[1, 2]", b'"a string"', b'{"question": 5}', b"\xff\xfe"],
    ids=["text", "list", "string", "wrong-type", "not-utf8"],
)
def test_autosave_bodies_that_are_not_the_protocol_are_400(world, payload):
    response = unchanged(
        world,
        lambda: world.browser.post(
            "/respond/save",
            data=payload,
            headers={"X-CSRFToken": world.token(), "Content-Type": "application/json"},
        ),
    )
    assert response.status_code == 400
    assert "as JSON" in response.json["error"]


def test_wrong_method_is_405(world):
    response = unchanged(world, lambda: world.browser.get("/respond/save"))
    assert response.status_code == 405


def test_extra_json_fields_are_ignored(world):
    response = world.save(
        {"question": Q2, "value": "2", "client_seq": 5, "respondent_id": 999, "admin": True}
    )
    assert response.status_code == 200
    assert world.answer(Q2) == ("2", None, 5)
    assert world.answer(Q1) == ("3", None, 100)


# --- text ----------------------------------------------------------------------------------------


def stored_client_names(world: World) -> list[str]:
    with world.app.app_context():
        return list(db.session.scalars(select(Client.name).order_by(Client.id)))


def test_nfd_text_is_stored_nfc(world):
    decomposed = unicodedata.normalize("NFD", "Công ty Bán lẻ Hà Nội")
    assert world.consultant.post("/clients", {"name": decomposed}).status_code == 302
    assert stored_client_names(world)[-1] == "Công ty Bán lẻ Hà Nội"


@pytest.mark.parametrize("bad", ["A\x00B", "A\x1bB", "A\x08B", "A\nB", "A\tB", "A\x7fB"])
def test_control_characters_in_a_one_line_field_are_refused(world, bad):
    response = unchanged(world, lambda: world.consultant.post("/clients", {"name": bad}))
    assert response.status_code == 400
    assert CONTROL in body(response)


@pytest.mark.parametrize(
    ("url", "form"),
    [
        ("/assessments/{a}/respondents", {"name": "Lan\x00", "role": "x"}),
        ("/assessments/{a}/respondents", {"name": "Lan", "role": "r\x01"}),
        ("/team", {"name": "Ha\x00", "email": "ha@acme.example"}),
        ("/signup", {"organisation": "O\x00", "name": "N", "email": "z@z.example",
                     "password": "long enough pw"}),
    ],
)  # fmt: skip
def test_control_characters_in_every_form_are_refused(world, url, form):
    response = unchanged(
        world, lambda: world.consultant.post(url.format(a=world.assessment_id), form)
    )
    assert response.status_code == 400
    assert CONTROL in body(response)


def test_control_characters_in_an_autosave_comment_are_refused(world):
    response = unchanged(
        world,
        lambda: world.save({"question": Q1, "value": "4", "comment": "a\x00b", "client_seq": 101}),
    )
    assert response.status_code == 400
    assert CONTROL in response.json["error"]


def test_newlines_and_tabs_are_kept_in_a_comment(world):
    assert world.save({"question": Q1, "value": "4", "comment": "one\ntwo\tthree",
                       "client_seq": 101}).status_code == 200  # fmt: skip
    assert world.answer() == ("4", "one\ntwo\tthree", 101)


def test_control_characters_in_the_branding_name_are_refused(world):
    response = unchanged(
        world, lambda: world.consultant.post("/settings/branding", {"name": "Acme\x00"})
    )
    assert response.status_code == 400
    assert CONTROL in body(response)


@pytest.mark.parametrize("name", ["evil\u202etxt.exe", "مرحبا بكم", "שלום Co"])
def test_right_to_left_and_bidi_controls_are_isolated_where_shown(world, name):
    assert world.consultant.post("/clients", {"name": name}).status_code == 302
    page = body(world.consultant.client.get("/"))
    assert f"{FSI}{name}{PDI}" in page
    assert stored_client_names(world)[-1] == name  # kept as typed, only isolated on display


def test_emoji_are_kept_and_shown(world):
    assert world.consultant.post("/clients", {"name": "Phở 24 🍜"}).status_code == 302
    assert stored_client_names(world)[-1] == "Phở 24 🍜"
    assert "Phở 24 🍜" in body(world.consultant.client.get("/"))


MARKUP = "<script>alert(1)</script><img src=x onerror=alert(2)>"


def test_markup_in_every_user_text_is_escaped_in_pages(world):
    c = world.consultant
    c.post("/clients", {"name": MARKUP})
    with world.app.app_context():
        client_id = db.session.scalars(select(Client.id).where(Client.name == MARKUP)).one()
    response = c.post("/assessments/new", {"client": str(client_id), "title": MARKUP,
                                           "language": "en", "frameworks": ["idic"]})  # fmt: skip
    assessment_id = int(response.headers["Location"].rsplit("/", 1)[1])
    c.post(f"/assessments/{assessment_id}/respondents", {"name": MARKUP, "role": MARKUP})
    c.post("/team", {"name": MARKUP, "email": "markup@acme.example"})
    c.post("/settings/branding", {"name": "Acme " + MARKUP})
    world.save({"question": Q1, "value": "3", "comment": MARKUP, "client_seq": 101})
    pages = [
        "/", f"/clients/{client_id}", f"/assessments/{assessment_id}",
        f"/assessments/{assessment_id}/results", f"/assessments/{world.assessment_id}/results",
        "/team", "/settings/branding", f"/assessments/{assessment_id}/report.html",
    ]  # fmt: skip
    for url in pages:
        html = body(c.client.get(url))
        assert "<script>alert" not in html, url
        assert "<img src=x" not in html, url
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body(c.client.get("/"))
    respondent_view = body(world.browser.get("/respond/page/1"))
    assert "<script>alert" not in respondent_view
    assert "&lt;script&gt;" in respondent_view


def test_sql_metacharacters_are_stored_as_text(world):
    name = "Robert'); DROP TABLE clients; -- \" % _ \\"
    assert world.consultant.post("/clients", {"name": name}).status_code == 302
    assert stored_client_names(world)[-1] == name


# --- numbers -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    ["/assessments/0", f"/assessments/{2**31}", f"/assessments/{2**63}", f"/assessments/{2**64}",
     "/assessments/١", "/assessments/²", "/assessments/-1", "/assessments/1e3",
     f"/clients/{2**64}", f"/assessments/respondents/{2**63}/revoke", "/respond/page/²"],
)  # fmt: skip
def test_huge_and_unicode_ids_are_404(world, url):
    client = world.browser if url.startswith("/respond") else world.consultant.client
    method = "post" if url.endswith("/revoke") else "get"
    data = {"csrf_token": csrf_token(world.consultant.client)} if method == "post" else None
    response = unchanged(world, lambda: getattr(client, method)(url, data=data))
    assert response.status_code == 404


@pytest.mark.parametrize("value", ["²", "١", "٣", "3.0", "3 4", "99", "-1", "true", "0x3"])
def test_answers_that_are_not_a_choice_are_400(world, value):
    response = unchanged(
        world, lambda: world.save({"question": Q1, "value": value, "client_seq": 101})
    )
    assert response.status_code == 400
    assert "not one of the choices" in response.json["error"]


@pytest.mark.parametrize("value", ["²", "١", "0", "6", "x"])
def test_importance_that_is_not_1_to_5_is_400(world, value):
    response = unchanged(
        world,
        lambda: world.browser.post(
            "/respond/importance",
            json={"dimension": "idic.identify", "value": value, "client_seq": 1},
            headers={"X-CSRFToken": world.token()},
        ),
    )
    assert response.status_code == 400
    assert "1 to 5" in response.json["error"]


@pytest.mark.parametrize("seq", [-1, True, "12", 1.5, 2**63, None])
def test_client_seq_that_is_not_a_64_bit_count_is_400(world, seq):
    response = unchanged(
        world, lambda: world.save({"question": Q1, "value": "4", "client_seq": seq})
    )
    assert response.status_code == 400


@pytest.mark.parametrize(
    "form",
    [{f"q-{Q1}": "²"}, {f"q-{Q1}": "١"}, {f"q-{Q1}": "3", "client_seq": "١٢"},
     {"i-idic.identify": "²"}],
)  # fmt: skip
def test_the_no_javascript_page_refuses_unicode_digits(world, form):
    data = {"csrf_token": world.token(), **form}
    response = unchanged(world, lambda: world.browser.post("/respond/page/1", data=data))
    assert response.status_code == 400


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [("max_parallel", "²", "whole number"), ("max_parallel", "١", "whole number"),
     ("max_parallel", "0", "between 1 and 20"), ("t-idic", "١", "must be a number"),
     ("t-idic", "nan", "must be a number"), ("t-idic", "9", "between")],
)  # fmt: skip
def test_targets_and_parallel_take_plain_numbers(world, field, value, message):
    form = {"max_parallel": "3", field: value}
    url = f"/assessments/{world.assessment_id}/targets"
    response = unchanged(world, lambda: world.consultant.post(url, form))
    assert response.status_code == 400
    assert message in body(response)


# --- links, sessions and tokens ------------------------------------------------------------------


def test_forged_expired_and_revoked_invitation_tokens(world):
    assert unchanged(world, lambda: world.app.test_client().get("/r/forged")).status_code == 404
    world.consultant.post(f"/assessments/respondents/{world.respondent_id}/revoke")
    before = world.state()
    assert world.app.test_client().get(world.link).status_code == 410
    refused = world.save({"question": Q1, "value": "5", "client_seq": 200})
    assert refused.status_code == 410
    assert "withdrawn" in refused.json["error"]
    assert world.state() == before


def test_a_reissued_link_ends_the_old_session(world):
    world.consultant.post(f"/assessments/respondents/{world.respondent_id}/reissue")
    before = world.state()
    refused = world.save({"question": Q1, "value": "5", "client_seq": 200})
    assert refused.status_code == 410
    assert "replaced" in refused.json["error"]
    assert world.state() == before
    assert world.app.test_client().get(world.link).status_code == 404  # the old token is gone


def test_replays_and_older_sequences_are_no_ops(world):
    replay = world.save({"question": Q1, "value": "3", "client_seq": 100})
    older = world.save({"question": Q1, "value": "1", "client_seq": 99})
    assert replay.status_code == older.status_code == 200
    assert older.json["client_seq"] == 100
    assert world.answer() == ("3", None, 100)


def test_autosave_after_submit_is_409(world):
    world.browser.post("/respond/submit", data={"csrf_token": world.token()})
    before = world.state()
    refused = world.save({"question": Q1, "value": "5", "client_seq": 300})
    assert refused.status_code == 409
    assert "submitted" in refused.json["error"]
    assert world.state() == before


def test_question_ids_of_another_model_or_assessment_are_400(world):
    for question in ("gartner-8.vision.customer-vision", "idic.identify.nope", "../../etc"):
        response = unchanged(
            world, lambda q=question: world.save({"question": q, "value": "3", "client_seq": 101})
        )
        assert response.status_code == 400
        assert "Unknown question" in response.json["error"]


def test_missing_or_wrong_csrf_is_400(world):
    for headers in ({}, {"X-CSRFToken": "forged"}):
        response = unchanged(
            world,
            lambda h=headers: world.browser.post(
                "/respond/save", json={"question": Q1, "value": "1", "client_seq": 500}, headers=h
            ),
        )
        assert response.status_code == 400
        assert "expired or was sent from elsewhere" in response.json["error"]
    form = unchanged(world, lambda: world.consultant.client.post("/clients", data={"name": "X"}))
    assert form.status_code == 400


def test_forged_and_revoked_share_tokens(world):
    assert unchanged(world, lambda: world.app.test_client().get("/s/forged")).status_code == 404
    world.consultant.post(f"/assessments/{world.assessment_id}/share")
    page = body(world.consultant.client.get(f"/assessments/{world.assessment_id}"))
    link = re.search(r'value="https?://[^"/]+(/s/[^"]+)"', page).group(1)
    team = world.app.test_client()
    assert team.get(link).status_code == 302
    assert team.get("/shared").status_code == 200  # the cookie works while the link lives
    with world.app.app_context():
        from planner.models import ShareLink

        link_id = db.session.scalars(select(ShareLink.id)).one()
    world.consultant.post(f"/share-links/{link_id}/revoke")
    before = world.state()
    refused = team.get("/shared")
    assert refused.status_code == 410  # the cookie dies with the link
    assert "withdrawn" in body(refused)
    assert team.get(link).status_code == 410
    assert world.state() == before
    assert world.app.test_client().get("/shared").status_code == 404  # no cookie, nothing


def test_brute_force_is_limited_per_address_without_locking_the_owner_out(world):
    attacker = world.app.test_client()
    for _ in range(10):
        attacker.post("/login", data={"csrf_token": csrf_token(attacker), "email": "lan@acme.example",
                                      "password": "wrong password"},
                      environ_base={"REMOTE_ADDR": "10.9.9.9"})  # fmt: skip
    blocked = attacker.post("/login", data={"csrf_token": csrf_token(attacker),
                                            "email": "lan@acme.example", "password": "x"},
                            environ_base={"REMOTE_ADDR": "10.9.9.9"})  # fmt: skip
    assert blocked.status_code == 429
    assert "Too many attempts" in body(blocked)
    owner = world.app.test_client()
    ok = owner.post("/login", data={"csrf_token": csrf_token(owner), "email": "lan@acme.example",
                                    "password": "correct horse battery"},
                    environ_base={"REMOTE_ADDR": "10.1.1.1"})  # fmt: skip
    assert ok.status_code == 302


def test_unknown_host_is_400(world):
    response = unchanged(
        world, lambda: world.consultant.client.get("/", headers={"Host": "evil.example"})
    )
    assert response.status_code == 400
    assert "not served here" in body(response)


@pytest.mark.parametrize(
    "target",
    ["//evil.example", "/\\evil.example", "/%09/evil.example", "/%0a/x", "https://evil.example/",
     " //evil.example", "\t//evil.example", "/\r\n/evil.example"],
)  # fmt: skip
def test_language_switch_next_stays_on_the_site(world, target):
    client = world.consultant.client
    response = client.post("/language/vi", data={"csrf_token": csrf_token(client), "next": target})
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.startswith("/")
    assert not location.startswith(("//", "/\\"))
    assert "evil.example" not in location.split("/", 3)[2:3]


# --- files ---------------------------------------------------------------------------------------


def multipart(
    fields: dict[str, str], file_field: str, filename: str, data: bytes
) -> tuple[bytes, str]:
    """A multipart body built here: the test client spools bodies over 500 KB to a temporary
    file it never closes (a ResourceWarning, an error under filterwarnings = error)."""
    boundary = "----planner-test-boundary"
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
        for k, v in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; '
        f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'.encode()
        + data
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def png(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (10, 20, 30)).save(out, format="PNG")
    return out.getvalue()


def huge_png(width: int, height: int) -> bytes:
    """A valid PNG header of a huge image with almost no data: cheap to make, costly to open."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0"))
        + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [(b"hello, not an image", "PNG or JPEG"),
     (b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>", "PNG or JPEG"),
     (b"\x89PNG\r\n\x1a\n" + b"garbage" * 20, "could not be read"),
     (huge_png(20000, 20000), "too large"),
     (huge_png(5000, 5000), "too large"),
     (b"\x89PNG\r\n\x1a\n" + b"\0" * (600 * 1024), "512 KB")],
    ids=["text", "svg", "broken-png", "20000x20000", "5000x5000", "over-512KB"],
)  # fmt: skip
def test_hostile_logos_are_refused(world, data, message):
    fields = {"csrf_token": csrf_token(world.consultant.client), "name": "Acme"}
    payload, content_type = multipart(fields, "logo", "logo.png", data)
    response = unchanged(
        world,
        lambda: world.consultant.client.post(
            "/settings/branding", data=payload, content_type=content_type
        ),
    )
    assert response.status_code == 400
    assert message in body(response)


def test_csv_cells_that_look_like_formulas_are_neutralised(world):
    world.save({"question": Q1, "value": "3", "comment": "=HYPERLINK(\"http://x\")",
                "client_seq": 101})  # fmt: skip
    csv = body(
        world.consultant.client.get(f"/assessments/{world.assessment_id}/export/responses.csv")
    )
    assert "'=HYPERLINK" in csv
    assert ",=HYPERLINK" not in csv


HOSTILE_MODELS = {
    "aliases": (b"id: x\nname: &a {en: A}\nsummary: *a\n", "aliases (*name) are not allowed"),
    "python-tag": (b"id: !!python/object/apply:os.system ['true']\n", "tags such as"),
    "deep": (b"id: x\nname: " + b"[" * 5000 + b"\n", "nesting deeper than 20 levels"),
    "not-utf8": (b"id: x\nname: caf\xe9\n", "not valid UTF-8"),
    "shipped-id": (None, "belongs to a shipped model"),
    "unicode-digit-level": (
        "id: x\nname: {en: X, vi: X}\nlanguages: [en, vi]\nscale: crm-5\ndimensions:\n"
        "  - id: d\n    name: {en: D, vi: D}\n    questions:\n      - id: q\n"
        '        text: {en: Q, vi: Q}\n        levels: {"¹": {en: a, vi: a}}\n'.encode(),
        "level keys are whole numbers",
    ),
}


@pytest.mark.parametrize("case", sorted(HOSTILE_MODELS))
def test_hostile_model_uploads_are_refused_with_their_line(world, case):
    data, message = HOSTILE_MODELS[case]
    if data is None:
        from pathlib import Path

        data = (Path(world.app.config["FRAMEWORKS_DIR"]) / "qci.yaml").read_bytes()
    response = unchanged(
        world,
        lambda: world.consultant.post(
            "/catalog/upload",
            {"file": (io.BytesIO(data), "ours.yaml")},
            content_type="multipart/form-data",
        ),
    )
    assert response.status_code == 422
    assert message in body(response)
    assert "ours.yaml:" in body(response)
    with world.app.app_context():
        assert db.session.scalars(select(CustomFramework)).first() is None


def test_a_model_over_the_size_limit_is_refused_unread(world):
    data = b"# padding\n" * 110_000  # 1.1 MB
    payload, content_type = multipart(
        {"csrf_token": csrf_token(world.consultant.client)}, "file", "big.yaml", data
    )
    response = unchanged(
        world,
        lambda: world.consultant.client.post(
            "/catalog/upload", data=payload, content_type=content_type
        ),
    )
    assert response.status_code == 422
    assert "larger than 1,000,000 bytes" in body(response)


HOSTILE_IMPORTS = {
    "aliases": (b"client: &c X\ntitle: *c\nframeworks: [idic]\n", "aliases (*name)"),
    "control-chars": (b'client: "A\\0B"\nframeworks: [idic]\n', CONTROL),
    "unicode-digit": (
        f"client: X\nframeworks: [idic]\nrespondents:\n  - name: L\n    answers:\n"
        f'      {Q1}: "²"\n'.encode(),
        "is not on scale",
    ),
    "unknown-question": (
        b"client: X\nframeworks: [idic]\nrespondents:\n  - name: L\n    answers:\n"
        b"      idic.nope.nope: 3\n",
        "unknown question",
    ),
    "path-model": (  # the server once read this file of its own disk
        b"client: X\nframeworks: [../../../etc/passwd]\n",
        "answers.yaml:2:14: &#39;../../../etc/passwd&#39;: name the model by its catalog id",
    ),
    "absolute-path-model": (b"client: X\nframeworks: [/etc/hostname.yaml]\n", "catalog id"),
    "deep": (b"client: X\nframeworks: " + b"[" * 3000 + b"\n", "nesting deeper than 20 levels"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE_IMPORTS))
def test_hostile_answers_imports_are_refused_with_their_line(world, case):
    data, message = HOSTILE_IMPORTS[case]
    response = unchanged(world, lambda: world.consultant.upload_answers(data, "answers.yaml"))
    assert response.status_code == 422
    text = body(response)
    assert message in text, text[-2000:]
    assert "the file must be a mapping" not in text  # nothing of the server's disk was read
    with world.app.app_context():
        assert len(db.session.scalars(select(Assessment)).all()) == 1
