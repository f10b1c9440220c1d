"""What a patient who opted in is told about their referral: a status, never its content.

The patient is handed a one-time code when the referral is made; only its SHA-256 is kept,
so neither the code nor anything about the patient goes into a URL or the database in clear.
The words say how far the referral got, never what it is for: no program type, no clinician
specialty, no diagnosis, no program or clinician name.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime

from referrals.program_status import shown_status
from referrals.words import N_

# 10 characters of Crockford-like base32 (no I, L, O, U): about 50 bits, typed from paper.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 10
_CODE = re.compile(rf"^[{CODE_ALPHABET}]{{{CODE_LENGTH}}}$")

# The lifecycle's words for a patient, for clinician referrals and for a program referral the
# referring side cancelled or the expiry job closed (the program's own words come first).
LIFECYCLE_PATIENT_WORDS = {
    "draft": N_("Not sent yet."),
    "sent": N_("Sent. The receiving side has not answered yet."),
    "acknowledged": N_("Received. The receiving side is looking at it."),
    "accepted": N_("Accepted. Expect a call to set a time."),
    "declined": N_("Closed: they cannot see you. Your care team will help you find another."),
    "scheduled": N_("An appointment is set."),
    "attended": N_("You went to the appointment."),
    "no_show": N_("The appointment was missed. Your care team can help you set a new one."),
    "closed": N_("Done."),
    "cancelled": N_("Cancelled."),
    "expired": N_("Closed: no answer came in time. Your care team can help."),
}


@dataclass(frozen=True)
class PatientView:
    """Everything the status page shows: the words, when they last changed, who referred."""

    words: str
    updated_at: datetime
    referred_on: datetime
    referred_by: str  # the referring practice's name


def new_code() -> str:
    """A fresh code for the patient's status page."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalized(code: str | None) -> str | None:
    """The code as typed (spaces, dashes, lower case forgiven), or None when it cannot be one."""
    text = re.sub(r"[\s-]", "", code or "").upper()
    return text if _CODE.match(text) else None


def code_hash(code: str) -> str:
    """What the referral keeps of the code."""
    return hashlib.sha256(code.encode()).hexdigest()


def patient_words(referral) -> str:
    """The status in a patient's words (English; the page translates it)."""
    row = shown_status(referral)
    if row is not None:
        return row.patient_words
    return LIFECYCLE_PATIENT_WORDS[referral.status]


def give_code(referral) -> str | None:
    """A new code for an opted-in referral (kept as its hash); None when not opted in."""
    if not referral.patient_updates:
        return None
    code = new_code()
    referral.patient_code_hash = code_hash(code)
    referral.patient_code = code  # shown once to the referring side, never stored
    return code


def patient_view(referral) -> PatientView:
    """The status page's content for an opted-in referral."""
    return PatientView(
        words=patient_words(referral),
        updated_at=referral.updated_at,
        referred_on=referral.sent_at or referral.created_at,
        referred_by=referral.referring_organization.name,
    )
