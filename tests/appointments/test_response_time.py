"""Response time in business hours, and the on-time boundary (ACK_BUSINESS_DAYS)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from appointments.response_time import (
    ResponseSummary,
    business_hours,
    on_time,
    response_deadline,
    summarize,
)

FRIDAY_4PM = datetime(2026, 3, 6, 16, 0, tzinfo=UTC)


def test_a_weekend_does_not_count():
    monday_10am = datetime(2026, 3, 9, 10, 0, tzinfo=UTC)

    assert business_hours(FRIDAY_4PM, monday_10am) == 18.0


def test_a_federal_holiday_does_not_count():
    # Monday 2026-05-25 is Memorial Day.
    friday = datetime(2026, 5, 22, 12, 0, tzinfo=UTC)
    tuesday = datetime(2026, 5, 26, 12, 0, tzinfo=UTC)

    assert business_hours(friday, tuesday) == 24.0


def test_an_answer_within_the_day():
    assert business_hours(FRIDAY_4PM, FRIDAY_4PM + timedelta(minutes=90)) == 1.5


def test_naive_sqlite_times_are_read_as_utc():
    naive = FRIDAY_4PM.replace(tzinfo=None)

    assert business_hours(naive, naive + timedelta(hours=2)) == 2.0


def test_the_deadline_is_two_business_days_later():
    assert response_deadline(FRIDAY_4PM) == datetime(2026, 3, 10, 16, 0, tzinfo=UTC)


def test_an_answer_exactly_at_the_deadline_is_on_time_and_a_second_later_is_not():
    deadline = response_deadline(FRIDAY_4PM)

    assert on_time(FRIDAY_4PM, deadline) is True
    assert on_time(FRIDAY_4PM, deadline + timedelta(seconds=1)) is False
    assert on_time(FRIDAY_4PM, None) is False


def test_the_summary_counts_as_the_ranking_does_and_gives_the_median():
    now = datetime(2026, 3, 20, 12, 0, tzinfo=UTC)
    rows = [
        (FRIDAY_4PM, FRIDAY_4PM + timedelta(hours=1)),  # 1 h, on time
        (FRIDAY_4PM, datetime(2026, 3, 9, 10, 0, tzinfo=UTC)),  # 18 h, on time
        (FRIDAY_4PM, datetime(2026, 3, 12, 16, 0, tzinfo=UTC)),  # 96 h, late
        (FRIDAY_4PM, None),  # never answered, window closed
        (now - timedelta(hours=1), None),  # window still open: not counted
    ]

    assert summarize(rows, now) == ResponseSummary(on_time=2, counted=4, median_hours=18.0)
    assert summarize([], now) == ResponseSummary(0, 0, None)
