"""CRM Maturity Planner: the application factory, a table of contents."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask

ROOT = Path(__file__).resolve().parents[1]


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_relative_config=True,
    )
    from planner import config

    config.load(app, test_config)
    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_hooks(app)
    from planner.services import prerender

    prerender.install(app)
    if app.config["WARM_CATALOGS"]:
        warm_caches(app)
    return app


def register_extensions(app: Flask) -> None:
    from planner import database, i18n
    from planner.extensions import babel, csrf, db

    db.init_app(app)
    with app.app_context():
        database.configure(db.engine, float(app.config["SQLITE_BUSY_SECONDS"]))
    csrf.init_app(app)
    babel.init_app(
        app,
        locale_selector=i18n.select_locale,
        default_translation_directories=str(ROOT / "translations"),
    )


def register_blueprints(app: Flask) -> None:
    from planner.web import (
        assessments,
        auth,
        catalog,
        clients,
        respond,
        roadmap,
        settings,
        share,
        versions,
        workshop,
    )
    from planner.web.converters import DatabaseId

    app.url_map.converters["int"] = DatabaseId  # before any rule is added
    for module in (
        auth,
        clients,
        assessments,
        roadmap,
        respond,
        catalog,
        settings,
        share,
        versions,
        workshop,
    ):
        app.register_blueprint(module.bp)
    # Browsers ask for /favicon.ico whatever the page's <link rel="icon"> says
    app.add_url_rule("/favicon.ico", "favicon", lambda: app.send_static_file("favicon.svg"))


def register_errorhandlers(app: Flask) -> None:
    from planner.web import errors

    errors.register(app)


def register_hooks(app: Flask) -> None:
    from planner.web import hooks

    hooks.register(app)


def warm_caches(app: Flask) -> None:
    """Build the pinned catalogs now, so a fresh worker's first autosave does not wait for them.

    gunicorn starts `planner:create_app()` in each worker. A broken model file or an unreachable
    database is not fatal here: the requests that need them say so.
    """
    from sqlalchemy.exc import SQLAlchemyError

    from planner.catalog import CatalogError
    from planner.services import catalog

    with app.app_context():
        try:
            catalog.warm(Path(app.config["FRAMEWORKS_DIR"]))
        except (CatalogError, SQLAlchemyError) as exc:
            app.logger.warning("catalogs not warmed: %s", str(exc).splitlines()[0])
