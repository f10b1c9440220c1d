"""Webhooks: a POST with the body as given and an HMAC-SHA256 signature over it."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Mapping
from datetime import datetime

import requests

from outbox.errors import DeliveryError

SIGNATURE_HEADER = "X-Signature-256"
TIMESTAMP_HEADER = "X-Signature-Timestamp"

# Who holds the HMAC key for a message's reference kind ("subscription" -> its secret). The
# sender registers a lookup, so the key is read when each attempt is signed and never stored in
# the outbox: a retry is signed with its own time, not the time it was queued.
_secret_sources: dict[str, Callable[[str], str | None]] = {}


def register_secret_source(kind: str, lookup: Callable[[str], str | None]) -> None:
    """Sign webhooks whose reference is "<kind>:<id>" with the key lookup(id) returns."""
    _secret_sources[kind] = lookup


def secret_for(reference: str | None) -> str | None:
    """The signing key of a message's reference; DeliveryError when its owner is gone."""
    kind, _, key = (reference or "").partition(":")
    lookup = _secret_sources.get(kind)
    if lookup is None:
        return None
    secret = lookup(key)
    if secret is None:
        raise DeliveryError(f"{kind} gone")
    return secret


def signature(secret: str, timestamp: str, body: str) -> str:
    """'sha256=' + hex HMAC of "<timestamp>.<body>": the receiver recomputes it to trust us."""
    message = f"{timestamp}.{body}".encode()
    return "sha256=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signed_headers(secret: str | None, body: str, at: datetime) -> dict[str, str]:
    """The signature headers for `body` sent at `at`; none without a secret."""
    if not secret:
        return {}
    timestamp = str(int(at.timestamp()))
    return {TIMESTAMP_HEADER: timestamp, SIGNATURE_HEADER: signature(secret, timestamp, body)}


def post(config: Mapping, url: str, body: str, headers: Mapping[str, str]) -> None:
    """POST once; a non-2xx answer or a network error is a DeliveryError."""
    timeout = float(config.get("OUTBOX_TIMEOUT_SECONDS", 10))
    try:
        response = requests.post(
            url, data=body.encode(), headers=dict(headers), timeout=timeout, allow_redirects=False
        )
    except requests.RequestException as err:
        raise DeliveryError(type(err).__name__) from None
    if not 200 <= response.status_code < 300:
        raise DeliveryError(f"HTTP {response.status_code}")
