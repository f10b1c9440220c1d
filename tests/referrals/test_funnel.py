"""Referral funnel: stages and time to appointment from events; small cells withheld."""

import random
from datetime import date, datetime, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from referrals.funnel import (
    CELLS,
    COUNTS,
    MIN_CELL,
    follow_up_row,
    funnel_row,
    p90,
    referral_path,
    suppress,
)

EASTERN = ZoneInfo("America/New_York")
MONDAY = datetime(2025, 3, 3, 10, tzinfo=EASTERN)


def _event(kind, day, appointment_day=None):
    appointment = MONDAY + timedelta(days=appointment_day) if appointment_day is not None else None
    return SimpleNamespace(type=kind, at=MONDAY + timedelta(days=day), appointment_at=appointment)


HISTORY = [
    # attended, booked 7 days out (within 10 business days)
    [_event("send", 0), _event("acknowledge", 1), _event("accept", 1), _event("schedule", 2, 7),
     _event("attend", 7)],
    [_event("send", 0), _event("acknowledge", 1), _event("decline", 2)],
    [_event("send", 0), _event("expire", 30)],
    # booked 21 days out (late), then missed
    [_event("send", 0), _event("acknowledge", 3), _event("accept", 3), _event("schedule", 4, 21),
     _event("no_show", 21)],
    [_event("send", 0)],
]  # fmt: skip


def test_funnel_row_of_a_hand_built_history():
    row = funnel_row([referral_path(events) for events in HISTORY], EASTERN)
    assert {c: row[c] for c in COUNTS} == {
        "sent": 5,
        "acknowledged": 3,
        "scheduled": 2,
        "attended": 1,
        "declined": 1,
        "no_show": 1,
        "expired": 1,
    }
    assert row["median_days_to_appointment"] == 14
    assert row["share_appointment_within_10_business_days"] == 0.5


def test_first_booking_counts_not_a_reschedule():
    events = [_event("send", 0), _event("schedule", 1, 3), _event("schedule", 2, 30)]
    path = referral_path(events)
    assert path.first_appointment_at == MONDAY + timedelta(days=3)


def test_appointment_exactly_at_ten_business_days_is_in_time():
    due = MONDAY + timedelta(days=14)  # Monday 17 March 10:00, ten business days on
    on_time = SimpleNamespace(type="schedule", at=MONDAY, appointment_at=due)
    late = SimpleNamespace(type="schedule", at=MONDAY, appointment_at=due + timedelta(minutes=1))
    send = _event("send", 0)
    assert (
        funnel_row([referral_path([send, on_time])], EASTERN)[
            "share_appointment_within_10_business_days"
        ]
        == 1.0
    )
    assert (
        funnel_row([referral_path([send, late])], EASTERN)[
            "share_appointment_within_10_business_days"
        ]
        == 0.0
    )


def _row(key, sent, **counts):
    row = {"key": key, **dict.fromkeys(CELLS, 0), "sent": sent, **counts}
    row.update(median_days_to_appointment=5, share_appointment_within_10_business_days=0.9)
    row["_timing_small"] = row["_ack_small"] = False
    return row


def _total(groups):
    total = _row("total", 0)
    for column in CELLS:
        total[column] = sum(g[column] for g in groups)
    return total


def test_one_small_group_is_hidden_with_a_partner():
    groups = [_row("A", 40), _row("B", 30), _row("C", 5)]
    total = _total(groups)
    withheld = suppress(groups, total)
    assert [g["sent"] for g in groups] == [40, None, None]
    assert total["sent"] == 75
    assert withheld == 2
    # The hidden group's timings go too.
    assert groups[2]["median_days_to_appointment"] is None


def test_a_lone_small_group_hides_the_total():
    groups = [_row("A", 0), _row("C", 5)]
    total = _total(groups)
    suppress(groups, total)
    assert groups[1]["sent"] is None and total["sent"] is None
    assert groups[0]["sent"] == 0


def test_zero_is_shown_and_never_used_as_a_partner():
    groups = [_row("A", 40), _row("B", 0), _row("C", 3)]
    total = _total(groups)
    suppress(groups, total)
    assert [g["sent"] for g in groups] == [None, 0, None]


def test_exactly_eleven_is_shown_ten_is_not():
    groups = [_row("A", 11), _row("B", 10), _row("C", 12)]
    total = _total(groups)
    suppress(groups, total)
    assert [g["sent"] for g in groups] == [None, None, 12]


def _attack(groups, total, raw_groups):
    """Every cell an attacker can pin down by subtracting shown cells from the total."""
    recovered = []
    for column in COUNTS:
        hidden = [i for i, g in enumerate(groups) if g[column] is None]
        if total[column] is None or not hidden:
            continue
        rest = total[column] - sum(g[column] for g in groups if g[column] is not None)
        # Hidden cells are 1..n (zeros are shown): pinned when one remains or the sum forces 1s.
        if len(hidden) == 1 or rest == len(hidden):
            recovered += [(column, i) for i in hidden if 0 < raw_groups[i][column] < MIN_CELL]
        # The hidden cells together are never a small count themselves.
        if rest < MIN_CELL:
            recovered += [(column, i) for i in hidden]
    return recovered


def test_no_small_cell_can_be_recovered_by_subtraction():
    rng = random.Random(18)
    for _ in range(500):
        size = rng.randint(1, 6)
        raw = [
            {c: rng.choice([0, rng.randint(1, 10), rng.randint(11, 60)]) for c in COUNTS}
            for _ in range(size)
        ]
        groups = [_row(str(i), **cells) for i, cells in enumerate(raw)]
        total = _total(groups)
        suppress(groups, total)
        for i, cells in enumerate(raw):
            for column, value in cells.items():
                assert groups[i][column] in (value, None)
                if 0 < value < MIN_CELL:
                    assert groups[i][column] is None
        assert _attack(groups, total, raw) == []


def test_p90_is_the_nearest_rank():
    assert p90([]) is None
    assert p90([5]) == 5
    assert p90(list(range(1, 11))) == 9  # 10 values: the 9th
    assert p90(list(range(1, 12))) == 10  # 11 values: ceil(9.9) = the 10th
    assert p90([30, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]) == 10


def test_acknowledged_exactly_two_business_days_on_is_in_time():
    friday = datetime(2025, 3, 7, 10, tzinfo=EASTERN)
    due = datetime(2025, 3, 11, 10, tzinfo=EASTERN)  # Tuesday: the weekend is skipped
    send = SimpleNamespace(type="send", at=friday, appointment_at=None)
    on_time = SimpleNamespace(type="acknowledge", at=due, appointment_at=None)
    late = SimpleNamespace(type="acknowledge", at=due + timedelta(minutes=1), appointment_at=None)
    row = funnel_row([referral_path([send, on_time]), referral_path([send, late])], EASTERN)
    assert row["share_acknowledged_within_2_business_days"] == 0.5
    assert row["median_days_to_acknowledge"] == 4 and row["p90_days_to_acknowledge"] == 4


def test_follow_up_windows_include_the_screen_day_and_the_last_day():
    screen = date(2025, 3, 3)
    cases = [
        (screen, [screen]),  # same day: both
        (screen, [date(2025, 3, 10)]),  # day 7: both
        (screen, [date(2025, 3, 11)]),  # day 8: 30 only
        (screen, [date(2025, 4, 2)]),  # day 30: 30 only
        (screen, [date(2025, 4, 3)]),  # day 31: neither
        (screen, [date(2025, 3, 2)]),  # the day before the screen: neither
        (screen, []),
    ]
    row = follow_up_row(cases)
    assert (row["positive_screens"], row["follow_up_7_days"], row["follow_up_30_days"]) == (7, 2, 4)
    assert row["share_follow_up_within_7_days"] == 0.2857
    assert row["share_follow_up_within_30_days"] == 0.5714
    assert follow_up_row([])["share_follow_up_within_7_days"] is None
