"""Idempotency-Key handling for referral creation: a retry returns the first referral."""

from __future__ import annotations

import hashlib
import json

from sqlalchemy import select

from directory.extensions import db
from referrals.errors import Invalid
from referrals.models import IdempotencyKey, Referral

MAX_KEY_LENGTH = 255


class KeyReused(Invalid):
    """The same Idempotency-Key was sent before with a different body."""

    def __init__(self, key: str):
        super().__init__("this Idempotency-Key was used with another body", code="key_reused")
        self.key = key


def owner_of(actor) -> str:
    """Keys are scoped to the caller's organization, so two organizations never collide."""
    if actor.organization_id is not None:
        return f"org:{actor.organization_id}"
    return actor.label


def body_digest(body: object) -> str:
    """SHA-256 of the body's canonical JSON: key order and whitespace do not matter."""
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(canonical.encode()).hexdigest()


def replay(actor, key: str, digest: str) -> Referral | None:
    """The referral a previous request with this key created, or None if the key is new."""
    row = db.session.scalar(
        select(IdempotencyKey).where(
            IdempotencyKey.owner == owner_of(actor), IdempotencyKey.key == key
        )
    )
    if row is None:
        return None
    if row.body_digest != digest:
        raise KeyReused(key)
    return db.session.get(Referral, row.referral_id)


def remember(actor, key: str, digest: str, referral: Referral) -> None:
    """Store the key in the same transaction as the referral it created."""
    db.session.add(
        IdempotencyKey(owner=owner_of(actor), key=key, body_digest=digest, referral_id=referral.id)
    )
    db.session.flush()
