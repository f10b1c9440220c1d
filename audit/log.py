"""Append to the audit chain and verify it."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from flask import has_request_context
from sqlalchemy import select, text
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from audit.models import GENESIS_HASH, OUTCOMES, AuditEvent
from directory.extensions import db
from directory.models.verification import utcnow

if TYPE_CHECKING:  # accounts imports audit.log at start-up; a runtime import would cycle
    from accounts.identity import Actor

# Arbitrary constant naming the audit chain's PostgreSQL advisory lock.
CHAIN_LOCK_KEY = 0x6268_6175_6469_74  # "bhaudit"
_BATCH = 1000


def canonical_time(moment: datetime) -> str:
    """UTC, microseconds, Z: identical before and after a database round trip."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def event_hash(fields: dict, prev_hash: str) -> str:
    """SHA-256 over the event's canonical fields and the previous event's hash."""
    payload = [
        canonical_time(fields["at"]),
        fields["actor"],
        fields["actor_kind"],
        fields["action"],
        fields["object_type"],
        fields["object_id"],
        fields["outcome"],
        prev_hash,
    ]
    canonical = json.dumps(payload, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _lock_chain(session: Session) -> None:
    """Serialize appends so two transactions never chain onto the same event."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": CHAIN_LOCK_KEY})
    else:
        # SQLite: a write statement opens the transaction and takes the database write lock
        # now, before we read the head; a plain SELECT would not. It matches no rows.
        session.execute(text("DELETE FROM audit_event WHERE 1 = 0"))


def _head_hash(session: Session) -> str:
    head = session.scalar(select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1))
    return head or GENESIS_HASH


def _actor_fields(actor: Actor | None) -> tuple[str, str]:
    if actor is None:
        # No actor: an unauthenticated web request, or the CLI / a background job.
        who = "anonymous" if has_request_context() else "system"
        return who, who
    return actor.label, actor.kind


def record(
    actor: Actor | None,
    action: str,
    object_type: str,
    object_id: str | int | None,
    outcome: str = "ok",
) -> AuditEvent:
    """Append an event in the caller's transaction (the caller commits); None: anonymous/system."""
    if outcome not in OUTCOMES:
        raise ValueError(f"outcome must be one of {', '.join(OUTCOMES)}")
    session = db.session
    _lock_chain(session)
    label, kind = _actor_fields(actor)
    fields = {
        "at": utcnow(),
        "actor": label,
        "actor_kind": kind,
        "action": action,
        "object_type": object_type,
        "object_id": None if object_id is None else str(object_id),
        "outcome": outcome,
    }
    prev = _head_hash(session)
    event = AuditEvent(**fields, prev_hash=prev, hash=event_hash(fields, prev))
    session.add(event)
    session.flush()
    return event


def verify_chain(bind: Session | Connection | None = None) -> tuple[bool, int, int | None]:
    """Walk the chain in id order: (ok, events checked, id of the first bad event or None)."""
    bind = bind if bind is not None else db.session
    table = AuditEvent.__table__
    stmt = select(table).order_by(table.c.id).execution_options(yield_per=_BATCH)
    prev = GENESIS_HASH
    checked = 0
    for row in bind.execute(stmt).mappings():
        fields = dict(row)
        if row["prev_hash"] != prev or row["hash"] != event_hash(fields, row["prev_hash"]):
            return False, checked, row["id"]
        prev = row["hash"]
        checked += 1
    return True, checked, None
