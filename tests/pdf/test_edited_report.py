"""A report of a roadmap the consultant edited (issue 11, DESIGN §6 step 7): the PDF's roadmap holds
the added initiative and not the dropped one, marks what the consultant added or changed, and says
which pins the plan could not honour — in the assessment's language."""

from __future__ import annotations

from pathlib import Path

import pytest

from planner.report.text import labels
from tests.pdf.test_thin_report import rendered

pytestmark = pytest.mark.slow

EXAMPLE = (Path(__file__).parents[2] / "examples" / "northwind-en.yaml").read_text(encoding="utf-8")
EDITS = """roadmap:
  drop: [idic-tailoring-pilot]
  add:
    - {id: sales-playbook, title: Regional sales playbook, improves: [{dimension: idic.interact, to_level: 3}],
       duration_weeks: 6, owner: Head of Sales}
  change:
    customer-master-data: {start_week: 4, owner: Head of IT}
"""


@pytest.fixture(scope="module", params=["en", "vi"])
def edited(request, tmp_path_factory):
    braced = (EXAMPLE + EDITS).replace("{", "{{").replace("}", "}}")  # `rendered` formats it
    source = braced.replace("language: en", "language: {lang}", 1)
    return rendered(source, request.param, tmp_path_factory.mktemp("edited"))


def test_the_roadmap_holds_the_edits_and_says_whose_they_are(edited):
    built, text, _ = edited
    t = labels(built.lang)
    roadmap = text[text.index(t["initiatives"]) : text.rindex(t["methodology"])]
    assert "Regional sales playbook" in roadmap
    assert t["added_tag"] in roadmap
    assert t["changed_tag"] in roadmap  # the pinned customer master data
    assert t["edits_title"] in roadmap
    dropped = next(
        i.title.get(built.lang)
        for i in built.loaded.catalog.all_initiatives()
        if i.id == "idic-tailoring-pilot"
    )
    # the dropped initiative is named once: in the list of the consultant's changes, not the plan
    assert roadmap.count(dropped) == 1
    assert t["edits_dropped"].format(titles=dropped) in roadmap
    assert all(v.item.initiative.id != "idic-tailoring-pilot" for v in built.initiatives)


def test_a_pin_before_its_prerequisite_ends_is_reported(edited):
    built, text, _ = edited
    t = labels(built.lang)
    master = next(
        v.item for v in built.initiatives if v.item.initiative.id == "customer-master-data"
    )
    assert master.start_week == 4
    governance = next(
        v.item
        for v in built.initiatives
        if v.item.initiative.id == "customer-information-governance"
    )
    line = t["warn_prerequisite"].format(
        title=master.initiative.title.get(built.lang),
        a=4,
        other=governance.initiative.title.get(built.lang),
        b=governance.end_week,
    )
    assert line in built.edits
    assert " ".join(line.split()) in text
