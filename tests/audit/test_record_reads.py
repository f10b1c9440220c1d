"""record_reads: a page of reads appended as one chained batch, verified like single events."""

from sqlalchemy import select

from accounts.identity import Actor
from audit.log import record, record_reads, verify_chain
from audit.models import AuditEvent

PCP = Actor("user", 7, "pcp", 3, frozenset(), frozenset(), frozenset(), "user:7")


def test_a_batch_of_reads_chains_after_the_head_and_verifies(app, db):
    app.config["AUDIT_CHECKPOINT_EVERY"] = 2
    record(PCP, "create", "referral", 11)
    db.session.commit()
    record_reads(PCP, "episode", [5, 6, 7])
    db.session.commit()
    record(PCP, "read", "referral", 11)
    db.session.commit()

    events = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
    assert [(e.action, e.object_type, e.object_id, e.chain_count) for e in events] == [
        ("create", "referral", "11", 1),
        ("read", "episode", "5", 2),
        ("read", "episode", "6", 3),
        ("read", "episode", "7", 4),
        ("read", "referral", "11", 5),
    ]
    assert [e.prev_hash for e in events[1:]] == [e.hash for e in events[:-1]]
    assert verify_chain() == (True, 5, None)


def test_no_ids_appends_nothing(db):
    record_reads(PCP, "episode", [])
    db.session.commit()

    assert db.session.scalars(select(AuditEvent)).all() == []
