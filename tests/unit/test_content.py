"""The shipped models: complete, bilingual, distinct anchors, initiatives for every step, a short questionnaire."""

from __future__ import annotations

import pytest

from planner.catalog import load_catalog
from planner.catalog.content import missing_steps, shared_anchors, untranslated
from planner.engine.questionnaire import unique_questions
from tests.conftest import model, question

SIX = ("idic", "gartner-8", "qci", "payne-frow", "value-chain", "conceptual")
MAX_UNIQUE_QUESTIONS = 110


@pytest.fixture(scope="module")
def shipped():
    return load_catalog()


def test_the_six_models_ship(shipped):
    assert {fw.id for fw in shipped.frameworks} == set(SIX)


@pytest.mark.parametrize("fid", SIX)
def test_model_shape(shipped, fid):
    fw = shipped.framework(fid)
    low, high = (10, 30) if fid == "conceptual" else (16, 40)
    assert low <= fw.question_count <= high
    assert all(len(d.questions) >= 2 for d in fw.dimensions)
    assert fw.languages == ("en", "vi")
    assert fw.source is not None
    assert fw.scale.id == "crm-5"
    for _, q in fw.questions():
        assert len(q.anchors) == 5, q.full_id
        assert q.evidence, f"{q.full_id} has no evidence hints"


def test_groups_where_the_literature_has_them(shipped):
    groups = {d.group.get("en") for d in shipped.framework("value-chain").dimensions if d.group}
    assert groups == {"Primary stages", "Supporting conditions"}
    assert (
        len({d.group.get("en") for d in shipped.framework("payne-frow").dimensions if d.group}) == 2
    )


def test_identify_is_recognition_not_targeting(shipped):
    identify = shipped.framework("idic").dimension("identify")
    assert "xác định khách hàng mục tiêu" in identify.description.get("vi")
    assert "target" in identify.description.get("en").lower()


def test_every_text_is_translated(shipped):
    assert untranslated(shipped) == []


def test_no_two_levels_share_an_anchor(shipped):
    assert shared_anchors(shipped) == []


def test_every_dimension_step_has_an_initiative(shipped):
    assert missing_steps(shipped) == []


def test_six_model_questionnaire_stays_short(shipped):
    frameworks = [shipped.framework(f) for f in SIX]
    asked = unique_questions(frameworks, shipped.crosswalk.equivalent_questions)
    assert len(asked) <= MAX_UNIQUE_QUESTIONS
    assert len(asked) == len(set(asked))


def test_capabilities_cover_every_dimension(shipped):
    covered = {d for cap in shipped.crosswalk.capabilities for d in cap.dimensions} | {
        q.rsplit(".", 1)[0] for cap in shipped.crosswalk.capabilities for q in cap.questions
    }  # a dimension that only partly belongs to a capability is there by its questions
    assert len(shipped.crosswalk.capabilities) >= 10
    assert {d.full_id for fw in shipped.frameworks for d in fw.dimensions} <= covered


# The checks themselves fail on broken content:

BROKEN = model(
    "m",
    {"d": [question("q1"), question("q2")]},
).replace("2: {en: L2, vi: M2}, 3: {en: L3, vi: M3}", "2: {en: L2, vi: M2}, 3: {en: L2, vi: M3}", 1)
INITIATIVES = """
initiatives:
  - {id: x, title: {en: Customer data, vi: Customer data}, improves: [{dimension: m.d, to_level: 2}], duration_weeks: 2}
  - {id: y, title: {en: Data quality programme, vi: Chuong trinh chat luong du lieu}, improves: [{dimension: m.d, to_level: 3}], duration_weeks: 2}
"""


def test_content_checks_catch_what_they_should(catalog_of):
    broken = catalog_of({"m.yaml": BROKEN, "initiatives.yaml": INITIATIVES})
    assert shared_anchors(broken) == ["m.d.q1: levels 2 and 3 share the en anchor"]
    assert missing_steps(broken) == [
        "m.d: no initiative to level 4",
        "m.d: no initiative to level 5",
    ]
    found = untranslated(broken)
    assert "initiative x title: Vietnamese is the English text 'Customer data'" in found
    assert any("initiative y title: Vietnamese has no Vietnamese letters" in f for f in found)
