"""A small referral world: two PCP practices, two BH practices, two plans, two clinicians."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from types import SimpleNamespace

from directory.extensions import db
from directory.models import Clinician, ClinicianLocation, Location, Network, Organization
from directory.npi import npi_check_digit
from tests.clock import service_today
from tests.conftest import AuthActions

_EMAILS = itertools.count(1)
PATIENT = {
    "name": "Maria Lopez",
    "birth_date": "1988-04-12",
    "phone": "617-555-0142",
    "preferred_language": "es",
    "member_id": "ACME123456",
}


def make_npi(serial: int) -> str:
    """A valid NPI from a serial number."""
    first_nine = f"1{serial:08d}"
    return first_nine + str(npi_check_digit(first_nine))


def _clinician(serial: int, first: str, last: str, location: Location, org: Organization):
    clinician = Clinician(
        npi=make_npi(serial),
        first_name=first,
        last_name=last,
        credentials=["LICSW"],
        accepting_new_patients=True,
    )
    clinician.locations.append(ClinicianLocation(location=location, organization=org))
    return clinician


def build_world() -> SimpleNamespace:
    """Committed organizations, plans, locations and clinicians."""
    w = SimpleNamespace()
    w.pcp_org = Organization(name="Riverside Primary Care", kind="primary_care")
    w.other_pcp_org = Organization(name="Hilltop Family Medicine", kind="primary_care")
    w.practice = Organization(name="Harbor Counseling", kind="bh_practice", npi=make_npi(901))
    w.other_practice = Organization(name="Summit Behavioral Health", kind="bh_practice")
    w.plan_org = Organization(name="Acme Health Plan", kind="health_plan")
    w.other_plan_org = Organization(name="Beacon Health Plan", kind="health_plan")
    w.plan = Network(id="AcmeGold", name="Acme Gold HMO", kind="plan", plan_type="HMO")
    w.other_plan = Network(id="BeaconPPO", name="Beacon PPO", kind="plan", plan_type="PPO")
    w.location = Location(
        name="Harbor Counseling", organization=w.practice, line1="1 Harbor St", city="Boston"
    )
    w.other_location = Location(name="Summit BH", organization=w.other_practice, city="Salem")
    w.jane = _clinician(1, "Jane", "Smith", w.location, w.practice)
    w.omar = _clinician(2, "Omar", "Diaz", w.other_location, w.other_practice)
    db.session.add_all(vars(w).values())
    db.session.commit()
    return w


def referral_payload(w, clinician=None, **overrides) -> dict:
    """A valid routine, non-SUD referral body for `clinician` (Jane by default)."""
    clinician = clinician or w.jane
    location = w.location if clinician is w.jane else w.other_location
    body = {
        "patient": dict(PATIENT),
        "clinician_npi": clinician.npi,
        "location_id": location.id,
        "plan": w.plan.id,
        "reason": "Low mood and poor sleep for three months",
        "diagnoses": ["F32.1"],
        "conditions": ["Type 2 diabetes"],
        "medications": ["metformin 500 mg"],
        "urgency": "routine",
        "substance_use": False,
        "needs": {"concerns": ["depression"], "languages": ["es"]},
    }
    body.update(overrides)
    return body


def part2_consent(w, clinician=None, *, sent_on: date | None = None, **overrides) -> dict:
    """A consent with every 42 CFR 2.31 element, naming `clinician` (Jane by default).

    It stands today and on `sent_on`, the fixed day a test sends on, whichever comes first.
    """
    clinician = clinician or w.jane
    today = service_today()
    first, last = sorted((today, sent_on or today))
    consent = {
        "form_type": "phi_authorization",
        "disclosing_party": "Riverside Primary Care",
        "information": "Substance use disorder diagnosis, treatment history and medications",
        "recipients": [
            {"name": f"{clinician.first_name} {clinician.last_name}", "npi": clinician.npi}
        ],
        "purpose": "Referral for substance use disorder treatment and care coordination",
        "signed_by": PATIENT["name"],
        "signed_on": (first - timedelta(days=10)).isoformat(),
        "expires_on": (last + timedelta(days=365)).isoformat(),
        "revocation_statement": True,
    }
    consent.update(overrides)
    return consent


def sud_payload(w, sent_on: date | None = None, **consent_overrides) -> dict:
    """A substance-use referral with a complete Part 2 consent (see part2_consent)."""
    return referral_payload(
        w,
        diagnoses=["F11.20"],
        substance_use=True,
        consent=part2_consent(w, sent_on=sent_on, **consent_overrides),
    )


def actor_of(client):
    """The use cases' actor for a signed-in test client's user."""
    from accounts.identity import actor_for_user

    return actor_for_user(client.user)


def signed_in(app, role: str, org: Organization, npi: str | None = None, plans=()):
    """A test client with a fresh `role` user of `org` signed in."""
    client = app.test_client()
    actions = AuthActions(app, client)
    email = f"{role}-{next(_EMAILS)}@example.org"
    user = actions.create_user(role, email=email, org=org, npi=npi, plans=plans)
    assert actions.login(user.email).status_code == 302
    client.user = user
    return client


def bearer(key: str) -> dict:
    """Authorization header for an API key."""
    return {"Authorization": f"Bearer {key}"}
