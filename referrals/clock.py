"""The service's clock: consent dates and business days count in REFERRAL_TIMEZONE."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import current_app

from directory.models.verification import utcnow


def zone() -> ZoneInfo:
    """The time zone business days and consent dates are counted in."""
    return ZoneInfo(current_app.config.get("REFERRAL_TIMEZONE") or "UTC")


def local_today(now: datetime | None = None) -> date:
    """Today (or `now`'s day) where the referral service runs."""
    return (now or utcnow()).astimezone(zone()).date()
