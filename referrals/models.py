"""Referral handoff tables: the referral, its consent, lifecycle events, checklist, retries."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from directory.extensions import db
from directory.models import Clinician, Location, Network, Organization
from directory.models.verification import utcnow
from episodes.models import Episode
from programs.models import ProgramSite
from referrals.kinds import DEFAULT_KIND, target_check


class Referral(db.Model):
    """A PCP's request that a clinician or a program (referrals.kinds) see a patient."""

    # Matching reads referral load from clinician_id, status, created_at, sent_at and
    # acknowledged_at: keep those names.

    __tablename__ = "referral"
    # A referral names exactly the target its kind calls for (a clinician or a program site).
    __table_args__ = (CheckConstraint(target_check(), name="referral_target"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), default=DEFAULT_KIND, server_default=DEFAULT_KIND)
    status: Mapped[str] = mapped_column(String(20), default="draft", index=True)
    # A program referral's community status (referrals.program_status); None for a clinician's.
    program_status: Mapped[str | None] = mapped_column(String(30))
    urgency: Mapped[str] = mapped_column(String(10), default="routine")  # routine | urgent
    # The caller's own "substance use" flag; it can add Part 2, never take it away.
    substance_use: Mapped[bool] = mapped_column(Boolean, default=False)
    # 42 CFR Part 2 as decided from the content (referrals.part2), kept current by the writes
    # that change content; part2_basis says which fields matched ("diagnoses:F11.20", ...).
    part2: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    part2_basis: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
    clinician_id: Mapped[int | None] = mapped_column(
        ForeignKey("clinician.id", ondelete="RESTRICT"), index=True
    )
    # The service at a location (HSDS service_at_location) a program referral goes to.
    site_id: Mapped[int | None] = mapped_column(
        ForeignKey("program_site.id", ondelete="RESTRICT"), index=True
    )
    location_id: Mapped[int | None] = mapped_column(ForeignKey("location.id", ondelete="SET NULL"))
    plan_id: Mapped[str | None] = mapped_column(
        ForeignKey("network.id", ondelete="SET NULL"), index=True
    )
    referring_organization_id: Mapped[int] = mapped_column(
        ForeignKey("organization.id", ondelete="RESTRICT"), index=True
    )
    created_by: Mapped[str] = mapped_column(String(80))  # Actor.label
    # The referring clinician's contact (staff, not the patient).
    referrer_name: Mapped[str | None] = mapped_column(String(200))
    referrer_phone: Mapped[str | None] = mapped_column(String(30))
    referrer_email: Mapped[str | None] = mapped_column(String(254))

    # --- PHI: minimum necessary patient identity and clinical content, kept together ---
    patient_name: Mapped[str] = mapped_column(String(200))
    patient_birth_date: Mapped[date] = mapped_column(Date)
    patient_phone: Mapped[str | None] = mapped_column(String(30))
    patient_preferred_language: Mapped[str | None] = mapped_column(String(8))
    patient_member_id: Mapped[str | None] = mapped_column(String(64))
    # Optional, self-reported: the home ZIP (its county type groups reports) and, in
    # referral_race_ethnicity, race and ethnicity; never required to refer.
    patient_postal_code: Mapped[str | None] = mapped_column(String(10))
    reason: Mapped[str] = mapped_column(Text)
    diagnoses: Mapped[list[str]] = mapped_column(JSON, default=list)  # ICD-10-CM codes
    conditions: Mapped[list[str]] = mapped_column(JSON, default=list)
    medications: Mapped[list[str]] = mapped_column(JSON, default=list)
    # The matching needs that produced this match (concerns, language, modality...).
    needs: Mapped[dict] = mapped_column(JSON, default=dict)
    notes: Mapped[str | None] = mapped_column(Text)
    # --- end PHI ---
    # The patient asked to follow the referral's status; the SHA-256 of the code they were given
    # for the status page (the code itself is shown once, never stored).
    patient_updates: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    patient_code_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    # The code itself, on the object a create just made only (shown once, never stored).
    patient_code = None
    # Status notices the patient opted into (referrals.patient_notices): none, sms or email;
    # by text they go to patient_phone, by email to patient_email (PHI, like the phone).
    patient_notices: Mapped[str] = mapped_column(String(10), default="none", server_default="none")
    patient_email: Mapped[str | None] = mapped_column(String(254))

    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    acknowledged_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    accepted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    appointment_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    decline_reason: Mapped[str | None] = mapped_column(String(40))
    # The patient's episode of care at the referring organization (episodes.identity).
    episode_id: Mapped[int | None] = mapped_column(
        ForeignKey("episode.id", ondelete="SET NULL"), index=True
    )
    # Re-referral chain: the referral this one replaces after a decline or cancellation.
    replaces_id: Mapped[int | None] = mapped_column(
        ForeignKey("referral.id", ondelete="SET NULL"), index=True
    )

    clinician: Mapped[Clinician | None] = relationship()
    site: Mapped[ProgramSite | None] = relationship()
    location: Mapped[Location | None] = relationship()
    plan: Mapped[Network | None] = relationship()
    referring_organization: Mapped[Organization] = relationship()
    episode: Mapped[Episode | None] = relationship()
    consent: Mapped[Consent | None] = relationship(
        back_populates="referral", cascade="all, delete-orphan", uselist=False
    )
    events: Mapped[list[ReferralEvent]] = relationship(
        back_populates="referral", cascade="all, delete-orphan", order_by="ReferralEvent.id"
    )
    checklist: Mapped[list[ChecklistItem]] = relationship(
        back_populates="referral", cascade="all, delete-orphan", order_by="ChecklistItem.id"
    )
    race_ethnicity: Mapped[list[RaceEthnicity]] = relationship(
        cascade="all, delete-orphan", order_by="RaceEthnicity.category"
    )


class RaceEthnicity(db.Model):
    """One race or ethnicity category the patient chose (referrals.demographics; PHI)."""

    __tablename__ = "referral_race_ethnicity"
    __table_args__ = (UniqueConstraint("referral_id", "category"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    referral_id: Mapped[int] = mapped_column(
        ForeignKey("referral.id", ondelete="CASCADE"), index=True
    )
    category: Mapped[str] = mapped_column(String(40))  # RACE_ETHNICITY_CODES


class Consent(db.Model):
    """The patient's release of information that the referral discloses under."""

    __tablename__ = "referral_consent"

    id: Mapped[int] = mapped_column(primary_key=True)
    referral_id: Mapped[int] = mapped_column(
        ForeignKey("referral.id", ondelete="CASCADE"), unique=True
    )
    form_type: Mapped[str] = mapped_column(String(30))  # see referrals.consent.FORM_TYPES
    disclosing_party: Mapped[str | None] = mapped_column(String(200))
    information: Mapped[str | None] = mapped_column(Text)
    # [{"name": "...", "npi": "..."}]
    recipients: Mapped[list[dict]] = mapped_column(JSON, default=list)
    purpose: Mapped[str | None] = mapped_column(Text)
    signed_by: Mapped[str | None] = mapped_column(String(200))
    signed_on: Mapped[date | None] = mapped_column(Date)
    expires_on: Mapped[date | None] = mapped_column(Date)
    expiry_event: Mapped[str | None] = mapped_column(String(200))
    revocation_statement: Mapped[bool] = mapped_column(Boolean, default=False)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_by: Mapped[str | None] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # How it was signed: paper | verbal | electronic (referrals.econsent); None when not said.
    # An electronic signature keeps when, from where, and the exact text version and hash.
    method: Mapped[str | None] = mapped_column(String(20))
    signed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    signed_ip: Mapped[str | None] = mapped_column(String(64))
    signed_user_agent: Mapped[str | None] = mapped_column(String(300))
    form_version: Mapped[str | None] = mapped_column(String(40))
    text_hash: Mapped[str | None] = mapped_column(String(64))
    revoked_ip: Mapped[str | None] = mapped_column(String(64))

    referral: Mapped[Referral] = relationship(back_populates="consent")


class ReferralEvent(db.Model):
    """One lifecycle transition: who moved the referral, when, from what to what, and why."""

    __tablename__ = "referral_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    referral_id: Mapped[int] = mapped_column(
        ForeignKey("referral.id", ondelete="CASCADE"), index=True
    )
    type: Mapped[str] = mapped_column(String(20))
    from_status: Mapped[str] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    actor: Mapped[str] = mapped_column(String(80))  # Actor.label or "system"
    actor_role: Mapped[str] = mapped_column(String(20))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    note: Mapped[str | None] = mapped_column(Text)
    reason: Mapped[str | None] = mapped_column(String(40))
    appointment_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    program_status: Mapped[str | None] = mapped_column(String(30))  # what a "report" said

    referral: Mapped[Referral] = relationship(back_populates="events")


class ChecklistItem(db.Model):
    """One coordination-of-care step on a referral, with who did it and when."""

    __tablename__ = "referral_checklist_item"
    __table_args__ = (UniqueConstraint("referral_id", "item"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    referral_id: Mapped[int] = mapped_column(ForeignKey("referral.id", ondelete="CASCADE"))
    item: Mapped[str] = mapped_column(String(40))
    done: Mapped[bool] = mapped_column(Boolean, default=False)
    done_by: Mapped[str | None] = mapped_column(String(80))
    done_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    note: Mapped[str | None] = mapped_column(Text)

    referral: Mapped[Referral] = relationship(back_populates="checklist")


class IdempotencyKey(db.Model):
    """A caller's Idempotency-Key, so a retried create returns the first referral."""

    __tablename__ = "referral_idempotency_key"
    __table_args__ = (UniqueConstraint("owner", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # "org:<id>" so two keys of one organization share retries; an actor label otherwise.
    owner: Mapped[str] = mapped_column(String(80))
    key: Mapped[str] = mapped_column(String(255))
    body_digest: Mapped[str] = mapped_column(String(64))
    referral_id: Mapped[int] = mapped_column(
        ForeignKey("referral.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
