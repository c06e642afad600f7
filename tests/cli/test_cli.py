"""Every `planner` command through click's runner, on good and bad files."""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from planner.cli import cli
from tests.conftest import DATA, TINY_CATALOG

EXAMPLES = Path(__file__).parents[2] / "examples"
FILE_LINE = re.compile(r"^[^\s:]+:\d+:\d+: \S")


@pytest.fixture
def run():
    runner = CliRunner()

    def invoke(*args: str, catalog: Path | None = None):
        prefix = ["--catalog", str(catalog)] if catalog else []
        return runner.invoke(cli, [*prefix, *args], catch_exceptions=False)

    return invoke


def assert_clean_failure(result, *fragments: str):
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert lines
    assert all(FILE_LINE.match(line) for line in lines), lines
    for fragment in fragments:
        assert fragment in result.output


def test_frameworks_list_text_and_json(run):
    result = run("frameworks", "list")
    assert result.exit_code == 0
    assert "idic" in result.output
    rows = json.loads(run("frameworks", "list", "--format", "json").output)
    idic = next(r for r in rows if r["id"] == "idic")
    assert idic["dimensions"] == 4
    assert 16 <= idic["questions"] <= 24
    assert idic["languages"] == ["en", "vi"]


def test_validate_shipped_files(run):
    result = run("frameworks", "validate")
    assert result.exit_code == 0
    assert result.output.startswith("OK:")


def test_validate_a_model_file_we_did_not_ship(run, tmp_path):
    own = tmp_path / "own.yaml"
    own.write_text(
        (TINY_CATALOG / "mini.yaml").read_text().replace("id: mini", "id: own-model"),
        encoding="utf-8",
    )
    assert run("frameworks", "validate", str(own)).exit_code == 0


def test_validate_reports_every_problem_with_its_line(run, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        textwrap.dedent(
            """\
            id: Bad_Id
            name: {en: Bad}
            languages: [en, vi]
            scale: crm-5
            colour: red
            dimensions:
              - id: d
                name: {en: D, vi: Đ}
                weight: 0
                questions:
                  - id: q
                    text: {en: "Q?", vi: "C?"}
                    levels: {1: {en: a, vi: a}, 2: {en: b, vi: b}}
            """
        ),
        encoding="utf-8",
    )
    result = run("frameworks", "validate", str(bad))
    assert_clean_failure(
        result,
        ":1:5: 'Bad_Id' is not an id",
        ":2:7: text is missing language vi",
        ":5:1: unknown key 'colour'",
        ":9:13: must be greater than 0",
        "has no anchor for level 3, 4, 5",
    )


def test_validate_refuses_hostile_yaml(run, tmp_path):
    bad = tmp_path / "bomb.yaml"
    bad.write_text("a: &a [x, x]\nb: &b [*a, *a]\nc: !!python/name:os.system\n", encoding="utf-8")
    assert_clean_failure(
        run("frameworks", "validate", str(bad)), "anchors (&name) are not allowed", "tags such as"
    )


def test_validate_a_binary_file(run, tmp_path):
    bad = tmp_path / "x.yaml"
    bad.write_bytes(b"id: \xff\xfe\n")
    assert_clean_failure(run("frameworks", "validate", str(bad)), "not valid UTF-8")


def test_schema_prints_json(run):
    schema = json.loads(run("frameworks", "schema").output)
    assert schema["title"].endswith("model definition")
    assert json.loads(run("frameworks", "schema", "--kind", "initiatives").output)["required"] == [
        "initiatives"
    ]


def test_questionnaire_writes_a_file_that_scores(run, tmp_path):
    out = tmp_path / "blank.yaml"
    result = run("questionnaire", "idic", "--lang", "vi", "-o", str(out))
    assert result.exit_code == 0
    text = out.read_text(encoding="utf-8")
    assert "idic.identify.one-customer-id:" in text
    assert "# 1/" in text
    assert "Tự phát" in text  # the anchors, with the level names, in Vietnamese
    filled = text.replace("idic.identify.one-customer-id:", "idic.identify.one-customer-id: 3")
    out.write_text(filled, encoding="utf-8")
    card = json.loads(run("score", str(out), "--format", "json").output)
    identify = card["frameworks"][0]["dimensions"][0]
    assert identify["score"] == 3
    assert identify["questions"][0]["n"] == 1


def test_questionnaire_unknown_framework(run):
    result = run("questionnaire", "nope")
    assert result.exit_code == 1
    assert "unknown framework 'nope'" in result.output


def test_questionnaire_asks_equivalent_questions_once(run):
    result = run("questionnaire", "tiny", catalog=TINY_CATALOG)
    assert "tiny.alpha.a1:" in result.output
    assert "tiny.beta.b1:" not in result.output  # asked through tiny.alpha.a1
    assert "Also answers: tiny.beta.b1" in result.output


def test_score_json_shape(run):
    data = json.loads(
        run(
            "score", str(DATA / "answers-tiny.yaml"), "--format", "json", catalog=TINY_CATALOG
        ).output
    )
    fw = data["frameworks"][0]
    assert set(fw) == {
        "id",
        "score",
        "level",
        "level_name",
        "coverage",
        "percent_to_target",
        "baseline",
        "progress_to_date",
        "dimensions",
    }
    dim = fw["dimensions"][0]
    assert set(dim) == {
        "id",
        "score",
        "level",
        "target",
        "gap",
        "coverage",
        "insufficient",
        "priority",
        "baseline",
        "progress_to_date",
        "questions",
    }
    assert set(dim["questions"][0]) == {"id", "score", "n", "spread", "na", "unknown", "agreed"}
    assert (fw["id"], dim["id"], dim["questions"][0]["id"]) == ("tiny", "alpha", "a1")  # local ids
    assert fw["score"] == round(fw["score"], 2)
    assert fw["level_name"] == "Ba"  # the answers file's language
    assert data["perception_gaps"][0]["dimension"] == "alpha"
    assert (fw["baseline"], dim["progress_to_date"]) == (None, None)  # no baseline: null
    assert "baseline" not in data


def test_score_text_is_a_table(run):
    result = run("score", str(EXAMPLES / "northwind-en.yaml"))
    assert result.exit_code == 0
    assert "Dimension" in result.output
    assert "Identify" in result.output


def test_roadmap_json_shape(run):
    data = json.loads(run("roadmap", str(EXAMPLES / "an-phat-vi.yaml"), "--format", "json").output)
    first = data["initiatives"][0]
    assert set(first) == {
        "id",
        "title",
        "start_week",
        "end_week",
        "phase",
        "priority",
        "enabler",
        "later",
        "edited",
        "added",
        "pinned",
        "owner",
        "improves",
        "depends_on",
    }
    assert data["warnings"] == []
    assert data["dropped"] == []
    assert set(first["improves"][0]) == {"dimension", "from_level", "to_level"}
    assert [p["name"] for p in data["phases"]] == [
        "0–3 tháng",
        "3–6 tháng",
        "6–12 tháng",
        "Trên 12 tháng",
    ]
    assert set(data["phases"][0]["projected"]) == {"idic"}
    ends = {i["id"]: i["end_week"] for i in data["initiatives"]}
    for item in data["initiatives"]:
        assert all(item["start_week"] >= ends[d] for d in item["depends_on"])


def test_roadmap_applies_the_consultants_edits(run, tmp_path):
    base = (EXAMPLES / "northwind-en.yaml").read_text(encoding="utf-8")
    plain = json.loads(
        run("roadmap", str(EXAMPLES / "northwind-en.yaml"), "--format", "json").output
    )
    first, second = plain["initiatives"][0]["id"], plain["initiatives"][1]["id"]
    edited = tmp_path / "edited.yaml"
    edited.write_text(
        base
        + f"""roadmap:
  drop: [{first}]
  add:
    - {{id: sales-playbook, title: Sales playbook, improves: [{{dimension: idic.interact, to_level: 3}}],
       duration_weeks: 6, owner: Head of Sales}}
  change:
    {second}: {{start_week: 30, owner: CIO}}
""",
        encoding="utf-8",
    )
    data = json.loads(run("roadmap", str(edited), "--format", "json").output)
    by_id = {i["id"]: i for i in data["initiatives"]}
    assert first not in by_id
    assert data["dropped"] == [first]
    assert by_id["sales-playbook"]["added"]
    assert by_id["sales-playbook"]["owner"] == "Head of Sales"
    assert by_id[second]["start_week"] == 30
    assert by_id[second]["edited"]
    assert by_id[second]["pinned"]
    text = run("roadmap", str(edited)).output
    assert "Sales playbook (added)" in text
    assert f"Dropped by the consultant: {first}" in text


def test_bad_roadmap_edits_fail_with_their_lines(run, tmp_path):
    base = (EXAMPLES / "northwind-en.yaml").read_text(encoding="utf-8")
    lines = base.count("\n")
    bad = tmp_path / "answers.yaml"
    bad.write_text(
        base
        + "roadmap:\n  drop: [no-such-thing]\n  change:\n    customer-data-inventory: {start_week: x}\n",
        encoding="utf-8",
    )
    for command in ("roadmap", "report"):
        args = ["-o", str(tmp_path / "r.pdf")] if command == "report" else []
        assert_clean_failure(
            run(command, str(bad), *args),
            f"answers.yaml:{lines + 2}:10: unknown initiative 'no-such-thing' in drop",
            f"answers.yaml:{lines + 4}:43: start_week must be a whole number of weeks",
        )
    assert not (tmp_path / "r.pdf").exists()


def test_roadmap_text(run):
    result = run("roadmap", str(EXAMPLES / "northwind-en.yaml"))
    assert result.exit_code == 0
    assert "0–3 months" in result.output
    assert "no score yet" not in result.output  # every dimension is scored


def test_roadmap_text_of_thin_answers_says_what_it_leaves_out(run, tmp_path):
    thin = tmp_path / "thin.yaml"
    thin.write_text(
        textwrap.dedent(
            """\
            client: Thin Co
            frameworks: [idic, gartner-8]
            respondents:
              - name: Minh
                answers:
                  idic.identify.one-customer-id: 2
                  idic.identify.known-transactions: 2
            """
        ),
        encoding="utf-8",
    )
    result = run("roadmap", str(thin))
    assert result.exit_code == 0
    assert "11 dimensions have no score yet and are not in this roadmap." in result.output
    assert "Tentative: 2 of the 2 dimensions this roadmap lifts" in result.output  # 2 of 5 asked
    assert "No initiative is needed" not in result.output


@pytest.mark.parametrize("command", ["score", "roadmap"])
def test_bad_answers_file(run, tmp_path, command):
    bad = tmp_path / "answers.yaml"
    bad.write_text(
        "client: X\nframeworks: [idic, nope]\nrespondents:\n  - name: A\n    answers:\n"
        "      idic.identify.one-customer-id: 9\n      idic.identify.nothing: 2\n",
        encoding="utf-8",
    )
    assert_clean_failure(
        run(command, str(bad)),
        "answers.yaml:2:20: unknown framework 'nope'",
        "answers.yaml:6:38: level 9 is not on scale crm-5",
        "answers.yaml:7:7: unknown question 'idic.identify.nothing'",
    )


def test_missing_answers_file(run, tmp_path):
    assert_clean_failure(run("score", str(tmp_path / "none.yaml")), "cannot read file")


@pytest.mark.slow
def test_report_writes_pdf_and_html(run, tmp_path):
    pdf, html = tmp_path / "r.pdf", tmp_path / "r.html"
    result = run("report", str(EXAMPLES / "an-phat-vi.yaml"), "-o", str(pdf), "--html", str(html))
    assert result.exit_code == 0, result.output
    assert pdf.read_bytes().startswith(b"%PDF-")
    assert "Công ty CP Bán lẻ An Phát" in html.read_text(encoding="utf-8")


def test_report_of_a_bad_file(run, tmp_path):
    bad = tmp_path / "a.yaml"
    bad.write_text("client: X\nframeworks: []\n", encoding="utf-8")
    assert_clean_failure(
        run("report", str(bad), "-o", str(tmp_path / "x.pdf")),
        "frameworks must be a non-empty list",
    )
    assert not (tmp_path / "x.pdf").exists()


@pytest.mark.slow
def test_every_command_on_a_model_we_did_not_ship(run, tmp_path, monkeypatch):
    own = tmp_path / "our-model.yaml"
    own.write_text(
        textwrap.dedent(
            """\
            id: service-desk
            version: "0.1"
            name: {en: Service desk model, vi: Mô hình bàn dịch vụ}
            languages: [en, vi]
            scale:
              id: four
              levels:
                - {value: 0, name: {en: Absent, vi: Chưa có}}
                - {value: 1, name: {en: Basic, vi: Cơ bản}}
                - {value: 2, name: {en: Managed, vi: Được quản lý}}
                - {value: 3, name: {en: Leading, vi: Dẫn đầu}}
            default_target: 2
            dimensions:
              - id: tickets
                name: {en: Tickets, vi: Phiếu yêu cầu}
                questions:
                  - id: logged
                    text: {en: "Are requests logged?", vi: "Yêu cầu có được ghi nhận không?"}
                    levels: {0: {en: "No", vi: Không}, 1: {en: Some, vi: Một phần}, 2: {en: All, vi: Tất cả}, 3: {en: All and analysed, vi: Tất cả và được phân tích}}
            initiatives:
              - id: ticket-tool
                title: {en: Ticket tool, vi: Công cụ quản lý phiếu}
                improves: [{dimension: tickets, to_level: 2}]
                duration_weeks: 6
            """
        ),
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    blank = tmp_path / "answers.yaml"
    assert run("frameworks", "validate", "our-model.yaml").exit_code == 0
    assert run("questionnaire", "./our-model.yaml", "idic", "-o", str(blank)).exit_code == 0
    text = blank.read_text(encoding="utf-8")
    assert "frameworks: [service-desk, idic]" in text
    text = text.replace("frameworks: [service-desk, idic]", "frameworks: [./our-model.yaml, idic]")
    text = text.replace("service-desk.tickets.logged:", "service-desk.tickets.logged: 1")
    blank.write_text(text, encoding="utf-8")
    card = json.loads(run("score", "answers.yaml", "--format", "json").output)
    assert card["frameworks"][0]["dimensions"][0]["score"] == 1
    road = json.loads(run("roadmap", "answers.yaml", "--format", "json").output)
    assert [i["id"] for i in road["initiatives"]] == ["ticket-tool"]
    assert run("report", "answers.yaml", "-o", "r.pdf").exit_code == 0
    assert (tmp_path / "r.pdf").stat().st_size > 1000


def test_score_with_a_baseline_shows_baseline_today_target_and_progress(run):
    """tests/unit/test_progress.py works these numbers out by hand."""
    path = str(Path(__file__).parents[1] / "data" / "reassessment-2026.yaml")
    catalog = Path(__file__).parents[1] / "data" / "catalog"
    text = run("score", path, catalog=catalog)
    assert text.exit_code == 0, text.output
    assert "Progress to date (tiny): baseline 1.67 → today 2.00, 20% of the way" in text.output
    assert re.search(r"Alpha\s+1\.50\s+2\.50\s+3\.5\s+50%", text.output)
    assert re.search(r"Beta\s+2\.00\s+1\.00\s+3\s+-100%", text.output)
    assert "Due by now in the baseline roadmap (weeks counted from 2025-01-06" in text.output
    data = json.loads(run("score", path, "--format", "json", catalog=catalog).output)
    fw = data["frameworks"][0]
    assert (fw["baseline"], fw["progress_to_date"]) == (1.67, 0.2)
    assert data["baseline"]["date"] == "2025-01-06"
    assert {i["id"] for i in data["baseline"]["due_by_now"]} == {"base", "beta-3", "alpha-3"}


def test_a_bad_baseline_fails_with_its_line(run, tmp_path):
    catalog = Path(__file__).parents[1] / "data" / "catalog"
    source = (Path(__file__).parents[1] / "data" / "reassessment-2026.yaml").read_text("utf-8")
    path = tmp_path / "now.yaml"
    path.write_text(source.replace("./baseline-2025.yaml", "./missing.yaml"), encoding="utf-8")
    assert_clean_failure(
        run("score", str(path), catalog=catalog), "baseline file './missing.yaml' not found"
    )
    (tmp_path / "missing.yaml").write_text(
        source.replace("tiny.alpha.a1: 1", "tiny.alpha.nope: 1"), encoding="utf-8"
    )
    result = run("score", str(path), catalog=catalog)
    assert_clean_failure(result, "missing.yaml:10:7: unknown question 'tiny.alpha.nope'")
    path.write_text(source.replace("./baseline-2025.yaml", "{tiny.alpha: 7}"), encoding="utf-8")
    assert_clean_failure(run("score", str(path), catalog=catalog), "off scale")
