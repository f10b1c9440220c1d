"""How fast an office answered a request, counted in business time (weekends, holidays out)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from statistics import median

from directory.business_days import add_business_days, is_business_day
from directory.models.verification import as_utc
from matching import weights


def response_deadline(created_at: datetime) -> datetime:
    """ACK_BUSINESS_DAYS business days after the request: the referrals' acknowledgement rule."""
    return add_business_days(as_utc(created_at), weights.ACK_BUSINESS_DAYS)


def business_hours(start: datetime, end: datetime) -> float:
    """Hours between `start` and `end` that fall on business days (UTC dates), to 0.1 h."""
    start, end = as_utc(start), as_utc(end)
    total = timedelta()
    cursor = start
    while cursor < end:
        midnight = datetime.combine(cursor.date() + timedelta(days=1), datetime.min.time())
        next_day = midnight.replace(tzinfo=cursor.tzinfo)
        if is_business_day(cursor.date()):
            total += min(end, next_day) - cursor
        cursor = next_day
    return round(total.total_seconds() / 3600, 1)


def on_time(created_at: datetime, first_response_at: datetime | None) -> bool:
    """Answered by the deadline (exactly at it counts)."""
    return first_response_at is not None and as_utc(first_response_at) <= response_deadline(
        created_at
    )


@dataclass(frozen=True)
class ResponseSummary:
    """How an office has answered its requests: on time of counted, and the median wait."""

    on_time: int
    counted: int  # answered, or unanswered with the window closed
    median_hours: float | None  # business hours to the first answer, answered requests only


def summarize(rows: Iterable[tuple[datetime, datetime | None]], now: datetime) -> ResponseSummary:
    """From (created_at, first_response_at) pairs, counted the way the ranking counts them."""
    prompt = counted = 0
    waits = []
    for created_at, first_response_at in rows:
        kept = on_time(created_at, first_response_at)
        prompt += kept
        counted += kept or response_deadline(created_at) <= now
        if first_response_at is not None:
            waits.append(business_hours(created_at, first_response_at))
    return ResponseSummary(prompt, counted, round(median(waits), 1) if waits else None)
