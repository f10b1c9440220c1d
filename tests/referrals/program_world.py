"""Program referral fixtures: a food pantry and an opioid treatment program, with their staff."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

from sqlalchemy import select

from accounts.identity import actor_for_user
from accounts.users import create_user
from audit.models import AuditEvent
from directory.extensions import db
from programs.models import ProgramLocation, ProgramOrganization, ProgramService, ProgramSite
from referrals import use_cases
from referrals.clock import local_today
from tests.referrals.world import PATIENT, actor_of, referral_payload


def _program(key: str, org: str, service: str, needs: list[str], city: str) -> SimpleNamespace:
    organization = ProgramOrganization(external_id=f"test:{key}", name=org, source="test")
    location = ProgramLocation(
        external_id=f"test:{key}:loc",
        organization=organization,
        name=org,
        line1="10 Main St",
        city=city,
        state="MA",
        postal_code="02108",
        lat=42.36,
        lon=-71.06,
        precision="source",
        source="test",
    )
    svc = ProgramService(
        external_id=f"test:{key}:svc",
        organization=organization,
        name=service,
        needs=needs,
        source="test",
        fingerprint=key,
    )
    site = ProgramSite(external_id=f"test:{key}:site", service=svc, location=location)
    db.session.add_all([organization, location, svc, site])
    return SimpleNamespace(organization=organization, location=location, service=svc, site=site)


def build_programs() -> SimpleNamespace:
    """Committed programs: a food pantry and an opioid treatment program, by different orgs."""
    p = SimpleNamespace()
    p.pantry = _program("pantry", "Greater Boston Food Bank", "Food pantry", ["food"], "Boston")
    p.otp = _program(
        "otp", "Harbor Recovery Center", "Opioid treatment program",
        ["substance_use_treatment"], "Boston",
    )  # fmt: skip
    db.session.commit()
    return p


def program_payload(w, program, **overrides) -> dict:
    """A routine referral body to `program`'s site (no clinician)."""
    body = referral_payload(w, reason="Food insecurity: ran out of food twice this month")
    del body["clinician_npi"], body["location_id"]
    body.update(
        service_at_location_id=program.site.id,
        diagnoses=["Z59.41"],
        conditions=[],
        medications=[],
        needs={"needs": ["food"]},
    )
    body.update(overrides)
    return body


def program_consent(program, **overrides) -> dict:
    """A consent with every 42 CFR 2.31 element naming the program's organization."""
    today = local_today()
    consent = {
        "form_type": "phi_authorization",
        "disclosing_party": "Riverside Primary Care",
        "information": "Substance use disorder diagnosis, treatment history and medications",
        "recipients": [{"name": program.organization.name}],
        "purpose": "Referral for substance use disorder treatment and care coordination",
        "signed_by": PATIENT["name"],
        "signed_on": (today - timedelta(days=10)).isoformat(),
        "expires_on": (today + timedelta(days=365)).isoformat(),
        "revocation_statement": True,
    }
    consent.update(overrides)
    return consent


def community_client(app, program, email: str):
    """A test client with a community user of `program`'s organization signed in."""
    from tests.conftest import AuthActions

    client = app.test_client()
    actions = AuthActions(app, client)
    user = actions.create_user("community", email=email, program_org=program.organization.id)
    assert actions.login(user.email).status_code == 302
    client.user = user
    return client


def community_actor(db, program, email="pantry@example.org"):
    """The Actor of a community user working for `program`'s organization."""
    user, _ = create_user(
        email, "community", "Pantry staff org", "correct horse battery staple",
        program_org=program.organization.id,
    )  # fmt: skip
    db.session.commit()
    return actor_for_user(user)


def sent_program_referral(pcp, world, program, **overrides) -> int:
    """A referral to `program` the PCP has created and sent now; its id."""
    now = datetime.now(UTC)
    actor = actor_of(pcp)
    rid = use_cases.create(actor, program_payload(world, program, **overrides), now).referral.id
    use_cases.move(actor, rid, {"type": "send"}, now)
    return rid


def referral_audit() -> list[tuple]:
    """(action, outcome, referral id) of every referral audit event, oldest first."""
    rows = db.session.scalars(
        select(AuditEvent).where(AuditEvent.object_type == "referral").order_by(AuditEvent.id)
    )
    return [(r.action, r.outcome, r.object_id) for r in rows]
