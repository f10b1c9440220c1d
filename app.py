"""Application factory: `gunicorn 'app:create_app()'` or `flask --app app run`."""

import gc
import logging

from flask import Flask
from werkzeug.utils import import_string

from config import Config
from directory.extensions import csrf, db, init_migrate, limiter, login_manager


def create_app(config: dict | None = None) -> Flask:
    """Build the app from Config, then `config` overrides (tests pass theirs)."""
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_object(Config)
    if config:
        app.config.update(config)
    ensure_secret_key(app)
    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_commands(app)
    return app


def prepare_worker(app: Flask) -> None:
    """A serving process just started: build its match index now, not in the first search."""
    from matching.index.extension import warm

    warm(app)
    # What start-up made lives as long as the process: keep it out of the collector's full
    # passes, which otherwise stop a request for tens of milliseconds (125k objects).
    gc.freeze()


def ensure_secret_key(app: Flask) -> None:
    """Never a default secret: use SECRET_KEY, else a random per-instance key file."""
    if app.config.get("SECRET_KEY"):
        return
    from directory.secrets import instance_secret_key

    app.config["SECRET_KEY"] = instance_secret_key(app.instance_path)
    logging.getLogger(__name__).warning(
        "SECRET_KEY is not set; using a random key kept in the instance folder"
    )


def register_extensions(app: Flask) -> None:
    """Attach the unbound extensions."""
    tune_engine(app)
    db.init_app(app)
    init_migrate(app)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    limiter.init_app(app)
    csrf.init_app(app)
    from directory.geography import make_geocoder
    from search import init_search
    from web.i18n import init_i18n

    app.extensions["geocoder"] = make_geocoder(app.config)
    from audit.keys import check_configured_keys

    check_configured_keys(app)
    register_needs_schema(app)
    init_search(app)
    init_i18n(app)


def register_needs_schema(app: Flask) -> None:
    """One needs schema for every search: building one copies all its fields (~0.2 ms)."""
    from matching.needs_schema import NeedsSchema
    from matching.plans import plan_lookup

    # db.session is scoped, so the look-up reads through each request's own session.
    app.extensions["needs_schema"] = NeedsSchema(
        plans=plan_lookup(db.session),
        geocoder=app.extensions["geocoder"],
        max_limit=app.config["API_PAGE_SIZE_MAX"],
    )


def tune_engine(app: Flask) -> None:
    """PostgreSQL: no server-side prepared statements, whose generic plans go stale on IN lists."""
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
        options["connect_args"] = {"prepare_threshold": None, **options.get("connect_args", {})}
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options


def register_blueprints(app: Flask) -> None:
    """Mount the JSON API and the pages."""
    from accounts import accounts_blueprint
    from api import api_blueprint
    from directory.health import health_blueprint
    from fhir_api import fhir_blueprint
    from web.i18n import language_blueprint
    from web.patients import patients_blueprint

    app.register_blueprint(health_blueprint)
    app.register_blueprint(api_blueprint, url_prefix="/api/v1")
    app.register_blueprint(fhir_blueprint, url_prefix="/fhir")
    app.register_blueprint(accounts_blueprint)
    app.register_blueprint(language_blueprint)
    app.register_blueprint(patients_blueprint)
    from console import init_console

    init_console(app)


def register_errorhandlers(app: Flask) -> None:
    """JSON errors under /api, never an HTML page or a bare 500."""
    from api.errors import register_api_errors

    register_api_errors(app)


def register_commands(app: Flask) -> None:
    """Flask CLI groups."""
    import directory.models  # noqa: F401  (models must be known to Alembic)
    from accounts.cli import apikeys_cli, orgs_cli, users_cli
    from audit.cli import audit_cli
    from directory.cli import demo_cli
    from directory.lazy_cli import LazyGroup
    from ingest.cli import ingest_cli
    from referrals.cli import referrals_cli
    from search import CLI_HELP

    app.cli.add_command(ingest_cli)
    app.cli.add_command(referrals_cli)
    app.cli.add_command(demo_cli)
    # search.cli imports the Elasticsearch client: only `flask search ...` loads it.
    search_cli = LazyGroup("search", lambda: import_string("search.cli:search_cli"), help=CLI_HELP)
    app.cli.add_command(search_cli)
    for group in (users_cli, apikeys_cli, orgs_cli, audit_cli):
        app.cli.add_command(group)
