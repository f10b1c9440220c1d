"""Equity rates and gaps on withheld-aware funnel rows."""

from referrals.equity import FIELDS, add_equity, default_reference
from referrals.funnel import BOOKED_IN_TIME, BOOKED_WITH_DATE


def _row(key, sent, attended, in_time=0, booked=0, share=None, screens=0, followed=0):
    return {
        "key": key,
        "sent": sent,
        "attended": attended,
        BOOKED_IN_TIME: in_time,
        BOOKED_WITH_DATE: booked,
        "share_appointment_within_10_business_days": share,
        "positive_screens": screens,
        "follow_up_7_days": followed,
    }


def test_rates_gaps_and_the_reference_row():
    groups = [_row("a", 30, 22, 11, 22, 0.5), _row("b", 20, 11, 11, 11, 1.0)]
    total = _row("total", 50, 33, 22, 33, 0.6667)
    add_equity(groups, total, "a")
    a, b = groups
    assert (a["attended_rate"], a["attended_rate_ci"]) == (0.7333, [0.5555, 0.8582])
    assert (a["attended_gap"], a["attended_gap_ci"]) == (None, None)
    assert (b["attended_rate"], b["attended_rate_ci"]) == (0.55, [0.3421, 0.7418])
    assert (b["attended_gap"], b["attended_gap_ci"]) == (-0.1833, [-0.4258, 0.0782])
    assert b["booked_within_10_business_days_rate_ci"] == [0.7412, 1.0]
    assert b["booked_within_10_business_days_gap"] == 0.5
    assert b["booked_within_10_business_days_gap_ci"] == [0.1773, 0.6928]
    assert total["attended_rate"] == 0.66 and "attended_gap" not in total
    # The raw booking counts never leave the report.
    assert all(BOOKED_IN_TIME not in r and BOOKED_WITH_DATE not in r for r in [a, b, total])


def test_a_withheld_count_gets_no_rate_and_no_interval():
    groups = [_row("a", 30, 22), _row("b", None, 11), _row("c", 12, None)]
    add_equity(groups, _row("total", 62, None), "a")
    for row in groups[1:]:
        assert {f: row[f] for f in FIELDS if f.startswith("attended")} == {
            "attended_rate": None,
            "attended_rate_ci": None,
            "attended_gap": None,
            "attended_gap_ci": None,
        }
    # No booking share shown (none booked, or withheld): no rate and no interval either.
    assert groups[0]["booked_within_10_business_days_rate_ci"] is None


def test_a_withheld_reference_leaves_every_gap_empty():
    groups = [_row("a", None, None), _row("b", 20, 11)]
    add_equity(groups, _row("total", 31, 20), "a")
    assert groups[1]["attended_rate"] == 0.55 and groups[1]["attended_gap"] is None


def test_zero_attended_is_shown_with_its_interval():
    groups = [_row("a", 30, 22), _row("b", 14, 0)]
    add_equity(groups, _row("total", 44, 22), "a")
    assert groups[1]["attended_rate_ci"] == [0.0, 0.2153]
    assert groups[1]["attended_gap_ci"] == [-0.8582, -0.4541]


def test_default_reference_is_the_largest_shown_group_ties_by_key():
    assert default_reference([_row("b", 20, 1), _row("a", 20, 1), _row("c", None, 1)]) == "a"
    assert default_reference([_row("b", 12, 1), _row("z", 40, 1)]) == "z"
    assert default_reference([_row("b", None, 1)]) is None
    assert default_reference([]) is None
    # Not recorded is the reference only when nothing else is shown.
    assert default_reference([_row("unknown", 90, 1), _row("es", 12, 1)]) == "es"
    assert default_reference([_row("unknown", 90, 1), _row("es", None, 1)]) == "unknown"


def test_follow_up_after_a_positive_screen_uses_the_shown_cells():
    groups = [_row("a", 30, 22, screens=20, followed=8), _row("b", 20, 11, screens=0)]
    groups.append(_row("c", 15, 11, screens=None, followed=None))
    add_equity(groups, _row("total", 65, 44, screens=20, followed=8), "a")
    # Wilson for 8 of 20, worked by hand in tests/referrals/test_intervals.py.
    assert groups[0]["follow_up_7_days_rate"] == 0.4
    assert groups[0]["follow_up_7_days_rate_ci"] == [0.2188, 0.6134]
    # No positive screens, or their cells withheld: nothing to show.
    assert groups[1]["follow_up_7_days_rate"] is None
    assert groups[2]["follow_up_7_days_rate_ci"] is None
