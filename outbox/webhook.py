"""Webhooks: a POST with the body as given and an HMAC-SHA256 signature over it."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from datetime import datetime

import requests

from outbox.errors import DeliveryError

SIGNATURE_HEADER = "X-Signature-256"
TIMESTAMP_HEADER = "X-Signature-Timestamp"


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
