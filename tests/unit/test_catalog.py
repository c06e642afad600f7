"""The catalog loader: the DESIGN §3 format, every rejection, all problems reported with their place."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from planner.catalog import CatalogError, load_catalog
from planner.catalog.loader import SHIPPED_DIR
from planner.catalog.schema import SCHEMA_FILES, render
from tests.conftest import model, question

Q = [question("q1"), question("q2")]


def problems(write_catalog, files: dict[str, str]) -> list[str]:
    with pytest.raises(CatalogError) as info:
        load_catalog(write_catalog(files))
    return [re.sub(r"^.*?/catalog\d+/", "", str(p)) for p in info.value.problems]


def test_tiny_catalog_loads_into_frozen_definitions(tiny_catalog):
    tiny = tiny_catalog.framework("tiny")
    assert [d.id for d in tiny.dimensions] == ["alpha", "beta"]
    alpha = tiny.dimension("alpha")
    assert alpha.weight == 2
    assert alpha.questions[1].weight == 3
    assert alpha.questions[0].full_id == "tiny.alpha.a1"
    assert alpha.questions[0].anchor(2).get("vi") == "bé"
    assert tiny.sequence == ("alpha", "beta")
    assert tiny.scale.values == (1, 2, 3, 4, 5)
    mini = tiny_catalog.framework("mini")
    assert mini.scale.values == (0, 1, 2, 3)  # an inline scale
    assert mini.level_rule == "weakest"
    assert mini.na_policy == "minimum"
    with pytest.raises(AttributeError):
        tiny.id = "other"  # frozen


def test_unknown_keys_are_errors(write_catalog):
    text = model("m", {"d": Q}).replace("scale: five", "scale: five\nlevel_rul: weakest")
    assert problems(write_catalog, {"m.yaml": text}) == [
        "m.yaml:5:1: unknown key 'level_rul' in Framework (allowed: id, version, name, short_name, summary, source, seed_note, "
        "languages, scale, level_rule, na_policy, default_target, sequence, dimensions, initiatives)"
    ]


def test_duplicate_ids(write_catalog):
    text = model("m", {"d": [question("q1"), question("q1")], "e": Q}).replace("id: e", "id: d")
    found = problems(write_catalog, {"m.yaml": text})
    assert any("duplicate question id 'q1' (first at line" in p for p in found)
    assert any("duplicate dimension id 'd' (first at line" in p for p in found)
    found = problems(
        write_catalog, {"m.yaml": model("m", {"d": Q}), "n.yaml": model("m", {"d": Q})}
    )
    assert found == [
        "n.yaml:1:1: duplicate framework id 'm' (also in " + found[0].split("(also in ")[1]
    ]


def test_anchor_missing_and_anchor_off_scale(write_catalog):
    text = model("m", {"d": [question("q1", levels=(1, 2, 3, 5, 7)), question("q2")]})
    found = problems(write_catalog, {"m.yaml": text})
    assert any(p.endswith("level 7 is not on scale five (1, 2, 3, 4, 5)") for p in found)
    assert any(p.endswith("question 'q1' has no anchor for level 4") for p in found)


def test_text_missing_a_declared_language(write_catalog):
    text = model("m", {"d": Q}).replace("name: {en: Dim d, vi: Khía cạnh d}", "name: {en: Dim d}")
    assert problems(write_catalog, {"m.yaml": text}) == ["m.yaml:7:11: text is missing language vi"]


def test_plain_text_in_a_bilingual_file(write_catalog):
    text = model("m", {"d": Q}).replace("name: {en: Dim d, vi: Khía cạnh d}", "name: Dim d")
    assert "plain text gives one language" in problems(write_catalog, {"m.yaml": text})[0]


def test_weights_must_be_positive(write_catalog):
    text = model(
        "m",
        {"d": [question("q1", weight=0), question("q2", weight=-1)]},
        dim_extra={"d": "weight: 0"},
    )
    found = problems(write_catalog, {"m.yaml": text})
    assert len([p for p in found if "must be greater than 0" in p]) == 3


def test_targets_off_the_scale(write_catalog):
    text = model("m", {"d": Q}, header="default_target: 6", dim_extra={"d": "target: 0"})
    found = problems(write_catalog, {"m.yaml": text})
    assert any("target 6 is off scale five" in p for p in found)
    assert any("target 0 is off scale five" in p for p in found)


def test_unknown_scale_and_bad_inline_scale(write_catalog):
    bad = model("m", {"d": Q}).replace("scale: five", "scale: ten")
    assert "unknown scale 'ten' (known: five)" in problems(write_catalog, {"m.yaml": bad})[0]
    inline = (
        model("n", {"d": Q})
        .replace(
            "scale: five",
            "scale: {id: s, levels: [{value: 2, name: a}, {value: 1, name: b}, {value: 3, name: c}]}",
        )
        .replace("languages: [en, vi]", "languages: [en]")
    )
    inline = inline.replace("{en: Model n, vi: Mô hình n}", "Model n").replace(
        "{en: Dim d, vi: Khía cạnh d}", "D"
    )
    inline = re.sub(r"\{en: (\w+ ?\w*), vi: \w+ ?\w*\}", r"\1", inline)
    assert any("strictly increasing" in p for p in problems(write_catalog, {"n.yaml": inline}))


INITIATIVES = """
initiatives:
  - id: one
    title: {en: One, vi: Một}
    improves: [{dimension: m.d, to_level: 3}]
    depends_on: [two]
    duration_weeks: 4
  - id: two
    title: {en: Two, vi: Hai}
    improves: [{dimension: m.nope, to_level: 3}, {dimension: m.d, to_level: 9}]
    depends_on: [three, ghost]
    duration_weeks: 4
  - id: three
    title: {en: Three, vi: Ba}
    improves: [{dimension: m.d, to_level: 4}]
    depends_on: [one]
    duration_weeks: 4
"""


def test_initiative_references_and_cycles(write_catalog):
    found = problems(
        write_catalog, {"m.yaml": model("m", {"d": Q}), "initiatives.yaml": INITIATIVES}
    )
    assert "initiatives.yaml:10:28: initiative 'two' improves unknown dimension 'm.nope'" in found
    assert "initiatives.yaml:10:77: to_level 9 is not on scale five (1, 2, 3, 4, 5) of m.d" in found
    assert "initiatives.yaml:11:25: initiative 'two' depends on unknown initiative 'ghost'" in found
    assert "initiatives.yaml:3:9: dependency cycle: one -> two -> three -> one" in found


def test_inline_initiatives_use_bare_dimension_ids(write_catalog):
    text = model("m", {"d": Q}) + (
        "initiatives:\n  - {id: own, title: {en: Own, vi: Riêng}, improves: [{dimension: d, to_level: 2}], duration_weeks: 2}\n"
    )
    catalog = load_catalog(write_catalog({"m.yaml": text}))
    assert catalog.all_initiatives()[0].improves[0].dimension == "m.d"


def test_crosswalk_checks(write_catalog):
    other = model("o", {"d": Q}).replace(
        "scale: five",
        "scale: {id: three, levels: [{value: 1, name: {en: a, vi: á}}, {value: 2, name: {en: b, vi: bê}}, {value: 3, name: {en: c, vi: xê}}]}",
    )
    other = other.replace("4: {en: L4, vi: M4}, 5: {en: L5, vi: M5}", "").replace(", }", "}")
    crosswalk = """
    capabilities:
      - {id: cap, name: {en: Cap, vi: Năng lực}, dimensions: [m.d, m.zzz]}
    equivalent_questions:
      - [m.d.q1, o.d.q1]
      - [m.d.q2, m.d.nope]
    """
    found = problems(
        write_catalog,
        {"m.yaml": model("m", {"d": Q}), "o.yaml": other, "crosswalk.yaml": crosswalk},
    )
    assert any("unknown dimension 'm.zzz'" in p for p in found)
    assert any(
        "equivalent questions must share a scale: m.d.q1 (five), o.d.q1 (three)" in p for p in found
    )
    assert any("unknown question 'm.d.nope'" in p for p in found)


def test_a_capability_may_take_single_questions_of_a_dimension(write_catalog):
    crosswalk = """
    capabilities:
      - {id: part, name: {en: Part, vi: Một phần}, questions: [m.d.q1]}
      - {id: whole, name: {en: Whole, vi: Toàn bộ}, dimensions: [m.d], questions: [m.d.q2]}
      - {id: wrong, name: {en: Wrong, vi: Sai}, questions: [m.d.nope]}
      - {id: none, name: {en: None, vi: Không}}
    """
    found = problems(write_catalog, {"m.yaml": model("m", {"d": Q}), "crosswalk.yaml": crosswalk})
    assert any("question 'm.d.q2' is in a dimension the capability lists whole" in p for p in found)
    assert any("unknown question 'm.d.nope'" in p for p in found)
    assert any("capability 'none' names no dimension and no question" in p for p in found)
    assert all(re.match(r"^crosswalk\.yaml:\d+:\d+: ", p) for p in found)
    assert not any("'part'" in p or "m.d.q1" in p for p in found)


def test_every_problem_of_several_files_is_reported(write_catalog):
    bad1 = model("a", {"d": Q}).replace("scale: five", "scale: five\ncolour: red")
    bad2 = model("b", {"d": [question("q1", weight=0), question("q2", levels=(1, 2))]})
    found = problems(
        write_catalog, {"a.yaml": bad1, "b.yaml": bad2, "initiatives.yaml": INITIATIVES}
    )
    files = {p.split(":")[0] for p in found}
    assert files == {"a.yaml", "b.yaml", "initiatives.yaml"}
    assert all(re.match(r"^[\w./-]+:\d+:\d+: ", p) for p in found)


def test_security_refusals_surface_as_catalog_problems(write_catalog):
    text = model("m", {"d": Q}).replace("version", "v") + "x: !!python/object:os.system {}\n"
    found = problems(write_catalog, {"m.yaml": text})
    assert any("tags such as" in p for p in found)


# --- the shipped content ----------------------------------------------------------------------


def test_shipped_catalog_is_valid():
    catalog = load_catalog()
    assert catalog.has_framework("idic")
    assert len(catalog.all_initiatives()) > 0


def test_every_shipped_file_names_its_schema():
    for path in SHIPPED_DIR.glob("*.yaml"):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema=schema/"), path.name
        schema_file = SHIPPED_DIR / first.split("$schema=")[1]
        assert schema_file.is_file(), path.name


@pytest.mark.parametrize("kind", sorted(SCHEMA_FILES))
def test_json_schema_files_are_current(kind):
    """Regenerate with `planner frameworks schema --write frameworks/schema`."""
    path = SHIPPED_DIR / "schema" / SCHEMA_FILES[kind]
    assert path.read_text(encoding="utf-8") == render(kind)


def test_schema_knows_every_framework_key():
    schema = json.loads(render("framework"))
    assert schema["additionalProperties"] is False
    assert set(schema["properties"]) >= {
        "id",
        "name",
        "scale",
        "dimensions",
        "sequence",
        "na_policy",
    }
    question_schema = schema["$defs"]["Question"]
    assert question_schema["required"] == ["id", "text", "levels"]


def test_shipped_files_are_not_path_dependent(tmp_path: Path):
    """Ids are data, never paths: a copy of the catalog elsewhere loads the same."""
    for path in SHIPPED_DIR.glob("*.yaml"):
        (tmp_path / path.name).write_bytes(path.read_bytes())
    assert [f.id for f in load_catalog(tmp_path).frameworks] == [
        f.id for f in load_catalog().frameworks
    ]


def test_yaml_booleans_in_texts_get_a_hint(write_catalog):
    text = model("m", {"d": Q}).replace("{en: L1, vi: M1}", "{en: No, vi: Không}", 1)
    assert (
        "YAML reads the en text as a boolean (yes/no/on/off/true/false): put it in quotes"
        in problems(write_catalog, {"m.yaml": text})[0]
    )


def test_quoted_level_keys_are_levels_but_not_twice(write_catalog, catalog_of):
    quoted = model("m", {"d": Q}).replace("1: {en: L1", "'1': {en: L1")
    assert (
        catalog_of({"m.yaml": quoted}).framework("m").dimensions[0].questions[0].anchor(1).get("en")
        == "L1"
    )
    twice = model("m", {"d": Q}).replace(
        "1: {en: L1, vi: M1}", "1: {en: L1, vi: M1}, '1': {en: X, vi: Y}", 1
    )
    assert any("level 1 is given twice" in p for p in problems(write_catalog, {"m.yaml": twice}))


def test_a_short_name_holds_at_most_16_characters_per_language(write_catalog, catalog_of):
    long = model("m", {"d": Q}, header="short_name: {en: Model m, vi: Mô hình khái niệm CRM}")
    assert problems(write_catalog, {"m.yaml": long}) == [
        "m.yaml:5:31: at most 16 characters (the vi text has 21)"
    ]
    fine = model("m", {"d": Q}, header="short_name: {en: Model m, vi: Mô hình m}")
    catalog = load_catalog(write_catalog({"m.yaml": fine}))
    fw = catalog.framework("m")
    assert (fw.label("en"), fw.label("vi")) == ("Model m", "Mô hình m")
    plain = load_catalog(write_catalog({"m.yaml": model("m", {"d": Q})})).framework("m")
    assert plain.label("vi") == "Mô hình m"  # no short name: the name


def test_the_six_models_have_short_names_in_both_languages():
    catalog = load_catalog()
    for fw in catalog.frameworks:
        assert fw.short_name is not None, fw.id
        for lang in ("en", "vi"):
            assert 0 < len(fw.short_name.get(lang)) <= 16, (fw.id, lang)
        assert fw.short_name.get("vi") != fw.short_name.get("en") or fw.short_name.get("en") in (
            "IDIC",
            "QCi CMAT",
            "Payne & Frow",
        )  # proper names stay; the rest is translated


def test_the_heatmap_counts_a_capabilitys_single_questions_not_their_whole_dimension(answers_of):
    from planner.engine.scoring import score
    from planner.report.content import capability_heatmap

    crosswalk = """
    capabilities:
      - {id: part, name: {en: Partners, vi: Đối tác}, dimensions: [m.d], questions: [o.d.q1]}
    """
    files = {
        "m.yaml": model("m", {"d": Q}),
        "o.yaml": model("o", {"d": Q}),
        "crosswalk.yaml": crosswalk,
    }
    answers = (
        "client: C\nframeworks: [m, o]\nrespondents:\n  - name: R\n    answers:\n"
        "      m.d.q1: 4\n      m.d.q2: 4\n      o.d.q1: 2\n      o.d.q2: 5\n"
    )
    loaded = answers_of(files, answers)
    card = score(
        loaded.assessment, loaded.frameworks, loaded.catalog.crosswalk.equivalent_questions
    )
    svg = capability_heatmap(card, loaded.catalog.crosswalk, "en")
    assert svg is not None
    cells = re.findall(r">([0-9]\.[0-9])<", svg)
    assert cells == ["4.0", "2.0"]  # o's cell is its one question (2), not o.d's mean (3.5)
