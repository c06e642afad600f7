"""The manual in README.md and docs/ says what the code does: its examples load, its error lines are
the loader's, its worked example's numbers are the engine's, and its settings are the app's.

Blocks the tests read are marked in the Markdown with `<!-- docs-test: KIND NAME -->` on the line
before a fenced block (`file`, `errors`) or a table (`table`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from planner import config
from planner.answers import AnswersError, read_answers
from planner.answers import reader as answers_reader
from planner.answers import roadmap as answers_roadmap
from planner.catalog import CatalogError, load_catalog, shapes
from planner.cli import cli
from planner.engine.progress import Progress, progress_of
from planner.engine.roadmap import Roadmap, plan
from planner.engine.scoring import ScoreCard, score

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
MARK = re.compile(r"^<!-- docs-test: (\w+) (\S+) -->$")
OWNED = ("user-guide.md", "model-format.md", "authoring.md", "answers-format.md", "rules.md")


def marked(path: Path) -> dict[tuple[str, str], str]:
    """Every marked block of a Markdown file: a fenced block's text, or a table's lines."""
    lines = path.read_text(encoding="utf-8").splitlines()
    found: dict[tuple[str, str], str] = {}
    for index, line in enumerate(lines):
        match = MARK.match(line.strip())
        if not match:
            continue
        rest = lines[index + 1 :]
        if rest and rest[0].startswith("```"):
            end = next(i for i, text in enumerate(rest[1:], 1) if text.startswith("```"))
            body = rest[1:end]
        else:
            body = list(_until_blank(rest))
        found[(match[1], match[2])] = "\n".join(body) + "\n"
    return found


def _until_blank(lines: list[str]) -> Iterator[str]:
    for line in lines:
        if not line.strip():
            return
        yield line


def table(text: str) -> dict[str, dict[str, str]]:
    """A Markdown table keyed by its first column (backticks removed), then by column name."""
    rows = [
        [cell.strip() for cell in line.strip().strip("|").split("|")]
        for line in text.split("\n")
        if line.strip()
    ]
    header, body = rows[0], rows[2:]
    return {row[0].strip("`"): dict(zip(header, row, strict=True)) for row in body}


def number(cell: str) -> float | None:
    return None if cell in ("–", "-", "") else float(cell)


def close(documented: str, computed: float | None) -> bool:
    """A figure as the doc shows it (rounded to 2 decimals) against the engine's full precision."""
    expected = number(documented)
    if expected is None or computed is None:
        return expected is None and computed is None
    return abs(expected - computed) <= 0.005 + 1e-9


def write_blocks(blocks: dict[tuple[str, str], str], folder: Path) -> None:
    for (kind, name), text in blocks.items():
        if kind == "file":
            (folder / name).write_text(text, encoding="utf-8")


@pytest.fixture
def model_blocks() -> dict[tuple[str, str], str]:
    return marked(DOCS / "model-format.md")


@pytest.fixture
def folder(tmp_path: Path, model_blocks: dict[tuple[str, str], str]) -> Path:
    """A folder holding the example model of model-format.md as `starter.yaml`."""
    (tmp_path / "starter.yaml").write_text(model_blocks[("file", "starter.yaml")], encoding="utf-8")
    return tmp_path


# --- docs/model-format.md -------------------------------------------------------------------


def test_example_model_loads_with_the_shipped_catalog(folder: Path) -> None:
    catalog = load_catalog(None, [folder / "starter.yaml"])
    model = catalog.framework("starter")
    assert [d.id for d in model.dimensions] == ["data", "service"]
    assert model.question_count == 4
    assert {i.id for i in model.initiatives} >= {"starter-single-record", "starter-ticketing"}


def test_model_errors_are_the_loaders_lines(
    folder: Path, model_blocks: dict[tuple[str, str], str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (folder / "broken.yaml").write_text(model_blocks[("file", "broken.yaml")], encoding="utf-8")
    monkeypatch.chdir(folder)
    with pytest.raises(CatalogError) as caught:
        load_catalog(None, [Path("broken.yaml")])
    assert [str(p) for p in caught.value.problems] == model_blocks[
        ("errors", "broken.yaml")
    ].splitlines()


def test_validate_prints_the_documented_lines(
    folder: Path, model_blocks: dict[tuple[str, str], str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (folder / "broken.yaml").write_text(model_blocks[("file", "broken.yaml")], encoding="utf-8")
    monkeypatch.chdir(folder)
    bad = CliRunner().invoke(cli, ["frameworks", "validate", "broken.yaml"])
    assert bad.exit_code == 1
    assert bad.stderr.splitlines() == model_blocks[("errors", "broken.yaml")].splitlines()
    good = CliRunner().invoke(cli, ["frameworks", "validate", "starter.yaml"])
    assert good.exit_code == 0
    assert good.stdout.startswith("OK: 1 file(s) valid; 7 model(s), ")


def test_model_format_names_every_key_of_every_record() -> None:
    text = (DOCS / "model-format.md").read_text(encoding="utf-8")
    records = (
        shapes.FRAMEWORK,
        shapes.DIMENSION,
        shapes.QUESTION,
        shapes.SCALE,
        shapes.LEVEL,
        shapes.INITIATIVE,
        shapes.IMPROVEMENT,
        shapes.CAPABILITY,
        shapes.CROSSWALK_FILE,
        shapes.SCALES_FILE,
        shapes.INITIATIVES_FILE,
    )
    missing = [f"{r.name}.{f.name}" for r in records for f in r.fields if f"`{f.name}`" not in text]
    assert missing == []


# --- docs/answers-format.md -----------------------------------------------------------------


@pytest.fixture
def answers_blocks() -> dict[tuple[str, str], str]:
    return marked(DOCS / "answers-format.md")


def test_example_answers_file_reads_scores_and_plans(
    folder: Path, answers_blocks: dict[tuple[str, str], str]
) -> None:
    write_blocks(answers_blocks, folder)
    loaded = read_answers(folder / "review-2026.yaml")
    a = loaded.assessment
    assert a.baseline is not None
    assert loaded.baseline is not None
    assert a.agreed
    assert a.notes
    assert a.targets
    assert a.date is not None
    assert a.roadmap.drop
    assert a.roadmap.add
    assert a.roadmap.change
    assert a.roadmap.phases
    card = score(a, loaded.frameworks, loaded.catalog.crosswalk.equivalent_questions)
    road = plan(card, loaded.catalog.all_initiatives(), a.roadmap, a.language)
    ids = [s.initiative.id for s in road.initiatives]
    assert "service-charter" in ids
    assert "starter-data-integration" not in ids
    assert road.warnings == ()
    progress = progress_of(loaded, card, date(2026, 12, 31))
    assert progress is not None
    assert progress.due


def test_answers_format_names_every_key_the_reader_knows(
    answers_blocks: dict[tuple[str, str], str],
) -> None:
    text = (DOCS / "answers-format.md").read_text(encoding="utf-8")
    keys = (
        *answers_reader._TOP_KEYS,
        *answers_reader._RESPONDENT_KEYS,
        *answers_roadmap.ROADMAP_KEYS,
        *answers_roadmap.CHANGE_KEYS,
    )
    assert [k for k in keys if f"| `{k}` |" not in text] == []
    example = answers_blocks[("file", "review-2026.yaml")]
    assert [k for k in answers_reader._TOP_KEYS if f"\n{k}:" not in "\n" + example] == []


def test_answers_errors_are_the_readers_lines(
    folder: Path, answers_blocks: dict[tuple[str, str], str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write_blocks(answers_blocks, folder)
    monkeypatch.chdir(folder)
    documented = answers_blocks[("errors", "bad-answers.yaml")].splitlines()
    with pytest.raises(AnswersError) as caught:
        read_answers(Path("bad-answers.yaml"))
    assert [str(p) for p in caught.value.problems] == documented
    printed = CliRunner().invoke(cli, ["score", "bad-answers.yaml"])
    assert printed.exit_code == 1
    assert printed.stderr.splitlines() == documented


def test_the_cli_takes_the_example_answers_file(
    folder: Path, answers_blocks: dict[tuple[str, str], str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write_blocks(answers_blocks, folder)
    monkeypatch.chdir(folder)
    for command in ("score", "roadmap"):
        run = CliRunner().invoke(cli, [command, "review-2026.yaml"])
        assert run.exit_code == 0, run.stderr
        assert run.stderr == ""


# --- docs/rules.md: the worked example --------------------------------------------------------


@dataclass(frozen=True)
class Worked:
    """The worked example of rules.md: its marked blocks, and what the engine makes of it."""

    blocks: dict[tuple[str, str], str]
    card: ScoreCard
    road: Roadmap
    progress: Progress

    def table(self, name: str) -> dict[str, dict[str, str]]:
        return table(self.blocks[("table", name)])


@pytest.fixture
def worked(folder: Path) -> Worked:
    blocks = marked(DOCS / "rules.md")
    write_blocks(blocks, folder)
    loaded = read_answers(folder / "worked.yaml")
    a = loaded.assessment
    card = score(a, loaded.frameworks, loaded.catalog.crosswalk.equivalent_questions)
    road = plan(card, loaded.catalog.all_initiatives(), a.roadmap, a.language)
    progress = progress_of(loaded, card, date.today())
    assert progress is not None
    return Worked(blocks, card, road, progress)


def test_worked_example_question_scores(worked: Worked) -> None:
    rows = worked.table("questions")
    computed = {
        q.question.full_id: q
        for fs in worked.card.frameworks
        for d in fs.dimensions
        for q in d.questions
    }
    assert set(rows) == set(computed)
    for qid, row in rows.items():
        q = computed[qid]
        assert int(row["n"]) == q.n, qid
        assert close(row["spread"], q.spread), qid
        assert close(row["score"], q.score), qid


def test_worked_example_dimension_and_model_scores(worked: Worked) -> None:
    card = worked.card
    dims = {d.dimension.full_id: d for fs in card.frameworks for d in fs.dimensions}
    rows = worked.table("dimensions")
    assert set(rows) == set(dims)
    for did, row in rows.items():
        d = dims[did]
        for column in ("score", "coverage", "target", "gap", "importance", "priority"):
            assert close(row[column], getattr(d, column)), (did, column)
        assert int(row["level"]) == d.level
    models = worked.table("models")
    for fs in card.frameworks:
        row = models[fs.framework.id]
        for column in ("score", "coverage", "percent_to_target"):
            assert close(row[column], getattr(fs, column)), column
        assert int(row["level"]) == fs.level


def test_worked_example_roadmap_and_trajectory(worked: Worked) -> None:
    road = worked.road
    rows = worked.table("roadmap")
    assert list(rows) == [s.initiative.id for s in road.initiatives]
    for s in road.initiatives:
        row = rows[s.initiative.id]
        assert (int(row["start_week"]), int(row["end_week"])) == (s.start_week, s.end_week)
        assert row["phase"] == s.phase
        assert close(row["priority"], s.priority)
    trajectory = worked.table("trajectory")
    assert list(trajectory) == [p.name for p in road.phases]
    for p in road.phases:
        assert close(trajectory[p.name]["projected"], p.projected["starter"]), p.name


def test_worked_example_progress_to_date(worked: Worked) -> None:
    rows = worked.table("progress")
    for fp in worked.progress.frameworks:
        model = rows[fp.framework.id]
        assert close(model["baseline"], fp.baseline)
        assert close(model["today"], fp.score)
        assert close(model["progress"], fp.ratio)
        for dp in fp.dimensions:
            row = rows[dp.dimension.full_id]
            for column, value in (
                ("baseline", dp.baseline),
                ("today", dp.score),
                ("target", dp.target),
                ("progress", dp.ratio),
            ):
                assert close(row[column], value), (dp.dimension.full_id, column)


# --- docs/user-guide.md ----------------------------------------------------------------------


def test_user_guide_names_what_the_pages_show() -> None:
    """Every *italic* name in the user guide (a button, a field, a heading, a status) is a string of
    the templates or the views, so a renamed button shows here; "…" stands for a value."""
    guide = (DOCS / "user-guide.md").read_text(encoding="utf-8")
    names = dict.fromkeys(re.findall(r"(?<![*\w])\*([^*\n]+?)\*(?![*\w])", guide))
    pages = [
        *sorted((ROOT / "templates").rglob("*.html")),
        *sorted((ROOT / "planner" / "web").glob("*.py")),
    ]
    shown = "\n".join(p.read_text(encoding="utf-8") for p in pages)
    assert len(names) > 100
    missing = [n for n in names if not re.search(re.escape(n).replace("…", ".*?"), shown)]
    assert missing == []


# --- settings and links -------------------------------------------------------------------------


def settings_in_use() -> set[str]:
    """PLANNER_* names the code, the Makefile and CI use, and every configuration key the app
    reads (config.load takes each from PLANNER_<KEY>)."""
    names: set[str] = set()
    sources = [*sorted((ROOT / "planner").rglob("*.py")), ROOT / "Makefile", ROOT / ".ci" / "run"]
    for path in sources:
        text = path.read_text(encoding="utf-8")
        names |= set(re.findall(r"\bPLANNER_[A-Z][A-Z0-9_]*[A-Z0-9]\b", text))
        if path.suffix == ".py":
            read = re.findall(r"config(?:\.get\(|\[)\s*\"([A-Z][A-Z0-9_]+)\"", text)
            names |= {f"PLANNER_{key}" for key in read}
    names |= {f"PLANNER_{key}" for key in config.DEFAULTS}
    return names - {"PLANNER_SQLALCHEMY_ENGINES"}  # derived from PLANNER_DATABASE_URL


def test_readme_documents_every_setting() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert sorted(n for n in settings_in_use() if f"`{n}`" not in readme) == []
    assert "`HOST`" in readme
    assert "`PORT`" in readme


def docs_pages() -> list[Path]:
    return [ROOT / "README.md", *sorted(DOCS.glob("*.md"))]


def test_no_page_links_outside_the_repository() -> None:
    """A clone has README.md and docs/ only: a link into ../shared (or anywhere outside) is dead."""
    outside = []
    for page in docs_pages():
        for target in re.findall(r"\]\(([^)\s#]+)", page.read_text(encoding="utf-8")):
            if target.startswith(("http://", "https://", "mailto:")):
                continue
            resolved = (page.parent / target).resolve()
            if "shared" in Path(target).parts or not resolved.is_relative_to(ROOT):
                outside.append(f"{page.name}: {target}")
    assert outside == []


def anchors(page: Path) -> set[str]:
    """The ids GitHub gives a page's headings: lower case, punctuation dropped, spaces to dashes."""
    out = set()
    for line in page.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            title = line.lstrip("#").strip().lower()
            out.add(re.sub(r"[^\w\- ]", "", title).replace(" ", "-"))
    return out


def test_the_manual_stands_alone() -> None:
    """README.md and the manual's pages name nothing a clone lacks, and their links resolve,
    anchors included."""
    pages = [ROOT / "README.md", *(DOCS / name for name in OWNED)]
    broken = []
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert "../shared" not in text, page.name
        assert not re.search(r"\bDESIGN\b", text), page.name
        for target, anchor in re.findall(r"\]\(([^)\s#]*)(?:#([^)\s]+))?\)", text):
            if target.startswith(("http://", "https://", "mailto:")):
                continue
            linked = page.parent / target if target else page
            if not linked.exists() or (anchor and anchor not in anchors(linked)):
                broken.append(f"{page.name}: {target}#{anchor}")
    assert broken == []
