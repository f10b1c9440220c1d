"""The Alembic migrations build exactly the schema the models describe."""

import os
import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, select, text
from sqlalchemy.engine import make_url

from app import create_app
from directory.extensions import db


@pytest.fixture
def empty_database_url(tmp_path):
    """A brand-new empty database of the kind the suite runs on."""
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        yield f"sqlite:///{tmp_path / 'migrated.sqlite3'}"
        return
    base = make_url(url.replace("postgresql://", "postgresql+psycopg://", 1))
    name = f"migrations_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield base.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()


def test_upgrade_head_matches_models(empty_database_url, tmp_path):
    app = create_app({"SQLALCHEMY_DATABASE_URI": empty_database_url, "SECRET_KEY": "x"})
    app.instance_path = str(tmp_path)
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), db.metadata)
            triggers = _append_only_triggers(conn)
        db.engine.dispose()
    assert diff == []
    if empty_database_url.startswith("postgresql"):
        assert triggers == ["audit_event_append_only", "audit_event_no_truncate"]


def test_the_migrated_defaults_are_the_ones_the_models_declare(empty_database_url, tmp_path):
    # Bulk inserts leave out columns NULL in every row: only right where no default applies.
    app = create_app({"SQLALCHEMY_DATABASE_URI": empty_database_url, "SECRET_KEY": "x"})
    app.instance_path = str(tmp_path)
    with app.app_context():
        upgrade()
        found = inspect(db.engine)
        differ = [
            (table.name, column["name"])
            for table in db.metadata.sorted_tables
            for column in found.get_columns(table.name)
            if (column["default"] is not None)
            != (table.c[column["name"]].server_default is not None)
            and "nextval(" not in (column["default"] or "")  # PostgreSQL's serial ids
        ]
        db.engine.dispose()
    assert differ == []


def test_upgrade_head_installs_the_listing_triggers_create_all_does(empty_database_url, tmp_path):
    app = create_app({"SQLALCHEMY_DATABASE_URI": empty_database_url, "SECRET_KEY": "x"})
    app.instance_path = str(tmp_path)
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            migrated = _listing_triggers(conn)
        db.drop_all()
        with db.engine.begin() as conn:
            conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
        db.create_all()
        with db.engine.connect() as conn:
            created = _listing_triggers(conn)
        db.engine.dispose()
    assert len(migrated) >= 20
    assert migrated == created


def test_0018_backfills_the_summary_and_its_counts_of_referrals_already_sent(
    empty_database_url, tmp_path
):
    from referrals.summary_models import ReferralRollup, ReferralSummary
    from referrals.summary_months import ClinicianMonth, DeclineMonth
    from tests.referrals.test_rollup import _varied
    from tests.referrals.world import build_world

    app = create_app({"SQLALCHEMY_DATABASE_URI": empty_database_url, "SECRET_KEY": "x"})
    app.instance_path = str(tmp_path)
    with app.app_context():
        upgrade()
        _varied(build_world(), count=12)
        models = (ReferralSummary, ReferralRollup, ClinicianMonth, DeclineMonth)
        kept = [_rows(model) for model in models]
        db.session.remove()
        downgrade(revision="0016_funnelsql")
        assert not inspect(db.engine).has_table("referral_rollup")
        assert not inspect(db.engine).has_table("referral_clinician_month")
        upgrade()
        assert [_rows(model) for model in models] == kept
        assert len(kept[0]) == 12
        assert kept[2] and kept[3]  # months received and declined were counted
        db.session.remove()
        db.engine.dispose()


def _rows(model) -> list[tuple]:
    """Every row of `model`'s table, sorted."""
    rows = db.session.execute(select(model.__table__)).all()
    return sorted(tuple(row) for row in rows)


def _listing_triggers(conn) -> list[str]:
    """The listing change-log triggers: names on PostgreSQL, whole statements on SQLite."""
    if conn.dialect.name == "postgresql":
        sql = "SELECT tgname FROM pg_trigger WHERE tgname LIKE 'listing_change%' ORDER BY tgname"
    else:
        sql = (
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' "
            "AND name LIKE 'listing_change%' ORDER BY name"
        )
    return [found for (found,) in conn.execute(text(sql))]


def _append_only_triggers(conn) -> list[str]:
    """Names of the audit_event triggers (PostgreSQL only)."""
    if conn.dialect.name != "postgresql":
        return []
    rows = conn.execute(
        text("SELECT tgname FROM pg_trigger WHERE tgrelid = 'audit_event'::regclass")
    )
    return sorted(name for (name,) in rows if not name.startswith("RI_"))
