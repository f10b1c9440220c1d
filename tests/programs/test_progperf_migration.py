"""Migration 0005_progperf: stored HSDS ids backfilled, and the program change triggers."""

from flask_migrate import upgrade
from sqlalchemy import text

from app import create_app
from directory.extensions import db
from programs.hsds_ids import hsds_id
from tests.test_migrations import empty_database_url  # noqa: F401  (a fixture)

NOW = "2026-12-01 00:00:00+00:00"


def _programs_before_0005(conn) -> None:
    """A service at a site of its organization, as 0004_programs stores them."""
    conn.execute(
        text(
            "INSERT INTO program_organization (id, external_id, name, source, created_at, "
            "updated_at) VALUES (1, 'hsds:org-1', 'Org', 'hsds', :now, :now)"
        ),
        {"now": NOW},
    )
    conn.execute(
        text(
            "INSERT INTO program_location (id, external_id, source, created_at, updated_at) "
            "VALUES (1, 'hsds:loc-1', 'hsds', :now, :now)"
        ),
        {"now": NOW},
    )
    conn.execute(
        text(
            "INSERT INTO program_service (id, external_id, organization_id, name, status, "
            "populations, languages, needs, taxonomy_terms, levels_of_care, medications, detox, "
            "residential, payments, source, fingerprint, created_at, updated_at) VALUES (1, "
            "'hsds:svc-1', 1, 'Pantry', 'active', '[]', '[]', '[\"food\"]', '[]', '[]', '[]', "
            "false, false, '[]', 'hsds', 'x', :now, :now)"
        ),
        {"now": NOW},
    )
    conn.execute(
        text(
            "INSERT INTO program_site (id, external_id, service_id, location_id, hours) "
            "VALUES (1, 'hsds:site-1', 1, 1, '[]')"
        )
    )


def _triggers(conn) -> list[str]:
    if conn.dialect.name == "postgresql":
        sql = "SELECT tgname FROM pg_trigger WHERE tgname LIKE 'program_change%' ORDER BY tgname"
    else:
        sql = (
            "SELECT name FROM sqlite_master WHERE type = 'trigger' "
            "AND name LIKE 'program_change%' ORDER BY name"
        )
    return [name for (name,) in conn.execute(text(sql))]


def test_upgrade_backfills_hsds_ids_and_installs_the_triggers_create_all_does(
    empty_database_url,  # noqa: F811
    tmp_path,
):
    app = create_app({"SQLALCHEMY_DATABASE_URI": empty_database_url, "SECRET_KEY": "x"})
    app.instance_path = str(tmp_path)
    with app.app_context():
        upgrade(revision="0004_reports")
        with db.engine.begin() as conn:
            _programs_before_0005(conn)
        upgrade()
        with db.engine.begin() as conn:
            stored = [
                conn.execute(text(f"SELECT hsds_id FROM {table}")).scalar()
                for table in ("program_organization", "program_service", "program_site")
            ]
            migrated = _triggers(conn)
            conn.execute(text("UPDATE program_service SET name = 'Food Pantry'"))
            stamp = conn.execute(text("SELECT stamp FROM program_change")).scalar()
        db.drop_all()
        with db.engine.begin() as conn:
            conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
        db.create_all()
        with db.engine.connect() as conn:
            created = _triggers(conn)
        db.engine.dispose()
    assert stored == [
        hsds_id("organization", "hsds:org-1"),
        hsds_id("service", "hsds:svc-1"),
        hsds_id("service_at_location", "hsds:site-1"),
    ]
    assert stamp is not None
    assert migrated == created
    # PostgreSQL: a statement trigger per table; SQLite: a row trigger per table and write.
    assert len(migrated) == (3 if empty_database_url.startswith("postgresql") else 9)
