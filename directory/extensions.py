"""The database and sign-in extensions, unbound, attached in create_app (Migrate on first use).

The request edge's own (rate limits, CSRF) are in edge.extensions: a process that builds only
the system of record (python -m batch) never imports them.
"""

from flask import Flask
from flask_login import LoginManager
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase

from directory.lazy_cli import LazyGroup

# Stable constraint names so Alembic migrations are the same on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base with the naming convention."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
MIGRATE_OPTIONS = {"directory": "migrations", "render_as_batch": True, "compare_type": True}
login_manager = LoginManager()


class DeferredMigrate:
    """Stands in app.extensions["migrate"] until Flask-Migrate is first used."""

    def __init__(self, app: Flask):
        self.app = app

    def __getattr__(self, name: str):
        # Dunder probes (copy, pickle, templates) and a missing `app` must not load Alembic.
        if name.startswith("__") or name == "app":
            raise AttributeError(name)
        return getattr(load_migrate(self.app), name)


def init_migrate(app: Flask) -> None:
    """Flask-Migrate on first use (`flask db`, upgrade()): it imports Alembic, ~12 MB resident."""
    app.extensions["migrate"] = DeferredMigrate(app)
    app.cli.add_command(
        LazyGroup("db", lambda: migrate_group(app), help="Perform database migrations.")
    )


def load_migrate(app: Flask):
    """Set up Flask-Migrate, which replaces the stand-in state and `db` group with its own."""
    from flask_migrate import Migrate  # Alembic (~12 MB): only `flask db` and upgrade() load it

    if isinstance(app.extensions.get("migrate"), DeferredMigrate):
        Migrate(app, db, **MIGRATE_OPTIONS)
    return app.extensions["migrate"]


def migrate_group(app: Flask):
    """Flask-Migrate's `flask db` group, set up for `app`."""
    load_migrate(app)
    return app.cli.commands["db"]


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record):
    """WAL and enforced foreign keys for the embedded SQLite default."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()
