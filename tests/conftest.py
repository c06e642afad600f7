"""Shared fixtures: a tiny catalog under tests/data, and helpers that build catalogs from YAML text."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from planner.answers import Loaded, parse_answers
from planner.catalog import Catalog, load_catalog

DATA = Path(__file__).parent / "data"
TINY_CATALOG = DATA / "catalog"

SCALES = """
scales:
  - id: five
    levels:
      - {value: 1, name: {en: One, vi: Một}}
      - {value: 2, name: {en: Two, vi: Hai}}
      - {value: 3, name: {en: Three, vi: Ba}}
      - {value: 4, name: {en: Four, vi: Bốn}}
      - {value: 5, name: {en: Five, vi: Năm}}
"""


def question(
    qid: str, weight: float | None = None, levels: tuple[int, ...] = (1, 2, 3, 4, 5)
) -> str:
    """A question in YAML flow style, with an anchor per level."""
    anchors = ", ".join(f"{v}: {{en: L{v}, vi: M{v}}}" for v in levels)
    extra = f", weight: {weight}" if weight is not None else ""
    return f"{{id: {qid}, text: {{en: Q {qid}, vi: C {qid}}}{extra}, levels: {{{anchors}}}}}"


def model(
    fid: str, dims: dict[str, list[str]], header: str = "", dim_extra: dict[str, str] | None = None
) -> str:
    """A framework file: `dims` maps a dimension id to its questions (YAML flow strings)."""
    dim_extra = dim_extra or {}
    lines = [
        f"id: {fid}",
        f"name: {{en: Model {fid}, vi: Mô hình {fid}}}",
        "languages: [en, vi]",
        "scale: five",
    ]
    lines += textwrap.dedent(header).strip().splitlines() if header.strip() else []
    lines.append("dimensions:")
    for did, questions in dims.items():
        lines.append(f"  - id: {did}")
        lines.append(f"    name: {{en: Dim {did}, vi: Khía cạnh {did}}}")
        if did in dim_extra:
            lines += ["    " + x for x in textwrap.dedent(dim_extra[did]).strip().splitlines()]
        lines.append("    questions:")
        lines += [f"      - {q}" for q in questions]
    return "\n".join(lines) + "\n"


@pytest.fixture
def write_catalog(tmp_path: Path) -> Callable[..., Path]:
    """Write files (name -> YAML text) into a fresh catalog folder, with the five-level scale."""

    def write(files: dict[str, str], scales: bool = True) -> Path:
        folder = tmp_path / f"catalog{len(list(tmp_path.glob('catalog*')))}"
        folder.mkdir()
        if scales:
            (folder / "scales.yaml").write_text(SCALES, encoding="utf-8")
        for name, text in files.items():
            (folder / name).write_text(textwrap.dedent(text), encoding="utf-8")
        return folder

    return write


@pytest.fixture
def catalog_of(write_catalog: Callable[..., Path]) -> Callable[..., Catalog]:
    def build(files: dict[str, str]) -> Catalog:
        return load_catalog(write_catalog(files))

    return build


@pytest.fixture
def answers_of(write_catalog: Callable[..., Path], tmp_path: Path) -> Callable[..., Loaded]:
    """Parse an answers file (YAML text) against a catalog made of `files`."""

    def build(files: dict[str, str], answers: str) -> Loaded:
        folder = write_catalog(files)
        return parse_answers(textwrap.dedent(answers).encode(), "answers.yaml", tmp_path, folder)

    return build


@pytest.fixture(scope="session")
def tiny_catalog() -> Catalog:
    return load_catalog(TINY_CATALOG)
