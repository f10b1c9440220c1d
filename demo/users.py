"""Demo users: one per audience, for trying the pages on `make run` (`flask demo users`).

Their passwords are printed, so each must be changed at its first sign-in.
"""

from __future__ import annotations

import secrets

from sqlalchemy import select

from accounts.models import User
from accounts.passwords import PasswordRejected, check_password
from accounts.profile import MAX_CREDENTIALS, apply_profile
from accounts.users import create_user
from audit.log import record
from directory.extensions import db
from directory.models import Clinician, ClinicianLocation, Location, Network, NetworkParticipation

# Accounts organizations, never the generated practices (regenerating the demo deletes those).
DEMO_ORGS = {
    "pcp": "Demo Primary Care Practice",
    "plan_staff": "Demo Health Plan Member Services",
    "clinician": "Demo Behavioral Health Practice",
    "admin": "Demo Directory Operations",
    "community": "Demo Community Services",
    # The demo PCP's own practice: its reports count the demo PCP's referrals.
    "practice_manager": "Demo Primary Care Practice",
}
DOMAIN = "demo.example.org"
# The people behind the demo accounts, the same on every run (555-01xx numbers are fictional).
DEMO_PEOPLE = {
    "pcp": {"full_name": "Dana Whitfield", "credentials": "MD", "phone": "(617) 555-0142"},
    "plan_staff": {"full_name": "Marcus Bell", "credentials": "RN", "phone": "(617) 555-0143"},
    "admin": {"full_name": "Priya Natarajan", "credentials": None, "phone": "(617) 555-0144"},
    "community": {"full_name": "Luis Ortega", "credentials": "CHW", "phone": "(617) 555-0145"},
}


def demo_clinician() -> tuple[Clinician, Location, str | None] | None:
    """A listed clinician taking new patients at a located place, with a plan if any."""
    row = db.session.execute(
        select(Clinician, Location)
        .join(ClinicianLocation, ClinicianLocation.clinician_id == Clinician.id)
        .join(Location, Location.id == ClinicianLocation.location_id)
        .where(
            Clinician.active.is_(True),
            Clinician.accepting_new_patients.is_(True),
            Location.lat.is_not(None),
            Location.postal_code.is_not(None),
        )
        .order_by(Clinician.id)
        .limit(1)
    ).first()
    if row is None:
        return None
    clinician, location = row
    network = db.session.scalar(
        select(NetworkParticipation.network_id)
        .where(NetworkParticipation.clinician_id == clinician.id)
        .order_by(NetworkParticipation.network_id)
        .limit(1)
    )
    return clinician, location, network


def plans_for(network_id: str | None) -> list[str]:
    """Plans whose members the demo plan staff serve: those using the clinician's network."""
    plans = db.session.scalars(select(Network).where(Network.kind == "plan")).all()
    serving = [p.id for p in plans if network_id and network_id in p.network_ids()]
    return serving or [p.id for p in plans][:1]


def demo_person(role: str, clinician: Clinician | None = None) -> dict:
    """The demo account's name, credentials and work phone; the clinician user is their listing."""
    if role != "clinician" or clinician is None:
        return dict(DEMO_PEOPLE.get(role, {}))
    name = " ".join(p for p in (clinician.first_name, clinician.last_name) if p)
    credentials = ", ".join(clinician.credentials or ())[:MAX_CREDENTIALS] or None
    return {"full_name": name, "credentials": credentials, "phone": "(617) 555-0146"}


def one_time_password(email: str) -> str:
    """A random password the policy accepts (a random one is refused about once in a million)."""
    while True:
        password = secrets.token_urlsafe(12)
        try:
            check_password(password, email)
        except PasswordRejected:
            continue
        return password


def ensure_user(
    role: str,
    npi: str | None,
    plans: list[str],
    reset: bool,
    program_org: int | None = None,
    person: dict | None = None,
) -> tuple[str, str | None]:
    """The demo user for `role`: created (or its password reset); (email, new password)."""
    email = f"{role.replace('_', '-')}@{DOMAIN}"
    password = one_time_password(email)
    user = db.session.scalar(select(User).where(User.email == email))
    if user is None:
        user, _created = create_user(
            email, role, DEMO_ORGS[role], password, npi, plans, program_org, person
        )
        user.must_change_password = True  # printed on a terminal: not a secret any more
        record(None, "create", "user", user.id)
        return email, password
    # Accounts made before they had names get theirs; a name someone gave is kept.
    if person and user.full_name is None and apply_profile(user, person):
        record(None, "update", "user", user.id)
    if reset:
        user.set_password(password)
        user.must_change_password = True
        user.active = True
        record(None, "update", "user", user.id)
        return email, password
    return email, None
