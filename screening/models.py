"""A stored screening result: PHI, audited on every write, never logged."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from directory.extensions import db
from directory.models.verification import utcnow


class ScreeningResult(db.Model):
    """One scored screening by an organization, attached to a referral when one is named."""

    __tablename__ = "screening_result"

    id: Mapped[int] = mapped_column(primary_key=True)
    instrument: Mapped[str] = mapped_column(String(20), index=True)
    # --- PHI: the answers and what they mean ---
    answers: Mapped[list[int]] = mapped_column(JSON)
    score: Mapped[int] = mapped_column(Integer)
    severity: Mapped[str | None] = mapped_column(String(60))
    positive: Mapped[bool | None] = mapped_column(Boolean)
    crisis: Mapped[bool] = mapped_column(Boolean, default=False)
    needs: Mapped[list[str]] = mapped_column(JSON, default=list)
    sex: Mapped[str | None] = mapped_column(String(10))
    # --- end PHI ---
    # Supporting information for this referral (the referral use cases check who may attach).
    referral_id: Mapped[int | None] = mapped_column(
        ForeignKey("referral.id", ondelete="CASCADE"), index=True
    )
    # The episode of care of the referral it is attached to (none for a standalone result).
    episode_id: Mapped[int | None] = mapped_column(
        ForeignKey("episode.id", ondelete="SET NULL"), index=True
    )
    organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("organization.id", ondelete="SET NULL"), index=True
    )
    created_by: Mapped[str] = mapped_column(String(80))  # Actor.label
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    # By name: screening never imports referrals (the referral use cases import screening).
    referral = relationship("Referral", backref="screenings")
