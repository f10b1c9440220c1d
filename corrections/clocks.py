"""No Surprises Act clocks: update within 2 business days of a change, re-verify every 90 days."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from directory.business_days import add_business_days
from directory.models.verification import as_utc

UPDATE_BUSINESS_DAYS = 2
REVERIFY_DAYS = 90


def update_due(opened_at: datetime, tz: ZoneInfo) -> datetime:
    """When the listing must be updated: 2 business days (local, holidays skipped) after opening."""
    return add_business_days(as_utc(opened_at), UPDATE_BUSINESS_DAYS, tz)


def reverify_due(verified_at: datetime | None, opened_at: datetime) -> datetime:
    """When the listing must next be verified: 90 days after the last check (now if never)."""
    if verified_at is None:
        return as_utc(opened_at)
    return as_utc(verified_at) + timedelta(days=REVERIFY_DAYS)


def is_overdue(due_at: datetime, now: datetime) -> bool:
    """True once the due moment has passed (a moment exactly at the due time is on time)."""
    return as_utc(now) > as_utc(due_at)
