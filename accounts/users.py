"""Create a user account with its organization, NPI and plans checked."""

from __future__ import annotations

import re
from collections.abc import Iterable

from marshmallow import ValidationError
from sqlalchemy import select

from accounts.models import ROLES, User
from accounts.organizations import link_plans, organization_for_role
from accounts.passwords import PasswordRejected, check_password
from accounts.profile import ProfileSchema, apply_profile
from directory.extensions import db
from directory.models import Clinician, Organization
from directory.npi import npi_error

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class AccountError(ValueError):
    """A user that cannot be created as asked."""


def _check_fields(email: str, role: str, password: str, npi: str | None) -> None:
    if not _EMAIL.match(email) or len(email) > 254:
        raise AccountError("that is not an email address")
    if role not in ROLES:
        raise AccountError(f"role must be one of {', '.join(ROLES)}")
    try:
        check_password(password, email)
    except PasswordRejected as err:
        raise AccountError(str(err)) from None
    if role == "clinician":
        problem = npi_error(npi)
        if problem:
            raise AccountError(f"a clinician user needs their listing's NPI: {problem}")
    elif npi:
        raise AccountError("--npi is only for clinician users")


def parse_profile(raw: dict) -> dict:
    """The person's name, credentials and phone, checked (AccountError names what is wrong)."""
    try:
        return ProfileSchema().load(raw)
    except ValidationError as err:
        problems = "; ".join(f"{name}: {' '.join(m)}" for name, m in sorted(err.messages.items()))
        raise AccountError(problems) from None


def program_organization_id(role: str, ref: str | int | None) -> int | None:
    """The program organization (id or external id) a community user works for."""
    if role != "community":
        if ref is not None:
            raise AccountError("--program-org is only for community users")
        return None
    if ref is None or str(ref).strip() == "":
        raise AccountError("a community user needs the program organization they work for")
    # The table by name: accounts sits beside the domain and does not import programs.
    table = db.metadata.tables["program_organization"]
    text = str(ref).strip()
    match = table.c.external_id == text
    if text.isdigit():
        match = match | (table.c.id == int(text))
    found = db.session.scalar(select(table.c.id).where(match))
    if found is None:
        raise AccountError(f"no program organization {text!r}")
    return found


def create_user(
    email: str,
    role: str,
    org: str | Organization,
    password: str,
    npi: str | None = None,
    plans: Iterable[str] = (),
    program_org: str | int | None = None,
    profile: dict | None = None,
) -> tuple[User, bool]:
    """Add a user (not committed); returns it and whether its organization was created."""
    email = email.strip().lower()
    npi = npi.strip() if npi else None
    _check_fields(email, role, password, npi)
    program_org_id = program_organization_id(role, program_org)
    if db.session.scalar(select(User.id).where(User.email == email)) is not None:
        raise AccountError("a user with that email already exists")
    if isinstance(org, Organization):
        organization, created = org, False
    else:
        organization, created = organization_for_role(org, role)
    plans = list(plans)
    if plans and role not in ("plan_staff", "admin"):
        raise AccountError("--plans is for plan staff of a health-plan organization")
    link_plans(organization, plans)
    user = User(
        email=email,
        role=role,
        organization=organization,
        npi=npi,
        program_organization_id=program_org_id,
    )
    apply_profile(user, parse_profile(profile or {}))
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user, created


def has_listing(npi: str) -> bool:
    """True when the directory lists a clinician with this NPI."""
    return db.session.scalar(select(Clinician.id).where(Clinician.npi == npi)) is not None


def set_user_password(user: User, password: str, must_change: bool = False) -> None:
    """Give `user` a new password the policy accepts (not committed; end their sessions after)."""
    try:
        check_password(password, user.email)
    except PasswordRejected as err:
        raise AccountError(str(err)) from None
    user.set_password(password)
    user.must_change_password = must_change
