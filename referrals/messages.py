"""The email that tells the other side of a referral's thread a message arrived: no PHI."""

from __future__ import annotations

from collections.abc import Mapping

from referrals.models import Referral
from referrals.notify import Notice, clinician_emails, enqueue_notices, referral_link


def message_notices(config: Mapping, referral: Referral, side: str) -> list[Notice]:
    """To the receiver when the referrer wrote, to the referring clinician otherwise."""
    to = clinician_emails(referral) if side == "referrer" else (referral.referrer_email,)
    to = tuple(address for address in to if address)
    if not to:
        return []
    link = referral_link(config, referral.id)
    body = f"There is a new message on referral #{referral.id}. Sign in to read it:\n{link}\n"
    return [Notice(to, f"New message on referral #{referral.id}", body)]


def queue_message_notice(config: Mapping, referral: Referral, side: str) -> list[int]:
    """Queue the notice in the caller's transaction (none with mail off); the outbox ids."""
    if not config.get("MAIL_ENABLED"):
        return []
    reference = f"referral:{referral.id}"
    return enqueue_notices(message_notices(config, referral, side), "message_notice", reference)
