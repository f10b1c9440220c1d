"""Console records: plan phone-staff call outcomes and admin ingest runs."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from accounts.models import User
from directory.extensions import db
from directory.models.verification import utcnow
from ingest.kinds import kind_names

CALL_OUTCOMES = ("referred", "warm_transfer", "info_only", "callback")
INGEST_KINDS = kind_names()  # the registry in ingest/kinds.py
# too_many_rejects: the load ran, but more rows in scope were rejected than allowed (exit 3).
RUN_STATES = ("running", "finished", "too_many_rejects", "refused", "failed")


class CallNote(db.Model):
    """One member call handled by plan phone staff, and how it ended."""

    __tablename__ = "call_note"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="RESTRICT"), index=True)
    # The staff member's organization: call notes are shared within it, never outside.
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organization.id", ondelete="RESTRICT"), index=True
    )
    plan_id: Mapped[str | None] = mapped_column(ForeignKey("network.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    outcome: Mapped[str] = mapped_column(String(20))  # see CALL_OUTCOMES
    # Free text for the next agent; the form asks for no PHI beyond what a referral holds.
    note: Mapped[str | None] = mapped_column(Text)
    referral_id: Mapped[int | None] = mapped_column(
        ForeignKey("referral.id", ondelete="SET NULL"), index=True
    )
    # Warm transfers: the clinician the member was handed to.
    clinician_npi: Mapped[str | None] = mapped_column(String(10))
    callback_due_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    callback_done_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    user: Mapped[User] = relationship()


class IngestRun(db.Model):
    """One directory load started from the admin pages, and what it did."""

    __tablename__ = "ingest_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # see INGEST_KINDS
    # The upload's original file name or the server path given; never shown outside admin.
    source_name: Mapped[str] = mapped_column(String(300))
    path: Mapped[str] = mapped_column(String(500))
    rejects_path: Mapped[str] = mapped_column(String(500))
    started_by: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="RESTRICT"))
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    state: Mapped[str] = mapped_column(String(20), default="running")  # see RUN_STATES
    rows_read: Mapped[int] = mapped_column(Integer, default=0)
    summary: Mapped[dict] = mapped_column(JSON, default=dict)
    rejected: Mapped[int] = mapped_column(Integer, default=0)
    message: Mapped[str | None] = mapped_column(Text)
    # 1 while the run holds the ingest lease, NULL after: being unique, it lets one run at a
    # time hold it across every worker and process (NULLs never collide).
    lease: Mapped[int | None] = mapped_column(Integer, unique=True)
    # Written by the loading thread after every batch (and every few seconds while it reads):
    # a running run whose heartbeat is older than INGEST_STALE_MINUTES lost its worker.
    heartbeat_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    repaired: Mapped[int] = mapped_column(Integer, default=0)
