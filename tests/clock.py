"""The service's today for tests: consent dates count in REFERRAL_TIMEZONE, not in UTC."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

# The configured default (config.py); between 00:00 and 05:00 UTC its day is the previous UTC day.
SERVICE_ZONE = ZoneInfo("America/New_York")


def service_today() -> date:
    """Today where the referral service counts consent dates."""
    return datetime.now(SERVICE_ZONE).date()
