"""Plain-object actors, referrals and consents for the access-rule tests (no database); the
tests import the builders under their own short names."""

from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

TODAY = date(2026, 12, 4)
SENT = datetime(2026, 12, 1, tzinfo=UTC)


def _actor(role="pcp", org=1, npis=(), plans=()):
    return SimpleNamespace(
        role=role, organization_id=org, npis=frozenset(npis), plan_ids=frozenset(plans)
    )


def _referral(**changes):
    jane = SimpleNamespace(
        npi="1000000004",
        first_name="Jane",
        last_name="Smith",
        middle_name=None,
        name_suffix=None,
        locations=[],
    )
    fields = {
        "referring_organization_id": 1,
        "sent_at": SENT,
        "clinician": jane,
        "plan_id": "AcmeGold",
        "patient_member_id": "ACME1",
        "location_id": None,
        "location": None,
        "part2": False,
        "consent": None,
        "patient_name": "Maria Lopez",
    }
    fields.update(changes)
    return SimpleNamespace(**fields)


def _consent(**changes):
    fields = {
        "disclosing_party": "Riverside",
        "information": "SUD",
        "recipients": [{"name": "Jane Smith", "npi": None}],
        "purpose": "Treatment",
        "revocation_statement": True,
        "expires_on": TODAY + timedelta(days=30),
        "expiry_event": None,
        "signed_by": "Maria Lopez",
        "signed_on": TODAY,
        "revoked_at": None,
    }
    fields.update(changes)
    return SimpleNamespace(**fields)
