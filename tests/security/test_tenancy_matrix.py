"""The tenancy matrix, generated from the app's URL map (DESIGN §7, §11).

Every route behind the consultant log-in (found by its decorator: `login_required` marks the view
with `requires_login`) that names an object in its URL is requested, with every method it allows,
by a consultant of another consultancy, with the owner's real ids and with guessed ones: all 404,
nothing saved changes. Public link routes (found by their `token` argument) answer 404 to a wrong
or guessed token and never show the owner's data. A new route is covered without anyone listing it;
a new kind of URL argument fails the test until the matrix knows how to fill it.
"""

from __future__ import annotations

import io
import re
import secrets
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from planner import create_app
from planner.extensions import db
from tests.security.conftest import snapshot
from tests.web.conftest import Actions, csrf_token

OBJECT_IDS = ("assessment_id", "client_id", "respondent_id", "link_id", "move_id")  # integer ids
OBJECT_KEYS = ("framework_id", "code")  # the consultancy's own custom model, its workshop
GUESSED_IDS = (0, 2**31, 2**63, 2**64)  # and max + 1, added per database
# arguments that are not objects: a valid value, so that the object decides the answer
OTHER_ARGS = {"kind": "answers.yaml", "action": "revoke", "key": "0" * 64}
PUBLIC_TOKEN_ARGS = ("token",)
OWNER_SECRETS = ("Orchid Holdings Secret", "Board review 2027 secret", "Nguyễn Bí Mật")
MODEL = (Path(__file__).parents[1] / "data" / "catalog" / "tiny.yaml").read_text(encoding="utf-8")


def _methods(rule: Any) -> list[str]:
    return sorted(rule.methods - {"HEAD", "OPTIONS"})


def _requires_login(app: Flask, rule: Any) -> bool:
    return bool(getattr(app.view_functions[rule.endpoint], "requires_login", False))


_APP = create_app({"TESTING": True, "SECRET_KEY": "x", "DATABASE_URL": "sqlite://"})
RULES = sorted(_APP.url_map.iter_rules(), key=lambda r: r.rule)
PROTECTED = [
    (rule.rule, method)
    for rule in RULES
    if _requires_login(_APP, rule) and rule.arguments
    for method in _methods(rule)
]
PUBLIC = [
    (rule.rule, method)
    for rule in RULES
    if not _requires_login(_APP, rule) and set(rule.arguments) & set(PUBLIC_TOKEN_ARGS)
    for method in _methods(rule)
]


@pytest.fixture
def owner_objects(app: Flask) -> dict[str, Any]:
    """The first consultancy, with one of everything a URL can name."""
    owner = Actions(app, app.test_client())
    owner.sign_up("First Consulting", "a@first.example")
    client_id = owner.new_client(OWNER_SECRETS[0])
    upload = owner.post(
        "/catalog/upload",
        {"file": (io.BytesIO(MODEL.replace("id: tiny", "id: secret-model").replace(
            "scale: five", "scale: crm-5").encode()), "secret-model.yaml")},
        content_type="multipart/form-data",
    )  # fmt: skip
    assert upload.status_code == 200, upload.get_data(as_text=True)
    response = owner.post(
        "/assessments/new",
        {"client": str(client_id), "title": OWNER_SECRETS[1], "language": "en",
         "frameworks": ["idic"]},
    )  # fmt: skip
    assessment_id = int(response.headers["Location"].rsplit("/", 1)[1])
    link = owner.invite(assessment_id, OWNER_SECRETS[2])
    owner.post(f"/assessments/{assessment_id}/share")
    page = owner.client.get(f"/assessments/{assessment_id}").get_data(as_text=True)
    share = re.search(r'value="(http[^"]+/s/[^"]+)"', page).group(1)
    workshop = owner.client.get(f"/assessments/{assessment_id}/workshop").get_data(as_text=True)
    code = re.search(r'data-join-code="([A-Z0-9]{6})"', workshop).group(1)
    with app.app_context():
        from planner.models import Respondent, ShareLink

        respondent_id = db.session.scalars(select(Respondent.id)).one()
        link_id = db.session.scalars(select(ShareLink.id)).one()
        move_id = _model_move(assessment_id)
    return {
        "actions": owner,
        "assessment_id": assessment_id,
        "client_id": client_id,
        "respondent_id": respondent_id,
        "link_id": link_id,
        "move_id": move_id,
        "framework_id": "secret-model",
        "code": code,
        "invitation": link,
        "share": share,
    }


def _model_move(assessment_id: int) -> int:
    """A recorded change of model version of the owner's assessment (IDIC, to the same file: the
    shipped catalog holds no newer version to move to)."""
    from planner.database import transaction
    from planner.models import Assessment, ModelMove

    with transaction() as session:
        assessment = session.get(Assessment, assessment_id)
        pinned = next(f for f in assessment.files if f.name == "idic.yaml")
        move = ModelMove(
            assessment_id=assessment_id, framework_id="idic", position=pinned.position,
            from_name=pinned.name, to_name=pinned.name, from_hash=pinned.file_hash,
            to_hash=pinned.file_hash, from_version="1.0", to_version="1.0", library=[],
        )  # fmt: skip
        session.add(move)
    return int(move.id)


@pytest.fixture
def intruder(app: Flask, owner_objects: dict[str, Any]) -> Actions:
    other = Actions(app, app.test_client())
    other.sign_up("Second Consulting", "b@second.example")
    return other


def _values(rule: Any, owner_objects: dict[str, Any], varied: str, value: Any) -> dict[str, Any]:
    values = {}
    for argument in rule.arguments:
        if argument == varied:
            values[argument] = value
        elif argument in OBJECT_IDS or argument in OBJECT_KEYS:
            values[argument] = owner_objects[argument]
        elif argument in OTHER_ARGS:
            values[argument] = OTHER_ARGS[argument]
        else:
            pytest.fail(f"new route argument {argument!r} in {rule.rule}: add it to the matrix")
    return values


def _url(rule: Any, values: dict[str, Any]) -> str:
    url = rule.rule
    for argument, value in values.items():
        url = re.sub(rf"<(?:[^:>]+:)?{argument}>", str(value), url)
    return url


def _request(actions: Actions, method: str, url: str) -> Any:
    if method == "GET":
        return actions.client.get(url)
    form = {"csrf_token": csrf_token(actions.client, "/"), "name": "x", "status": "closed",
            "max_parallel": "3", "title": "x", "role": "x"}  # fmt: skip
    return actions.client.open(url, method=method, data=form)


def _rule(path: str) -> Any:
    return next(rule for rule in RULES if rule.rule == path)


def test_the_matrix_covers_the_hand_kept_list_and_more():
    covered = {path for path, _ in PROTECTED}
    assert len(PROTECTED) >= 15
    for path in (
        "/clients/<int:client_id>",
        "/assessments/<int:assessment_id>",
        "/assessments/<int:assessment_id>/results",
        "/assessments/<int:assessment_id>/export/<kind>",
        "/assessments/<int:assessment_id>/targets",
        "/assessments/respondents/<int:respondent_id>/<action>",
        "/share-links/<int:link_id>/revoke",
        "/catalog/models/<framework_id>",
    ):
        assert path in covered, path
    assert {path for path, _ in PUBLIC} >= {"/r/<token>", "/s/<token>", "/invite/<token>"}


@pytest.mark.parametrize(("path", "method"), PROTECTED)
def test_another_consultancy_gets_404_and_changes_nothing(
    app, owner_objects, intruder, path, method
):
    rule = _rule(path)
    objects = [a for a in rule.arguments if a in OBJECT_IDS or a in OBJECT_KEYS]
    assert objects or set(rule.arguments) <= set(OTHER_ARGS), rule.rule
    beyond = max(owner_objects[a] for a in OBJECT_IDS) + 1  # no object has this id yet
    with app.app_context():
        before = snapshot()
    for argument in objects or [None]:
        if argument in OBJECT_KEYS:
            variants: list[Any] = [owner_objects[argument], "no-such-" + secrets.token_hex(4)]
        elif argument is None:
            variants = [None]
        else:
            variants = [owner_objects[argument], beyond, *GUESSED_IDS]
        for value in variants:
            url = _url(rule, _values(rule, owner_objects, argument or "", value))
            response = _request(intruder, method, url)
            assert response.status_code == 404, (method, url, response.status_code)
            body = response.get_data(as_text=True)
            assert not any(secret in body for secret in OWNER_SECRETS), url
    with app.app_context():
        assert snapshot() == before, f"{method} {path} changed something"


def test_the_owner_reaches_the_same_routes(app, owner_objects):
    """So the 404s above are tenancy, not URLs that never worked."""
    owner = owner_objects["actions"]
    checked = 0
    for path, method in PROTECTED:
        rule = _rule(path)
        if method != "GET" or "key" in rule.arguments:
            continue
        url = _url(rule, _values(rule, owner_objects, "", None))
        response = owner.client.get(url)
        assert response.status_code != 404, url
        checked += 1
    assert checked >= 8


@pytest.mark.parametrize(("path", "method"), PUBLIC)
def test_a_wrong_or_guessed_token_is_404_and_shows_nothing(app, owner_objects, path, method):
    rule = _rule(path)
    stranger = Actions(app, app.test_client())
    with app.app_context():
        before = snapshot()
    real = {owner_objects["invitation"].rsplit("/", 1)[1], owner_objects["share"].rsplit("/", 1)[1]}
    for guess in (
        "x",
        "0" * 32,
        secrets.token_urlsafe(24),
        "A" * 300,
        *(t[:-1] + "A" for t in real),
    ):
        if guess in real:
            continue
        url = re.sub(r"<(?:[^:>]+:)?token>", guess, rule.rule)
        if method == "GET":
            response = stranger.client.get(url)
        else:
            response = stranger.client.post(url, data={"csrf_token": csrf_token(stranger.client)})
        assert response.status_code == 404, (method, url, response.status_code)
        body = response.get_data(as_text=True)
        assert not any(secret in body for secret in OWNER_SECRETS), url
    with app.app_context():
        assert snapshot() == before
