"""Sessions end on the server (DESIGN §11): log-out, brute force keyed so nobody is locked out,
links built from PLANNER_BASE_URL, unknown hosts refused and redirects kept on the site."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tests.web.conftest import Actions, csrf_token

PASSWORD = "correct horse battery"  # noqa: S105  (the Actions fixture signs up with it)


def log_in(client, email="lan@acme.example", password=PASSWORD, next_=None, address="10.0.0.1"):
    query = "" if next_ is None else "?" + "&".join([f"next={next_}"])
    return client.post(
        "/login" + query,
        data={"csrf_token": csrf_token(client), "email": email, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )


def test_log_out_ends_the_session_on_the_server(app, consultant):
    assert consultant.client.get("/").status_code == 200
    cookie = consultant.client.get_cookie("session", domain="planner.test")
    copy = app.test_client()
    copy.set_cookie(cookie.key, cookie.value, domain=cookie.domain)
    assert copy.get("/").status_code == 200  # a copied cookie works while the session lives
    consultant.post("/logout")
    assert consultant.client.get("/").status_code == 302
    refused = copy.get("/")
    assert refused.status_code == 302
    assert "/login" in refused.headers["Location"]


def test_wrong_guesses_from_elsewhere_never_lock_the_user_out(app, consultant):
    attacker = app.test_client()
    wrong = "wrong guess!"
    statuses = [log_in(attacker, password=wrong, address="10.6.6.6").status_code
                for _ in range(12)]  # fmt: skip
    assert statuses[-1] == 429
    owner = app.test_client()
    assert log_in(owner, address="10.0.0.2").status_code == 302


@pytest.mark.parametrize(
    "target",
    ["//evil.example", "/\\evil.example", "/%09/evil.example", "/%0a/x", "%2F%2Fevil.example",
     "https://evil.example/", "%20//evil.example", "/\t/evil.example"],
)  # fmt: skip
def test_next_stays_on_the_site(app, consultant, target):
    browser = app.test_client()
    response = log_in(browser, next_=target)
    assert response.status_code == 302
    location = urlsplit(response.headers["Location"])
    assert not location.scheme
    assert not location.netloc
    assert location.path.startswith("/")
    assert not location.path.startswith(("//", "/\\"))
    assert "evil.example" not in location.path.split("/")[1:2]


def test_next_keeps_a_real_page(app, consultant):
    response = log_in(app.test_client(), next_="/catalog/")
    assert response.headers["Location"] == "/catalog/"


def test_unknown_hosts_are_refused(app):
    assert app.test_client().get("/login", headers={"Host": "evil.example"}).status_code == 400
    assert app.test_client().get("/login").status_code == 200


def test_links_come_from_the_base_url_not_the_host_header(app):
    app.config["BASE_URL"] = "https://planner.example"
    owner = Actions(app, app.test_client())
    owner.sign_up()
    assessment_id = owner.new_assessment(owner.new_client())
    owner.post(f"/assessments/{assessment_id}/respondents", {"name": "Minh", "role": "x"})
    page = owner.client.get(f"/assessments/{assessment_id}").get_data(as_text=True)
    assert 'value="https://planner.example/r/' in page  # the request came to planner.test
    owner.post(f"/assessments/{assessment_id}/share")
    page = owner.client.get(f"/assessments/{assessment_id}").get_data(as_text=True)
    assert 'value="https://planner.example/s/' in page
