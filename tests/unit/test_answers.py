"""The answers file (DESIGN §4): round trip, and one message with its line per problem."""

from __future__ import annotations

import pytest

from planner.answers import AnswersError, dump_answers, parse_answers, read_answers
from tests.conftest import DATA, TINY_CATALOG


def test_reads_every_kind_of_answer(tiny_catalog):
    loaded = read_answers(DATA / "answers-tiny.yaml", TINY_CATALOG)
    lan, minh = loaded.assessment.respondents
    assert loaded.assessment.client == "Công ty Thử nghiệm"
    assert loaded.assessment.language == "vi"
    assert [fw.id for fw in loaded.frameworks] == ["tiny"]
    assert lan.answers["tiny.alpha.a2"].value == 3
    assert lan.answers["tiny.alpha.a2"].comment == "Chỉ ở một chi nhánh"
    assert lan.answers["tiny.beta.b1"].value == "na"
    assert minh.answers["tiny.alpha.a2"].value == "unknown"


def test_round_trip_is_exact():
    loaded = read_answers(DATA / "answers-tiny.yaml", TINY_CATALOG)
    text = dump_answers(loaded.assessment)
    again = parse_answers(text.encode(), "again.yaml", DATA, TINY_CATALOG)
    assert again.assessment == loaded.assessment
    assert dump_answers(again.assessment) == text


def test_round_trip_keeps_awkward_text(tmp_path):
    source = (
        "client: 'yes'\ntitle: \"1.0\"\nlanguage: en\nframeworks: [tiny]\n"
        "targets: {tiny: 4, tiny.beta: 2.5}\n"
        "respondents:\n  - name: 'O''Brien: #1'\n    role: null\n    email: a@b.example\n"
        "    answers:\n      tiny.alpha.a1: {level: na, comment: \"=cmd|' /C calc'!A0\"}\n"
        "      tiny.alpha.a2: {comment: only a remark}\n"
        "    importance: {tiny.alpha: 5}\n"
        "agreed: {tiny.alpha.a1: 2}\n"
        'notes: {tiny.alpha.a1: "Two CRMs,\\nmerged by hand", tiny.beta: By the 2027 budget}\n'
        "roadmap: {max_parallel: 2, horizon_weeks: 40, phases: [{name: Now, start_week: 0}, {name: Next, start_week: 8}]}\n"
    )
    loaded = parse_answers(source.encode(), "x.yaml", tmp_path, TINY_CATALOG)
    assessment = loaded.assessment
    assert assessment.roadmap.horizon_weeks == 40
    assert assessment.client == "yes"
    assert assessment.title == "1.0"
    assert assessment.notes == {
        "tiny.alpha.a1": "Two CRMs,\nmerged by hand",  # a workshop note may span lines
        "tiny.beta": "By the 2027 budget",  # the note of an agreed target
    }
    again = parse_answers(
        dump_answers(assessment).encode(), "y.yaml", tmp_path, TINY_CATALOG
    ).assessment
    assert again == assessment


BAD = """client: X
language: fr
frameworks: [tiny, nope]
colour: blue
targets: {tiny: 9, tiny.gamma: 3}
respondents:
  - name: A
    answers:
      tiny.alpha.a1: 7
      tiny.alpha.zz: 3
      tiny.beta.b1: {level: 2, note: x}
    importance: {tiny.alpha: 6}
  - role: ceo
agreed: {tiny.alpha.a1: unknown}
"""


def test_a_bad_file_gets_one_message_per_problem_with_its_line(tmp_path):
    with pytest.raises(AnswersError) as info:
        parse_answers(BAD.encode(), "bad.yaml", tmp_path, TINY_CATALOG)
    found = [str(p) for p in info.value.problems]
    assert found == [
        "bad.yaml:2:11: language must be one of en, vi, got 'fr'",
        "bad.yaml:3:20: unknown framework 'nope' (known: mini, tiny)",
        "bad.yaml:4:1: unknown key 'colour' in the answers file (allowed: client, title, date, language, "
        "frameworks, targets, respondents, agreed, notes, roadmap, baseline)",
        "bad.yaml:5:17: target 9 of tiny is off scale five (1, 2, 3, 4, 5)",
        "bad.yaml:5:20: unknown model or dimension 'tiny.gamma' in targets",
        "bad.yaml:9:22: level 7 is not on scale five (one of 1, 2, 3, 4, 5, na, unknown)",
        "bad.yaml:10:7: unknown question 'tiny.alpha.zz' (not in tiny)",
        "bad.yaml:11:32: unknown key 'note' in an answer (allowed: level, comment)",
        "bad.yaml:12:30: importance of tiny.alpha must be a whole number from 1 to 5, got 6",
        "bad.yaml:13:5: missing required key 'name'",
        "bad.yaml:14:25: level 'unknown' is not on scale five (one of 1, 2, 3, 4, 5, na)",
    ]


def test_not_a_mapping_and_broken_yaml(tmp_path):
    with pytest.raises(AnswersError) as info:
        parse_answers(b"- just\n- a list\n", "l.yaml", tmp_path, TINY_CATALOG)
    assert str(info.value.problems[0]).startswith("l.yaml:1:1: an answers file is a mapping")
    with pytest.raises(AnswersError) as info:
        parse_answers(b"client: [unclosed\n", "b.yaml", tmp_path, TINY_CATALOG)
    assert "invalid YAML" in str(info.value.problems[0])


def test_a_model_file_next_to_the_answers(tmp_path):
    (tmp_path / "own.yaml").write_text(
        (TINY_CATALOG / "mini.yaml").read_text().replace("id: mini", "id: own")
    )
    text = "client: X\nframeworks: [./own.yaml, tiny]\nrespondents:\n  - name: A\n    answers: {own.gamma.g1: 2}\n"
    loaded = parse_answers(text.encode(), "a.yaml", tmp_path, TINY_CATALOG)
    assert [fw.id for fw in loaded.frameworks] == ["own", "tiny"]
    missing = text.replace("./own.yaml", "./missing.yaml")
    with pytest.raises(AnswersError) as info:
        parse_answers(missing.encode(), "a.yaml", tmp_path, TINY_CATALOG)
    assert "a.yaml:2:14: model file './missing.yaml' not found" in [
        str(p) for p in info.value.problems
    ]


def test_lenient_where_the_meaning_is_plain(tmp_path):
    text = (
        "client: 2026\nlanguage: VI\nframeworks: tiny\nrespondents:\n  - name: A\n"
        "    answers: {tiny.alpha.a1: '3', tiny.alpha.a2: N/A}\n"
    )
    loaded = parse_answers(text.encode(), "a.yaml", tmp_path, TINY_CATALOG)
    assert loaded.assessment.client == "2026"
    assert loaded.assessment.language == "vi"
    assert loaded.assessment.frameworks == ("tiny",)
    answers = loaded.assessment.respondents[0].answers
    assert (answers["tiny.alpha.a1"].value, answers["tiny.alpha.a2"].value) == (3, "na")


@pytest.mark.parametrize("horizon", ["0", "521", "7.5", "true", "'78'"])
def test_a_bad_horizon_is_named_with_its_line(tmp_path, horizon):
    source = (
        f"client: X\nframeworks: [tiny]\nrespondents: []\nroadmap:\n  horizon_weeks: {horizon}\n"
    )
    with pytest.raises(AnswersError) as info:
        parse_answers(source.encode(), "h.yaml", tmp_path, TINY_CATALOG)
    assert "h.yaml:5:" in str(info.value)
    assert "horizon_weeks must be a whole number from 1 to 520" in str(info.value)


def test_notes_name_questions_or_dimensions_with_their_line(tmp_path):
    source = (
        "client: X\nframeworks: [tiny]\nrespondents: []\n"
        "notes:\n  tiny.alpha.zz: x\n  tiny.alpha.a1: [1]\n  tiny.alpha: fine\n"
    )
    with pytest.raises(AnswersError) as info:
        parse_answers(source.encode(), "n.yaml", tmp_path, TINY_CATALOG)
    found = [str(p) for p in info.value.problems]
    assert found == [
        "n.yaml:5:3: unknown question or dimension 'tiny.alpha.zz' in notes",
        "n.yaml:6:18: tiny.alpha.a1 must be a non-empty text",
    ]
