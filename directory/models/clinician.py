"""Clinicians and the facts about them that matching filters and ranks on."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, Boolean, Date, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from directory.extensions import db
from directory.models.verification import Timestamped, Verified

if TYPE_CHECKING:
    from directory.models.network import NetworkParticipation
    from directory.models.place import ClinicianLocation


class Clinician(Verified, Timestamped, db.Model):
    """A behavioral-health clinician (NPI entity type 1)."""

    __tablename__ = "clinician"

    id: Mapped[int] = mapped_column(primary_key=True)
    npi: Mapped[str] = mapped_column(String(10), unique=True)
    first_name: Mapped[str | None] = mapped_column(String(80))
    middle_name: Mapped[str | None] = mapped_column(String(80))
    last_name: Mapped[str] = mapped_column(String(80), index=True)
    name_prefix: Mapped[str | None] = mapped_column(String(20))
    name_suffix: Mapped[str | None] = mapped_column(String(20))
    credentials: Mapped[list[str]] = mapped_column(JSON, default=list)
    gender: Mapped[str | None] = mapped_column(String(20))  # female | male | nonbinary | other
    pronouns: Mapped[str | None] = mapped_column(String(40))
    # Vocabulary codes (directory/data/vocabularies); JSON arrays keep them portable.
    conditions_treated: Mapped[list[str]] = mapped_column(JSON, default=list)
    conditions_not_treated: Mapped[list[str]] = mapped_column(JSON, default=list)
    approaches: Mapped[list[str]] = mapped_column(JSON, default=list)
    age_groups: Mapped[list[str]] = mapped_column(JSON, default=list)
    modalities: Mapped[list[str]] = mapped_column(JSON, default=list)  # in_person | video | phone
    accepting_new_patients: Mapped[bool | None] = mapped_column(Boolean)
    next_available_on: Mapped[date | None] = mapped_column(Date)
    wait_days: Mapped[int | None] = mapped_column(Integer)
    # Cost (directory/cost.py): whole USD per self-pay session and tri-state payment answers;
    # NULL is "no source has told us". Each value's source and date are fact observations.
    fee_min: Mapped[int | None] = mapped_column(Integer)
    fee_max: Mapped[int | None] = mapped_column(Integer)
    sliding_scale: Mapped[bool | None] = mapped_column(Boolean)
    free_care: Mapped[bool | None] = mapped_column(Boolean)
    accepts_medicaid: Mapped[bool | None] = mapped_column(Boolean)
    accepts_medicare: Mapped[bool | None] = mapped_column(Boolean)
    accepts_uninsured: Mapped[bool | None] = mapped_column(Boolean)
    # How many open referrals the clinician says they can take at once.
    referral_capacity: Mapped[int | None] = mapped_column(Integer)
    # Set when a referral decline or a report says the listing looks wrong.
    flagged_reason: Mapped[str | None] = mapped_column(String(200))
    flagged_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    source: Mapped[str] = mapped_column(String(40), default="manual")
    source_ref: Mapped[str | None] = mapped_column(String(120), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # The NPPES deactivation date: the clinician leaves search (active False) but stays, with
    # their referrals, for history. Kept after a reactivation: the NPI was once deactivated.
    deactivated_on: Mapped[date | None] = mapped_column(Date)
    reactivated_on: Mapped[date | None] = mapped_column(Date)  # after deactivated_on, if ever

    languages: Mapped[list[ClinicianLanguage]] = relationship(
        back_populates="clinician", cascade="all, delete-orphan", order_by="ClinicianLanguage.code"
    )
    taxonomies: Mapped[list[ClinicianTaxonomy]] = relationship(
        back_populates="clinician", cascade="all, delete-orphan", order_by="ClinicianTaxonomy.code"
    )
    licenses: Mapped[list[License]] = relationship(
        back_populates="clinician", cascade="all, delete-orphan"
    )
    competencies: Mapped[list[ClinicianCompetency]] = relationship(
        back_populates="clinician",
        cascade="all, delete-orphan",
        order_by="ClinicianCompetency.code",
    )
    locations: Mapped[list[ClinicianLocation]] = relationship(
        back_populates="clinician", cascade="all, delete-orphan"
    )
    participations: Mapped[list[NetworkParticipation]] = relationship(
        back_populates="clinician", cascade="all, delete-orphan"
    )

    @property
    def display_name(self) -> str:
        """'First Last, CRED1, CRED2'."""
        name = " ".join(p for p in (self.first_name, self.last_name) if p)
        return ", ".join([name, *self.credentials]) if self.credentials else name

    @property
    def primary_taxonomy(self) -> str | None:
        """The primary NUCC code, else the first one."""
        primary = [t.code for t in self.taxonomies if t.is_primary]
        codes = primary or [t.code for t in self.taxonomies]
        return codes[0] if codes else None

    @property
    def offers_telehealth(self) -> bool:
        """True when the clinician sees patients by video or phone."""
        return bool({"video", "phone"} & set(self.modalities or []))


class ClinicianLanguage(db.Model):
    """A language (ISO 639-1) the clinician offers care in."""

    __tablename__ = "clinician_language"
    __table_args__ = (UniqueConstraint("clinician_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    clinician_id: Mapped[int] = mapped_column(ForeignKey("clinician.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(8), index=True)
    # elementary | limited_working | professional_working | full_professional | native
    proficiency: Mapped[str | None] = mapped_column(String(30))
    clinician: Mapped[Clinician] = relationship(back_populates="languages")


class ClinicianTaxonomy(db.Model):
    """A NUCC taxonomy code held by the clinician; one may be primary."""

    __tablename__ = "clinician_taxonomy"
    __table_args__ = (UniqueConstraint("clinician_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    clinician_id: Mapped[int] = mapped_column(ForeignKey("clinician.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(10), index=True)
    is_primary: Mapped[bool] = mapped_column(Boolean, default=False)
    clinician: Mapped[Clinician] = relationship(back_populates="taxonomies")


class License(db.Model):
    """A state license to practice (telehealth needs one in the patient's state)."""

    __tablename__ = "license"
    __table_args__ = (UniqueConstraint("clinician_id", "state", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    clinician_id: Mapped[int] = mapped_column(ForeignKey("clinician.id", ondelete="CASCADE"))
    state: Mapped[str] = mapped_column(String(2), index=True)
    license_type: Mapped[str | None] = mapped_column(String(20))  # e.g. LICSW, LMHC, MD
    number: Mapped[str] = mapped_column(String(40))
    expires_on: Mapped[date | None] = mapped_column(Date)
    clinician: Mapped[Clinician] = relationship(back_populates="licenses")

    def is_current(self, on: date) -> bool:
        """True unless the license has an expiry date before `on`."""
        return self.expires_on is None or self.expires_on >= on


class ClinicianCompetency(db.Model):
    """A cultural competency, with how we know it."""

    __tablename__ = "clinician_competency"
    __table_args__ = (UniqueConstraint("clinician_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    clinician_id: Mapped[int] = mapped_column(ForeignKey("clinician.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(40), index=True)
    provenance: Mapped[str] = mapped_column(String(20), default="self_reported")
    clinician: Mapped[Clinician] = relationship(back_populates="competencies")
