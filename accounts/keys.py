"""API keys: issue one (shown once), find the live key a caller presented."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Iterable

from sqlalchemy import bindparam, select
from sqlalchemy.engine import Row

from accounts.models import SCOPES, ApiKey
from directory.extensions import db
from directory.models import Organization

KEY_PREFIX = "bhd"
_KEY = re.compile(rf"^{KEY_PREFIX}_([0-9a-f]{{12}})_([A-Za-z0-9_-]{{20,}})$")
_api_key = ApiKey.__table__
# Every API call with a key runs this. Built once: composing a statement costs more CPU than
# running it. Columns, not an ApiKey object: loading one would cost as much again.
_BY_PREFIX = select(
    _api_key.c.id,
    _api_key.c.organization_id,
    _api_key.c.prefix,
    _api_key.c.secret_hash,
    _api_key.c.scopes,
    _api_key.c.revoked_at,
    _api_key.c.last_used_at,
).where(_api_key.c.prefix == bindparam("prefix"))


def hash_key(key: str) -> str:
    """SHA-256 of the whole key; keys are long random strings so no slow hash is needed."""
    return hashlib.sha256(key.encode()).hexdigest()


def parse_scopes(scopes: str | Iterable[str]) -> list[str]:
    """Scopes from a comma-separated string or a list; ValueError names unknown ones."""
    items = scopes.split(",") if isinstance(scopes, str) else list(scopes)
    wanted = sorted({s.strip() for s in items if s and s.strip()})
    unknown = [s for s in wanted if s not in SCOPES]
    if unknown:
        raise ValueError(f"unknown scope(s): {', '.join(unknown)}; known: {', '.join(SCOPES)}")
    if not wanted:
        raise ValueError(f"at least one scope is needed; known: {', '.join(SCOPES)}")
    return wanted


def issue_api_key(organization: Organization, scopes: str | Iterable[str]) -> tuple[ApiKey, str]:
    """Create a key row (added to the session, not committed) and return it with the key."""
    prefix = secrets.token_hex(6)
    key = f"{KEY_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
    row = ApiKey(
        organization=organization,
        prefix=prefix,
        secret_hash=hash_key(key),
        scopes=parse_scopes(scopes),
    )
    db.session.add(row)
    return row, key


def key_label(prefix: str) -> str:
    """How logs and the audit trail name a key (ApiKey.label)."""
    return f"apikey:{prefix}"


def find_api_key(key: str) -> Row | None:
    """The unrevoked api_key row (id, organization_id, prefix, scopes...) for `key`, or None."""
    match = _KEY.match(key or "")
    if not match:
        return None
    row = db.session.execute(_BY_PREFIX, {"prefix": match.group(1)}).first()
    if row is None or row.revoked_at is not None:  # ApiKey.is_revoked
        return None
    if not hmac.compare_digest(row.secret_hash, hash_key(key)):
        return None
    return row
