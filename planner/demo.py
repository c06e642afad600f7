"""Demo data for `make run`: every page and the PDF have something to show."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from sqlalchemy import select

from planner import urls
from planner.extensions import db
from planner.models import User
from planner.services import accounts, assessments, clients, exchange, responding

EMAIL = "demo@example.com"
PASSWORD = "demo-password-2026"  # noqa: S105 - the published demo log-in
EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def seed(app: Flask) -> list[str]:
    frameworks_dir = Path(app.config["FRAMEWORKS_DIR"])
    existing = db.session.scalars(select(User).where(User.email == EMAIL)).first()
    if existing is not None:
        return [f"Demo log-in: {EMAIL} / {PASSWORD} (already seeded)"]
    user = accounts.sign_up("Demo Consulting", "Minh Anh (demo)", EMAIL, PASSWORD)
    org = user.organisation_id
    closed = exchange.import_answers(
        org, (EXAMPLES / "an-phat-vi.yaml").read_bytes(), "an-phat-vi.yaml", frameworks_dir
    )
    client = clients.get(org, closed.client_id)
    assessment = assessments.create(
        org,
        client.id,
        "Đánh giá CRM 2027 (IDIC và Gartner)",
        "vi",
        ["idic", "gartner-8"],
        frameworks_dir,
        {"idic": 4},
    )
    assessments.set_status(org, assessment.id, "open")
    lines = []
    people = [
        ("Nguyễn Thị Lan", "Ban giám đốc"),
        ("Trần Văn Minh", "Kinh doanh"),
        ("Phạm Thu Hà", "Chăm sóc khách hàng"),
    ]
    asked = assessments.asked_questions(assessment)
    for index, (name, role) in enumerate(people):
        invitation = assessments.add_respondent(org, assessment.id, name, role, None)
        count = {0: len(asked), 1: len(asked) // 2, 2: 0}[index]
        for n, qid in enumerate(asked[:count]):
            responding.save(invitation.respondent.id, qid, str(2 + (n + index) % 3), None, n + 1)
        if index == 0:
            responding.submit(invitation.respondent.id)
        lines.append(f"  {name} ({role}): {urls.absolute('respond.enter', token=invitation.token)}")
    return [
        f"Demo log-in: {EMAIL} / {PASSWORD}",
        "Respondent links of the open assessment (the second is half answered):",
        *lines,
    ]
