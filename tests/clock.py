"""The service's today for tests: consent dates count in REFERRAL_TIMEZONE, not in UTC."""

import os
from datetime import date, datetime
from zoneinfo import ZoneInfo

# The configured default (config.py); between 00:00 and 05:00 UTC its day is the previous UTC day.
SERVICE_ZONE = ZoneInfo("America/New_York")


def service_today() -> date:
    """Today where the referral service counts consent dates."""
    return datetime.now(SERVICE_ZONE).date()


# `make test-later` runs the suite under libfaketime, two years on: only this process's clock
# moves, so a test that compares it with another clock (Redis's) cannot hold there.
UNDER_FAKETIME = "faketime" in os.environ.get("LD_PRELOAD", "")
