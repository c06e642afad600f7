"""Another consultancy's objects answer 404, never 403, on every route with an id."""

from __future__ import annotations

import pytest

from tests.web.conftest import Actions

ROUTES = [
    ("get", "/clients/{client}"),
    ("get", "/assessments/{assessment}"),
    ("get", "/assessments/{assessment}/results"),
    ("get", "/assessments/{assessment}/export/answers.yaml"),
    ("get", "/assessments/{assessment}/export/responses.csv"),
    ("get", "/assessments/{assessment}/export/results.json"),
    ("get", "/assessments/{assessment}/export/results.xlsx"),
    ("get", "/assessments/{assessment}/report.pdf"),
    ("post", "/assessments/{assessment}/respondents"),
    ("post", "/assessments/{assessment}/status"),
    ("get", "/assessments/{assessment}/targets"),
    ("post", "/assessments/{assessment}/targets"),
    ("post", "/assessments/respondents/{respondent}/revoke"),
    ("post", "/assessments/respondents/{respondent}/reissue"),
    ("post", "/assessments/respondents/{respondent}/reopen"),
]


@pytest.fixture
def two_tenants(app):
    owner = Actions(app, app.test_client())
    owner.sign_up("First Consulting", "a@first.example")
    client_id = owner.new_client()
    assessment_id = owner.new_assessment(client_id)
    owner.invite(assessment_id)
    intruder = Actions(app, app.test_client())
    intruder.sign_up("Second Consulting", "b@second.example")
    return intruder, {"client": client_id, "assessment": assessment_id, "respondent": 1}


@pytest.mark.parametrize(("method", "route"), ROUTES)
def test_other_consultancy_gets_404(two_tenants, method, route):
    intruder, ids = two_tenants
    url = route.format(**ids)
    if method == "get":
        response = intruder.client.get(url)
    else:
        response = intruder.post(url, {"name": "x", "status": "closed"})
    assert response.status_code == 404


def test_anonymous_is_sent_to_log_in(app):
    response = app.test_client().get("/assessments/1")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]
