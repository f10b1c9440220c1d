"""A hand-built directory history for the accuracy report, on June 2025 (local: New York)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from corrections.clocks import reverify_due, update_due
from corrections.models import CorrectionItem
from directory.extensions import db
from directory.models import NetworkParticipation
from referrals.models import Referral, ReferralEvent
from tests.referrals.world import _clinician, build_world

EASTERN = ZoneInfo("America/New_York")
NOW = datetime(2025, 6, 30, 12, tzinfo=EASTERN)  # a Monday
START, END = date(2025, 6, 1), date(2025, 6, 30)
FRIDAY = datetime(2025, 6, 13, 10, tzinfo=EASTERN)
TUESDAY_DUE = datetime(2025, 6, 17, 10, tzinfo=EASTERN)  # Friday + 2 business days
# Extra Acme listings named by the local days since their verification.
AGES = (0, 30, 31, 90, 91, 365, 366)


def _local(day: date, hour: int = 9) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=EASTERN)


def referral(w, clinician, plan, events, sent_at, reason=None):
    """A referral to `clinician` with `events` as (type, local moment) after its send."""
    row = Referral(
        status="sent", plan_id=plan, patient_member_id="M1", referring_organization_id=w.pcp_org.id,
        clinician_id=clinician.id, created_by="user:1", patient_name="Test Patient",
        patient_birth_date=date(1980, 1, 1), reason="Low mood", sent_at=sent_at.astimezone(UTC),
        decline_reason=reason,
    )  # fmt: skip
    db.session.add(row)
    for kind, at in [("send", sent_at), *events]:
        row.events.append(
            ReferralEvent(type=kind, from_status="x", to_status="y", actor="user:1",
                          actor_role="pcp", at=at.astimezone(UTC))
        )  # fmt: skip
    return row


def flag(clinician, kind, problem, opened_at, resolved_at=None):
    """A correction item with its real No Surprises Act clocks."""
    db.session.add(
        CorrectionItem(
            kind=kind, problem=problem, clinician_id=clinician.id,
            opened_at=opened_at.astimezone(UTC),
            update_due_at=update_due(opened_at.astimezone(UTC), EASTERN),
            reverify_due_at=reverify_due(None, opened_at.astimezone(UTC)),
            status="open" if resolved_at is None else "corrected", filed_by="system",
            resolved_at=resolved_at.astimezone(UTC) if resolved_at else None,
        )
    )  # fmt: skip


def _listings(w):
    """Jane (never verified) and 7 more in Acme Gold; Omar (verified 10 days ago) in Beacon."""
    w.aged = {}
    for serial, days in enumerate(AGES, start=10):
        clinician = _clinician(serial, "Age", f"Days{days}", w.location, w.practice)
        clinician.verified_at = _local(NOW.date() - timedelta(days=days)).astimezone(UTC)
        w.aged[days] = clinician
    w.omar.verified_at = _local(NOW.date() - timedelta(days=10)).astimezone(UTC)
    db.session.add_all(w.aged.values())
    db.session.flush()
    for clinician in [w.jane, *w.aged.values()]:
        db.session.add(NetworkParticipation(clinician_id=clinician.id, network_id="AcmeGold"))
    db.session.add(NetworkParticipation(clinician_id=w.omar.id, network_id="BeaconPPO"))


def _referrals(w):
    """Responsiveness, declines and activity."""
    c0, c30, c31 = w.aged[0], w.aged[30], w.aged[31]
    accepted = ("accept", datetime(2025, 6, 18, 9, tzinfo=EASTERN))
    for _ in range(11):
        referral(w, w.jane, "AcmeGold", [("acknowledge", TUESDAY_DUE), accepted], FRIDAY)
        late = TUESDAY_DUE + timedelta(minutes=1)
        referral(w, w.jane, "AcmeGold", [("acknowledge", late)], FRIDAY)
        referral(w, c0, "AcmeGold", [("acknowledge", FRIDAY), accepted], FRIDAY)
    monday = datetime(2025, 6, 2, 10, tzinfo=EASTERN)
    for _ in range(3):
        referral(w, w.omar, "BeaconPPO", [("acknowledge", monday + timedelta(days=1))], monday)
    may = datetime(2025, 5, 20, 10, tzinfo=EASTERN)
    declined = datetime(2025, 6, 5, 10, tzinfo=EASTERN)
    for clinician, plan, reason, n in (
        (w.jane, "AcmeGold", "not_accepting_new_patients", 12),
        (w.jane, "AcmeGold", "not_clinical_fit", 11),
        (w.jane, "AcmeGold", "not_in_network", 2),
        (w.omar, "BeaconPPO", "other", 1),
    ):
        for _ in range(n):
            steps = [("acknowledge", may), ("decline", declined)]
            referral(w, clinician, plan, steps, may, reason=reason)
    # Activity 12 months back: exactly on the first day counts, the evening before does not.
    old = datetime(2024, 6, 1, 9, tzinfo=EASTERN)
    referral(w, c30, "AcmeGold", [("attend", datetime(2024, 6, 30, 0, 0, tzinfo=EASTERN))], old)
    referral(w, c31, "AcmeGold", [("accept", datetime(2024, 6, 29, 23, 59, tzinfo=EASTERN))], old)


def _flags(w):
    """Correction items: in time, late, overdue, not yet due, a review, one before the period."""
    flag(w.jane, "report", "wrong_phone", FRIDAY, resolved_at=TUESDAY_DUE)
    monday = datetime(2025, 6, 2, 10, tzinfo=EASTERN)
    flag(w.aged[0], "report", "moved", monday, resolved_at=monday + timedelta(days=3))
    flag(w.jane, "decline", "not_accepting", datetime(2025, 6, 23, 10, tzinfo=EASTERN))
    flag(w.aged[30], "bounce", "bounced_email", datetime(2025, 6, 30, 9, tzinfo=EASTERN))
    flag(w.jane, "review", "reverify", monday, resolved_at=monday)
    tenth = datetime(2025, 6, 10, 10, tzinfo=EASTERN)
    flag(w.omar, "report", "other", tenth, resolved_at=tenth + timedelta(hours=2))
    flag(w.jane, "report", "wrong_phone", datetime(2025, 5, 30, 10, tzinfo=EASTERN))


def build_directory_history() -> SimpleNamespace:
    """The world of tests.referrals.world plus listings, referrals and flags; committed."""
    w = build_world()
    _listings(w)
    _referrals(w)
    _flags(w)
    db.session.commit()
    return w
