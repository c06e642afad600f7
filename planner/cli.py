"""The `planner` command, grouped by noun. Bad input: `FILE:LINE:COL: message` lines, exit status 1."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn

import click
from flask import Flask

from planner.answers import AnswersError, Loaded, read_answers
from planner.catalog import SHIPPED_DIR, Catalog, CatalogError, Problem, load_catalog
from planner.catalog.schema import SCHEMA_FILES, render, write_all

FORMAT = click.Choice(["text", "json"])


def _catalog_dir(ctx: click.Context) -> Path | None:
    value = ctx.find_root().params.get("catalog")
    return Path(value) if value else None


def _fail(problems: Sequence[Problem | str]) -> NoReturn:
    for problem in problems:
        click.echo(str(problem), err=True)
    sys.exit(1)


def _load_catalog(ctx: click.Context, extra: Sequence[Path] = ()) -> Catalog:
    try:
        return load_catalog(_catalog_dir(ctx), extra)
    except CatalogError as exc:
        _fail(exc.problems)


def _load_answers(ctx: click.Context, path: str) -> Loaded:
    try:
        return read_answers(Path(path), _catalog_dir(ctx))
    except AnswersError as exc:
        _fail(exc.problems)


def _echo_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False))


@click.group()
@click.option(
    "--catalog",
    type=click.Path(file_okay=False),
    envvar="PLANNER_FRAMEWORKS_DIR",
    help="Folder of model files (default: the shipped frameworks/).",
)
def cli(catalog: str | None) -> None:
    """CRM Maturity Planner: model catalog, questionnaires, scores, roadmaps and PDF reports."""


@cli.group()
def frameworks() -> None:
    """The model catalog."""


@frameworks.command("list")
@click.option("--format", "fmt", type=FORMAT, default="text", show_default=True)
@click.pass_context
def frameworks_list(ctx: click.Context, fmt: str) -> None:
    """List the models: id, name, version, dimensions, questions, languages."""
    catalog = _load_catalog(ctx)
    rows: list[dict[str, Any]] = [
        {
            "id": fw.id,
            "name": fw.name.get(fw.languages[0]),
            "version": fw.version,
            "dimensions": len(fw.dimensions),
            "questions": fw.question_count,
            "languages": list(fw.languages),
        }
        for fw in catalog.frameworks
    ]
    if fmt == "json":
        _echo_json(rows)
        return
    from planner.report.present import table

    click.echo(
        table(
            ["ID", "Name", "Version", "Dimensions", "Questions", "Languages"],
            [
                [
                    r["id"],
                    r["name"],
                    r["version"],
                    str(r["dimensions"]),
                    str(r["questions"]),
                    ", ".join(r["languages"]),
                ]
                for r in rows
            ],
        )
    )


@frameworks.command("validate")
@click.argument("paths", nargs=-1, type=click.Path())
@click.pass_context
def frameworks_validate(ctx: click.Context, paths: tuple[str, ...]) -> None:
    """Check model files (all shipped files when no PATH); exit 1 listing every problem."""
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        files += sorted(path.glob("*.yaml")) if path.is_dir() else [path]
    catalog = _load_catalog(ctx, files)
    checked = len(files) or len(list((_catalog_dir(ctx) or SHIPPED_DIR).glob("*.yaml")))
    click.echo(
        f"OK: {checked} file(s) valid; {len(catalog.frameworks)} model(s), {len(catalog.all_initiatives())} initiative(s)"
    )


@frameworks.command("schema")
@click.option(
    "--kind", type=click.Choice(list(SCHEMA_FILES)), default="framework", show_default=True
)
@click.option(
    "--write",
    "write_dir",
    type=click.Path(file_okay=False),
    help="Write every schema file into this folder.",
)
def frameworks_schema(kind: str, write_dir: str | None) -> None:
    """Print the JSON Schema of model files (editors validate YAML with it)."""
    if write_dir:
        for path in write_all(Path(write_dir)):
            click.echo(str(path))
        return
    click.echo(render(kind), nl=False)


@cli.command()
@click.argument("framework_refs", metavar="FRAMEWORK...", nargs=-1, required=True)
@click.option("--lang", type=click.Choice(["en", "vi"]), default="en", show_default=True)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    help="Write to FILE instead of standard output.",
)
@click.pass_context
def questionnaire(
    ctx: click.Context, framework_refs: tuple[str, ...], lang: str, output: str | None
) -> None:
    """A blank answers file for the models (ids or model files), to fill offline and score."""
    from planner.answers import is_path_ref
    from planner.engine.questionnaire import blank_answers

    extra = [Path(ref) for ref in framework_refs if is_path_ref(ref)]
    catalog = _load_catalog(ctx, extra)
    by_path = {Path(fw.path).resolve(): fw for fw in catalog.frameworks}
    chosen = []
    for ref in framework_refs:
        fw = by_path.get(Path(ref).resolve()) if is_path_ref(ref) else None
        if fw is None and not is_path_ref(ref) and catalog.has_framework(ref):
            fw = catalog.framework(ref)
        if fw is None:
            known = ", ".join(f.id for f in catalog.frameworks)
            _fail([f"unknown framework {ref!r} (known: {known})"])
        if fw not in chosen:
            chosen.append(fw)
    text = blank_answers(chosen, catalog.crosswalk.equivalent_questions, lang)
    if output:
        Path(output).write_text(text, encoding="utf-8")
        click.echo(f"Wrote {output}", err=True)
    else:
        click.echo(text, nl=False)


def _score(loaded: Loaded) -> Any:
    from planner.engine.scoring import score

    return score(
        loaded.assessment, loaded.frameworks, loaded.catalog.crosswalk.equivalent_questions
    )


@cli.command("score")
@click.argument("answers", type=click.Path())
@click.option("--format", "fmt", type=FORMAT, default="text", show_default=True)
@click.pass_context
def score_cmd(ctx: click.Context, answers: str, fmt: str) -> None:
    """Score an answers file: per model, dimension and question."""
    from datetime import date

    from planner.engine.progress import progress_of
    from planner.report.present import scorecard_data, scorecard_text

    loaded = _load_answers(ctx, answers)
    card = _score(loaded)
    lang = loaded.assessment.language
    progress = progress_of(loaded, card, date.today())  # with a `baseline:`: progress to date
    if fmt == "json":
        _echo_json(scorecard_data(card, lang, progress))
    else:
        click.echo(scorecard_text(card, lang, progress), nl=False)


@cli.command("roadmap")
@click.argument("answers", type=click.Path())
@click.option("--format", "fmt", type=FORMAT, default="text", show_default=True)
@click.pass_context
def roadmap_cmd(ctx: click.Context, answers: str, fmt: str) -> None:
    """The roadmap of an answers file: initiatives by phase, with the projected trajectory."""
    from planner.engine.roadmap import plan
    from planner.report.present import roadmap_data, roadmap_text

    loaded = _load_answers(ctx, answers)
    lang = loaded.assessment.language
    card = _score(loaded)
    road = plan(card, loaded.catalog.all_initiatives(), loaded.assessment.roadmap, lang)
    if fmt == "json":
        _echo_json(roadmap_data(road, lang))
    else:
        click.echo(roadmap_text(road, lang, card), nl=False)


@cli.command("report")
@click.argument("answers", type=click.Path())
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False), required=True, help="The PDF to write."
)
@click.option(
    "--html", "html_out", type=click.Path(dir_okay=False), help="Also write the report's HTML."
)
@click.pass_context
def report_cmd(ctx: click.Context, answers: str, output: str, html_out: str | None) -> None:
    """Render the PDF report of an answers file."""
    from planner.report.pdf import render_report

    loaded = _load_answers(ctx, answers)
    pages = render_report(loaded, Path(output), Path(html_out) if html_out else None)
    click.echo(f"Wrote {output} ({pages} pages)")


# --- the web application's commands ------------------------------------------------------------


def _app() -> Flask:
    from planner import create_app

    return create_app()


@contextmanager
def _app_context() -> Iterator[Flask]:
    """The app in its context; its database connections are closed when the command ends (a
    command run inside another process, as the tests do, must not leave them to the collector)."""
    from planner.extensions import db as database

    app = _app()
    try:
        with app.app_context():
            yield app
    finally:
        with app.app_context():
            database.engine.dispose()


@cli.group()
def db() -> None:
    """The database."""


@db.command("upgrade")
def db_upgrade() -> None:
    """Apply the migrations (creates the SQLite file when needed)."""
    from planner.migrate import upgrade

    app = _app()
    upgrade(app.config["DATABASE_URL"])
    click.echo(f"Database up to date: {_shown_url(app.config['DATABASE_URL'])}")


def _shown_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


@cli.group()
def users() -> None:
    """Consultant accounts."""


@users.command("create")
@click.option(
    "--organisation", required=True, help="The consultancy's name (created with its first user)."
)
@click.option("--name", required=True)
@click.option("--email", required=True)
@click.password_option()
def users_create(organisation: str, name: str, email: str, password: str) -> None:
    """Create a consultancy and its first user (the owner), for a first log-in on a server."""
    from planner.services import ServiceError, accounts

    app = _app()
    with app.app_context():
        try:
            user = accounts.sign_up(organisation, name, email, password)
        except ServiceError as exc:
            _fail([f"error: {exc}"])
        click.echo(f"Created {user.email} in {organisation}")


@cli.command()
@click.option("--burst", is_flag=True, help="Run the queued jobs, then stop.")
def worker(burst: bool) -> None:
    """Run an RQ worker for PDF renders (needs PLANNER_REDIS_URL)."""
    from planner.jobs import RQJobs

    app = _app()
    url = app.config.get("REDIS_URL")
    if not url:
        _fail(["error: set PLANNER_REDIS_URL to the Redis server the web application uses"])
    from rq import Worker

    jobs = RQJobs(str(url))
    with app.app_context():
        Worker([jobs.queue], connection=jobs.connection).work(burst=burst)


@cli.group()
def demo() -> None:
    """Demonstration data."""


@demo.command("seed")
def demo_seed() -> None:
    """A demo consultancy with a client, an open and a closed assessment; prints the log-in and a link."""
    from planner.demo import seed

    app = _app()
    with (
        app.app_context(),
        app.test_request_context(
            base_url=os.environ.get("PLANNER_BASE_URL", "http://127.0.0.1:5000")
        ),
    ):
        for line in seed(app):
            click.echo(line)


@cli.group()
def reminders() -> None:
    """E-mail reminders to respondents (needs PLANNER_SMTP_URL)."""


@reminders.command("send")
def reminders_send() -> None:
    """Remind, once a day, whoever has not submitted an open assessment due within
    PLANNER_REMINDER_DAYS days (for a systemd timer or cron); exit 1 when a send failed."""
    from flask_babel import force_locale

    from planner.services import ServiceError
    from planner.services import mail as mail_service

    with _app_context(), force_locale("en"):
        try:
            done = mail_service.send_due_reminders()
        except ServiceError as exc:
            _fail([f"error: {exc}"])
        failures = []
        for assessment, result in done:
            click.echo(
                f"assessment {assessment.id} ({assessment.title}): {len(result.sent)} sent, "
                f"{len(result.failed)} failed, {len(result.already)} already reminded today, "
                f"{len(result.no_email)} without an e-mail address"
            )
            failures += [f"error: {o.recipient}: {o.error}" for o in result.failed]
        if not done:
            click.echo("No open assessment is due within the reminder days.")
        if failures:
            _fail(failures)


def main() -> None:
    """Entry point: any unexpected error becomes one line on stderr and exit 1, not a traceback."""
    try:
        cli.main(standalone_mode=True)
    except SystemExit:
        raise
    except Exception as exc:  # the last guard of a command-line tool
        if os.environ.get("PLANNER_DEBUG"):
            raise
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)


if __name__ == "__main__":
    main()
