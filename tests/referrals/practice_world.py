"""Three practices' referrals in March 2025 for the practice-manager reports (local: New York)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from accounts.users import create_user
from directory.extensions import db
from referrals.models import Referral, ReferralEvent
from tests.conftest import DEFAULT_PASSWORD
from tests.referrals.world import build_world

EASTERN = ZoneInfo("America/New_York")
MONDAY = datetime(2025, 3, 3, 10, tzinfo=EASTERN)
START, END = date(2025, 3, 1), date(2025, 3, 31)
PERIOD = "from=2025-03-01&to=2025-03-31"


def _referral(w, org, clinician, plan, steps) -> Referral:
    """A referral sent on MONDAY with `steps` as (event type, days after sending)."""
    row = Referral(
        status="sent", plan_id=plan, patient_member_id="M1" if plan else None,
        referring_organization_id=org.id, clinician_id=clinician.id, created_by="user:1",
        patient_name="Test Patient", patient_birth_date=date(1980, 1, 1), reason="Low mood",
        sent_at=MONDAY.astimezone(UTC),
    )  # fmt: skip
    db.session.add(row)
    for kind, day in [("send", 0), *steps]:
        row.events.append(
            ReferralEvent(type=kind, from_status="x", to_status="y", actor="user:1",
                          actor_role="pcp", at=(MONDAY + timedelta(days=day)).astimezone(UTC))
        )  # fmt: skip
    return row


def build_practice_history() -> SimpleNamespace:
    """Riverside sent Jane 12 (11 acknowledged, 1 declined); Hilltop sent Jane 13 and Omar 14."""
    # Jane has a clinician account at Harbor Counseling (her directory practice too); Omar is
    # listed at Summit but has no account there, so Summit's manager answers for no clinician.
    w = build_world()
    for i in range(12):
        step = ("acknowledge", 1) if i < 11 else ("decline", 2)
        _referral(w, w.pcp_org, w.jane, "AcmeGold", [step])
    for _ in range(13):
        _referral(w, w.other_pcp_org, w.jane, "BeaconPPO", [("acknowledge", 1)])
    for _ in range(14):
        _referral(w, w.other_pcp_org, w.omar, None, [])
    # A draft Riverside never sent: no report counts it.
    db.session.add(
        Referral(status="draft", referring_organization_id=w.pcp_org.id, clinician_id=w.omar.id,
                 created_by="user:1", patient_name="Test Patient",
                 patient_birth_date=date(1980, 1, 1), reason="Low mood")
    )  # fmt: skip
    create_user("jane@harbor.example.org", "clinician", w.practice, DEFAULT_PASSWORD, w.jane.npi)
    db.session.commit()
    return w


def manager(org, email: str):
    """A committed practice-manager user of `org`."""
    user, _ = create_user(email, "practice_manager", org, DEFAULT_PASSWORD)
    db.session.commit()
    return user
