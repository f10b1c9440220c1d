"""PostgreSQL roles: the owner migrates, the app role may only SELECT and INSERT audit_event.

The PostgreSQL test builds what docker-compose.yml builds: a new database, migrations/roles.sql
run by psql as the superuser (random role names, dropped after), `flask db upgrade` as the
owner, `flask audit grants --apply` as the owner; then it connects as the app role.
"""

import os
import shutil
import subprocess
import uuid
from pathlib import Path
from types import SimpleNamespace

import pytest
from flask_migrate import upgrade
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, ProgrammingError

from app import create_app
from audit.grants import grant_statements, quoted
from directory.extensions import db as _db
from tests.audit.migrating import logging_kept

ROOT = Path(__file__).resolve().parents[2]


def test_audit_event_gets_select_and_insert_only(db):
    statements = grant_statements(db.metadata, "directory_app")
    assert statements[0] == 'GRANT USAGE ON SCHEMA "public" TO "directory_app"'
    assert 'REVOKE ALL ON "public"."audit_event" FROM "directory_app"' in statements
    assert 'GRANT SELECT, INSERT ON "public"."audit_event" TO "directory_app"' in statements
    assert (
        'GRANT SELECT, INSERT, UPDATE, DELETE ON "public"."referral" TO "directory_app"'
    ) in statements
    assert statements[-2:] == [
        'REVOKE ALL ON ALL SEQUENCES IN SCHEMA "public" FROM "directory_app"',
        'GRANT USAGE ON ALL SEQUENCES IN SCHEMA "public" TO "directory_app"',
    ]
    granted = [s for s in statements if s.startswith("GRANT SELECT")]
    assert len(granted) == len(db.metadata.sorted_tables)
    assert not any("TRUNCATE" in s for s in statements if s.startswith("GRANT"))


@pytest.mark.parametrize("name", ['app"; DROP TABLE audit_event; --', "1app", "", "a" * 64])
def test_role_names_are_plain_identifiers_or_refused(name):
    with pytest.raises(ValueError):
        quoted(name)


def test_grants_command_prints_the_statements(runner, db):
    result = runner.invoke(args=["audit", "grants", "--app-role", "directory_app"])
    assert result.exit_code == 0
    assert 'GRANT SELECT, INSERT ON "public"."audit_event" TO "directory_app";\n' in result.output


def test_grants_apply_is_postgresql_only(runner, db):
    if db.engine.dialect.name == "postgresql":
        pytest.skip("SQLite behaviour")
    result = runner.invoke(args=["audit", "grants", "--app-role", "directory_app", "--apply"])
    assert result.exit_code == 1
    assert "grants apply to PostgreSQL only" in result.output


def _psql_roles(base, database: str, owner: str, app_role: str) -> None:
    """migrations/roles.sql as the superuser, the way migrations/initdb-roles.sh runs it."""
    variables = {
        "dbname": database,
        "owner_role": owner,
        "owner_password": "owner-secret",
        "app_role": app_role,
        "app_password": "app-secret",
    }
    command = ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", base.host or "127.0.0.1"]
    command += ["-p", str(base.port or 5432), "-U", base.username or "postgres", "-d", database]
    for name, value in variables.items():
        command += ["-v", f"{name}={value}"]
    command += ["-f", str(ROOT / "migrations" / "roles.sql")]
    subprocess.run(command, check=True, capture_output=True, text=True, timeout=60)


@pytest.fixture
def roles(tmp_path):
    """A new database with the owner and app roles of roles.sql; all dropped afterwards."""
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        pytest.skip("needs TEST_DATABASE_URL (PostgreSQL)")
    if shutil.which("psql") is None:
        pytest.skip("needs the psql client")
    base = make_url(url.replace("postgresql://", "postgresql+psycopg://", 1))
    suffix = uuid.uuid4().hex[:8]
    names = SimpleNamespace(
        database=f"audit_roles_{suffix}", owner=f"bh_owner_{suffix}", app=f"bh_app_{suffix}"
    )
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{names.database}"'))
    try:
        _psql_roles(base, names.database, names.owner, names.app)
        names.owner_url = base.set(database=names.database, username=names.owner)
        names.app_url = base.set(database=names.database, username=names.app)
        yield names
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{names.database}" WITH (FORCE)'))
            conn.execute(text(f'DROP ROLE IF EXISTS "{names.owner}"'))
            conn.execute(text(f'DROP ROLE IF EXISTS "{names.app}"'))
        admin.dispose()


def _app_for(url, tmp_path, name):
    app = create_app({"SQLALCHEMY_DATABASE_URI": url.render_as_string(False), "SECRET_KEY": "x"})
    app.instance_path = str(tmp_path / name)
    app.config["AUDIT_KEY"] = "ab" * 32  # one key for every process, as compose sets it
    return app


def _migrate_as_owner(roles, tmp_path):
    owner_app = _app_for(roles.owner_url, tmp_path, "owner")
    with owner_app.app_context(), logging_kept():
        upgrade()
        result = owner_app.test_cli_runner().invoke(
            args=["audit", "grants", "--app-role", roles.app, "--apply"]
        )
        assert result.exit_code == 0, result.output
        tables_owner = _db.session.scalar(
            text("SELECT tableowner FROM pg_tables WHERE tablename = 'audit_event'")
        )
        _db.session.remove()
        _db.engine.dispose()
    assert tables_owner == roles.owner


def _normal_writes_work(app_role):
    from accounts.users import create_user
    from audit.log import record, verify_chain
    from directory.models import Clinician, ClinicianLanguage, Organization

    user, _ = create_user("ops@example.org", "admin", "Ops", "a long enough password", None)
    record(None, "create", "user", user.id)
    clinician = Clinician(npi="1234567893", last_name="Rivera")
    _db.session.add(clinician)
    _db.session.flush()
    _db.session.add(ClinicianLanguage(clinician_id=clinician.id, code="es"))
    _db.session.commit()  # the listing triggers write listing_change as the app role
    clinician.last_name = "Rivera-Soto"
    _db.session.get(Organization, user.organization_id).name = "Operations"
    _db.session.commit()
    _db.session.delete(_db.session.get(Clinician, clinician.id))
    _db.session.commit()
    assert _db.session.scalar(text("SELECT count(*) FROM listing_change")) >= 3
    assert verify_chain() == (True, 1, None)


REFUSED = [
    ("UPDATE audit_event SET outcome = 'denied'", "permission denied for table audit_event"),
    ("DELETE FROM audit_event", "permission denied for table audit_event"),
    ("TRUNCATE audit_event", "permission denied for table audit_event"),
    (
        "ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_truncate",
        "must be owner of table audit_event",
    ),
    ("SET session_replication_role = replica", "permission denied to set parameter"),
    ("SELECT setval('audit_event_id_seq', 1)", "permission denied for sequence"),
    ("CREATE TABLE audit_shadow (id int)", "permission denied for schema public"),
]


def test_the_app_role_appends_and_writes_but_cannot_rewrite_the_audit_log(roles, tmp_path):
    _migrate_as_owner(roles, tmp_path)
    app = _app_for(roles.app_url, tmp_path, "app")
    with app.app_context():
        _normal_writes_work(roles.app)
        for sql, message in REFUSED:
            with pytest.raises(ProgrammingError, match=message):
                _db.session.execute(text(sql))
            _db.session.rollback()
        assert _db.session.scalar(text("SELECT count(*) FROM audit_event")) == 1
        _db.session.remove()
        _db.engine.dispose()


def test_the_owner_is_refused_by_the_triggers_too(roles, tmp_path):
    _migrate_as_owner(roles, tmp_path)
    engine = create_engine(roles.owner_url)
    try:
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO audit_event (at, actor, actor_kind, action, object_type, outcome,"
                    " prev_hash, hash) VALUES (now(), 'system', 'system', 'read', 'referral',"
                    " 'ok', :zero, :one)"
                ),
                {"zero": "0" * 64, "one": "1" * 64},
            )
        for sql in ("UPDATE audit_event SET outcome = 'denied'", "TRUNCATE audit_event"):
            with pytest.raises(DBAPIError, match="audit_event is append-only"), engine.begin() as c:
                c.execute(text(sql))
    finally:
        engine.dispose()
