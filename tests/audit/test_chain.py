"""The audit log: appended in the caller's transaction, hash-chained, append-only."""

import threading

import pytest
from sqlalchemy import select, text, update

from accounts.identity import Actor
from audit.keys import keyring
from audit.log import record, verify_chain
from audit.models import GENESIS_HASH, AuditEvent, AuditLogImmutable
from tests.audit.tampering import checkpoint_lines

PCP = Actor("user", 7, "pcp", 3, frozenset(), frozenset(), frozenset(), "user:7")
PARTNER = Actor(
    "api_key", 2, "partner", 4, frozenset({"1234567893"}), frozenset(), frozenset(), "apikey:abc"
)


def _three_events(db):
    record(PCP, "create", "referral", 11)
    record(PARTNER, "read", "referral", 11)
    record(PARTNER, "event:accept", "referral", "11", outcome="ok")
    db.session.commit()
    return db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()


def test_events_are_chained_and_verify(db):
    events = _three_events(db)
    assert events[0].prev_hash == GENESIS_HASH
    assert [e.prev_hash for e in events[1:]] == [e.hash for e in events[:-1]]
    assert [(e.actor, e.actor_kind, e.action, e.object_id) for e in events] == [
        ("user:7", "user", "create", "11"),
        ("apikey:abc", "api_key", "read", "11"),
        ("apikey:abc", "api_key", "event:accept", "11"),
    ]
    assert [(e.chain_count, e.key_id, e.client_addr) for e in events] == [
        (1, keyring().current.key_id, None),
        (2, keyring().current.key_id, None),
        (3, keyring().current.key_id, None),
    ]
    assert verify_chain() == (True, 3, None)


def test_empty_log_verifies(db):
    assert verify_chain() == (True, 0, None)


def test_record_joins_the_callers_transaction(db):
    record(PCP, "read", "consent", 5, outcome="denied")
    db.session.rollback()
    assert db.session.scalar(select(AuditEvent)) is None


def test_unknown_outcome_is_refused(db):
    with pytest.raises(ValueError):
        record(PCP, "read", "referral", 1, outcome="maybe")


def test_cli_actions_are_recorded_as_system(db):
    event = record(None, "create", "api_key", 1)
    assert (event.actor, event.actor_kind) == ("system", "system")


def test_orm_update_and_delete_are_refused(db):
    event = _three_events(db)[1]
    event.outcome = "denied"
    with pytest.raises(AuditLogImmutable):
        db.session.flush()
    db.session.rollback()
    db.session.delete(db.session.get(AuditEvent, event.id))
    with pytest.raises(AuditLogImmutable):
        db.session.flush()
    db.session.rollback()
    with pytest.raises(AuditLogImmutable):
        db.session.execute(update(AuditEvent).values(outcome="denied"))
    db.session.rollback()
    assert verify_chain() == (True, 3, None)


def _tamper(db, sql, **params):
    """Raw SQL in the open transaction; on PostgreSQL the append-only trigger is lifted first."""
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only"))
    db.session.execute(text(sql), params)


def test_a_changed_row_breaks_the_chain_at_that_row(db):
    events = _three_events(db)
    _tamper(db, "UPDATE audit_event SET outcome = 'denied' WHERE id = :id", id=events[1].id)
    assert verify_chain() == (False, 1, events[1].id)
    db.session.rollback()  # the tampering never commits
    assert verify_chain() == (True, 3, None)


def test_a_deleted_row_breaks_the_chain_at_the_next_one(db):
    events = _three_events(db)
    _tamper(db, "DELETE FROM audit_event WHERE id = :id", id=events[1].id)
    assert verify_chain() == (False, 1, events[2].id)
    db.session.rollback()


def test_a_rehashed_row_still_breaks_the_link_to_the_next(db):
    events = _three_events(db)
    first = events[0]
    _tamper(db, "UPDATE audit_event SET hash = :h WHERE id = :id", h="f" * 64, id=first.id)
    assert verify_chain() == (False, 0, first.id)
    db.session.rollback()


def test_audit_verify_cli(db, runner):
    events = _three_events(db)
    ok = runner.invoke(args=["audit", "verify"])
    assert ok.exit_code == 0
    assert "ok: 3 events" in ok.output
    _tamper(db, "UPDATE audit_event SET object_id = '12' WHERE id = :id", id=events[2].id)
    broken = runner.invoke(args=["audit", "verify"])
    assert broken.exit_code == 1
    assert f"BROKEN at event {events[2].id}" in broken.output
    db.session.rollback()


def _append_many(app, count, errors):
    try:
        with app.app_context():
            from directory.extensions import db

            for i in range(count):
                record(PCP, "read", "referral", i)
                db.session.commit()
            db.session.remove()
    except Exception as err:  # surfaced by the assertion in the test
        errors.append(err)


def test_concurrent_appends_keep_one_chain(app, db):
    app.config["AUDIT_CHECKPOINT_EVERY"] = 5
    errors = []
    threads = [threading.Thread(target=_append_many, args=(app, 15, errors)) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert verify_chain() == (True, 45, None)
    # One transaction per event: each multiple of 5 is crossed once, by the event with that id.
    lines = checkpoint_lines(app)
    assert sorted((line["sequence"], line["count"]) for line in lines) == [
        (n, n) for n in range(5, 50, 5)
    ]
