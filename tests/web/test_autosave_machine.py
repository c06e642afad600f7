"""A state machine of autosaves in any order: the database always equals the last acknowledged answer."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule
from sqlalchemy import select

from planner import create_app
from planner.extensions import db
from planner.models import AnswerRow, Base
from planner.services import accounts, assessments, clients
from tests.web.conftest import csrf_token

QUESTIONS = [
    "idic.identify.one-customer-id",
    "idic.identify.known-transactions",
    "idic.interact.shared-history",
]
VALUES = st.sampled_from(["1", "2", "3", "4", "5", "na", "unknown", None])


class Autosave(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.folder = tempfile.TemporaryDirectory()
        self.app = create_app(
            {
                "TESTING": True,
                "SECRET_KEY": "m",
                "DATABASE_URL": f"sqlite:///{Path(self.folder.name) / 'm.sqlite3'}",
            }
        )
        self.app.instance_path = self.folder.name
        self.acked: dict[str, tuple[int, str | None, str | None]] = {}
        self.sent: list[tuple[str, str | None, str | None, int]] = []
        self.seq = 0

    @initialize()
    def respondent(self) -> None:
        with self.app.app_context():
            Base.metadata.create_all(db.engine)
            user = accounts.sign_up("M", "M", "m@m.example", "long password 1")
            client = clients.create(user.organisation_id, "C")
            assessment = assessments.create(
                user.organisation_id,
                client.id,
                "T",
                "en",
                ["idic"],
                Path(self.app.config["FRAMEWORKS_DIR"]),
            )
            link = assessments.add_respondent(
                user.organisation_id, assessment.id, "R", None, None
            ).token
        self.browser = self.app.test_client()
        self.browser.get(f"/r/{link}")
        self.token = csrf_token(self.browser, "/respond/page/1")

    def _post(self, question: str, value: str | None, comment: str | None, seq: int) -> None:
        response = self.browser.post(
            "/respond/save",
            json={"question": question, "value": value, "comment": comment, "client_seq": seq},
            headers={"X-CSRFToken": self.token},
        )
        assert response.status_code == 200
        stored_seq = response.get_json()["client_seq"]
        last = self.acked.get(question)
        if last is None or seq > last[0]:
            self.acked[question] = (seq, value, comment)
        assert stored_seq == self.acked[question][0]

    @rule(
        question=st.sampled_from(QUESTIONS),
        value=VALUES,
        comment=st.sampled_from([None, "x", "Chỉ ở Hà Nội"]),
    )
    def answer(self, question: str, value: str | None, comment: str | None) -> None:
        self.seq += 1
        self.sent.append((question, value, comment, self.seq))
        self._post(question, value, comment, self.seq)

    @rule(data=st.data())
    def retry_an_old_request(self, data: st.DataObject) -> None:
        if not self.sent:
            return
        question, value, comment, seq = data.draw(st.sampled_from(self.sent))
        self._post(question, value, comment, seq)

    @invariant()
    def database_equals_last_acknowledged(self) -> None:
        if not hasattr(self, "browser"):
            return
        with self.app.app_context():
            rows = {
                r.question_id: (r.client_seq, r.value, r.comment)
                for r in db.session.scalars(select(AnswerRow))
            }
        assert rows == self.acked

    def teardown(self) -> None:
        with self.app.app_context():
            db.engine.dispose()
        self.folder.cleanup()


TestAutosave = Autosave.TestCase
TestAutosave.settings = settings(max_examples=15, stateful_step_count=25, deadline=None)
