"""The structured return: what the behavioral-health clinician sends back to the PCP."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Integer, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from directory.extensions import db
from directory.models.verification import utcnow
from referrals.models import Referral


class ReferralReturn(db.Model):
    """One dated, attributed return on a referral; a referral may carry several."""

    __tablename__ = "referral_return"

    id: Mapped[int] = mapped_column(primary_key=True)
    referral_id: Mapped[int] = mapped_column(
        ForeignKey("referral.id", ondelete="CASCADE"), index=True
    )
    # The referral's status when the return was sent (acknowledged, scheduled, closed...).
    referral_status: Mapped[str] = mapped_column(String(20))
    # --- PHI: the clinician's clinical information about the patient ---
    diagnoses: Mapped[list[str]] = mapped_column(JSON, default=list)  # ICD-10-CM codes
    # [{"change": "started" | "changed" | "stopped", "name": "...", "rxnorm": "..." | None}]
    medications: Mapped[list[dict]] = mapped_column(JSON, default=list)
    treatment: Mapped[str | None] = mapped_column(Text)
    next_appointment_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    note: Mapped[str | None] = mapped_column(Text)
    # --- end PHI ---
    # 42 CFR Part 2 as decided from this return's own content (referrals.part2's rule).
    part2: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    part2_basis: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
    created_by: Mapped[str] = mapped_column(String(80))  # Actor.label
    created_by_role: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    referral: Mapped[Referral] = relationship(backref="returns")
    scores: Mapped[list[ReturnScore]] = relationship(
        back_populates="bh_return", cascade="all, delete-orphan", order_by="ReturnScore.id"
    )


class ReturnScore(db.Model):
    """A repeat score on a return, scored by the screening engine (answers, or a total only)."""

    __tablename__ = "referral_return_score"

    id: Mapped[int] = mapped_column(primary_key=True)
    return_id: Mapped[int] = mapped_column(
        ForeignKey("referral_return.id", ondelete="CASCADE"), index=True
    )
    instrument: Mapped[str] = mapped_column(String(20), index=True)
    # --- PHI ---
    answers: Mapped[list[int] | None] = mapped_column(JSON)  # None: the total was sent alone
    score: Mapped[int] = mapped_column(Integer)
    severity: Mapped[str | None] = mapped_column(String(60))
    positive: Mapped[bool | None] = mapped_column(Boolean)
    crisis: Mapped[bool] = mapped_column(Boolean, default=False)
    sex: Mapped[str | None] = mapped_column(String(10))
    # --- end PHI ---

    bh_return: Mapped[ReferralReturn] = relationship(back_populates="scores")
