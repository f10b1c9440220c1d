"""An appointment or call-back request: who to call, when, and how the office answered."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from directory.extensions import db
from directory.models import Clinician, Location
from directory.models.verification import utcnow


class AppointmentRequest(db.Model):
    """A patient's request that a clinician's office call them back to book a first visit."""

    __tablename__ = "appointment_request"
    __table_args__ = (Index("ix_appointment_request_clinician_status", "clinician_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    clinician_id: Mapped[int] = mapped_column(ForeignKey("clinician.id", ondelete="CASCADE"))
    location_id: Mapped[int | None] = mapped_column(ForeignKey("location.id", ondelete="SET NULL"))
    # PHI: shown only to the clinician's side, never in a URL, log line or audit detail.
    patient_name: Mapped[str] = mapped_column(String(120))
    phone: Mapped[str] = mapped_column(String(20))  # E.164
    email: Mapped[str | None] = mapped_column(String(254))
    preferred_times: Mapped[list] = mapped_column(JSON, default=list)  # schemas.TIME_CHOICES
    times_note: Mapped[str | None] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(8), default="en")
    # Required: the moment the patient agreed to be contacted at this phone (and email).
    consent_given_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    status_texts: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(20), default="new")  # statuses.STATUS_TABLE
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # The clinician's side first moved it out of "new": what responsiveness counts.
    first_response_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    clinician: Mapped[Clinician] = relationship(Clinician)
    location: Mapped[Location | None] = relationship(Location)
