"""Accounts: people who sign in, API keys that organizations call with, plans a payer runs."""

from __future__ import annotations

from datetime import datetime

from flask import current_app, has_app_context
from flask_login import UserMixin
from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    false,
    select,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from directory.extensions import db
from directory.models import Organization
from directory.models.verification import utcnow

ROLES = ("pcp", "plan_staff", "clinician", "admin", "community", "practice_manager")
SCOPES = (
    "directory:read",
    "referrals:read",
    "referrals:write",
    "registry:read",
    "analytics:read",
    "subscriptions:write",  # FHIR Subscriptions to Task changes (an API key's own)
)
# Subscriptions belong to an API key (a partner system's endpoint): no person holds the scope.
KEY_ONLY_SCOPES = frozenset({"subscriptions:write"})
PERSON_SCOPES = frozenset(SCOPES) - KEY_ONLY_SCOPES
# Reports (analytics:read) and the registry are for plans, practices and admins; a clinician
# works referrals (registry.use_cases refuses others too).
WORK_SCOPES = frozenset({"directory:read", "referrals:read", "referrals:write"})
# What a signed-in person may do through the API; object-level rules decide the rest.
ROLE_SCOPES: dict[str, frozenset[str]] = {
    "pcp": PERSON_SCOPES,
    "plan_staff": PERSON_SCOPES,
    "clinician": WORK_SCOPES,
    "admin": PERSON_SCOPES,
    # A community organization's staff read and update referrals to its programs.
    "community": frozenset({"referrals:read", "referrals:write"}),
    # A practice manager reads their practice's aggregated reports, never a referral itself.
    "practice_manager": frozenset({"analytics:read"}),
}
# The organization kind created for an unknown --org, by role.
ROLE_ORG_KIND = {
    "pcp": "primary_care",
    "plan_staff": "health_plan",
    "clinician": "bh_practice",
    "admin": "other",
    "community": "other",
    "practice_manager": "group_practice",
}
# Which existing organization kinds a role may belong to (admin: any).
ROLE_ORG_KINDS = {
    "pcp": {"primary_care", "hospital", "group_practice", "other"},
    "plan_staff": {"health_plan"},
    "clinician": {"bh_practice", "group_practice", "cmhc", "hospital", "other"},
    "community": {"cmhc", "other"},
    # A practice that refers (primary care) or receives (a BH practice), or both (a group).
    "practice_manager": {"primary_care", "group_practice", "bh_practice", "cmhc"},
}

# A health-plan organization administers these plans/networks (ids of directory Network rows).
organization_plan = Table(
    "organization_plan",
    db.Model.metadata,
    Column("organization_id", ForeignKey("organization.id", ondelete="CASCADE"), primary_key=True),
    Column("network_id", ForeignKey("network.id", ondelete="CASCADE"), primary_key=True),
)


class User(UserMixin, db.Model):
    """A person who signs in: PCP staff, plan staff, a clinician or an administrator."""

    # "user" is reserved on PostgreSQL.
    __tablename__ = "app_user"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20), index=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organization.id", ondelete="RESTRICT"), index=True
    )
    # The person, as referral forms and the API name the referring clinician (staff, not PHI).
    full_name: Mapped[str | None] = mapped_column(String(200))
    credentials: Mapped[str | None] = mapped_column(String(40))  # "MD", "NP", "LCSW"
    # A work phone; as long as a referral's referrer_phone, which it fills.
    phone: Mapped[str | None] = mapped_column(String(30))
    # Clinician users only: the NPI of their directory listing.
    npi: Mapped[str | None] = mapped_column(String(10), index=True)
    # Community users only: the program organization (HSDS organization) they work for.
    program_organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("program_organization.id", ondelete="SET NULL"), index=True
    )
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Set on passwords someone else knows (`flask demo users`): changed before anything else.
    must_change_password: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )
    # TOTP (RFC 6238): the base32 secret once confirmed, and the last time step accepted, so
    # that no code is accepted twice.
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_enabled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    totp_last_step: Mapped[int | None] = mapped_column(Integer)

    organization: Mapped[Organization] = relationship()

    @property
    def has_totp(self) -> bool:
        """True once a TOTP authenticator is enrolled and confirmed."""
        return self.totp_secret is not None and self.totp_enabled_at is not None

    @property
    def is_active(self) -> bool:
        """Flask-Login refuses inactive users."""
        return bool(self.active)

    @property
    def label(self) -> str:
        """How logs and the audit trail name this user (never the email)."""
        return f"user:{self.id}"

    def set_password(self, password: str) -> None:
        """Store a salted scrypt hash, never the password."""
        self.password_hash = generate_password_hash(password, method=password_hash_method())

    def check_password(self, password: str) -> bool:
        """True when `password` matches the stored hash."""
        return check_password_hash(self.password_hash, password)


def password_hash_method() -> str:
    """werkzeug's scrypt; only a config given to create_app (the suite's) can lower its cost."""
    # Not read from the environment: no deployment can weaken it by a variable.
    if has_app_context():
        return current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")
    return "scrypt"


def practice_clinician_npis(organization_id: int):
    """A SELECT of the NPIs of an organization's active clinician users: its clinicians."""
    # Accounts an administrator made vouch for who works there; directory feeds list a
    # clinician at every organization they ever billed through.
    return select(User.npi).where(
        User.organization_id == organization_id,
        User.role == "clinician",
        User.active.is_(True),
        User.npi.is_not(None),
    )


class ApiKey(db.Model):
    """A partner system's key: `bhd_<prefix>_<secret>`, stored as a SHA-256 of the whole key."""

    __tablename__ = "api_key"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organization.id", ondelete="CASCADE"), index=True
    )
    # Public part of the key, used to find the row without scanning hashes.
    prefix: Mapped[str] = mapped_column(String(16), unique=True)
    secret_hash: Mapped[str] = mapped_column(String(64))
    scopes: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    organization: Mapped[Organization] = relationship()

    @property
    def label(self) -> str:
        """How logs and the audit trail name this key."""
        return f"apikey:{self.prefix}"

    @property
    def is_revoked(self) -> bool:
        """True once revoked."""
        return self.revoked_at is not None


class WebSession(db.Model):
    """A signed-in (or signing-in) browser session; the cookie carries only its random id."""

    __tablename__ = "web_session"

    # SHA-256 of the cookie's id: a copy of this table cannot be replayed as cookies.
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), index=True)
    data: Mapped[str] = mapped_column(Text)  # Flask's tagged JSON of the session dict
    created_at: Mapped[float] = mapped_column(Float)  # epoch seconds
    # Epoch seconds after which the row is refused and may be deleted (idle or absolute limit).
    expires_at: Mapped[float] = mapped_column(Float, index=True)


class SigninThrottle(db.Model):
    """Failures in a row and the lockout of one sign-in subject (a keyed hash of an email)."""

    __tablename__ = "signin_throttle"

    subject: Mapped[str] = mapped_column(String(80), primary_key=True)
    streak: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[float] = mapped_column(Float, default=0.0)  # epoch seconds
    last_failure_at: Mapped[float] = mapped_column(Float, default=0.0, index=True)


class SigninAttempt(db.Model):
    """One counted attempt: a failure of an account, or any sign-in POST from an address."""

    __tablename__ = "signin_attempt"
    __table_args__ = (Index("ix_signin_attempt_subject_at", "subject", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    subject: Mapped[str] = mapped_column(String(80))
    at: Mapped[float] = mapped_column(Float, index=True)  # epoch seconds


class RecoveryCode(db.Model):
    """A one-time code that stands in for the TOTP code; only its SHA-256 is kept."""

    __tablename__ = "recovery_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
