"""Staff-page fixtures: the seeded Cambridge directory, organizations, signed-in clients by role."""

from __future__ import annotations

import itertools
from datetime import timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from audit.models import AuditEvent
from directory.extensions import db
from directory.models import Clinician, Organization
from tests.clock import service_today
from tests.conftest import AuthActions
from tests.web.seed_directory import OTHER_PLAN_ID, PLAN_ID, ZIP, seed_directory

_EMAILS = itertools.count(1)
PATIENT_NAME = "Maria Lopez"
PATIENT_BIRTH = "1988-04-12"


def _clinician(last_name: str) -> Clinician:
    return db.session.scalar(db.select(Clinician).where(Clinician.last_name == last_name))


@pytest.fixture
def world(app):
    """The seeded directory plus a PCP practice, two health plans' organizations and a practice."""
    seed_directory()
    w = SimpleNamespace(
        pcp_org=Organization(name="Riverside Primary Care", kind="primary_care"),
        other_pcp_org=Organization(name="Hilltop Family Medicine", kind="primary_care"),
        plan_org=Organization(name="MassCare Health Plan", kind="health_plan"),
        other_plan_org=Organization(name="Bay State Health", kind="health_plan"),
        practice=Organization(name="Harbor Counseling Group", kind="bh_practice"),
    )
    db.session.add_all(vars(w).values())
    db.session.commit()
    w.ana, w.ben, w.dev = _clinician("Rivera"), _clinician("Okafor"), _clinician("Patel")
    w.plan, w.other_plan = PLAN_ID, OTHER_PLAN_ID
    return w


@pytest.fixture
def signed_in(app, world):
    """signed_in(role, org=None, npi=None, plans=()) -> a test client with a new user signed in."""
    defaults = {
        "pcp": world.pcp_org,
        "plan_staff": world.plan_org,
        "clinician": world.practice,
        "admin": "Directory Operations",
        "practice_manager": world.pcp_org,
    }

    def sign_in(role: str, org=None, npi=None, plans=None):
        client = app.test_client()
        actions = AuthActions(app, client)
        if role == "plan_staff" and plans is None:
            plans = (world.plan,)
        email = f"{role}-{next(_EMAILS)}@example.org"
        user = actions.create_user(
            role, email=email, org=org or defaults[role], npi=npi, plans=plans or ()
        )
        assert actions.login(user.email).status_code == 302
        client.user = user
        return client

    return sign_in


def needs(**overrides) -> dict:
    """A needs form near the seeded ZIP for a depressed adult in the MassCare plan."""
    return {"postal_code": ZIP, "plan": PLAN_ID, "concerns": ["depression"], **overrides}


def referral_form(clinician: Clinician, **overrides) -> dict:
    """The PCP referral form filled in for `clinician`, with a consent naming them."""
    today = service_today()
    location = clinician.locations[0].location_id if clinician.locations else ""
    form = {
        **needs(),
        "clinician_npi": clinician.npi,
        "location_id": str(location),
        "patient_name": PATIENT_NAME,
        "patient_birth_date": PATIENT_BIRTH,
        "patient_phone": "617-555-0142",
        "patient_member_id": "MC123456",
        "reason": "Low mood and poor sleep for three months",
        "referral_diagnoses": "F32.1",
        "referral_plan": PLAN_ID,
        "urgency": "routine",
        "consent_form_type": "phi_authorization",
        "consent_signed_by": PATIENT_NAME,
        "consent_signed_on": (today - timedelta(days=1)).isoformat(),
        "consent_expires_on": (today + timedelta(days=365)).isoformat(),
        "consent_recipient_name": f"{clinician.first_name} {clinician.last_name}",
        "consent_recipient_npi": clinician.npi,
        "consent_disclosing_party": "Riverside Primary Care",
        "consent_information": "Diagnoses, medications and history",
        "consent_purpose": "Treatment and care coordination",
        "consent_revocation_statement": "1",
        "checklist": ["benefits_explained"],
    }
    form.update(overrides)
    return form


@pytest.fixture
def sent_referral(world, signed_in):
    """A PCP client and the id of the referral it sent to Ana Rivera."""
    pcp = signed_in("pcp")
    response = pcp.post("/pcp/referrals", data=referral_form(world.ana))
    assert response.status_code == 303, response.get_data(as_text=True)[-2000:]
    referral_id = int(response.headers["Location"].rsplit("/", 1)[1])
    return SimpleNamespace(pcp=pcp, id=referral_id)


@pytest.fixture
def admin(world, signed_in):
    """A signed-in administrator."""
    return signed_in("admin")


def audit_actions(db, object_type="referral") -> list[tuple[str, str]]:
    """(action, outcome) of every audit event on objects of this type, in order."""
    rows = db.session.scalars(
        select(AuditEvent).where(AuditEvent.object_type == object_type).order_by(AuditEvent.id)
    )
    return [(e.action, e.outcome) for e in rows]
