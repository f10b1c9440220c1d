"""When a directory fact was last verified, and by what source."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import DateTime, String
from sqlalchemy.orm import Mapped, mapped_column

STALE_AFTER_DAYS = 90


def utcnow() -> datetime:
    """The current time in UTC, timezone-aware."""
    return datetime.now(UTC)


def as_utc(moment: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; treat them as UTC."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


def is_stale(
    verified_at: datetime | None, now: datetime | None = None, days: int = STALE_AFTER_DAYS
) -> bool:
    """True when a fact was never verified or not within `days`."""
    if verified_at is None:
        return True
    return (now or utcnow()) - as_utc(verified_at) > timedelta(days=days)


class Verified:
    """Mixin for rows whose facts go stale: last verification time and source."""

    verified_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # e.g. "nppes", "plan-net", "roster:acme-hmo", "attestation", "demo", "referral-decline"
    verified_source: Mapped[str | None] = mapped_column(String(80))

    def verify(self, source: str, when: datetime | None = None) -> None:
        """Record a verification by `source`."""
        self.verified_at = when or utcnow()
        self.verified_source = source

    def is_stale(self, now: datetime | None = None, days: int = STALE_AFTER_DAYS) -> bool:
        """True when unverified for more than `days`."""
        return is_stale(self.verified_at, now, days)


class Timestamped:
    """Mixin with creation and last-change times (the change feed reads updated_at)."""

    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow, index=True
    )
