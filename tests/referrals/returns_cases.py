"""What the structured-return tests share: a full return, the clock, a referral Jane has
acknowledged (the `acknowledged` fixture, in conftest.py), and an object type's audit trail."""

from datetime import UTC, datetime

from sqlalchemy import select

from audit.models import AuditEvent
from referrals import use_cases
from tests.referrals.world import actor_of

NOW = datetime(2026, 12, 4, 15, 0, tzinfo=UTC)
FULL = {
    "diagnoses": ["f33.1", "F41.1"],
    "medications": [
        {"change": "started", "name": "sertraline 50 mg", "rxnorm": "312940"},
        {"change": "stopped", "name": "the sleeping pill from her sister"},
    ],
    "treatment": "Weekly CBT for 12 weeks; behavioral activation",
    "next_appointment_at": "2031-01-06T15:00:00Z",
    "scores": [
        {"instrument": "phq9", "answers": [2, 2, 1, 1, 1, 1, 1, 1, 0]},
        {"instrument": "gad7", "score": 11},
    ],
    "note": "Engaged well; please recheck TSH.",
}


def _audit(db, object_type: str) -> list[tuple[str, str, str | None]]:
    rows = db.session.scalars(
        select(AuditEvent).where(AuditEvent.object_type == object_type).order_by(AuditEvent.id)
    )
    return [(r.action, r.outcome, r.object_id) for r in rows]


def _acknowledged(pcp, clinician, body) -> int:
    """A referral opened and sent by the PCP and acknowledged by Jane."""
    referral = use_cases.open_and_send(actor_of(pcp), body, [], NOW)
    use_cases.move(actor_of(clinician), referral.id, {"type": "acknowledge"}, NOW)
    return referral.id
