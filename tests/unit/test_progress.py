"""Progress to date (DESIGN §5) on the tiny model, computed by hand, and the `baseline:` of the
answers file (DESIGN §4): both forms, their round trip, and every bad baseline with its FILE:LINE.

The tiny model: alpha (weight 2; a1 weight 1, a2 weight 3), beta (weight 1, target 3; b1).

    baseline-2025.yaml    a1 = 3, a2 = 1, b1 = 2   alpha (3·1 + 1·3)/4 = 1.5     beta 2
    reassessment-2026     a1 = 1, a2 = 3, b1 = 1   alpha (1·1 + 3·3)/4 = 2.5     beta 1
    targets               alpha 3.5 (the file's),  beta 3 (the dimension's own)

    alpha  (2.5 − 1.5) / (3.5 − 1.5) = 1 / 2 = 0.5
    beta   (1 − 2) / (3 − 2) = −1                      maturity fell: negative
    tiny   Σ w·(s − b) / Σ w·(t − b) = (2·1 + 1·(−1)) / (2·2 + 1·1) = 1 / 5 = 0.2
    baseline of tiny (2·1.5 + 1·2) / 3 = 5/3 ≈ 1.67;   today (2·2.5 + 1·1) / 3 = 2

The baseline roadmap (its own targets: default 4, beta 3; three at once): base weeks 0–4,
beta-3 0–5, alpha-3 4–10 (after base). Counted from 2025-01-06, five weeks on (2025-02-10) base
(ends 2025-02-03) and beta-3 (ends 2025-02-10) are due, alpha-3 (ends 2025-03-17) is not.
"""

from __future__ import annotations

import shutil
import textwrap
from datetime import date

import pytest

from planner.answers import AnswersError, dump_answers, parse_answers, read_answers
from planner.engine.progress import NO_DATE, NO_ROADMAP, progress_of, ratio, weighted_ratio
from planner.engine.scoring import score
from planner.report.present import scorecard_data, scorecard_text
from tests.conftest import DATA, TINY_CATALOG

FIVE_WEEKS_ON = date(2025, 2, 10)
HEAD = """client: Công ty Thử nghiệm
language: en
frameworks: [tiny]
targets: {tiny.alpha: 3.5}
respondents:
  - name: Lan
    answers: {tiny.alpha.a1: 1, tiny.alpha.a2: 3, tiny.beta.b1: 1}
"""


def scored(loaded, today=FIVE_WEEKS_ON):
    card = score(
        loaded.assessment, loaded.frameworks, loaded.catalog.crosswalk.equivalent_questions
    )
    return card, progress_of(loaded, card, today)


def test_progress_to_date_by_hand():
    loaded = read_answers(DATA / "reassessment-2026.yaml", TINY_CATALOG)
    card, progress = scored(loaded)
    alpha = progress.dimension("tiny.alpha")
    beta = progress.dimension("tiny.beta")
    assert (alpha.baseline, alpha.score, alpha.target) == (1.5, 2.5, 3.5)
    assert alpha.ratio == pytest.approx(0.5)
    assert (beta.baseline, beta.score, beta.target) == (2, 1, 3)
    assert beta.ratio == pytest.approx(-1.0)  # maturity fell
    tiny = progress.framework("tiny")
    assert tiny.ratio == pytest.approx(0.2)
    assert tiny.baseline == pytest.approx(5 / 3)
    assert tiny.score == pytest.approx(2.0)
    data = scorecard_data(card, "en", progress)
    fw = data["frameworks"][0]
    assert (fw["baseline"], fw["progress_to_date"]) == (1.67, 0.2)
    assert [(d["baseline"], d["progress_to_date"]) for d in fw["dimensions"]] == [
        (1.5, 0.5),
        (2.0, -1.0),
    ]


def test_due_by_now_counts_the_baseline_roadmaps_weeks_from_its_date():
    loaded = read_answers(DATA / "reassessment-2026.yaml", TINY_CATALOG)
    _, progress = scored(loaded)
    assert progress.since == date(2025, 1, 6)
    assert [s.initiative.id for s in progress.due] == ["base", "beta-3"]
    _, on_the_day = scored(loaded, date(2025, 2, 9))
    assert [s.initiative.id for s in on_the_day.due] == ["base"]
    _, later = scored(loaded, date(2026, 1, 1))
    assert [s.initiative.id for s in later.due] == ["base", "beta-3", "alpha-3"]


def test_a_mapping_baseline_target_at_or_below_it_and_missing_scores(answers_of):
    loaded = parse_answers(
        (HEAD + "baseline: {tiny.beta: 3}\n").encode(), "a.yaml", None, TINY_CATALOG
    )
    _, progress = scored(loaded)
    assert progress.dimension("tiny.alpha").baseline is None
    assert progress.dimension("tiny.alpha").ratio is None  # no baseline
    assert progress.dimension("tiny.beta").ratio is None  # target 3 ≤ baseline 3
    assert progress.framework("tiny").ratio is None  # no dimension counts
    assert progress.due is None
    assert progress.missing == NO_ROADMAP
    both = parse_answers(
        (HEAD + "baseline: {tiny.alpha: 1.5, tiny.beta: 3.5}\n").encode(),
        "a.yaml",
        None,
        TINY_CATALOG,
    )
    _, progress = scored(both)
    # beta's target 3 is below its baseline 3.5: only alpha counts, 2·1 / 2·2
    assert progress.framework("tiny").ratio == pytest.approx(0.5)
    assert progress.framework("tiny").baseline == pytest.approx((2 * 1.5 + 3.5) / 3)
    unanswered = parse_answers(
        HEAD.replace(", tiny.beta.b1: 1", "")
        .replace("tiny.alpha.a1: 1", "tiny.alpha.a1: 1")
        .replace("answers: {", "answers: {tiny.beta.b1: unknown, ")
        .encode()
        + b"baseline: {tiny.alpha: 1.5, tiny.beta: 2}\n",
        "a.yaml",
        None,
        TINY_CATALOG,
    )
    _, progress = scored(unanswered)
    assert progress.dimension("tiny.beta").score is None
    assert progress.dimension("tiny.beta").ratio is None  # no score today


def test_the_ratio_edges():
    assert ratio(3.5, 1.5, 3.5) == 1.0
    assert ratio(1.5, 1.5, 3.5) == 0.0
    assert ratio(None, 1.5, 3.5) is None
    assert ratio(2.0, None, 3.5) is None
    assert ratio(2.0, 3.5, 3.5) is None
    assert weighted_ratio([(1, None, 1, 3), (2, 2, 3, 3)]) is None
    assert weighted_ratio([(1, 2, 1, 3), (2, 5, 4, 3)]) == 0.5


def test_a_baseline_file_without_a_date_cannot_count_what_is_due(tmp_path):
    shutil.copy(DATA / "reassessment-2026.yaml", tmp_path / "now.yaml")
    text = (DATA / "baseline-2025.yaml").read_text(encoding="utf-8")
    (tmp_path / "baseline-2025.yaml").write_text(text.replace("date: 2025-01-06\n", ""), "utf-8")
    loaded = read_answers(tmp_path / "now.yaml", TINY_CATALOG)
    card, progress = scored(loaded)
    assert progress.due is None
    assert progress.missing == NO_DATE
    assert progress.dimension("tiny.alpha").ratio == pytest.approx(0.5)  # scores still count
    assert "gives no date" in scorecard_text(card, "en", progress)


def test_no_baseline_no_progress():
    loaded = read_answers(DATA / "answers-tiny.yaml", TINY_CATALOG)
    card, progress = scored(loaded)
    assert progress is None
    fw = scorecard_data(card, "vi")["frameworks"][0]
    assert fw["baseline"] is None
    assert fw["progress_to_date"] is None
    assert all(d["progress_to_date"] is None for d in fw["dimensions"])


# --- the answers file's `baseline:` ---------------------------------------------------------------


def test_both_forms_read_and_round_trip():
    loaded = read_answers(DATA / "reassessment-2026.yaml", TINY_CATALOG)
    assert loaded.assessment.baseline.path == "./baseline-2025.yaml"
    assert loaded.baseline is not None
    assert loaded.baseline.assessment.title == "First review"
    assert loaded.baseline.assessment.date == date(2025, 1, 6)
    assert loaded.baseline.baseline is None  # its own baseline is ignored, not followed
    text = dump_answers(loaded.assessment)
    assert "baseline: ./baseline-2025.yaml" in text
    again = parse_answers(text.encode(), "again.yaml", DATA, TINY_CATALOG)
    assert again.assessment == loaded.assessment
    mapping = parse_answers(
        (HEAD + "date: 2026-02-01\nbaseline: {tiny.alpha: 2.1, tiny.beta: 1}\n").encode(),
        "m.yaml",
        None,
        TINY_CATALOG,
    )
    assert dict(mapping.assessment.baseline.scores) == {"tiny.alpha": 2.1, "tiny.beta": 1}
    assert mapping.assessment.date == date(2026, 2, 1)
    text = dump_answers(mapping.assessment)
    assert "baseline:\n  tiny.alpha: 2.1\n  tiny.beta: 1\n" in text  # a mapping stays a mapping
    assert "date: 2026-02-01\n" in text
    again = parse_answers(text.encode(), "again.yaml", None, TINY_CATALOG)
    assert again.assessment == mapping.assessment


BAD_MAPPING = [
    ("baseline: {tiny.nope: 2}", "m.yaml:8:12: unknown dimension 'tiny.nope' in baseline"),
    ("baseline: {tiny.alpha: 6}", "m.yaml:8:24: baseline 6 of tiny.alpha is off scale"),
    ("baseline: {tiny.alpha: high}", "m.yaml:8:24: the baseline of tiny.alpha must be a number"),
    ("baseline: [tiny.alpha]", "m.yaml:8:11: baseline must be the path of an earlier answers"),
    ("baseline: {}", "m.yaml:8:11: the baseline mapping is empty"),
    ("baseline: ./earlier.yaml", "m.yaml:8:11: './earlier.yaml': an uploaded file cannot name"),
    ("date: 3 May 2026", "m.yaml:8:7: date must be a day written YYYY-MM-DD"),
]


@pytest.mark.parametrize(("line", "message"), BAD_MAPPING)
def test_a_bad_baseline_is_one_message_with_its_line(line, message):
    with pytest.raises(AnswersError) as caught:
        parse_answers((HEAD + line + "\n").encode(), "m.yaml", None, TINY_CATALOG)
    assert any(str(p).startswith(message) for p in caught.value.problems), caught.value.problems


def write(folder, name, text):
    (folder / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return folder / name


def test_bad_baseline_files_are_reported_where_the_problem_is(tmp_path):
    now = write(tmp_path, "now.yaml", HEAD + "baseline: ./earlier.yaml\n")
    with pytest.raises(AnswersError) as missing:
        read_answers(now, TINY_CATALOG)
    assert [p.message for p in missing.value.problems] == [
        "baseline file './earlier.yaml' not found"
    ]
    assert missing.value.problems[0].mark.line == 8
    write(tmp_path, "earlier.yaml", HEAD.replace("tiny.alpha.a1: 1", "tiny.alpha.a1: 9"))
    with pytest.raises(AnswersError) as broken:
        read_answers(now, TINY_CATALOG)
    problem = broken.value.problems[0]
    assert problem.mark.path.endswith("earlier.yaml")  # the baseline file's own FILE:LINE
    assert problem.mark.line == 7
    assert "level 9 is not on scale" in problem.message
    write(tmp_path, "earlier.yaml", HEAD.replace("Công ty Thử nghiệm", "Another Co"))
    with pytest.raises(AnswersError) as other:
        read_answers(now, TINY_CATALOG)
    assert "is an assessment of 'Another Co', not of 'Công ty Thử nghiệm'" in str(other.value)
    (tmp_path / "earlier.yaml").write_bytes(b"\xff\xfe not utf-8")
    with pytest.raises(AnswersError) as unreadable:
        read_answers(now, TINY_CATALOG)
    assert unreadable.value.problems[0].mark.path.endswith("earlier.yaml")
