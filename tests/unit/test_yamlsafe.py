"""The YAML reader refuses what PyYAML would silently accept (DESIGN §3)."""

from __future__ import annotations

import pytest
import yaml

from planner.catalog.yamlsafe import MAX_BYTES, MAX_DEPTH, LMap, parse


def messages(data: str | bytes) -> list[str]:
    raw = data.encode() if isinstance(data, str) else data
    return [str(p) for p in parse(raw, "f.yaml")[1]]


def test_values_remember_their_lines():
    value, problems = parse(b"a: 1\nb:\n  - x\n  - {c: 2}\n", "f.yaml")
    assert problems == []
    assert isinstance(value, LMap)
    assert value == {"a": 1, "b": ["x", {"c": 2}]}
    assert value.key_marks["b"].line == 2
    assert value["b"].item_marks[1].line == 4
    assert value["b"][1].at("c").col == 9


def test_duplicate_keys_name_both_lines():
    assert messages("id: a\nname: x\nid: b\n") == [
        "f.yaml:3:1: duplicate key 'id' (first at line 1)"
    ]


def test_anchors_and_aliases_are_refused():
    found = messages("a: &x [1, 2]\nb: *x\n")
    assert "f.yaml:1:4: anchors (&name) are not allowed" in found
    assert "f.yaml:2:4: aliases (*name) are not allowed" in found


def test_billion_laughs_is_refused_without_expanding():
    lol = 'a: &a ["lol","lol"]\n' + "".join(
        f"{c}: &{c} [*{p},*{p},*{p},*{p}]\n" for p, c in zip("abcdefgh", "bcdefghi", strict=False)
    )
    _value, problems = parse(lol.encode(), "f.yaml")
    assert len(problems) > 8
    assert all("not allowed" in p.message for p in problems)


def test_python_tags_are_refused():
    found = messages("x: !!python/object/apply:os.system ['true']\n")
    assert found == [
        "f.yaml:1:4: tags such as 'tag:yaml.org,2002:python/object/apply:os.system' are not allowed"
    ]


def test_merge_keys_are_refused():
    assert any("merge keys" in m for m in messages("a: {x: 1}\nb:\n  <<: {y: 2}\n"))


def test_deep_nesting_is_refused():
    deep = "a: " + "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5) + "\n"
    found = messages(deep)
    assert len(found) == 1
    assert f"nesting deeper than {MAX_DEPTH} levels" in found[0]


DEEP_ON_ONE_LINE = "a: " + "[" * 100_000  # libyaml scans the line ahead and stops at depth ~1000
DEEP_BLOCKS = "".join("  " * i + f"k{i}:\n" for i in range(40)) + "  " * 40 + "x: 1\n"


def libyaml_stops(text: str) -> bool:
    """Whether libyaml itself refuses the text (PyYAML 6.0.4 and later do for deep nesting)."""
    try:
        from yaml._yaml import CParser
    except ImportError:
        return False
    parser = CParser(text)
    try:
        while parser.get_event() is not None:
            pass
    except yaml.YAMLError as exc:
        return "nesting depth" in str(exc)
    finally:
        parser.dispose()
    return False


@pytest.mark.parametrize("fast", [True, False], ids=["libyaml", "pure"])
def test_very_deep_nesting_gets_our_message_at_the_depth_it_crosses(fast):
    _value, problems = parse(DEEP_ON_ONE_LINE.encode(), "f.yaml", fast=fast)
    assert [str(p) for p in problems] == [
        f"f.yaml:1:{4 + MAX_DEPTH - 1}: nesting deeper than {MAX_DEPTH} levels"
    ]


def test_the_one_line_case_is_the_path_where_libyaml_stops_first():
    """So the test above covers libyaml refusing before our composer (when this PyYAML does)."""
    if not libyaml_stops(DEEP_ON_ONE_LINE):
        pytest.skip("this PyYAML's libyaml does not cap nesting itself")
    assert not libyaml_stops(DEEP_BLOCKS)


@pytest.mark.parametrize("fast", [True, False], ids=["libyaml", "pure"])
def test_deep_block_nesting_names_the_line_past_the_cap(fast):
    _value, problems = parse(DEEP_BLOCKS.encode(), "f.yaml", fast=fast)
    assert [str(p) for p in problems] == [
        f"f.yaml:{MAX_DEPTH}:{2 * (MAX_DEPTH - 1) + 1}: nesting deeper than {MAX_DEPTH} levels"
    ]


def test_large_files_are_refused_before_parsing():
    assert messages(b"#" * (MAX_BYTES + 1)) == [
        f"f.yaml:1:1: file is larger than {MAX_BYTES:,} bytes"
    ]


def test_non_utf8_names_the_line():
    assert messages("a: 1\nb: caf\xe9\n".encode("latin-1")) == [
        "f.yaml:2:7: file is not valid UTF-8"
    ]


def test_syntax_errors_have_a_line():
    found = messages("a: [1, 2\nb: 3\n")
    assert len(found) == 1
    assert found[0].startswith("f.yaml:2:")
    assert "invalid YAML" in found[0]


def test_empty_file():
    assert messages("# nothing\n") == ["f.yaml:1:1: file is empty"]


def test_question_marks_in_flow_mappings_are_text():
    value, problems = parse("text: {en: Why?, vi: Tại sao?}\n".encode(), "f.yaml")
    assert problems == []
    assert value == {"text": {"en": "Why?", "vi": "Tại sao?"}}
