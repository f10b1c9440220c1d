"""E-consent rules: the link's token, when a link may still be used, and what a signature writes."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, datetime

from directory.models.verification import as_utc
from referrals.econsent_models import ConsentRequest
from referrals.econsent_text import FORM_VERSIONS, english
from referrals.models import Consent

# Which release each form is recorded as (referrals.consent.FORM_TYPES).
FORMS = {"release": "plan_cei", "part2": "phi_authorization"}
METHODS = ("paper", "verbal", "electronic")
ELECTRONIC = "electronic"
# Longest token accepted from a URL: token_urlsafe(32) is 43 characters.
MAX_TOKEN = 64
MAX_USER_AGENT = 300
MAX_ADDRESS = 64


class LinkRefused(Exception):
    """A link that cannot be used: unknown (forged), expired, used up, or already signed."""

    def __init__(self, reason: str, request: ConsentRequest | None = None):
        super().__init__(reason)
        self.reason = reason  # unknown | expired | used | signed | not_signed
        self.request = request


@dataclass(frozen=True)
class Signature:
    """What the patient typed and where they signed from."""

    name: str
    ip: str | None
    user_agent: str | None


def new_token() -> tuple[str, str]:
    """A fresh random token and its SHA-256 (only the hash is stored)."""
    token = secrets.token_urlsafe(32)
    return token, token_hash(token)


def token_hash(token: str) -> str:
    """The stored form of a token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def forms_allowed(part2: bool) -> tuple[str, ...]:
    """A Part 2 referral needs the 42 CFR 2.31 form; a plain release may use either."""
    return ("part2",) if part2 else ("release", "part2")


def check_usable(request: ConsentRequest | None, now: datetime) -> ConsentRequest:
    """The request a link names when it may be shown; LinkRefused otherwise."""
    if request is None:
        raise LinkRefused("unknown")
    if request.state in ("revoked", "replaced"):
        raise LinkRefused("used", request)
    # Expired exactly at expires_at: the link works strictly before it.
    if request.state == "pending" and as_utc(now) >= as_utc(request.expires_at):
        raise LinkRefused("expired", request)
    return request


def apply_signature(
    request: ConsentRequest,
    consent: Consent | None,
    fields: dict,
    signature: Signature,
    now: datetime,
    today: date,
) -> Consent:
    """Write the signed release into the referral's consent (a new one, or the one replaced)."""
    consent = consent if consent is not None else Consent()
    values = {
        "form_type": FORMS[request.form],
        "disclosing_party": fields["disclosing_party"],
        "information": english(request.form, "information"),
        "recipients": fields["recipients"],
        "purpose": english(request.form, "purpose"),
        "signed_by": signature.name,
        "signed_on": today,
        "expires_on": request.consent_expires_on,
        "expiry_event": None,
        "revocation_statement": True,
        "revoked_at": None,
        "revoked_by": None,
        "revoked_ip": None,
        "method": ELECTRONIC,
        "signed_at": now,
        "signed_ip": (signature.ip or "")[:MAX_ADDRESS] or None,
        "signed_user_agent": (signature.user_agent or "")[:MAX_USER_AGENT] or None,
        "form_version": FORM_VERSIONS[request.form],
        "text_hash": fields["text_hash"],
    }
    for name, value in values.items():
        setattr(consent, name, value)
    return consent
