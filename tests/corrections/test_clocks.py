"""No Surprises Act clocks: 2 business days to update, 90 days to re-verify."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from corrections.clocks import is_overdue, reverify_due, update_due

EASTERN = ZoneInfo("America/New_York")


@pytest.mark.parametrize(
    ("opened", "due"),
    [
        # Friday 10:00 in Boston: the weekend does not count, due Tuesday 10:00.
        (datetime(2026, 12, 4, 15, 0, tzinfo=UTC), datetime(2026, 12, 8, 15, 0, tzinfo=UTC)),
        # Monday: due Wednesday.
        (datetime(2026, 12, 7, 15, 0, tzinfo=UTC), datetime(2026, 12, 9, 15, 0, tzinfo=UTC)),
        # Thursday: Friday and Monday.
        (datetime(2026, 12, 10, 15, 0, tzinfo=UTC), datetime(2026, 12, 14, 15, 0, tzinfo=UTC)),
        # Friday 22:00 in Boston is already Saturday in UTC: still a Friday report, due Tuesday.
        (datetime(2026, 12, 5, 3, 0, tzinfo=UTC), datetime(2026, 12, 9, 3, 0, tzinfo=UTC)),
        # The day before Thanksgiving (Thursday 26 November 2026): Friday, then Monday.
        (datetime(2026, 11, 25, 15, 0, tzinfo=UTC), datetime(2026, 11, 30, 15, 0, tzinfo=UTC)),
        # Friday before Martin Luther King Jr. Day (Monday 18 January 2027): Tuesday, Wednesday.
        (datetime(2027, 1, 15, 15, 0, tzinfo=UTC), datetime(2027, 1, 20, 15, 0, tzinfo=UTC)),
        # Christmas Eve 2027 is Friday 24 December, the observed Christmas holiday.
        (datetime(2027, 12, 23, 15, 0, tzinfo=UTC), datetime(2027, 12, 28, 15, 0, tzinfo=UTC)),
    ],
)
def test_update_is_due_two_business_days_after_the_report(opened, due):
    assert update_due(opened, EASTERN) == due


def test_a_saturday_report_counts_from_the_weekend():
    saturday = datetime(2026, 12, 5, 15, 0, tzinfo=UTC)

    assert update_due(saturday, EASTERN) == datetime(2026, 12, 8, 15, 0, tzinfo=UTC)


def test_a_naive_time_from_sqlite_is_utc():
    assert update_due(datetime(2026, 12, 4, 15, 0), EASTERN) == datetime(
        2026, 12, 8, 15, 0, tzinfo=UTC
    )


def test_reverification_is_due_ninety_days_after_the_last_check():
    verified = datetime(2026, 9, 5, 12, 0, tzinfo=UTC)
    opened = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)

    assert reverify_due(verified, opened) == datetime(2026, 12, 4, 12, 0, tzinfo=UTC)


def test_a_listing_never_verified_is_due_for_verification_at_once():
    opened = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)

    assert reverify_due(None, opened) == opened


def test_overdue_only_after_the_due_moment():
    due = datetime(2026, 12, 8, 15, 0, tzinfo=UTC)

    assert not is_overdue(due, datetime(2026, 12, 8, 15, 0, tzinfo=UTC))
    assert is_overdue(due, datetime(2026, 12, 8, 15, 0, 1, tzinfo=UTC))
    # Exactly 90 days after a check is on time; a second later is not.
    verified = datetime(2026, 9, 5, 12, 0, tzinfo=UTC)
    assert not is_overdue(reverify_due(verified, due), datetime(2026, 12, 4, 12, 0, tzinfo=UTC))
    assert is_overdue(reverify_due(verified, due), datetime(2026, 12, 4, 12, 0, 1, tzinfo=UTC))
