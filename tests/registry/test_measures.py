"""Registry flags, weeks in treatment and follow-up: boundaries pinned with literal dates."""

from datetime import date

from registry.measures import (
    Score,
    flags,
    follow_up_status,
    follow_up_visit,
    responded,
    summarize,
    weeks_in_treatment,
)

START = date(2026, 9, 1)


def _summary(scores, visits=(), instrument="phq9"):
    return summarize(instrument, [Score(on, s, s >= 10) for on, s in scores], list(visits))


def test_exactly_half_the_baseline_is_a_response_and_one_more_is_not():
    assert responded(20, 10) is True
    assert responded(20, 11) is False
    assert responded(15, 7) is True
    assert responded(15, 8) is False


def test_phq9_of_4_is_remission_and_5_is_not():
    assert _summary([(START, 18), (date(2026, 10, 1), 4)]).remission is True
    assert _summary([(START, 18), (date(2026, 10, 1), 5)]).remission is False


def test_gad7_of_4_is_remission_and_5_is_not():
    assert _summary([(START, 12), (date(2026, 10, 1), 4)], instrument="gad7").remission is True
    assert _summary([(START, 12), (date(2026, 10, 1), 5)], instrument="gad7").remission is False


def test_no_response_is_judged_from_exactly_week_10_and_still_at_week_12():
    entry = _summary([(START, 20), (START, 11)])
    # START + 69 days is week 9; + 70 days is exactly week 10; + 84 days exactly week 12.
    assert "no_response" not in flags(entry, date(2026, 11, 9))
    assert "no_response" in flags(entry, date(2026, 11, 10))
    assert "no_response" in flags(entry, date(2026, 11, 24))
    assert weeks_in_treatment(START, date(2026, 11, 9)) == 9
    assert weeks_in_treatment(START, date(2026, 11, 10)) == 10
    assert weeks_in_treatment(START, date(2026, 11, 24)) == 12


def test_an_exact_50_percent_drop_at_week_12_is_not_flagged():
    entry = _summary([(START, 20), (date(2026, 11, 20), 10)])

    assert "no_response" not in flags(entry, date(2026, 11, 24))


def test_weeks_count_from_the_first_visit_when_there_is_one():
    entry = _summary([(START, 20), (START, 20)], visits=[date(2026, 9, 15), date(2026, 10, 1)])

    assert entry.treatment_start == date(2026, 9, 15)
    assert entry.last_visit_on == date(2026, 10, 1)
    # Week 10 from the first visit (not from the baseline) is 2026-11-24.
    assert "no_response" not in flags(entry, date(2026, 11, 23))
    assert "no_response" in flags(entry, date(2026, 11, 24))


def test_overdue_after_28_days_without_a_score():
    entry = _summary([(START, 12)], visits=[START])

    assert "overdue" not in flags(entry, date(2026, 9, 29))
    assert "overdue" in flags(entry, date(2026, 9, 30))


def test_not_engaged_on_day_31_without_a_visit_but_engaged_on_day_30():
    entry = _summary([(START, 12), (date(2026, 10, 20), 12)], visits=[date(2026, 10, 1)])

    assert "not_engaged" not in flags(entry, date(2026, 10, 31))
    assert "not_engaged" in flags(entry, date(2026, 11, 1))


def test_before_any_visit_the_baseline_starts_the_engagement_clock():
    entry = _summary([(START, 12)])

    assert "not_engaged" not in flags(entry, date(2026, 10, 1))
    assert "not_engaged" in flags(entry, date(2026, 10, 2))


def test_follow_up_within_30_days_of_the_positive_screen():
    positive = date(2026, 9, 1)

    assert follow_up_visit(positive, [date(2026, 10, 1)]) == date(2026, 10, 1)
    assert follow_up_visit(positive, [date(2026, 10, 2)]) is None
    assert follow_up_visit(positive, [date(2026, 8, 31)]) is None
    assert follow_up_visit(None, [date(2026, 9, 2)]) is None


def test_follow_up_status_is_open_until_the_window_closes_then_missed():
    entry = _summary([(date(2026, 8, 20), 6), (START, 14)])

    assert entry.positive_on == START
    assert follow_up_status(entry, date(2026, 10, 1)) == "open"
    assert follow_up_status(entry, date(2026, 10, 2)) == "missed"
    met = _summary([(START, 14)], visits=[date(2026, 9, 20)])
    assert follow_up_status(met, date(2026, 12, 1)) == "met"
    negative = _summary([(START, 9)])
    assert follow_up_status(negative, date(2026, 12, 1)) is None


def test_the_summary_keeps_baseline_latest_and_count():
    entry = _summary([(START, 19), (date(2026, 9, 29), 14), (date(2026, 10, 27), 8)])

    assert (entry.baseline_score, entry.latest_score, entry.scores) == (19, 8, 3)
    assert (entry.baseline_on, entry.latest_on) == (START, date(2026, 10, 27))
    assert summarize("phq9", [], []) is None
