"""Fixtures: app, client, runner, db; SQLite by default, PostgreSQL with TEST_DATABASE_URL."""

import os
from pathlib import Path

import pytest
from sqlalchemy import text

from app import create_app
from directory.extensions import db as _db

DATA = Path(__file__).parent / "data"
SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"


def _database_url(tmp_root: Path) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return url.replace("postgresql://", "postgresql+psycopg://", 1)
    return f"sqlite:///{tmp_root / 'test.sqlite3'}"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    """One database per test session; schema created once."""
    return _database_url(tmp_path_factory.mktemp("db"))


@pytest.fixture(scope="session")
def _schema(database_url, tmp_path_factory):
    app = create_app(_test_config(database_url, tmp_path_factory.mktemp("instance")))
    with app.app_context():
        _db.drop_all()
        _db.create_all()
    yield
    with app.app_context():
        _db.drop_all()
        _db.engine.dispose()


def _test_config(database_url: str, instance: Path) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
    }


def _empty_tables() -> None:
    """Delete every row so each test starts clean (faster than re-creating the schema)."""
    tables = list(reversed(_db.metadata.sorted_tables))
    if _db.engine.dialect.name == "postgresql":
        names = ", ".join(f'"{t.name}"' for t in tables)
        _db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        for table in tables:
            _db.session.execute(table.delete())
    _db.session.commit()


@pytest.fixture
def app(_schema, database_url, tmp_path):
    """A fresh app per test with empty tables, inside an app context."""
    app = create_app(_test_config(database_url, tmp_path))
    app.instance_path = str(tmp_path / "instance")
    with app.app_context():
        yield app
        _db.session.remove()
        _empty_tables()
        _db.session.remove()
        _db.engine.dispose()  # one engine per app: release its connections


@pytest.fixture
def db(app):
    """The SQLAlchemy extension, bound to the test app."""
    return _db


@pytest.fixture
def client(app):
    """A test client."""
    return app.test_client()


@pytest.fixture
def runner(app):
    """A CLI runner for `flask` commands."""
    return app.test_cli_runner()
