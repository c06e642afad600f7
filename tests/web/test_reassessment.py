"""Re-assessment on the web (issue 11, DESIGN §7): "New assessment from this one" copies the set-up
with fresh links and no answers, results show the progress since the earlier one, and the baseline
travels through export and import as a mapping of the earlier scores."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from html import unescape
from pathlib import Path

import pytest
import yaml
from sqlalchemy import select

from planner.extensions import db
from planner.models import AnswerRow, Assessment, Respondent
from planner.services import exchange, results
from tests.web.conftest import Actions, csrf_token

EXAMPLES = Path(__file__).parents[2] / "examples"
IDENTIFY = [
    "idic.identify.one-customer-id",
    "idic.identify.known-transactions",
    "idic.identify.duplicate-records",
    "idic.identify.identifying-data-inventory",
    "idic.identify.data-currency",
]


def _earlier(consultant: Actions) -> int:
    """Northwind's 2026 review, imported: five respondents, closed, its roadmap settings."""
    return consultant.import_assessment(
        (EXAMPLES / "northwind-en.yaml").read_bytes(), "northwind-en.yaml"
    )


def _reassess(consultant: Actions, assessment_id: int) -> tuple[int, str]:
    response = consultant.post(f"/assessments/{assessment_id}/reassess")
    assert response.status_code == 302, response.get_data(as_text=True)
    new_id = int(response.headers["Location"].rsplit("/", 1)[1])
    return new_id, consultant.client.get(f"/assessments/{new_id}").get_data(as_text=True)


def _answer(app, link: str, values: dict[str, int]) -> None:
    browser = app.test_client()
    browser.get(link)
    token = csrf_token(browser, "/respond/page/1")
    for n, (qid, value) in enumerate(values.items()):
        response = browser.post(
            "/respond/save",
            json={"question": qid, "value": str(value), "client_seq": n + 1},
            headers={"X-CSRFToken": token},
        )
        assert response.status_code == 200, response.get_data(as_text=True)


def test_new_assessment_from_this_one_copies_the_set_up_with_fresh_links(app, consultant):
    earlier_id = _earlier(consultant)
    new_id, page = _reassess(consultant, earlier_id)
    assert new_id != earlier_id
    links = re.findall(r'value="(https?://[^"]+/r/[^"]+)"', page)
    assert len(links) == 5  # every respondent's fresh link, shown once
    assert "Re-assessment, measured against" in page
    assert "CRM maturity review 2026 — re-assessment" in page
    again = consultant.client.get(f"/assessments/{new_id}").get_data(as_text=True)
    assert not re.findall(r'value="(https?://[^"]+/r/[^"]+)"', again)  # once only
    with app.app_context():
        old = db.session.get(Assessment, earlier_id)
        new = db.session.get(Assessment, new_id)
        assert new.baseline_id == earlier_id
        assert new.status == "open"  # no draft: its links work at once (docs/decisions.md)
        assert (new.client_id, new.language, new.framework_ids, new.targets) == (
            old.client_id,
            old.language,
            old.framework_ids,
            old.targets,
        )
        assert [f.file_hash for f in new.files] == [f.file_hash for f in old.files]
        assert (new.max_parallel, new.roadmap) == (old.max_parallel, old.roadmap)
        assert [(r.name, r.role, r.email) for r in new.respondents] == [
            (r.name, r.role, r.email) for r in old.respondents
        ]
        assert not {r.token_hash for r in new.respondents} & {r.token_hash for r in old.respondents}
        assert all(r.revoked_at is None and r.submitted_at is None for r in new.respondents)
        ids = [r.id for r in new.respondents]
        assert not db.session.scalars(
            select(AnswerRow).where(AnswerRow.respondent_id.in_(ids))
        ).all()
    # the fresh links work: the first respondent answers Identify, all at level 4
    _answer(app, links[0], dict.fromkeys(IDENTIFY, 4))
    html = consultant.client.get(f"/assessments/{new_id}/results").get_data(as_text=True)
    assert "Progress to date" in html
    assert 'class="chart before-after"' in html
    with app.app_context():
        view = results.build(db.session.get(Assessment, new_id))
        earlier_card = results.compute(db.session.get(Assessment, earlier_id))[3]
    assert view.baseline is not None
    identify = view.baseline.result.dimension("idic.identify")
    before = earlier_card.dimension("idic.identify").score
    assert identify.baseline == pytest.approx(before)
    assert identify.score == 4
    assert identify.ratio == pytest.approx((4 - before) / (4 - before) if before < 4 else 0)
    assert f"{before:.2f}" in html  # the baseline, as the page shows it
    with app.app_context():
        from planner.services import reports

        report = reports.report_html(db.session.get(Assessment, new_id))
    assert 'id="progress"' in report  # the PDF's progress chapter, on the same path
    assert "Measured against the baseline assessment of" in report
    assert "Measured against CRM maturity review 2026" in html


def test_another_consultancy_cannot_reassess(app, consultant):
    earlier_id = _earlier(consultant)
    other = Actions(app, app.test_client())
    other.sign_up("Second Consulting", "b@second.example")
    assert other.post(f"/assessments/{earlier_id}/reassess").status_code == 404
    with app.app_context():
        assert len(db.session.scalars(select(Assessment)).all()) == 1


def test_the_baseline_roadmaps_due_initiatives_are_named(app, consultant):
    earlier_id = _earlier(consultant)
    with app.app_context():
        old = db.session.get(Assessment, earlier_id)
        old.closed_at = datetime(2020, 1, 6, 12)  # long ago: its whole roadmap is due by now
        db.session.commit()
        planned = results.compute(old)[4]
    new_id, _ = _reassess(consultant, earlier_id)
    html = consultant.client.get(f"/assessments/{new_id}/results").get_data(as_text=True)
    assert "Due by now in the baseline roadmap" in html
    due = html[html.index("Due by now in the baseline roadmap") :]
    for s in planned.initiatives:
        assert s.initiative.title.get("en") in due
    with app.app_context():
        found = results.progress_to_date(
            db.session.get(Assessment, new_id), results.compute(old)[3], old.closed_at.date()
        )
    assert found is not None
    assert found.due == ()
    with app.app_context():
        later = old.closed_at.date() + timedelta(weeks=planned.initiatives[0].end_week)
        found = results.progress_to_date(
            db.session.get(Assessment, new_id), results.compute(old)[3], later
        )
    assert found is not None
    assert planned.initiatives[0].initiative.id in {s.initiative.id for s in found.due or ()}


def test_export_writes_the_baseline_as_a_mapping_and_import_keeps_it(app, consultant):
    earlier_id = _earlier(consultant)
    new_id, page = _reassess(consultant, earlier_id)
    links = re.findall(r'value="(https?://[^"]+/r/[^"]+)"', page)
    _answer(app, links[0], dict.fromkeys(IDENTIFY, 4))
    exported = consultant.client.get(f"/assessments/{new_id}/export/answers.yaml").data
    data = yaml.safe_load(exported)
    with app.app_context():
        card = results.compute(db.session.get(Assessment, earlier_id))[3]
    expected = {
        ds.dimension.full_id: round(ds.score, 4)
        for fs in card.frameworks
        for ds in fs.dimensions
        if ds.score is not None
    }
    assert data["baseline"] == expected
    assert isinstance(data["date"], type(datetime(2026, 1, 1).date()))
    imported_id = consultant.import_assessment(exported, "again.yaml")
    again = yaml.safe_load(
        consultant.client.get(f"/assessments/{imported_id}/export/answers.yaml").data
    )
    assert again["baseline"] == expected  # the round trip keeps the mapping
    assert again["date"] == data["date"]
    with app.app_context():
        imported = db.session.get(Assessment, imported_id)
        assert imported.baseline_scores == expected
        one = yaml.safe_load(exchange.export_json(db.session.get(Assessment, new_id)))
        two = yaml.safe_load(exchange.export_json(imported))
    first, second = one["scorecard"]["frameworks"][0], two["scorecard"]["frameworks"][0]
    assert first["baseline"] == second["baseline"] is not None
    assert first["progress_to_date"] == second["progress_to_date"] is not None
    assert [d["progress_to_date"] for d in first["dimensions"]] == [
        d["progress_to_date"] for d in second["dimensions"]
    ]
    assert two["scorecard"]["baseline"]["due_by_now"] is None  # scores only: no roadmap
    html = consultant.client.get(f"/assessments/{imported_id}/results").get_data(as_text=True)
    assert "Progress to date" in html
    assert "measured against the baseline scores of the imported file" in consultant.client.get(
        f"/assessments/{imported_id}"
    ).get_data(as_text=True)


def test_a_bad_baseline_in_an_upload_is_refused_with_its_line(app, consultant):
    base = (EXAMPLES / "northwind-en.yaml").read_text(encoding="utf-8")
    for extra, message in (
        ("baseline: {idic.identify: 9}\n", "off scale"),
        ("baseline: {idic.nope: 2}\n", "unknown dimension 'idic.nope' in baseline"),
        ("baseline: ./review-2025.yaml\n", "cannot name its baseline by a file path"),
    ):
        response = consultant.upload_answers((base + extra).encode(), "b.yaml")
        assert response.status_code == 422
        html = unescape(response.get_data(as_text=True))
        line = base.count("\n") + 1
        assert re.search(rf"b\.yaml:{line}:\d+: [^<]*{re.escape(message)}", html), html[-2000:]
    with app.app_context():
        assert db.session.scalars(select(Respondent)).first() is None
