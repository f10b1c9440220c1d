"""Append-only below the ORM (PostgreSQL trigger) and verification of a tampered copy."""

import sqlite3

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.exc import DBAPIError

from audit.log import record, verify_chain
from audit.models import AuditEvent


def _events(db, count=3):
    for i in range(count):
        record(None, "read", "referral", i)
    db.session.commit()
    return db.session.scalars(select(AuditEvent.id).order_by(AuditEvent.id)).all()


def test_postgres_trigger_refuses_raw_update_and_delete(db):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("the trigger is PostgreSQL-only; SQLite relies on the ORM guard")
    ids = _events(db)
    for sql in (
        "UPDATE audit_event SET outcome = 'denied' WHERE id = :id",
        "DELETE FROM audit_event WHERE id = :id",
    ):
        with pytest.raises(DBAPIError, match="append-only"):
            db.session.execute(text(sql), {"id": ids[0]})
        db.session.rollback()
    assert verify_chain() == (True, 3, None)


def _sqlite_copy(db, tmp_path):
    """A file copy of the SQLite test database, tampered with, as an engine."""
    target = tmp_path / "copy.sqlite3"
    source = sqlite3.connect(db.engine.url.database)
    with sqlite3.connect(target) as dest:
        source.backup(dest)
    source.close()
    return create_engine(f"sqlite:///{target}")


def _postgres_copy(db):
    """A copy of audit_event in its own schema, first on the search path."""
    with db.engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS audit_copy CASCADE"))
        conn.execute(text("CREATE SCHEMA audit_copy"))
        conn.execute(text("CREATE TABLE audit_copy.audit_event AS SELECT * FROM audit_event"))
    return db.engine


def test_verify_a_tampered_copy(db, tmp_path):
    ids = _events(db)
    postgres = db.engine.dialect.name == "postgresql"
    engine = _postgres_copy(db) if postgres else _sqlite_copy(db, tmp_path)
    try:
        with engine.begin() as conn:
            if postgres:
                conn.execute(text("SET LOCAL search_path TO audit_copy"))
            conn.execute(
                text("UPDATE audit_event SET action = 'update' WHERE id = :id"), {"id": ids[1]}
            )
            assert verify_chain(conn) == (False, 1, ids[1])
    finally:
        if postgres:
            with db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA audit_copy CASCADE"))
        else:
            engine.dispose()
    # The original is untouched.
    assert verify_chain() == (True, 3, None)
