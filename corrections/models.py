"""The correction queue: one row per thing someone says is wrong with a listing."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from accounts.models import User
from directory.extensions import db
from directory.models import Clinician
from directory.models.verification import utcnow


class CorrectionItem(db.Model):
    """A report, decline or bounced contact about a listing, with its clocks and outcome."""

    __tablename__ = "correction_item"
    __table_args__ = (Index("ix_correction_item_status_due", "status", "update_due_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # statuses.KINDS
    problem: Mapped[str] = mapped_column(String(30))  # statuses.PROBLEMS
    clinician_id: Mapped[int] = mapped_column(
        ForeignKey("clinician.id", ondelete="CASCADE"), index=True
    )
    opened_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    update_due_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    reverify_due_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    status: Mapped[str] = mapped_column(String(20), default="open")  # statuses.STATUS_TABLE
    owner_id: Mapped[int | None] = mapped_column(
        ForeignKey("app_user.id", ondelete="SET NULL"), index=True
    )
    # What the reporter wrote (no health information asked) or the bounced contact.
    details: Mapped[str | None] = mapped_column(String(500))
    plan_id: Mapped[str | None] = mapped_column(String(64))  # "not in my plan": which plan
    # The declined referral; a plain id so the queue does not depend on the referral tables.
    referral_id: Mapped[int | None] = mapped_column(Integer)
    # Keyed hash of the reporter's address, for rate limiting and abuse only; never the address.
    reporter_ref: Mapped[str | None] = mapped_column(String(48), index=True)
    filed_by: Mapped[str] = mapped_column(String(40))  # actor label, "anonymous" or "system"
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    resolved_by: Mapped[str | None] = mapped_column(String(40))
    outcome_note: Mapped[str | None] = mapped_column(String(1000))
    method: Mapped[str | None] = mapped_column(String(30))  # statuses.METHODS
    evidence: Mapped[str | None] = mapped_column(String(500))

    clinician: Mapped[Clinician] = relationship()
    owner: Mapped[User | None] = relationship()
