"""Whatever a file holds, the loaders answer with problems, never with a crash."""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.answers import AnswersError, parse_answers
from planner.catalog import CatalogError, build_catalog
from planner.catalog.loader import read_source, shipped_files, source_from_bytes
from tests.conftest import TINY_CATALOG

KEYS = st.sampled_from(
    [
        "id",
        "name",
        "version",
        "languages",
        "scale",
        "dimensions",
        "questions",
        "levels",
        "text",
        "weight",
        "target",
        "default_target",
        "sequence",
        "initiatives",
        "improves",
        "dimension",
        "to_level",
        "depends_on",
        "duration_weeks",
        "level_rule",
        "na_policy",
        "group",
        "evidence",
        "help",
        "en",
        "vi",
        "value",
        "1",
        "2",
        "client",
        "frameworks",
        "respondents",
        "answers",
        "agreed",
        "targets",
        "importance",
        "role",
        "comment",
        "level",
        "roadmap",
        "phases",
    ]
)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 8),
    st.floats(allow_nan=False, allow_infinity=False, width=16),
    st.sampled_from(
        [
            "tiny",
            "five",
            "crm-5",
            "alpha",
            "tiny.alpha",
            "tiny.alpha.a1",
            "na",
            "unknown",
            "",
            "x y",
            "é",
        ]
    ),
)
TREES = st.recursive(
    SCALARS,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.one_of(KEYS, st.integers(0, 6)), children, max_size=5),
    ),
    max_leaves=30,
)
LIBRARY = [read_source(p, shipped=True) for p in shipped_files(TINY_CATALOG)]


def load_model(data: bytes) -> list[str]:
    """The problems of a model file checked against the tiny catalog; [] when it loads."""
    try:
        build_catalog([*LIBRARY, source_from_bytes(data, "fuzz.yaml")])
    except CatalogError as exc:
        return [str(p) for p in exc.problems]
    return []


def read_answers_text(data: bytes) -> list[str]:
    try:
        parse_answers(data, "fuzz.yaml", Path("."), TINY_CATALOG)
    except AnswersError as exc:
        return [str(p) for p in exc.problems] or ["(no problem listed)"]
    return []


PROBLEM = re.compile(r"^[^:]+:\d+:\d+: \S")


@settings(max_examples=300, deadline=None)
@given(TREES)
def test_model_files_never_crash_the_loader(tree):
    problems = load_model(yaml.safe_dump(tree, allow_unicode=True).encode())
    assert all(PROBLEM.match(p) for p in problems)


@settings(max_examples=300, deadline=None)
@given(TREES)
def test_answers_files_never_crash_the_reader(tree):
    problems = read_answers_text(yaml.safe_dump(tree, allow_unicode=True).encode())
    assert "(no problem listed)" not in problems
    assert all(PROBLEM.match(p) for p in problems)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_raw_bytes_never_crash_either(data):
    assert all(PROBLEM.match(p) for p in load_model(data))
    assert all(PROBLEM.match(p) for p in read_answers_text(data))


TINY = yaml.safe_load((TINY_CATALOG / "tiny.yaml").read_text(encoding="utf-8"))
ANSWERS = yaml.safe_load((TINY_CATALOG.parent / "answers-tiny.yaml").read_text(encoding="utf-8"))


def paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from paths(value, (*prefix, index))


def replaced(node, path, value):
    if not path:
        return value
    copy = dict(node) if isinstance(node, dict) else list(node)
    copy[path[0]] = replaced(node[path[0]], path[1:], value)
    return copy


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(list(paths(TINY))), TREES)
def test_a_valid_model_with_any_part_broken(path, value):
    problems = load_model(yaml.safe_dump(replaced(TINY, path, value), allow_unicode=True).encode())
    assert all(PROBLEM.match(p) for p in problems)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(list(paths(ANSWERS))), TREES)
def test_a_valid_answers_file_with_any_part_broken(path, value):
    problems = read_answers_text(
        yaml.safe_dump(replaced(ANSWERS, path, value), allow_unicode=True).encode()
    )
    assert "(no problem listed)" not in problems
    assert all(PROBLEM.match(p) for p in problems)
