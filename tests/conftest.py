"""Fixtures: app, client, runner, db; SQLite by default, PostgreSQL with TEST_DATABASE_URL."""

import os
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import text
from werkzeug.routing.rules import Rule

from app import create_app
from directory.extensions import db as _db
from tests.clock import UNDER_FAKETIME

# pcp, jane and staff: signed-in clients for any module with a referral `world` fixture.
pytest_plugins = ("tests.referrals.actors",)

DATA = Path(__file__).parent / "data"
SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"


def _timed_wait(seconds: float) -> None:
    """Sleep as a timed wait on an event that is never set."""
    threading.Event().wait(seconds)


@pytest.fixture(autouse=True, scope="session")
def _sleep_under_faketime():
    """Under `make test-later`, time.sleep waits on an event instead."""
    # libfaketime 0.9.10 with the monotonic clock left real refuses every clock_nanosleep
    # (EINVAL), so each time.sleep raised; timed waits on locks keep working there.
    if not UNDER_FAKETIME:
        yield
        return
    patch = pytest.MonkeyPatch()
    patch.setattr(time, "sleep", _timed_wait)
    yield
    patch.undo()


def _settings(converter) -> str:
    """A converter's own settings (not the map it belongs to)."""
    return repr(sorted((k, v) for k, v in vars(converter).items() if k != "map"))


def _memoize_url_builders() -> None:
    """Every test builds an app; reuse Werkzeug's generated URL builders across them."""
    # Compiling ~260 builders was ~75 ms of each app's 87 ms. A builder is a pure function of
    # the rule's text, parsed trace, defaults and converter types (it reads converters from the
    # rule it is bound to at call time), so the same key always generates the same code.
    compile_builder = Rule._compile_builder
    made = {}

    def cached(self, append_unknown=True):
        key = (
            self.rule,
            self.subdomain,
            self.host,
            tuple(self._trace),
            repr(sorted((self.defaults or {}).items())),
            tuple((name, type(c), _settings(c)) for name, c in self._converters.items()),
            append_unknown,
        )
        if key not in made:
            made[key] = compile_builder(self, append_unknown)
        return made[key]

    Rule._compile_builder = cached


_memoize_url_builders()


def _database_url(tmp_root: Path) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        url = url.replace("postgresql://", "postgresql+psycopg://", 1)
        # The suite commits thousands of times and never needs a commit to survive a crash of
        # the server: do not wait for each one's WAL flush (this connection only).
        joiner = "&" if "?" in url else "?"
        return f"{url}{joiner}options=-c%20synchronous_commit%3Doff"
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
        # scrypt at 2**10 instead of 2**15: every sign-in in the suite hashes (about 0.1 s each
        # at full cost); tests/accounts check that a plain app stores full-cost scrypt.
        "PASSWORD_HASH_METHOD": "scrypt:1024:8:1",
    }


def _empty_tables() -> None:
    """Delete every row so each test starts clean (faster than re-creating the schema)."""
    tables = list(reversed(_db.metadata.sorted_tables))
    if _db.engine.dialect.name == "postgresql":
        _empty_postgres(tables)
    else:
        for table in tables:
            _db.session.execute(table.delete())
    _db.session.commit()


def _empty_postgres(tables) -> None:
    """DELETE every row with triggers off and restart the sequences, in one round trip."""
    # TRUNCATE … CASCADE cost ~70 ms even for one table (a new file per relation); the suite's
    # tables hold a handful of rows. As the superuser, `replica` skips the triggers (foreign
    # keys, the change log, audit_event's refusal) for this transaction only.
    deletes = "".join(f'DELETE FROM "{table.name}"; ' for table in tables)
    _db.session.execute(
        text(f"SET LOCAL session_replication_role = replica; {deletes}{_RESTART_SEQUENCES}")
    )


# Sequences used since their restart start at 1 again (a rolled-back insert moves one too).
_RESTART_SEQUENCES = """
SELECT setval(format('%I', sequencename), 1, false) FROM pg_sequences
WHERE schemaname = current_schema() AND last_value IS NOT NULL
"""


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
def limited_client(app, database_url, tmp_path):
    """limited_client(**settings) -> a client of a second app on the test database with rate
    limits on (counted in memory) and `settings` over the suite's own."""
    contexts = []

    def make(**settings):
        limited = create_app(
            {**_test_config(database_url, tmp_path), "RATELIMIT_ENABLED": True,
             "RATELIMIT_STORAGE_URI": "memory://", **settings}
        )  # fmt: skip
        context = limited.app_context()
        context.push()
        contexts.append(context)
        return limited.test_client()

    yield make
    for context in reversed(contexts):
        context.pop()


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
    "practice_manager": "Test Group Practice",
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
