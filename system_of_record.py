"""The write side's composition: settings, the database, every model and every hook a write fires.

`app.create_app` builds the serving app on this; `python -m batch` builds only this, so a
batch load starts without the pages, the APIs and their schemas, and writes exactly as the
serving app does (the same models, listeners and outbox).
"""

import logging
import os
from pathlib import Path

from flask import Flask

import appointments.models  # noqa: F401  (models must be known to Alembic)
import audit.checkpoints  # noqa: F401  (the audit chain's checkpoint after each commit)
import audit.models  # noqa: F401  (the audit chain's flush hooks)
import config as settings
import corrections.models  # noqa: F401  (models must be known to Alembic)
import directory.models  # noqa: F401  (models must be known to Alembic)
import matching.saved_searches  # noqa: F401
import outbox.models  # noqa: F401  (models must be known to Alembic)
import programs.changes  # noqa: F401
import programs.models  # noqa: F401
import referrals.econsent_models  # noqa: F401  (models must be known to Alembic)
import referrals.message_models  # noqa: F401  (models must be known to Alembic)
import referrals.summary  # noqa: F401  (the funnel summary: its model and its flush hook)
import search.models  # noqa: F401  (the outbox table must be known to create_all and Alembic)
import smart.models  # noqa: F401  (models must be known to Alembic)
from audit.keys import check_configured_keys
from directory.extensions import db
from directory.listing_changes import install_listing_listener
from directory.secrets import instance_secret_key
from registry.refresh import watch as watch_registry
from search.outbox import install_outbox_listener


def create_records_app(config: dict | None = None) -> Flask:
    """A Flask app with the settings and the system of record, nothing served."""
    # The serving app's name and folders: the same logger, instance folder and secret key file.
    app = Flask("app", root_path=str(Path(__file__).parent), instance_relative_config=True)
    configure(app, config)
    register_records(app)
    return app


def configure(app: Flask, config: dict | None) -> None:
    """The settings table, the environment over it, then `config` (the tests'); a secret key."""
    app.config.from_mapping(settings.from_environ(os.environ))
    if config:
        app.config.update(config)
    ensure_secret_key(app)


def ensure_secret_key(app: Flask) -> None:
    """Never a default secret: use SECRET_KEY, else a random per-instance key file."""
    if app.config.get("SECRET_KEY"):
        return
    app.config["SECRET_KEY"] = instance_secret_key(app.instance_path)
    logging.getLogger(__name__).warning(
        "SECRET_KEY is not set; using a random key kept in the instance folder"
    )


def register_records(app: Flask) -> None:
    """The database and what every write fires: listing times, the search outbox, the registry."""
    tune_engine(app)
    db.init_app(app)
    check_configured_keys(app)  # a malformed AUDIT_KEY stops start-up, not the first write
    # A child row's change bumps its clinician's updated_at (the change feed reads it).
    install_listing_listener()
    install_outbox_listener()
    # The registry's rows follow every commit that changes a screening, referral or visit.
    watch_registry()


def tune_engine(app: Flask) -> None:
    """PostgreSQL: no server-side prepared statements, whose generic plans go stale on IN lists."""
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
        options["connect_args"] = {"prepare_threshold": None, **options.get("connect_args", {})}
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options
