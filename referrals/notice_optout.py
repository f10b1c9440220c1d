"""Opting out of patient notices: who is opted out (by a keyed hash) and signed stop links.

Neither the phone number nor the email address is kept in clear for an opt-out, and the stop
link in an email names only the referral number and an expiry, signed with the app's secret.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta

import phonenumbers

# Words a texted patient may send to stop (the carriers' list) or to start again.
STOP_WORDS = frozenset({"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT"})
START_WORDS = frozenset({"START", "UNSTOP"})


@dataclass(frozen=True)
class StopLink:
    """What a valid stop link names: the referral whose email address stops notices."""

    referral_id: int


def e164(phone: str | None, region: str = "US") -> str | None:
    """The phone in E.164 (+16175550142), or None when it is not a valid number."""
    try:
        number = phonenumbers.parse(phone or "", region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def address_key(secret: str, channel: str, address: str) -> str:
    """A keyed hash of the channel and the normalized address: what an opt-out keeps."""
    text = f"{channel}:{address.strip().lower()}".encode()
    return hmac.new(secret.encode(), text, hashlib.sha256).hexdigest()


def _signature(secret: str, payload: str) -> str:
    key = hashlib.sha256(f"patient-notice-stop:{secret}".encode()).digest()
    digest = hmac.new(key, payload.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def stop_token(secret: str, referral_id: int, now: datetime, valid_days: int) -> str:
    """`<referral id>.<expiry epoch>.<signature>`: no PHI, good until now + valid_days."""
    expires = int((now + timedelta(days=valid_days)).timestamp())
    payload = f"{referral_id}.{expires}"
    return f"{payload}.{_signature(secret, payload)}"


def read_stop_token(secret: str, token: str, now: datetime) -> StopLink | None:
    """The link's referral when the token is ours and not past its expiry; None otherwise."""
    parts = (token or "").split(".")
    if len(parts) != 3 or not all(p.isdigit() for p in parts[:2]):
        return None
    payload = f"{parts[0]}.{parts[1]}"
    if not hmac.compare_digest(parts[2], _signature(secret, payload)):
        return None
    if now.timestamp() > int(parts[1]):
        return None
    return StopLink(int(parts[0]))


def twilio_signature(token: str, url: str, params: dict[str, str]) -> str:
    """Twilio's X-Twilio-Signature: base64 HMAC-SHA1 of the URL and the sorted params."""
    text = url + "".join(f"{key}{params[key]}" for key in sorted(params))
    digest = hmac.new(token.encode(), text.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def signed_by_twilio(token: str, url: str, params: dict[str, str], signature: str) -> bool:
    """True when `signature` is the one Twilio computes with our auth token."""
    if not token or not signature:
        return False
    return hmac.compare_digest(twilio_signature(token, url, params), signature)


def inbound_word(body: str | None) -> str | None:
    """ "stop" or "start" for a keyword reply (case and spaces forgiven); None for anything else."""
    word = (body or "").strip().upper()
    if word in STOP_WORDS:
        return "stop"
    if word in START_WORDS:
        return "start"
    return None
