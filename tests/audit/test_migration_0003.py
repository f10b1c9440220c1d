"""Migration 0003_audit on a log written before it: the old events verify, new ones are keyed."""

from datetime import UTC, datetime

from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from app import create_app
from audit.hashing import GENESIS_HASH, legacy_hash
from audit.log import record
from audit.verify import verify_log
from directory.extensions import db
from tests.audit.migrating import logging_kept
from tests.test_migrations import empty_database_url  # noqa: F401  (a fixture)

NEW_COLUMNS = {"client_addr", "account_ref", "chain_count", "key_id"}


def _old_events(count: int) -> None:
    """What the app wrote at revision 0002: seven fields and a SHA-256 link."""
    prev = GENESIS_HASH
    for i in range(count):
        fields = {
            "at": datetime(2026, 11, 30, 12, 0, i, tzinfo=UTC),
            "actor": "user:1",
            "actor_kind": "user",
            "action": "read",
            "object_type": "referral",
            "object_id": str(i),
            "outcome": "ok",
        }
        prev_hash, prev = prev, legacy_hash(fields, prev)
        db.session.execute(
            text(
                "INSERT INTO audit_event (at, actor, actor_kind, action, object_type, object_id,"
                " outcome, prev_hash, hash) VALUES (:at, :actor, :actor_kind, :action,"
                " :object_type, :object_id, :outcome, :prev_hash, :hash)"
            ),
            {**fields, "prev_hash": prev_hash, "hash": prev},
        )
    db.session.commit()


def _columns() -> set[str]:
    return {c["name"] for c in inspect(db.engine).get_columns("audit_event")}


def test_upgrading_keeps_the_old_chain_and_continues_it_keyed(empty_database_url, tmp_path):  # noqa: F811
    app = create_app({"SQLALCHEMY_DATABASE_URI": empty_database_url, "SECRET_KEY": "x"})
    app.instance_path = str(tmp_path)
    with app.app_context(), logging_kept():
        upgrade(revision="0002")
        _old_events(3)
        upgrade()
        assert _columns() >= NEW_COLUMNS
        record(None, "read", "referral", 99)
        db.session.commit()
        verdict = verify_log(db.session, _ring(), tmp_path / "none.log", 100)
        assert verdict.failures == []
        assert verdict.notes[0].startswith(
            "audit chain ok: 4 events verified (3 legacy unkeyed; signed with keys: "
        )
        db.session.rollback()  # end the read, or PostgreSQL's ALTER TABLE waits for it
        downgrade(revision="0002")
        assert not NEW_COLUMNS & _columns()
        assert db.session.execute(text("SELECT count(*) FROM audit_event")).scalar() == 4
        db.session.remove()
        db.engine.dispose()


def _ring():
    from audit.keys import keyring

    return keyring(create=False)
