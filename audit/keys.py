"""The audit key, never in the database: it keys the chain, the checkpoints, account references.

AUDIT_KEY (hex or base64, at least 32 bytes) names it; without it a random key is created on
first use in the instance folder (mode 0600). AUDIT_PREVIOUS_KEYS (comma-separated) keeps
retired keys so events and checkpoints they signed still verify after a rotation.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import hmac
import logging
import os
import re
import secrets
import tempfile
from pathlib import Path

from flask import Flask, current_app

KEY_FILE = "audit_key"
MIN_KEY_BYTES = 32
_HEX = re.compile(r"(?:[0-9a-fA-F]{2})+")
# One subkey per use, so a MAC made for one purpose can never stand in for another.
PURPOSES = ("event", "checkpoint", "account", "reporter")
_CACHE = "audit_keyring"

log = logging.getLogger(__name__)


class AuditKeyError(ValueError):
    """AUDIT_KEY or AUDIT_PREVIOUS_KEYS is not a usable key."""


class AuditKey:
    """One secret, its public id and its per-purpose subkeys."""

    __slots__ = ("key_id", "_subkeys")

    def __init__(self, secret: bytes):
        if len(secret) < MIN_KEY_BYTES:
            raise AuditKeyError(f"an audit key needs at least {MIN_KEY_BYTES} bytes")
        self.key_id = hashlib.sha256(secret).hexdigest()[:8]
        self._subkeys = {
            purpose: hmac.digest(secret, f"bh-directory audit {purpose} v1".encode(), "sha256")
            for purpose in PURPOSES
        }

    def mac(self, purpose: str, message: bytes) -> str:
        """HMAC-SHA256 of `message` under this key's subkey for `purpose`, as hex."""
        return hmac.digest(self._subkeys[purpose], message, "sha256").hex()


class Keyring:
    """The current key (None when verifying without one) and every key known by id."""

    def __init__(self, current: AuditKey | None, previous: list[AuditKey] = ()):
        self.current = current
        self.by_id = {key.key_id: key for key in previous}
        if current is not None:
            self.by_id[current.key_id] = current

    def get(self, key_id: str) -> AuditKey | None:
        """The key with this id, if configured."""
        return self.by_id.get(key_id)


def parse_key(text: str) -> bytes:
    """Hex first (an even number of hex digits), else base64 (standard or URL-safe)."""
    text = text.strip()
    if _HEX.fullmatch(text):
        secret = bytes.fromhex(text)
    else:
        padded = text.replace("-", "+").replace("_", "/") + "=" * (-len(text) % 4)
        try:
            secret = base64.b64decode(padded, validate=True)
        except binascii.Error:
            raise AuditKeyError("an audit key must be hex or base64") from None
    if len(secret) < MIN_KEY_BYTES:
        raise AuditKeyError(f"an audit key needs at least {MIN_KEY_BYTES} bytes, got {len(secret)}")
    return secret


def _create_key_file(path: Path) -> None:
    """Write a new random key so that `path` appears whole or not at all (workers may race)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".audit_key.")  # mode 0600
    try:
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_hex(MIN_KEY_BYTES))
        with contextlib.suppress(FileExistsError):  # another worker won the race: its key stands
            os.link(temporary, path)
    finally:
        os.unlink(temporary)
    log.warning("AUDIT_KEY is not set; created a random audit key in the instance folder")


def instance_key(instance_path: str, create: bool) -> bytes | None:
    """instance/audit_key, created on first use when `create`; None if absent and not created."""
    path = Path(instance_path) / KEY_FILE
    if not path.exists():
        if not create:
            return None
        _create_key_file(path)
    if path.stat().st_mode & 0o077:
        log.warning("the audit key file is readable by other users; chmod 600 it")
    return parse_key(path.read_text())


def build_keyring(app: Flask, create: bool = True) -> Keyring:
    """The keyring from the app's configuration (and instance folder)."""
    configured = app.config.get("AUDIT_KEY")
    secret = parse_key(configured) if configured else instance_key(app.instance_path, create)
    previous = [
        AuditKey(parse_key(item))
        for item in (app.config.get("AUDIT_PREVIOUS_KEYS") or "").split(",")
        if item.strip()
    ]
    return Keyring(AuditKey(secret) if secret else None, previous)


def check_configured_keys(app: Flask) -> None:
    """At start-up: a malformed AUDIT_KEY or AUDIT_PREVIOUS_KEYS stops the app, not a request."""
    for text in (app.config.get("AUDIT_KEY") or "", app.config.get("AUDIT_PREVIOUS_KEYS") or ""):
        for item in text.split(","):
            if item.strip():
                parse_key(item)


def keyring(create: bool = True) -> Keyring:
    """This app's keyring, read once; `create=False` (verify) never writes a key file."""
    app = current_app._get_current_object()
    cached = app.extensions.get(_CACHE)
    if cached is not None:
        return cached
    ring = build_keyring(app, create)
    if ring.current is not None:
        app.extensions[_CACHE] = ring
    return ring


def current_key() -> AuditKey:
    """The key new events and checkpoints are signed with."""
    key = keyring().current
    assert key is not None  # keyring() creates one when none is configured
    return key


def forget_keyring(app: Flask) -> None:
    """Drop the cached keyring (after the configuration changed, e.g. in a rotation)."""
    app.extensions.pop(_CACHE, None)
