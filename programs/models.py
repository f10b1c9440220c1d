"""Programs as HSDS 3.0 has them: organization -> service -> service_at_location -> location.

Own tables, not directory's Organization/Location: a program's location is keyed by its
source's id (HSDS, FindTreatment), not by directory's address digest, and may be unplaced.
Facets a search filters on (needs, levels of care, medications, languages, payment) are code
lists on the service, derived from the source's vocabulary through programs.vocabulary.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from directory.extensions import db
from directory.models.verification import Timestamped
from programs.hsds_ids import stored_hsds_id

# The HSDS id /hsds answers with, kept so a lookup by it is an index probe: derived from
# external_id on insert (external_id never changes: it is the upsert key).
HSDS_ID_LENGTH = 36


class ProgramOrganization(Timestamped, db.Model):
    """The organization that delivers services (HSDS organization)."""

    __tablename__ = "program_organization"

    id: Mapped[int] = mapped_column(primary_key=True)
    external_id: Mapped[str] = mapped_column(String(160), unique=True)  # 'hsds:<id>', ...
    hsds_id: Mapped[str | None] = mapped_column(
        String(HSDS_ID_LENGTH), index=True, unique=True, default=stored_hsds_id("organization")
    )
    name: Mapped[str] = mapped_column(String(250))
    description: Mapped[str | None] = mapped_column(Text)
    website: Mapped[str | None] = mapped_column(String(300))
    email: Mapped[str | None] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(String(40))


class ProgramLocation(Timestamped, db.Model):
    """A place services are delivered (HSDS location with its physical address)."""

    __tablename__ = "program_location"
    __table_args__ = (Index("ix_program_location_lat_lon", "lat", "lon"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    external_id: Mapped[str] = mapped_column(String(160), unique=True)
    organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("program_organization.id", ondelete="SET NULL"), index=True
    )
    name: Mapped[str | None] = mapped_column(String(250))
    line1: Mapped[str | None] = mapped_column(String(250))
    line2: Mapped[str | None] = mapped_column(String(250))
    city: Mapped[str | None] = mapped_column(String(100))
    state: Mapped[str | None] = mapped_column(String(60))
    postal_code: Mapped[str | None] = mapped_column(String(12))
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    # 'source' (the file's coordinates), 'zcta_centroid' (placed by ZIP), None: unplaced
    precision: Mapped[str | None] = mapped_column(String(20))
    source: Mapped[str] = mapped_column(String(40))

    organization: Mapped[ProgramOrganization | None] = relationship()

    @property
    def address(self) -> str:
        """One-line postal address."""
        street = ", ".join(p for p in (self.line1, self.line2) if p)
        tail = " ".join(p for p in (self.state, self.postal_code) if p)
        return ", ".join(p for p in (street, self.city, tail) if p)


class ProgramService(Timestamped, db.Model):
    """A service an organization offers: what it is, who it is for, what it costs."""

    __tablename__ = "program_service"

    id: Mapped[int] = mapped_column(primary_key=True)
    external_id: Mapped[str] = mapped_column(String(160), unique=True)
    hsds_id: Mapped[str | None] = mapped_column(
        String(HSDS_ID_LENGTH), index=True, unique=True, default=stored_hsds_id("service")
    )
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("program_organization.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(250))
    description: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="active")
    url: Mapped[str | None] = mapped_column(String(300))
    email: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(40))
    minimum_age: Mapped[int | None] = mapped_column(Integer)
    maximum_age: Mapped[int | None] = mapped_column(Integer)
    eligibility: Mapped[str | None] = mapped_column(Text)
    populations: Mapped[list[str]] = mapped_column(JSON, default=list)
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)  # ISO 639-1
    needs: Mapped[list[str]] = mapped_column(JSON, default=list)  # need domain codes
    taxonomy_terms: Mapped[list[dict]] = mapped_column(JSON, default=list)  # as the source said
    levels_of_care: Mapped[list[str]] = mapped_column(JSON, default=list)  # ASAM '1'..'4', 'otp'
    medications: Mapped[list[str]] = mapped_column(JSON, default=list)  # MOUD offered
    detox: Mapped[bool] = mapped_column(Boolean, default=False)
    residential: Mapped[bool] = mapped_column(Boolean, default=False)
    payments: Mapped[list[str]] = mapped_column(JSON, default=list)  # medicaid, medicare, ...
    fee_min: Mapped[float | None] = mapped_column(Float)
    fee_max: Mapped[float | None] = mapped_column(Float)
    currency: Mapped[str | None] = mapped_column(String(3))
    fees_description: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(40))
    # When the source last vouched for the listing (HSDS assured_date/last_modified, or the load).
    verified_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    fingerprint: Mapped[str] = mapped_column(String(64))  # digest of the record: re-runs skip

    organization: Mapped[ProgramOrganization] = relationship()
    sites: Mapped[list[ProgramSite]] = relationship(
        back_populates="service", cascade="all, delete-orphan"
    )


class ProgramSite(db.Model):
    """A service at a location (HSDS service_at_location), with that site's opening hours."""

    __tablename__ = "program_site"
    __table_args__ = (UniqueConstraint("service_id", "location_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    external_id: Mapped[str] = mapped_column(String(160), unique=True)
    hsds_id: Mapped[str | None] = mapped_column(
        String(HSDS_ID_LENGTH),
        index=True,
        unique=True,
        default=stored_hsds_id("service_at_location"),
    )
    service_id: Mapped[int] = mapped_column(ForeignKey("program_service.id", ondelete="CASCADE"))
    location_id: Mapped[int] = mapped_column(
        ForeignKey("program_location.id", ondelete="CASCADE"), index=True
    )
    # [{"days": ["mon", ...], "opens": "08:00", "closes": "20:00"}]
    hours: Mapped[list[dict]] = mapped_column(JSON, default=list)

    service: Mapped[ProgramService] = relationship(back_populates="sites")
    location: Mapped[ProgramLocation] = relationship()
