"""Organizations, locations, and where each clinician practices."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from directory.extensions import db
from directory.geography import GeoPrecision
from directory.models.verification import Timestamped, Verified

if TYPE_CHECKING:
    from directory.models.clinician import Clinician


class Organization(Timestamped, db.Model):
    """A group practice, community mental health center, plan or PCP practice."""

    __tablename__ = "organization"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Plan-Net resource id, roster org id or similar; unique per source system.
    external_id: Mapped[str | None] = mapped_column(String(120), unique=True)
    # Type-2 NPI; not unique because real feeds reuse one NPI across sub-parts.
    npi: Mapped[str | None] = mapped_column(String(10), index=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    # group_practice | cmhc | hospital | health_plan | primary_care | bh_practice | other
    kind: Mapped[str] = mapped_column(String(30), default="group_practice")
    phone: Mapped[str | None] = mapped_column(String(30))
    website: Mapped[str | None] = mapped_column(String(300))
    source: Mapped[str] = mapped_column(String(40), default="manual")
    locations: Mapped[list[Location]] = relationship(back_populates="organization")


def _given_precision(context) -> str:
    """A row inserted with lat/lon but no precision had them from its source or an editor."""
    # Bulk writers call column defaults without a statement (context None): nothing given.
    given = context is not None and context.get_current_parameters().get("lat") is not None
    return (GeoPrecision.ADDRESS if given else GeoPrecision.NONE).value


class Location(Verified, Timestamped, db.Model):
    """A physical place where care is given."""

    __tablename__ = "location"
    __table_args__ = (Index("ix_location_lat_lon", "lat", "lon"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    external_id: Mapped[str | None] = mapped_column(String(120), unique=True)
    # Normalized address digest so feeds without ids (NPPES, rosters) reuse one row.
    address_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    name: Mapped[str | None] = mapped_column(String(200))
    organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("organization.id", ondelete="SET NULL"), index=True
    )
    line1: Mapped[str | None] = mapped_column(String(200))
    line2: Mapped[str | None] = mapped_column(String(200))
    city: Mapped[str | None] = mapped_column(String(100))
    state: Mapped[str | None] = mapped_column(String(2), index=True)
    postal_code: Mapped[str | None] = mapped_column(String(5), index=True)
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    # How near lat/lon stand to the address (a GeoPrecision); 'none' leaves lat/lon NULL.
    geo_precision: Mapped[str] = mapped_column(
        String(16), default=_given_precision, server_default=GeoPrecision.NONE.value
    )
    phone: Mapped[str | None] = mapped_column(String(30))
    accessibility: Mapped[list[str]] = mapped_column(JSON, default=list)  # e.g. wheelchair
    # [{"days": ["mon", ...], "opens": "08:00", "closes": "20:00"}]
    hours: Mapped[list[dict]] = mapped_column(JSON, default=list)
    evening_hours: Mapped[bool] = mapped_column(Boolean, default=False)
    weekend_hours: Mapped[bool] = mapped_column(Boolean, default=False)
    source: Mapped[str] = mapped_column(String(40), default="manual")

    organization: Mapped[Organization | None] = relationship(back_populates="locations")
    clinicians: Mapped[list[ClinicianLocation]] = relationship(back_populates="location")

    @property
    def address(self) -> str:
        """One-line postal address."""
        street = ", ".join(p for p in (self.line1, self.line2) if p)
        tail = " ".join(p for p in (self.state, self.postal_code) if p)
        return ", ".join(p for p in (street, self.city, tail) if p)


class ClinicianLocation(Verified, Timestamped, db.Model):
    """A clinician practising at a location (one clinician, many locations)."""

    __tablename__ = "clinician_location"
    __table_args__ = (UniqueConstraint("clinician_id", "location_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    clinician_id: Mapped[int] = mapped_column(ForeignKey("clinician.id", ondelete="CASCADE"))
    location_id: Mapped[int] = mapped_column(
        ForeignKey("location.id", ondelete="CASCADE"), index=True
    )
    organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("organization.id", ondelete="SET NULL")
    )
    # e.g. the Plan-Net PractitionerRole id this link came from.
    external_id: Mapped[str | None] = mapped_column(String(120), index=True)
    phone: Mapped[str | None] = mapped_column(String(30))
    # Per-location override of the clinician-level flag (Plan-Net newpatients is per role).
    accepting_new_patients: Mapped[bool | None] = mapped_column(Boolean)
    source: Mapped[str] = mapped_column(String(40), default="manual")

    clinician: Mapped[Clinician] = relationship(back_populates="locations")
    location: Mapped[Location] = relationship(back_populates="clinicians")
    organization: Mapped[Organization | None] = relationship()
