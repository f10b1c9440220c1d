"""Directory accuracy figures: verification ages, flag resolution, responsiveness, inactivity."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime
from statistics import median
from zoneinfo import ZoneInfo

from directory.business_days import add_business_days
from directory.models.verification import as_utc
from referrals.funnel import MIN_CELL

# Verification-age buckets: name and the oldest age (in local calendar days) it holds.
AGE_BUCKETS = (("0_30", 30), ("31_90", 90), ("91_180", 180), ("181_365", 365))
OVER_A_YEAR = "over_365"
NEVER = "never"
BUCKETS = (*(name for name, _ in AGE_BUCKETS), OVER_A_YEAR, NEVER)
VERIFIED_WITHIN_DAYS = 90  # the No Surprises Act re-verification cycle; day 90 is in time
ACK_BUSINESS_DAYS = 2  # responsiveness: acknowledged within 2 business days of sending
INACTIVE_MONTHS = 12  # HHS-OIG: no referral accepted or visit attended in 12 months


def _share(part: int, whole: int) -> float | None:
    """part / whole to 4 places, None for an empty whole."""
    return round(part / whole, 4) if whole else None


def age_days(verified_at: datetime, today: date, tz: ZoneInfo) -> int:
    """Local calendar days from the verification to `today`."""
    return (today - as_utc(verified_at).astimezone(tz).date()).days


def age_bucket(verified_at: datetime | None, today: date, tz: ZoneInfo) -> str:
    """The bucket of a listing verified at `verified_at` (never verified: `never`)."""
    if verified_at is None:
        return NEVER
    days = age_days(verified_at, today, tz)
    return next((name for name, oldest in AGE_BUCKETS if days <= oldest), OVER_A_YEAR)


def verification_ages(verified: list[datetime | None], today: date, tz: ZoneInfo) -> dict:
    """Listings per age bucket and the share verified within 90 days."""
    buckets = dict.fromkeys(BUCKETS, 0)
    for moment in verified:
        buckets[age_bucket(moment, today, tz)] += 1
    within = sum(
        1 for m in verified if m is not None and age_days(m, today, tz) <= VERIFIED_WITHIN_DAYS
    )
    return {
        "listings": len(verified),
        "buckets": buckets,
        "verified_within_90_days": within,
        "share_verified_within_90_days": _share(within, len(verified)),
    }


def months_back(today: date, months: int) -> date:
    """The same day `months` earlier (the month's last day when that month is shorter)."""
    year, month = divmod(today.year * 12 + today.month - 1 - months, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(today.day, last))


@dataclass(frozen=True)
class Flag:
    """One correction item: when it arrived, its update deadline and when it was resolved."""

    clinician_id: int
    opened_at: datetime
    update_due_at: datetime
    resolved_at: datetime | None


def resolution_figures(flags: list[Flag], now: datetime, tz: ZoneInfo) -> dict:
    """Flags resolved, in time against the 2-business-day update clock, and days to resolve."""
    resolved = [f for f in flags if f.resolved_at is not None]
    in_time = [f for f in resolved if as_utc(f.resolved_at) <= as_utc(f.update_due_at)]
    overdue = [f for f in flags if f.resolved_at is None and as_utc(now) > as_utc(f.update_due_at)]
    days = [
        (as_utc(f.resolved_at).astimezone(tz).date() - as_utc(f.opened_at).astimezone(tz).date())
        .days
        for f in resolved
    ]  # fmt: skip
    return {
        "items": len(flags),
        "listings_flagged": len({f.clinician_id for f in flags}),
        "resolved": len(resolved),
        "resolved_within_clock": len(in_time),
        "open": len(flags) - len(resolved),
        "open_overdue": len(overdue),
        # Open items not yet due are undecided: neither in time nor late.
        "share_resolved_within_clock": _share(len(in_time), len(resolved) + len(overdue)),
        "median_days_to_resolve": median(days) if days else None,
    }


def acknowledged_in_time(sent_at: datetime, acknowledged_at: datetime | None, tz) -> bool:
    """True when acknowledged no later than 2 business days after sending (local, holidays off)."""
    if acknowledged_at is None:
        return False
    due = add_business_days(as_utc(sent_at), ACK_BUSINESS_DAYS, tz)
    return as_utc(acknowledged_at) <= due


def responsiveness_row(timings: list[tuple[datetime, datetime | None]], tz: ZoneInfo) -> dict:
    """Referrals received and the share acknowledged within 2 business days."""
    in_time = sum(acknowledged_in_time(sent, ack, tz) for sent, ack in timings)
    return responsiveness_counts(len(timings), in_time)


def responsiveness_counts(received: int, in_time: int) -> dict:
    """The responsiveness row of `received` referrals, `in_time` of them acknowledged in time."""
    late = received - in_time
    return {
        "referrals": received,
        "share_acknowledged_within_2_business_days": _share(in_time, received),
        # Either side of the share counts referrals too: a small one hides the share.
        "_share_small": any(0 < n < MIN_CELL for n in (in_time, late)),
    }


def _small(value: int | None) -> bool:
    """True for a count of 1 to 10 (zero identifies nobody and is shown)."""
    return value is not None and 0 < value < MIN_CELL


def withhold(rows: list[dict], total: dict, column: str, order: str) -> int:
    """Withhold small `column` cells, then partners until the withheld add up to 11; count them."""
    raw = [row[column] for row in rows]
    hidden = [i for i, n in enumerate(raw) if _small(n)]
    while hidden and sum(raw[i] for i in hidden) < MIN_CELL:
        shown = sorted(
            (i for i, n in enumerate(raw) if n and i not in hidden),
            key=lambda i: (raw[i], str(rows[i][order])),
        )
        if not shown:
            total[column] = None  # nothing left to hide behind: the total would give it away
            break
        hidden.append(shown[0])
    for i in hidden:
        rows[i][column] = None
    if _small(total[column]):
        total[column] = None
    return len(hidden) + (total[column] is None)
