"""The audit event row: ids and codes only, never PHI."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DDL, DateTime, Integer, String, event
from sqlalchemy.orm import Mapped, Session, mapped_column

from directory.extensions import db
from directory.models.verification import utcnow

ACTIONS_HINT = "read | create | update | disclose | login | event:<name>"
OUTCOMES = ("ok", "denied", "invalid", "blocked")
GENESIS_HASH = "0" * 64


class AuditEvent(db.Model):
    """One audited action; `hash` chains it to the event before it."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(80))  # Actor.label, "system" or "anonymous"
    actor_kind: Mapped[str] = mapped_column(String(10))  # user | api_key | system | anonymous
    action: Mapped[str] = mapped_column(String(40))
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[str | None] = mapped_column(String(64))
    outcome: Mapped[str] = mapped_column(String(10))
    # Where the request came from (request.remote_addr, after ProxyFix when configured); None
    # for the CLI and background jobs.
    client_addr: Mapped[str | None] = mapped_column(String(64))
    # The account a refused sign-in tried: "user:<id>", or "email-hmac:<hex>" when no user has
    # that email (keyed with the audit key, so the log never holds an email).
    account_ref: Mapped[str | None] = mapped_column(String(80))
    # This event's place in the chain (1 = first); a checkpoint's count is the head's.
    chain_count: Mapped[int | None] = mapped_column(Integer)
    # First 8 hex of SHA-256 of the key that signed `hash`; None: a legacy, unkeyed SHA-256 link
    # written before migration 0003 (only allowed before the first keyed event).
    key_id: Mapped[str | None] = mapped_column(String(16))
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)

    __table_args__ = (db.Index("ix_audit_event_object", "object_type", "object_id"),)


class AuditLogImmutable(Exception):
    """Raised on an attempt to change or delete an audit event."""


@event.listens_for(Session, "before_flush")
def _refuse_changes(session: Session, _context, _instances) -> None:
    """Audit events are append-only at the ORM level."""
    for obj in session.deleted:
        if isinstance(obj, AuditEvent):
            raise AuditLogImmutable("audit events cannot be deleted")
    for obj in session.dirty:
        if isinstance(obj, AuditEvent) and session.is_modified(obj):
            raise AuditLogImmutable("audit events cannot be changed")


@event.listens_for(Session, "do_orm_execute")
def _refuse_bulk_changes(state) -> None:
    """Also refuse `session.execute(update(AuditEvent))` and bulk deletes."""
    if not (state.is_update or state.is_delete):
        return
    mapper = state.bind_mapper
    if mapper is not None and mapper.class_ is AuditEvent:
        raise AuditLogImmutable("audit events cannot be changed or deleted")


# PostgreSQL enforces append-only below the ORM too, for every role (the superuser included, who
# must lift a trigger on purpose). Migrations do not fire these DDL events: 0001 creates the
# function and the row trigger, 0003 the TRUNCATE trigger.
APPEND_ONLY_FUNCTION = """
CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION USING MESSAGE = 'audit_event is append-only; refused ' || TG_OP;
END;
$$ LANGUAGE plpgsql
"""
APPEND_ONLY_TRIGGER = """
CREATE TRIGGER audit_event_append_only
BEFORE UPDATE OR DELETE ON audit_event
FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()
"""
# A TRUNCATE fires no row trigger: a statement-level one refuses it.
NO_TRUNCATE_TRIGGER = """
CREATE TRIGGER audit_event_no_truncate
BEFORE TRUNCATE ON audit_event
FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only()
"""
for _statement in (APPEND_ONLY_FUNCTION, APPEND_ONLY_TRIGGER, NO_TRUNCATE_TRIGGER):
    event.listen(
        AuditEvent.__table__, "after_create", DDL(_statement).execute_if(dialect="postgresql")
    )
