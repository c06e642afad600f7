"""Hypothesis properties of the scoring and roadmap rules."""

from __future__ import annotations

import json
from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from planner.answers import NA, Answer, Assessment, Change, Respondent, RoadmapSettings
from planner.catalog import (
    Dimension,
    Framework,
    Improvement,
    Initiative,
    Level,
    Question,
    Scale,
    Text,
)
from planner.engine.roadmap import plan
from planner.engine.scoring import score
from planner.report.present import roadmap_data, scorecard_data

SCALE = Scale("five", tuple(Level(v, Text.plain(f"L{v}")) for v in range(1, 6)))
VALUES = st.one_of(st.integers(1, 5), st.sampled_from([NA, "unknown"]))


@st.composite
def frameworks(draw) -> Framework:
    dims = []
    for d in range(draw(st.integers(1, 4))):
        questions = tuple(
            Question(
                id=f"q{q}",
                full_id=f"m.d{d}.q{q}",
                text=Text.plain("?"),
                anchors=tuple((v, Text.plain(str(v))) for v in SCALE.values),
                weight=draw(st.sampled_from([0.5, 1.0, 2.0, 3.0])),
            )
            for q in range(draw(st.integers(1, 4)))
        )
        dims.append(
            Dimension(
                id=f"d{d}",
                full_id=f"m.d{d}",
                name=Text.plain(f"D{d}"),
                questions=questions,
                weight=draw(st.sampled_from([0.5, 1.0, 2.0])),
                target=draw(st.one_of(st.none(), st.integers(1, 5))),
            )
        )
    return Framework(
        id="m",
        version="1",
        name=Text.plain("M"),
        languages=("en",),
        scale=SCALE,
        dimensions=tuple(dims),
        level_rule=draw(st.sampled_from(["average", "weakest"])),
        na_policy=draw(st.sampled_from(["exclude", "minimum"])),
        default_target=draw(st.one_of(st.none(), st.integers(2, 5))),
    )


@st.composite
def assessments(draw, fw: Framework) -> Assessment:
    qids = [q.full_id for _, q in fw.questions()]
    people = []
    for i in range(draw(st.integers(1, 6))):
        answers = draw(st.dictionaries(st.sampled_from(qids), VALUES.map(Answer)))
        importance = draw(
            st.dictionaries(st.sampled_from([d.full_id for d in fw.dimensions]), st.integers(1, 5))
        )
        people.append(
            Respondent(
                f"R{i}", draw(st.sampled_from(["ceo", "cfo", "staff"])), None, answers, importance
            )
        )
    return Assessment(client="C", frameworks=("m",), respondents=tuple(people))


@st.composite
def cases(draw) -> tuple[Framework, Assessment]:
    fw = draw(frameworks())
    return fw, draw(assessments(fw))


def all_scores(card):
    fs = card.frameworks[0]
    yield fs.score
    for ds in fs.dimensions:
        yield ds.score
        for qs in ds.questions:
            yield qs.score


@given(cases())
def test_scores_stay_on_the_scale(case):
    fw, assessment = case
    card = score(assessment, [fw])
    for value in all_scores(card):
        assert value is None or SCALE.minimum <= value <= SCALE.maximum
    fs = card.frameworks[0]
    assert fs.level is None or fs.level in SCALE.values
    assert fs.percent_to_target is None or 0 <= fs.percent_to_target <= 100 + 1e-9
    for ds in fs.dimensions:
        assert ds.coverage is None or 0 <= ds.coverage <= 1
        assert ds.level is None or ds.level in SCALE.values
        assert ds.gap is None or ds.gap >= 0


@given(cases(), st.data())
def test_raising_one_answer_never_lowers_its_dimension(case, data):
    fw, assessment = case
    raisable = [
        (i, qid)
        for i, r in enumerate(assessment.respondents)
        for qid, a in r.answers.items()
        if isinstance(a.value, int) and a.value < 5
    ]
    if not raisable:
        return
    i, qid = data.draw(st.sampled_from(raisable))
    person = assessment.respondents[i]
    raised = replace(person, answers={**person.answers, qid: Answer(person.answers[qid].value + 1)})
    after = replace(
        assessment,
        respondents=(*assessment.respondents[:i], raised, *assessment.respondents[i + 1 :]),
    )
    dim = qid.rsplit(".", 1)[0]
    before_score = score(assessment, [fw]).dimension(dim).score
    after_score = score(after, [fw]).dimension(dim).score
    assert after_score >= before_score - 1e-9


@given(cases(), st.data())
def test_na_under_exclude_never_changes_a_score(case, data):
    fw, assessment = case
    fw = replace(fw, na_policy="exclude")
    qids = [q.full_id for _, q in fw.questions()]
    extra = data.draw(st.lists(st.sampled_from(qids), unique=True))
    person = Respondent("Newcomer", "ceo", None, {q: Answer(NA) for q in extra})
    more = replace(assessment, respondents=(*assessment.respondents, person))
    assert list(all_scores(score(assessment, [fw]))) == list(all_scores(score(more, [fw])))


@given(cases())
def test_same_input_same_output(case):
    fw, assessment = case
    first = json.dumps(scorecard_data(score(assessment, [fw])))
    assert first == json.dumps(scorecard_data(score(assessment, [fw])))


@st.composite
def libraries(draw, fw: Framework) -> list[Initiative]:
    count = draw(st.integers(1, 14))
    out: list[Initiative] = []
    for i in range(count):
        improves = draw(
            st.lists(
                st.builds(
                    Improvement,
                    st.sampled_from([d.full_id for d in fw.dimensions]),
                    st.integers(2, 5),
                ),
                min_size=1,
                max_size=2,
            )
        )
        depends = (
            draw(st.lists(st.sampled_from([x.id for x in out]), unique=True, max_size=3))
            if out
            else []
        )
        out.append(
            Initiative(
                f"i{i}",
                Text.plain(f"I{i}"),
                draw(st.integers(1, 12)),
                tuple(improves),
                depends_on=tuple(depends),
            )
        )
    return out


@settings(max_examples=150)
@given(cases(), st.data(), st.integers(1, 4))
def test_schedule_respects_prerequisites_and_max_parallel(case, data, max_parallel):
    fw, assessment = case
    library = data.draw(libraries(fw))
    road = plan(score(assessment, [fw]), library, RoadmapSettings(max_parallel=max_parallel))
    ends = {s.initiative.id: s.end_week for s in road.initiatives}
    for s in road.initiatives:
        assert s.end_week - s.start_week == s.initiative.duration_weeks
        for dep in s.depends_on:
            assert s.start_week >= ends[dep]
        for dep in (
            s.initiative.depends_on
        ):  # explicit prerequisites are scheduled first, or were achieved
            assert dep not in ends or s.start_week >= ends[dep]
    for week in range(road.total_weeks):
        running = sum(1 for s in road.initiatives if s.start_week <= week < s.end_week)
        assert running <= max_parallel
    again = plan(score(assessment, [fw]), library, RoadmapSettings(max_parallel=max_parallel))
    assert roadmap_data(again) == roadmap_data(road)


@settings(max_examples=150)
@given(cases(), st.data())
def test_a_prerequisite_is_never_less_urgent_than_what_needs_it(case, data):
    fw, assessment = case
    road = plan(score(assessment, [fw]), data.draw(libraries(fw)))
    priority = {s.initiative.id: s.priority for s in road.initiatives}
    for s in road.initiatives:
        for dep in s.depends_on:  # explicit and implicit (same-dimension) prerequisites
            assert priority[dep] >= s.priority


@st.composite
def edits(draw, fw: Framework, library: list[Initiative]) -> RoadmapSettings:
    ids = [i.id for i in library]
    drop = draw(st.lists(st.sampled_from(ids), unique=True, max_size=3))
    added = []
    for k in range(draw(st.integers(0, 2))):
        lifts = draw(st.sampled_from([d.full_id for d in fw.dimensions]))
        added.append(
            Initiative(
                f"added{k}",
                Text.plain(f"Added {k}"),
                draw(st.integers(1, 10)),
                (Improvement(lifts, draw(st.integers(2, 5))),),
                depends_on=tuple(draw(st.lists(st.sampled_from(ids), unique=True, max_size=2))),
            )
        )
    change = {}
    for iid in draw(
        st.lists(st.sampled_from(ids + [a.id for a in added]), unique=True, max_size=4)
    ):
        change[iid] = Change(
            start_week=draw(st.none() | st.integers(0, 40)),
            duration_weeks=draw(st.none() | st.integers(1, 12)),
            owner=draw(st.none() | st.just("Head of Sales")),
        )
    return RoadmapSettings(
        max_parallel=draw(st.integers(1, 3)),
        horizon_weeks=draw(st.integers(10, 100)),
        drop=tuple(drop),
        add=tuple(added),
        change=change,
    )


@settings(max_examples=200)
@given(cases(), st.data())
def test_random_edits_keep_the_rules_of_step_7(case, data):
    """Dropped initiatives never appear; pins start exactly where pinned; an unpinned initiative
    starts after its prerequisites end and never makes a week exceed max_parallel (pins counted);
    every week that pins alone push over it has a warning; added ones are always planned; the
    trajectory never falls below today."""
    fw, assessment = case
    library = data.draw(libraries(fw))
    edited = data.draw(edits(fw, library))
    card = score(assessment, [fw])
    road = plan(card, library, edited)
    by_id = {s.initiative.id: s for s in road.initiatives}
    assert not set(edited.drop) & set(by_id)
    assert {a.id for a in edited.add} - set(edited.drop) <= set(by_id)
    for iid, change in edited.change.items():
        if iid in by_id:
            s = by_id[iid]
            assert s.edited
            if change.start_week is not None:
                assert s.pinned
                assert s.start_week == change.start_week
            if change.duration_weeks is not None:
                assert s.end_week - s.start_week == change.duration_weeks
        else:
            assert iid in road.inactive
    for s in road.initiatives:
        assert s.later == (s.start_week >= edited.horizon_weeks)
        if not s.pinned:
            for dep in s.depends_on:
                assert s.start_week >= by_id[dep].end_week
    capacity = edited.max_parallel
    warned = {
        week
        for w in road.warnings
        if w.kind == "capacity" and w.weeks
        for week in range(w.weeks[0], w.weeks[1] + 1)
    }
    for week in range(road.total_weeks):
        running = [s for s in road.initiatives if s.start_week <= week < s.end_week]
        pinned = sum(1 for s in running if s.pinned)
        if pinned > capacity:
            assert week in warned
        if len(running) > capacity:
            assert len(running) == pinned  # only pins may push a week over
    for s in road.initiatives:
        if s.pinned:
            for dep in s.depends_on:
                if by_id[dep].end_week > s.start_week:
                    assert any(
                        w.kind == "prerequisite"
                        and w.initiative == s.initiative.id
                        and w.other == dep
                        for w in road.warnings
                    )
    for phase in road.phases:
        for fs in card.frameworks:
            if fs.score is not None:
                assert phase.projected[fs.framework.id] >= fs.score - 1e-9


@given(
    st.floats(1, 5, allow_nan=False),
    st.floats(1, 5, allow_nan=False),
    st.floats(1, 5, allow_nan=False),
)
def test_progress_is_zero_at_the_baseline_and_one_at_the_target(baseline, today, target):
    from planner.engine.progress import ratio

    if target <= baseline:
        assert ratio(today, baseline, target) is None
        return
    assert ratio(baseline, baseline, target) == 0
    assert ratio(target, baseline, target) == 1
    found = ratio(today, baseline, target)
    assert found is not None
    assert (found < 0) == (today < baseline)  # negative exactly when maturity fell


@given(cases(), st.data())
def test_a_framework_at_its_targets_has_come_all_the_way(case, data):
    """Today at every target, from any baseline below it: the model's progress is 1."""
    from datetime import date

    from planner.engine.progress import Earlier, progress

    fw, assessment = case
    card = score(assessment, [fw])
    baselines = {
        ds.dimension.full_id: data.draw(st.floats(1, ds.target - 0.01))
        for ds in card.frameworks[0].dimensions
        if ds.target > 1
    }
    at_target = replace(
        card,
        frameworks=(
            replace(
                card.frameworks[0],
                dimensions=tuple(
                    replace(ds, score=ds.target) for ds in card.frameworks[0].dimensions
                ),
            ),
        ),
    )
    found = progress(at_target, Earlier(baselines), date(2026, 1, 1)).frameworks[0]
    if baselines:
        assert found.ratio is not None
        assert abs(found.ratio - 1) < 1e-9
    else:
        assert found.ratio is None
