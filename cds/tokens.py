"""The CDS client's JWT (CDS Hooks 2.0 "Trusting CDS Clients"), HS256 with a shared secret.

No JWT or crypto library ships with this app, so only HS256 (hmac from the standard library)
is verified; RS256/ES384 with a JWKS URL are not supported (README, "CDS Hooks").
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

# The spec: exp no more than 5 minutes after the token is made; a little clock skew allowed.
MAX_LIFETIME = timedelta(minutes=5)
SKEW = timedelta(seconds=30)


class TokenError(ValueError):
    """A token this service does not trust; the message says why (never the secret)."""


@dataclass(frozen=True)
class Claims:
    """The claims the service checked."""

    iss: str
    jti: str
    expires: datetime


def _part(segment: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))
    except (binascii.Error, ValueError):
        raise TokenError("the token is not base64url") from None


def _json(segment: str) -> dict:
    try:
        value = json.loads(_part(segment))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise TokenError("the token is not JSON") from None
    if not isinstance(value, dict):
        raise TokenError("the token is not a JSON object")
    return value


def sign(claims: dict, secret: str) -> str:
    """An HS256 JWT of `claims` (clients' side; the tests and the docs use it)."""

    def encode(raw: bytes) -> str:
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()

    header = encode(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    body = encode(json.dumps(claims).encode())
    mac = hmac.new(secret.encode(), f"{header}.{body}".encode(), hashlib.sha256).digest()
    return f"{header}.{body}.{encode(mac)}"


def _check_signature(token: str, secret_of: Callable[[str], str | None]) -> dict:
    parts = token.split(".")
    if len(parts) != 3:
        raise TokenError("the token is not a JWT")
    header, claims = _json(parts[0]), _json(parts[1])
    if header.get("alg") != "HS256":
        raise TokenError("only HS256 tokens are accepted")
    secret = secret_of(str(claims.get("iss") or ""))
    if secret is None:
        raise TokenError("unknown issuer")
    expected = hmac.new(secret.encode(), f"{parts[0]}.{parts[1]}".encode(), hashlib.sha256)
    if not hmac.compare_digest(expected.digest(), _part(parts[2])):
        raise TokenError("bad signature")
    return claims


def _instant(claims: dict, name: str) -> datetime:
    value = claims.get(name)
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise TokenError(f"the token has no numeric {name}")
    try:
        return datetime.fromtimestamp(value, UTC)
    except (OverflowError, OSError, ValueError):  # NaN, or years past 9999
        raise TokenError(f"the token's {name} is not a time") from None


def verify(
    token: str, secret_of: Callable[[str], str | None], audiences: Collection[str], now: datetime
) -> Claims:
    """The token's claims when signed by a known issuer, for this endpoint, and current."""
    claims = _check_signature(token, secret_of)
    aud = claims.get("aud")
    given = aud if isinstance(aud, list) else [aud]
    if not any(isinstance(a, str) and a.rstrip("/") in audiences for a in given):
        raise TokenError("the token is for another audience")
    expires, issued = _instant(claims, "exp"), _instant(claims, "iat")
    if expires <= now - SKEW:
        raise TokenError("the token has expired")
    if issued > now + SKEW or expires - issued > MAX_LIFETIME:
        raise TokenError("the token's lifetime is not within 5 minutes from now")
    jti = claims.get("jti")
    if not isinstance(jti, str) or not jti or len(jti) > 255:
        raise TokenError("the token has no jti")
    return Claims(iss=claims["iss"], jti=jti, expires=expires)
