"""Honest with thin data (issue 9): properties over random answer subsets, empty included, of the
synthetic models and of the six shipped ones, with the shipped initiative library."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from planner.answers import Answer, Assessment, Loaded, Respondent, RoadmapSettings
from planner.catalog import Catalog, load_catalog
from planner.engine.findings import highlights
from planner.engine.roadmap import plan
from planner.engine.scoring import score
from planner.report.content import build_report
from tests.unit.test_properties import VALUES, cases, libraries

EXAMPLES = Path(__file__).parents[2] / "examples"


@cache
def shipped() -> Catalog:
    return load_catalog()


def check_projection(card, road) -> None:
    """After every phase, every model is projected at or above today, never below; unscored
    models stay unscored."""
    for fs in card.frameworks:
        for phase in road.phases:
            projected = phase.projected[fs.framework.id]
            if fs.score is None:
                assert projected is None
            else:
                assert projected is not None
                assert projected >= fs.score - 1e-9, (fs.framework.id, phase.name)


def check_highlights(card) -> None:
    found = highlights(card)
    strong = {d.dimension.full_id for d in found.strengths}
    weak = {d.dimension.full_id for d in found.gaps}
    assert not strong & weak
    for d in (*found.strengths, *found.gaps):
        assert d.score is not None
        assert not d.insufficient  # only dimensions with enough coverage are named
    if found.strengths and found.gaps:
        assert min(d.score for d in found.strengths) >= max(d.score for d in found.gaps)
    for d in found.gaps:
        assert (d.gap or 0) > 0


@settings(max_examples=200)
@given(cases(), st.data(), st.integers(1, 4))
def test_synthetic_models_are_projected_at_or_above_today(case, data, max_parallel):
    fw, assessment = case
    library = data.draw(libraries(fw))
    card = score(assessment, [fw])
    road = plan(card, library, RoadmapSettings(max_parallel=max_parallel))
    check_projection(card, road)
    check_highlights(card)


@st.composite
def shipped_cases(draw) -> Assessment:
    catalog = shipped()
    ids = draw(
        st.lists(
            st.sampled_from([fw.id for fw in catalog.frameworks]),
            min_size=1,
            max_size=3,
            unique=True,
        )
    )
    qids = [q.full_id for fid in ids for _, q in catalog.framework(fid).questions()]
    people = tuple(
        Respondent(
            f"R{i}",
            draw(st.sampled_from(["ceo", "sales"])),
            answers=draw(st.dictionaries(st.sampled_from(qids), VALUES.map(Answer), max_size=12)),
        )
        for i in range(draw(st.integers(0, 3)))
    )
    return Assessment("Co", tuple(ids), respondents=people)


@settings(max_examples=120, deadline=None)
@given(shipped_cases())
def test_shipped_models_are_projected_at_or_above_today(assessment):
    catalog = shipped()
    frameworks = [catalog.framework(fid) for fid in assessment.frameworks]
    card = score(assessment, frameworks, catalog.crosswalk.equivalent_questions)
    road = plan(card, catalog.all_initiatives(), assessment.roadmap)
    check_projection(card, road)
    check_highlights(card)
    if not road.scored:
        assert road.state == "no_scores"
        assert not road.initiatives


@settings(max_examples=25, deadline=None)
@given(shipped_cases(), st.sampled_from(["en", "vi"]))
def test_the_report_never_claims_nothing_is_needed_without_scores(assessment, lang):
    catalog = shipped()
    assessment = Assessment(
        "Co", assessment.frameworks, language=lang, respondents=assessment.respondents
    )
    loaded = Loaded(assessment, catalog, tuple(catalog.framework(f) for f in assessment.frameworks))
    report = build_report(loaded)
    note = report.roadmap_note
    if report.roadmap.initiatives:
        assert note is None
        return
    assert note is not None
    if report.roadmap.state == "no_scores":
        assert note.startswith(report.t["no_roadmap_empty"].split(":")[0])
    if report.roadmap.unscored:  # "nothing is needed" only when every dimension has a score
        assert note != report.t["no_roadmap"]


def test_nobody_answered_says_not_enough_answers_everywhere():
    catalog = shipped()
    for lang in ("en", "vi"):
        assessment = Assessment("Co", ("idic", "gartner-8"), language=lang)
        loaded = Loaded(
            assessment, catalog, tuple(catalog.framework(f) for f in ("idic", "gartner-8"))
        )
        report = build_report(loaded)
        t = report.t
        assert report.roadmap.state == "no_scores"
        assert report.highlights_note is not None
        assert report.strengths == report.weakest == []
        for fs, line in zip(report.card.frameworks, report.overall, strict=True):
            asked = len(list(fs.framework.questions()))
            assert line == t["overall_none"].format(
                model=fs.framework.name.get(lang), answered=0, of=asked
            )
            assert t["answered"].format(answered=0, of=asked) in (report.roadmap_note or "")


@settings(max_examples=100)
@given(cases(), st.data(), st.integers(1, 3), st.integers(1, 30))
def test_initiatives_starting_at_or_after_the_horizon_are_later(case, data, max_parallel, horizon):
    fw, assessment = case
    library = data.draw(libraries(fw))
    card = score(assessment, [fw])
    road = plan(card, library, RoadmapSettings(max_parallel=max_parallel, horizon_weeks=horizon))
    for s in road.initiatives:
        assert s.later == (s.start_week >= horizon)
    assert set(road.planned) | set(road.later) == set(road.initiatives)
    # later initiatives still count in the last phase's projection
    last = road.phases[-1].projected_dimensions
    for s in road.later:
        for lift in s.improves:
            if card.dimension(lift.dimension).score is not None:
                assert last[lift.dimension] >= lift.to_level


def test_the_six_model_example_keeps_later_initiatives_off_the_gantt():
    from planner.answers import read_answers
    from planner.report.present import roadmap_data

    loaded = read_answers(EXAMPLES / "all-models-en.yaml")
    report = build_report(loaded)
    road = report.roadmap
    assert road.later  # the six-model plan runs past 78 weeks
    data = roadmap_data(road)
    assert [i["later"] for i in data["initiatives"]] == [s.later for s in road.initiatives]
    # the Gantt draws one bar per planned initiative, labelled with its number, and none after
    assert report.gantt.count('height="7" rx="2"') == len(road.planned)
    for n in range(1, len(road.planned) + 1):
        assert f">{n}. " in report.gantt
    assert f">{len(road.planned) + 1}. " not in report.gantt
    numbers = [v.number for v in report.initiatives]
    assert numbers == list(range(1, len(road.initiatives) + 1))


def test_chart_columns_and_legends_use_the_short_names():
    from planner.answers import read_answers

    for name in ("all-models-en.yaml", "all-models-vi.yaml"):
        report = build_report(read_answers(EXAMPLES / name))
        lang = report.lang
        for fs in report.card.frameworks:
            short = fs.framework.short_name.get(lang).replace("&", "&amp;")
            assert short in (report.heatmap or "")
            assert short in report.trajectory
        assert "…" not in (report.heatmap or "")  # nothing cut
