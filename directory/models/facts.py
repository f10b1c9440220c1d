"""One row per observation of a fact a listing claims, by one source at one moment."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, DateTime, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from directory.extensions import db
from directory.models.verification import utcnow


class FactObservation(db.Model):
    """What `source` said `kind` was for a subject (a clinician, later a program) on a date.

    Rows are never updated: a newer observation supersedes an older one of the same source,
    and the one that loses a conflict stays, so staff can see what was overruled and why.
    """

    __tablename__ = "fact_observation"
    __table_args__ = (Index("ix_fact_observation_subject", "subject_kind", "subject_id", "kind"),)

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer(), "sqlite"), primary_key=True
    )
    # Generic on purpose: "clinician" today, "program" (issue 15) later; no foreign key.
    subject_kind: Mapped[str] = mapped_column(String(20))
    subject_id: Mapped[int] = mapped_column(BigInteger)
    # Narrows the fact to one place or network (a phone at a location, one participation).
    location_id: Mapped[int | None] = mapped_column(Integer)
    network_id: Mapped[str | None] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(40))  # directory/fact_rules.py KINDS
    value: Mapped[Any] = mapped_column(JSON)
    source: Mapped[str] = mapped_column(String(40))  # directory/fact_rules.py SOURCES
    # How staff verified it (phone_call, email, portal_attestation, roster) and what they saw.
    method: Mapped[str | None] = mapped_column(String(30))
    evidence: Mapped[str | None] = mapped_column(Text)
    # Which file, roster or referral it came from (never PHI).
    source_ref: Mapped[str | None] = mapped_column(String(120))
    actor_id: Mapped[int | None] = mapped_column(Integer)
    observed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
