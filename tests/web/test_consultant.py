"""The consultant's workspace: accounts, tenancy, assessments, snapshots, exports, import and the catalog."""

from __future__ import annotations

import csv
import html
import io
import re
import shutil
from pathlib import Path

import pytest
import yaml
from sqlalchemy import select

from planner.catalog.loader import SHIPPED_DIR
from planner.extensions import db
from planner.models import Assessment, Respondent
from planner.services import assessments as assessment_service
from planner.services import exchange, results
from tests.web.conftest import Actions, csrf_token

EXAMPLES = Path(__file__).parents[2] / "examples"


def test_sign_up_log_out_and_log_in(app, client):
    actions = Actions(app, client)
    actions.sign_up()
    assert client.get("/").status_code == 200
    actions.post("/logout")
    assert client.get("/").status_code == 302
    bad = actions.post("/login", {"email": "lan@acme.example", "password": "wrong password!"})
    assert bad.status_code == 400
    assert "Wrong e-mail or password" in bad.get_data(as_text=True)
    good = actions.post(
        "/login", {"email": "LAN@acme.example", "password": "correct horse battery"}
    )
    assert good.status_code == 302


def test_sign_up_refuses_bad_input(app, client):
    actions = Actions(app, client)
    short = actions.post(
        "/signup", {"organisation": "X", "name": "Y", "email": "a@b.example", "password": "short"}
    )
    assert short.status_code == 400
    actions.sign_up()
    actions.post("/logout")
    again = actions.post(
        "/signup",
        {
            "organisation": "X",
            "name": "Y",
            "email": "lan@acme.example",
            "password": "long enough pw",
        },
    )
    assert again.status_code == 400
    assert "already exists" in again.get_data(as_text=True)


def test_invite_a_colleague(app, consultant):
    response = consultant.post("/team", {"name": "Hà", "email": "ha@acme.example"})
    link = re.search(r'value="(http[^"]+/invite/[^"]+)"', response.get_data(as_text=True)).group(1)
    colleague = Actions(app, app.test_client())
    accepted = colleague.post(
        link.replace("http://planner.test", ""), {"password": "another long one"}
    )
    assert accepted.status_code == 302
    assert "Acme Consulting" in colleague.client.get("/team").get_data(as_text=True)


def test_script_in_names_is_shown_as_text(app, consultant):
    client_id = consultant.new_client('<script>alert("x")</script>')
    page = consultant.client.get(f"/clients/{client_id}").get_data(as_text=True)
    assert '<script>alert("x")</script>' not in page
    assert "&lt;script&gt;" in page


def test_oversized_fields_are_refused(app, consultant):
    response = consultant.post("/clients", {"name": "x" * 5000})
    assert response.status_code == 400
    client_id = consultant.new_client()
    assessment_id = consultant.new_assessment(client_id)
    response = consultant.post(f"/assessments/{assessment_id}/respondents", {"name": "y" * 500})
    assert response.status_code == 400


def test_assessment_pins_its_model_files(app, consultant, tmp_path):
    """Later YAML edits never change an old result."""
    frameworks = tmp_path / "frameworks"
    shutil.copytree(SHIPPED_DIR, frameworks)
    app.config["FRAMEWORKS_DIR"] = str(frameworks)
    client_id = consultant.new_client()
    assessment_id = consultant.new_assessment(client_id, ("idic",))
    link = consultant.invite(assessment_id)
    browser = app.test_client()
    browser.get(link)
    token = csrf_token(browser, "/respond/page/1")
    browser.post(
        "/respond/save",
        json={"question": "idic.identify.one-customer-id", "value": "2", "client_seq": 1},
        headers={"X-CSRFToken": token},
    )
    with app.app_context():
        before = (
            results.compute(db.session.get(Assessment, assessment_id))[3]
            .frameworks[0]
            .dimensions[0]
            .target
        )
    edited = (
        (frameworks / "idic.yaml")
        .read_text(encoding="utf-8")
        .replace("default_target: 4", "default_target: 2")
    )
    (frameworks / "idic.yaml").write_text(edited, encoding="utf-8")
    with app.app_context():
        after = (
            results.compute(db.session.get(Assessment, assessment_id))[3]
            .frameworks[0]
            .dimensions[0]
            .target
        )
        new_id = consultant.new_assessment(client_id, ("idic",))
        fresh = (
            results.compute(db.session.get(Assessment, new_id))[3]
            .frameworks[0]
            .dimensions[0]
            .target
        )
    assert before == after == 4
    assert fresh == 2


def test_progress_and_results_pages(app, consultant):
    client_id = consultant.new_client()
    assessment_id = consultant.new_assessment(client_id, ("idic", "gartner-8"))
    link = consultant.invite(assessment_id)
    browser = app.test_client()
    browser.get(link)
    token = csrf_token(browser, "/respond/page/1")
    for n, qid in enumerate(("idic.identify.one-customer-id", "idic.identify.known-transactions")):
        browser.post(
            "/respond/save",
            json={"question": qid, "value": "3", "client_seq": n + 1},
            headers={"X-CSRFToken": token},
        )
    page = consultant.client.get(f"/assessments/{assessment_id}").get_data(as_text=True)
    assert re.search(r"2 of \d+ answered", page)
    assert 'data-state="in_progress"' in page
    results_page = consultant.client.get(f"/assessments/{assessment_id}/results")
    assert results_page.status_code == 200
    html = results_page.get_data(as_text=True)
    assert "<svg" in html
    assert "3.00" in html


def test_export_then_import_gives_identical_scores(app, consultant):
    first = consultant.import_assessment(
        (EXAMPLES / "an-phat-vi.yaml").read_bytes(), "an-phat-vi.yaml"
    )
    exported = consultant.client.get(f"/assessments/{first}/export/answers.yaml").get_data()
    second = consultant.import_assessment(exported, "again.yaml")
    with app.app_context():
        one = exchange.export_json(db.session.get(Assessment, first))
        two = exchange.export_json(db.session.get(Assessment, second))
    assert one == two
    assert yaml.safe_load(exported)["client"] == "Công ty CP Bán lẻ An Phát"
    scores = consultant.client.get(f"/assessments/{first}/export/results.json").get_json()
    assert scores["scorecard"]["frameworks"][0]["id"] == "idic"


def test_import_of_a_bad_file_lists_problems_and_saves_nothing(app, consultant):
    bad = b"client: X\nframeworks: [idic]\nrespondents:\n  - name: A\n    answers: {idic.identify.nope: 9}\n"
    response = consultant.upload_answers(bad, "bad.yaml")
    assert response.status_code == 422
    assert "bad.yaml:5:15: unknown question" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(select(Assessment)).first() is None


def test_csv_export_neutralises_formulas(app, consultant):
    client_id = consultant.new_client()
    assessment_id = consultant.new_assessment(client_id)
    consultant.post(
        f"/assessments/{assessment_id}/respondents",
        {"name": '=HYPERLINK("http://x")', "role": "+cmd"},
    )
    with app.app_context():
        respondent = db.session.scalars(select(Respondent)).first()
        from planner.services import responding

        responding.save(respondent.id, "idic.identify.one-customer-id", "2", "@SUM(A1:A9)", 1)
    text = consultant.client.get(f"/assessments/{assessment_id}/export/responses.csv").get_data(
        as_text=True
    )
    row = list(csv.reader(io.StringIO(text)))[1]
    assert row[0] == '\'=HYPERLINK("http://x")'
    assert row[1] == "'+cmd"
    assert row[5] == "'@SUM(A1:A9)"


BROKEN_MODEL = b"""id: our-model
name: {en: Ours}
languages: [en, vi]
scale: crm-5
dimensions:
  - id: d
    name: {en: D, vi: D}
    questions:
      - {id: q, text: {en: Q, vi: C}, levels: {1: {en: a, vi: a}}}
"""


def test_upload_a_broken_model_lists_every_problem_with_its_line(app, consultant):
    response = consultant.post(
        "/catalog/upload",
        {"file": (io.BytesIO(BROKEN_MODEL), "ours.yaml")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "ours.yaml:2:7: text is missing language vi" in html
    assert "has no anchor for level 2, 3, 4, 5" in html


def test_upload_hostile_yaml(app, consultant):
    bomb = b"a: &a [x, x]\nb: &b [*a, *a]\nc: &c [*b, *b]\n" + b"[" * 50000
    response = consultant.post(
        "/catalog/upload",
        {"file": (io.BytesIO(bomb), "bomb.yaml")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "bomb.yaml:1:4: anchors (&amp;name) are not allowed" in html
    assert "bomb.yaml:2:8: aliases (*name) are not allowed" in html
    with app.app_context():
        from planner.models import CustomFramework

        assert db.session.scalars(select(CustomFramework)).first() is None


def test_upload_a_good_model_and_use_it(app, consultant):
    model = (Path(__file__).parents[1] / "data" / "catalog" / "tiny.yaml").read_text(
        encoding="utf-8"
    )
    model = model.replace("id: tiny", "id: our-tiny").replace("scale: five", "scale: crm-5")
    response = consultant.post(
        "/catalog/upload",
        {"file": (io.BytesIO(model.encode()), "our-tiny.yaml")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    assert consultant.client.get("/catalog/models/our-tiny").status_code == 200
    client_id = consultant.new_client()
    assessment_id = consultant.new_assessment(client_id, ("our-tiny", "idic"))
    with app.app_context():
        assert [
            fw.id
            for fw in assessment_service.frameworks_of(db.session.get(Assessment, assessment_id))
        ] == ["our-tiny", "idic"]
    blank = consultant.client.get("/catalog/questionnaire.yaml?model=our-tiny&lang=vi").get_data(
        as_text=True
    )
    assert "our-tiny.alpha.a1:" in blank


def wait_for_report(client, status_url: str, seconds: float = 60) -> str:
    import time

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        state = client.get(status_url + "?format=json").get_json()
        if state["state"] in ("done", "failed"):
            return state["state"]
        time.sleep(0.2)
    raise AssertionError("the report job did not finish")


@pytest.mark.slow
def test_pdf_is_a_job_then_a_cached_download(app, consultant):
    from pypdf import PdfReader

    client_id = consultant.new_client("Công ty Hải Đăng")
    assessment_id = consultant.new_assessment(client_id, ("idic",), language="vi")
    started = consultant.client.get(f"/assessments/{assessment_id}/report.pdf")
    assert started.status_code == 302
    status_url = started.headers["Location"]
    assert wait_for_report(consultant.client, status_url) == "done"
    page = consultant.client.get(status_url).get_data(as_text=True)
    download = re.search(r'href="([^"]+\.pdf)"', page).group(1)
    response = consultant.client.get(download)
    assert response.mimetype == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    assert "Công ty Hải Đăng" in " ".join(text.split())
    cached = consultant.client.get(
        f"/assessments/{assessment_id}/report.pdf"
    )  # unchanged: straight from the cache
    assert cached.status_code == 200
    assert cached.data == response.data
    # a new answer changes the report: its old key answers 404, a new render starts
    link = consultant.invite(assessment_id)
    browser = app.test_client()
    browser.get(link)
    token = csrf_token(browser, "/respond/page/1")
    browser.post(
        "/respond/save",
        json={"question": "idic.identify.one-customer-id", "value": "3", "client_seq": 1},
        headers={"X-CSRFToken": token},
    )
    assert consultant.client.get(status_url).status_code == 404
    assert consultant.client.get(f"/assessments/{assessment_id}/report.pdf").status_code == 302


@pytest.mark.slow
def test_a_failing_render_is_reported_and_retried(app, consultant):
    client_id = consultant.new_client()
    assessment_id = consultant.new_assessment(client_id, ("idic",))
    app.config["PDF_TIMEOUT"] = 0.05
    status_url = consultant.post(f"/assessments/{assessment_id}/report").headers["Location"]
    assert wait_for_report(consultant.client, status_url) == "failed"
    page = consultant.client.get(status_url).get_data(as_text=True)
    assert "could not be rendered" in page
    assert "Try again" in page
    app.config["PDF_TIMEOUT"] = 60
    retried = consultant.post(f"/assessments/{assessment_id}/report").headers["Location"]
    assert retried == status_url
    assert wait_for_report(consultant.client, status_url) == "done"
    assert app.test_client().get("/login").status_code == 200  # the app kept serving


def test_html_preview(app, consultant):
    client_id = consultant.new_client("Preview Ltd")
    assessment_id = consultant.new_assessment(client_id, ("idic",))
    response = consultant.client.get(f"/assessments/{assessment_id}/report.html")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Preview Ltd" in html
    assert "/assessments/report.css" in html
    assert consultant.client.get("/assessments/report.css").mimetype == "text/css"


def test_login_is_rate_limited(app, client):
    actions = Actions(app, client)
    codes = [
        actions.post("/login", {"email": "x@y.example", "password": "wrong password"}).status_code
        for _ in range(12)
    ]
    assert codes[:10] == [400] * 10
    assert codes[-1] == 429


def test_security_headers(app, client):
    response = client.get("/login")
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Request-Id"]
    cookie = response.headers.get("Set-Cookie", "")
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_targets_per_model_and_dimension(app, consultant):
    client_id = consultant.new_client()
    assessment_id = consultant.new_assessment(client_id, ("idic",))
    response = consultant.post(
        f"/assessments/{assessment_id}/targets",
        {"t-idic": "3", "t-idic.customize": "2,5", "max_parallel": "2"},
    )
    assert response.status_code == 302
    with app.app_context():
        assessment = db.session.get(Assessment, assessment_id)
        assert assessment.targets == {"idic": 3.0, "idic.customize": 2.5}
        assert assessment.max_parallel == 2
        card = results.compute(assessment)[3]
    assert [d.target for d in card.frameworks[0].dimensions] == [3, 3, 3, 2.5]
    bad = consultant.post(
        f"/assessments/{assessment_id}/targets", {"t-idic": "9", "max_parallel": "2"}
    )
    assert bad.status_code == 400
    assert "between 1 and 5" in bad.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Assessment, assessment_id).targets == {
            "idic": 3.0,
            "idic.customize": 2.5,
        }


def test_import_keeps_importance_and_agreed_levels(app, consultant):
    """The web scores of an imported file equal the CLI's scores of that file."""
    import json as json_module

    from planner.answers import read_answers
    from planner.engine.scoring import score
    from planner.report.present import scorecard_data

    path = EXAMPLES / "all-models-vi.yaml"
    assessment_id = consultant.import_assessment(path.read_bytes(), path.name)
    loaded = read_answers(path)
    expected = scorecard_data(
        score(loaded.assessment, loaded.frameworks, loaded.catalog.crosswalk.equivalent_questions),
        "vi",
    )
    web = consultant.client.get(f"/assessments/{assessment_id}/export/results.json").get_json()[
        "scorecard"
    ]
    assert json_module.dumps(web, sort_keys=True) == json_module.dumps(expected, sort_keys=True)
    exported = yaml.safe_load(
        consultant.client.get(f"/assessments/{assessment_id}/export/answers.yaml").data
    )
    assert exported["agreed"] == {"gartner-8.information.single-view": 2}
    assert exported["respondents"][0]["importance"]["idic.identify"] == 5


def test_results_show_the_importance_matrix_when_rated(app, consultant):
    path = EXAMPLES / "all-models-en.yaml"
    assessment_id = consultant.import_assessment(path.read_bytes(), path.name)
    html = consultant.client.get(f"/assessments/{assessment_id}/results").get_data(as_text=True)
    assert "Importance and performance" in html
    assert 'class="chart matrix"' in html
    assert "Identify (5.0 · 1.70)" in html
    path = EXAMPLES / "all-models-vi.yaml"  # a Vietnamese assessment writes 5,0 · 1,70
    assessment_id = consultant.import_assessment(path.read_bytes(), path.name)
    html = consultant.client.get(f"/assessments/{assessment_id}/results").get_data(as_text=True)
    assert re.search(r"\([0-9],[0-9] · [0-9],[0-9]{2}\)", html)
    assert not re.search(r"\([0-9]\.[0-9] · [0-9]\.[0-9]{2}\)", html)


def test_upload_with_a_shipped_models_id_gets_one_message(app, consultant):
    shipped = (Path(app.config["FRAMEWORKS_DIR"]) / "idic.yaml").read_bytes()
    response = consultant.post(
        "/catalog/upload",
        {"file": (io.BytesIO(shipped), "my-idic.yaml")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    problems = re.findall(r"my-idic\.yaml:\d+:\d+: [^<]+", html)
    assert len(problems) == 1, problems
    assert "belongs to a shipped model" in problems[0]
    assert "frameworks/" not in html  # nothing about the shipped files it would clash with


def test_roadmap_edits_travel_through_import_and_export(app, consultant):
    """DESIGN §4, §6 step 7: the consultant's edits are stored with the assessment, shape its
    roadmap on the web as in the CLI, and come back in the exported answers file."""
    base = (EXAMPLES / "northwind-en.yaml").read_text(encoding="utf-8")
    edited = base + (
        "roadmap:\n  max_parallel: 2\n  horizon_weeks: 60\n  drop: [customer-data-inventory]\n"
        "  add:\n    - {id: sales-playbook, title: Sales playbook, improves: [{dimension: idic.interact,"
        " to_level: 3}], duration_weeks: 6, owner: Head of Sales}\n"
        "  change:\n    sales-playbook: {start_week: 5}\n"
    )
    assessment_id = consultant.import_assessment(edited.encode(), "edited.yaml")
    road = consultant.client.get(f"/assessments/{assessment_id}/export/results.json").get_json()[
        "roadmap"
    ]
    by_id = {i["id"]: i for i in road["initiatives"]}
    assert "customer-data-inventory" not in by_id
    assert by_id["sales-playbook"]["added"]
    assert by_id["sales-playbook"]["start_week"] == 5
    exported = yaml.safe_load(
        consultant.client.get(f"/assessments/{assessment_id}/export/answers.yaml").data
    )
    assert exported["roadmap"] == yaml.safe_load(edited)["roadmap"] | {
        "add": [
            {
                "id": "sales-playbook",
                "title": "Sales playbook",
                "improves": [{"dimension": "idic.interact", "to_level": 3}],
                "duration_weeks": 6,
                "owner": "Head of Sales",
            }
        ]
    }
    again = consultant.import_assessment(
        consultant.client.get(f"/assessments/{assessment_id}/export/answers.yaml").data,
        "again.yaml",
    )
    road_again = consultant.client.get(f"/assessments/{again}/export/results.json").get_json()
    assert road_again["roadmap"] == road


def test_a_model_page_names_how_the_vietnamese_sources_differ(app, consultant):
    from planner.catalog import load_catalog

    idic = load_catalog(None).framework("idic")
    assert idic.seed_note is not None
    page = consultant.client.get("/catalog/models/idic").get_data(as_text=True)
    assert "Compared with the Vietnamese source articles" in page
    assert idic.seed_note.get("en") in html.unescape(page)
