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
        # Configured like SECRET_KEY, so no test app creates instance/audit_key in the checkout.
        "AUDIT_KEY": "0123456789abcdef" * 4,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
    }


def _empty_tables() -> None:
    """Delete every row so each test starts clean (faster than re-creating the schema)."""
    tables = list(reversed(_db.metadata.sorted_tables))
    if _db.engine.dialect.name == "postgresql":
        names = ", ".join(f'"{t.name}"' for t in tables)
        # audit_event refuses TRUNCATE (a trigger): the suite, as the superuser, lifts it for
        # this one statement, inside the transaction.
        _db.session.execute(text("ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_truncate"))
        _db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        _db.session.execute(text("ALTER TABLE audit_event ENABLE TRIGGER audit_event_no_truncate"))
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


# --- Accounts: sign in through the real /login form, and API keys -------------------------

DEFAULT_PASSWORD = "correct horse battery staple"
_ROLE_ORGS = {
    "pcp": "Test Primary Care",
    "plan_staff": "Test Health Plan",
    "clinician": "Test BH Practice",
    "admin": "Test Administration",
    "community": "Test Community Organization",
}


class AuthActions:
    """Create users and sign in/out through the real forms (CSRF token fetched when enabled)."""

    def __init__(self, app, client):
        self._app = app
        self._client = client
        self._count = 0

    def create_user(
        self, role="pcp", email=None, org=None, npi=None, plans=(), password=None, program_org=None
    ):
        """A committed user; org is an Organization, an id/name (created if unknown) or None."""
        from accounts.users import create_user

        self._count += 1
        email = email or f"{role}{self._count}@example.org"
        password = password or DEFAULT_PASSWORD
        user, _ = create_user(
            email, role, org or _ROLE_ORGS[role], password, npi, plans, program_org
        )
        _db.session.commit()
        return user

    def csrf_token(self, path="/login"):
        """The CSRF token rendered on `path` for this client's session."""
        import re

        page = self._client.get(path).get_data(as_text=True)
        match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
        assert match, f"no CSRF token on {path}"
        return match.group(1)

    def _with_token(self, data, path):
        if self._app.config.get("WTF_CSRF_ENABLED", True):
            data["csrf_token"] = self.csrf_token(path)
        return data

    def login(self, email, password=None, next=None):
        """POST the sign-in form; returns the response (302 on success)."""
        data = {"email": email, "password": password or DEFAULT_PASSWORD}
        if next is not None:
            data["next"] = next
        return self._client.post("/login", data=self._with_token(data, "/login"))

    def login_as(self, role="pcp", **kwargs):
        """Create a user with `role` (see create_user) and sign them in; returns the user."""
        user = self.create_user(role, **kwargs)
        response = self.login(user.email, kwargs.get("password"))
        assert response.status_code == 302, response.status_code
        return user

    def logout(self):
        """POST the sign-out form."""
        return self._client.post("/logout", data=self._with_token({}, "/account"))


@pytest.fixture
def auth(app, client):
    """Sign-in actions bound to the test `client`."""
    return AuthActions(app, client)


@pytest.fixture
def make_api_key(app):
    """make_api_key(org, scopes) -> the key; org is an Organization or a name (created)."""
    from accounts.keys import issue_api_key
    from directory.models import Organization

    def make(org, scopes=("directory:read",), kind="bh_practice"):
        if not isinstance(org, Organization):
            org = _db.session.scalar(
                _db.select(Organization).where(Organization.name == org)
            ) or Organization(name=org, kind=kind)
            _db.session.add(org)
        _row, key = issue_api_key(org, scopes)
        _db.session.commit()
        return key

    return make
