"""What an attacker with write access to the database does to the audit log, as test helpers."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select, text

from audit.checkpoint_file import checkpoint_path
from audit.hashing import legacy_hash
from audit.log import record
from audit.models import AuditEvent

# The columns a rewrite sets; the rest (id, at) stay.
REWRITTEN = (
    "actor",
    "actor_kind",
    "action",
    "object_type",
    "object_id",
    "outcome",
    "client_addr",
    "account_ref",
    "chain_count",
    "key_id",
    "prev_hash",
    "hash",
)


def add_events(db, count: int, start: int = 0) -> list[int]:
    """`count` committed events, one transaction each (as requests write them); their ids."""
    for i in range(start, start + count):
        record(None, "read", "referral", i)
        db.session.commit()
    return db.session.scalars(select(AuditEvent.id).order_by(AuditEvent.id)).all()


def rows(db) -> list[dict]:
    """Every event as a plain dict, in id order."""
    table = AuditEvent.__table__
    return [dict(r) for r in db.session.execute(select(table).order_by(table.c.id)).mappings()]


def as_attacker(db, *statements: tuple[str, dict]) -> None:
    """Run raw SQL and commit it; on PostgreSQL, first lift the row trigger (a superuser can)."""
    postgres = db.engine.dialect.name == "postgresql"
    if postgres:
        db.session.execute(text("ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only"))
    for sql, params in statements:
        db.session.execute(text(sql), params)
    if postgres:
        db.session.execute(text("ALTER TABLE audit_event ENABLE TRIGGER audit_event_append_only"))
    db.session.commit()


def rewrite(db, events: list[dict]) -> None:
    """Store these versions of the events over the originals (same ids)."""
    sets = ", ".join(f"{name} = :{name}" for name in REWRITTEN)
    as_attacker(
        db,
        *((f"UPDATE audit_event SET {sets} WHERE id = :id", event) for event in events),
    )


def relink_unkeyed(events: list[dict], prev: str, downgrade: bool) -> list[dict]:
    """Recompute each hash with the project's own unkeyed function, as an attacker without the key.

    `downgrade` also clears the keyed fields, so the events pass for pre-0003 legacy ones.
    """
    relinked = []
    for event in events:
        event = dict(event)
        if downgrade:
            event.update(client_addr=None, account_ref=None, chain_count=None, key_id=None)
        event["prev_hash"] = prev
        event["hash"] = prev = legacy_hash(event, prev)
        relinked.append(event)
    return relinked


def checkpoint_lines(app) -> list[dict]:
    """The checkpoint file's lines, parsed ([] when there is no file)."""
    path = Path(checkpoint_path(app))
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
