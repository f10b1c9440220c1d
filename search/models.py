"""The search outbox: clinicians whose index documents must be rebuilt."""

from datetime import datetime

from sqlalchemy import JSON, BigInteger, DateTime, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from directory.extensions import db
from directory.models.verification import utcnow


class SearchOutbox(db.Model):
    """One pending re-index of a clinician, written in the transaction that changed it."""

    __tablename__ = "search_outbox"
    # AUTOINCREMENT so SQLite never reuses an id once the table has been drained.
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(primary_key=True)
    # No foreign key: a deleted clinician still needs its documents removed.
    clinician_id: Mapped[int] = mapped_column(Integer, index=True)
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    # Error type and status only; Elasticsearch reasons can quote document values.
    last_error: Mapped[str | None] = mapped_column(String(200))
    available_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, index=True
    )


class SearchFeedPosition(db.Model):
    """Where the sync worker is in the listing change log (one row), so bulk loads converge."""

    __tablename__ = "search_feed_position"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The feed's Position (matching.index.feed): SQLite's last seq, or PostgreSQL's horizon and
    # the seqs already read from transactions at or after it.
    seq: Mapped[int] = mapped_column(BigInteger, default=0)
    horizon: Mapped[int | None] = mapped_column(BigInteger)
    seen: Mapped[list] = mapped_column(JSON, default=list)
    read_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
