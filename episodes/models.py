"""The episode of care: a patient at a referring PCP organization, kept as on a referral (PHI)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from directory.extensions import db
from directory.models import Network, Organization
from directory.models.verification import utcnow


class Episode(db.Model):
    """One patient's coordinated care at one PCP organization: referrals and screenings join it."""

    __tablename__ = "episode"
    __table_args__ = (
        # The two ways a new referral finds the patient's episode (episodes.identity).
        Index(
            "ix_episode_org_name_birth", "organization_id", "patient_name_key", "patient_birth_date"
        ),
        Index("ix_episode_org_plan_member", "organization_id", "plan_id", "patient_member_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id", ondelete="RESTRICT"))
    plan_id: Mapped[str | None] = mapped_column(ForeignKey("network.id", ondelete="SET NULL"))
    # --- PHI: the patient's identity as the first referral gave it ---
    patient_name: Mapped[str] = mapped_column(String(200))
    # The name folded for matching (episodes.identity.name_key): case, accents, order.
    patient_name_key: Mapped[str] = mapped_column(String(200))
    patient_birth_date: Mapped[date] = mapped_column(Date)
    # Stripped and upper-cased (episodes.identity.member_key).
    patient_member_id: Mapped[str | None] = mapped_column(String(64))
    # --- end PHI ---
    created_by: Mapped[str] = mapped_column(String(80))  # Actor.label
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )

    organization: Mapped[Organization] = relationship()
    plan: Mapped[Network | None] = relationship()
