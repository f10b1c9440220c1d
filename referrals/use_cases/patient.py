"""The patient's own status page: a referral found by the code they were handed; audited."""

from __future__ import annotations

from sqlalchemy import select

from audit.log import record
from directory.extensions import db
from referrals.models import Referral
from referrals.patient_status import PatientView, code_hash, normalized, patient_view


def patient_status(code: str | None) -> PatientView | None:
    """What the patient holding `code` may see (None: no opted-in referral has it); commits."""
    text = normalized(code)
    referral = None
    if text is not None:
        referral = db.session.scalar(
            select(Referral).where(
                Referral.patient_code_hash == code_hash(text), Referral.patient_updates.is_(True)
            )
        )
    if referral is None:
        # A wrong code is audited too: guessing shows up in the trail.
        record(None, "patient_status", "referral", None, outcome="denied")
        db.session.commit()
        return None
    record(None, "patient_status", "referral", referral.id)
    db.session.commit()
    return patient_view(referral)
