"""Confidence: source quality x age decay x agreement, pinned as literals."""

from datetime import UTC, datetime, timedelta

import pytest

from directory.confidence import age_factor, confidence, weight
from directory.fact_rules import quality

NOW = datetime(2026, 12, 4, 12, tzinfo=UTC)


def days_ago(days: float) -> datetime:
    return NOW - timedelta(days=days)


def test_exactly_90_days_old_keeps_full_weight():
    assert age_factor(days_ago(90), NOW) == 1.0


def test_91_days_old_has_begun_to_decay():
    assert age_factor(days_ago(91), NOW) == pytest.approx(0.99616, abs=1e-5)


def test_180_days_past_the_90_counts_half_and_360_a_quarter():
    assert age_factor(days_ago(270), NOW) == pytest.approx(0.5)
    assert age_factor(days_ago(450), NOW) == pytest.approx(0.25)


def test_weight_is_quality_times_decay():
    assert weight(0.8, days_ago(270), NOW) == pytest.approx(0.4)
    assert weight(0.6, days_ago(10), NOW) == 0.6


def test_a_lone_source_is_as_confident_as_its_weight():
    assert confidence(0.6, [], []) == 0.6


def test_an_agreeing_source_raises_confidence():
    # A roster (0.8) backed by NPPES (0.6): 1 - 0.2 * 0.7.
    assert confidence(0.8, [0.6], []) == 0.86


def test_a_disagreeing_source_lowers_confidence():
    # A roster (0.8) contradicted by NPPES (0.6): 0.8 * 0.7.
    assert confidence(0.8, [], [0.6]) == 0.56


def test_agreement_and_disagreement_combine():
    assert confidence(0.9, [0.8], [0.6]) == 0.66  # (1 - 0.1 * 0.6) * 0.7


def test_quality_per_source_kind_and_method():
    assert quality("nppes", "languages") == 0.6
    assert quality("nppes", "location") == 0.5
    assert quality("referral_decline", "accepting_new_patients") == 0.9
    assert quality("staff_verification", "phone", "phone_call") == 0.95
    assert quality("staff_verification", "phone", "email") == 0.85
    assert quality("report", "phone") == 0.4
