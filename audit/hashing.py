"""The chain's links: keyed HMAC-SHA256; plain SHA-256 for events from before migration 0003."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime

from audit.keys import AuditKey
from audit.models import GENESIS_HASH

__all__ = ["GENESIS_HASH", "canonical_time", "keyed_hash", "legacy_hash"]
# Bumped if the keyed payload ever changes, so old and new links can never be confused.
KEYED_VERSION = "bh-audit/2"


def canonical_time(moment: datetime) -> str:
    """UTC, microseconds, Z: identical before and after a database round trip."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _core(fields: dict) -> list:
    return [
        canonical_time(fields["at"]),
        fields["actor"],
        fields["actor_kind"],
        fields["action"],
        fields["object_type"],
        fields["object_id"],
        fields["outcome"],
    ]


def _canonical(payload: list) -> bytes:
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=True).encode()


def legacy_hash(fields: dict, prev_hash: str) -> str:
    """SHA-256 over the seven original fields and the previous hash (events before 0003)."""
    return hashlib.sha256(_canonical([*_core(fields), prev_hash])).hexdigest()


def keyed_hash(fields: dict, prev_hash: str, key: AuditKey) -> str:
    """HMAC-SHA256 over every field, the chain count, the key id and the previous hash."""
    payload = [
        KEYED_VERSION,
        *_core(fields),
        fields["client_addr"],
        fields["account_ref"],
        fields["chain_count"],
        fields["key_id"],
        prev_hash,
    ]
    return key.mac("event", _canonical(payload))
