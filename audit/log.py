"""Append to the audit chain; name the account a refused sign-in tried."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import current_app, has_request_context, request
from sqlalchemy import text
from sqlalchemy.orm import Session

from audit.checkpoints import Head, mark_checkpoint, read_head
from audit.hashing import GENESIS_HASH, keyed_hash
from audit.keys import current_key
from audit.models import OUTCOMES, AuditEvent
from audit.verify import verify_chain
from directory.extensions import db
from directory.models.verification import utcnow

if TYPE_CHECKING:  # accounts imports audit.log at start-up; a runtime import would cycle
    from accounts.identity import Actor

__all__ = ["record", "record_reads", "verify_chain"]

# Arbitrary constant naming the audit chain's PostgreSQL advisory lock.
CHAIN_LOCK_KEY = 0x6268_6175_6469_74  # "bhaudit"
_ADDR_MAX = 64


def _lock_chain(session: Session) -> None:
    """Serialize appends so two transactions never chain onto the same event."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": CHAIN_LOCK_KEY})
    else:
        # SQLite: a write statement opens the transaction and takes the database write lock
        # now, before we read the head; a plain SELECT would not. It matches no rows.
        session.execute(text("DELETE FROM audit_event WHERE 1 = 0"))


def _actor_fields(actor: Actor | None) -> tuple[str, str]:
    if actor is None:
        # No actor: an unauthenticated web request, or the CLI / a background job.
        who = "anonymous" if has_request_context() else "system"
        return who, who
    return actor.label, actor.kind


def _client_addr() -> str | None:
    """The request's address as Flask sees it (after ProxyFix if configured); None off-request."""
    if not has_request_context():
        return None
    return (request.remote_addr or "")[:_ADDR_MAX] or None


def record(
    actor: Actor | None,
    action: str,
    object_type: str,
    object_id: str | int | None,
    outcome: str = "ok",
    account: str | None = None,
) -> AuditEvent:
    """Append an event in the caller's transaction (the caller commits); None: anonymous/system."""
    if outcome not in OUTCOMES:
        raise ValueError(f"outcome must be one of {', '.join(OUTCOMES)}")
    if account is not None and "@" in account:
        raise ValueError("account must be an id or a keyed hash (account_ref), never an email")
    key = current_key()
    session = db.session
    _lock_chain(session)
    label, kind = _actor_fields(actor)
    head = read_head(session)
    head_id, prev, count = (head.sequence, head.hash, head.count) if head else (0, GENESIS_HASH, 0)
    fields = {
        "at": utcnow(),
        "actor": label,
        "actor_kind": kind,
        "action": action,
        "object_type": object_type,
        "object_id": None if object_id is None else str(object_id),
        "outcome": outcome,
        "client_addr": _client_addr(),
        "account_ref": account,
        "chain_count": count + 1,
        "key_id": key.key_id,
    }
    event = AuditEvent(**fields, prev_hash=prev, hash=keyed_hash(fields, prev, key))
    session.add(event)
    session.flush()
    every = max(1, current_app.config.get("AUDIT_CHECKPOINT_EVERY") or 100)
    crossed = head_id // every < event.id // every
    mark_checkpoint(session, Head(event.id, event.chain_count, event.hash), crossed)
    return event


def record_reads(actor: Actor | None, object_type: str, object_ids: list[str | int]) -> None:
    """One "read" event per object, chained in one append (a page of rows: one lock, one flush)."""
    if not object_ids:
        return
    key = current_key()
    session = db.session
    _lock_chain(session)
    label, kind = _actor_fields(actor)
    head = read_head(session)
    head_id, prev, count = (head.sequence, head.hash, head.count) if head else (0, GENESIS_HASH, 0)
    events, at, addr = [], utcnow(), _client_addr()
    # Added in order, flushed in order: ids follow the chain as verify_chain reads it.
    for object_id in object_ids:
        count += 1
        fields = {
            "at": at,
            "actor": label,
            "actor_kind": kind,
            "action": "read",
            "object_type": object_type,
            "object_id": str(object_id),
            "outcome": "ok",
            "client_addr": addr,
            "account_ref": None,
            "chain_count": count,
            "key_id": key.key_id,
        }
        digest = keyed_hash(fields, prev, key)
        events.append(AuditEvent(**fields, prev_hash=prev, hash=digest))
        prev = digest
    session.add_all(events)
    session.flush()
    every = max(1, current_app.config.get("AUDIT_CHECKPOINT_EVERY") or 100)
    last = events[-1]
    crossed = head_id // every < last.id // every
    mark_checkpoint(session, Head(last.id, last.chain_count, last.hash), crossed)
