"""The card rules on prefetch facts: cut-offs exactly at their limits, recency, referrals."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from cds.facts import read_facts
from cds.rules import CRISIS, RULES, SUMMARY_MAX, evaluate
from tests.cds_hooks.builders import (
    LOINC,
    bundle,
    condition,
    medication,
    observation,
    prefetch,
    referral,
)
from tests.clock import service_today

PHQ9, GAD7, AUDITC, ITEM9 = "44261-6", "70274-6", "75626-2", "44260-8"


def fired(items: dict, draft_orders=None, today: date | None = None) -> list:
    """(rule key, indicator, summary) of each finding."""
    facts = read_facts(items, draft_orders, today or service_today())
    return [(f.rule.key, f.indicator, f.summary) for f in evaluate(facts)]


def test_the_rules_are_one_row_each():
    assert [rule.key for rule in RULES] == [
        "phq9",
        "gad7",
        "auditc",
        "bh_diagnosis",
        "sud_medication",
    ]


def test_nothing_positive_and_no_referral_fires_nothing():
    items = prefetch(screenings=[observation(PHQ9, 9, "o1"), observation(GAD7, 9, "o2")])

    assert fired(items) == []


@pytest.mark.parametrize(
    ("code", "score", "expected"),
    [
        (PHQ9, 9, []),
        (
            PHQ9,
            10,
            [("phq9", "warning", "PHQ-9 10 (moderate): no behavioral health referral on file")],
        ),
        (GAD7, 9, []),
        (
            GAD7,
            10,
            [("gad7", "warning", "GAD-7 10 (moderate): no behavioral health referral on file")],
        ),
        (
            GAD7,
            21,
            [("gad7", "warning", "GAD-7 21 (severe): no behavioral health referral on file")],
        ),
    ],
)
def test_phq9_and_gad7_fire_at_ten(code, score, expected):
    assert fired(prefetch(screenings=[observation(code, score, "o1")])) == expected


@pytest.mark.parametrize(
    ("gender", "score", "positive"),
    [("female", 2, False), ("female", 3, True), ("male", 3, False), ("male", 4, True)],
)
def test_auditc_cut_offs_follow_sex_as_screening_defines_them(gender, score, positive):
    items = prefetch(screenings=[observation(AUDITC, score, "o1")], gender=gender)
    summary = f"AUDIT-C {score}, positive: no behavioral health referral on file"

    assert fired(items) == ([("auditc", "warning", summary)] if positive else [])


def test_auditc_without_sex_fires_only_above_both_cut_offs():
    three = prefetch(screenings=[observation(AUDITC, 3, "o1")], gender="unknown")
    four = prefetch(screenings=[observation(AUDITC, 4, "o1")], gender="unknown")

    assert fired(three) == []
    assert [key for key, _, _ in fired(four)] == ["auditc"]


def test_phq9_item_9_above_zero_is_critical_even_with_a_low_total():
    coded = {"coding": [{"system": LOINC, "code": "LA6569-3", "display": "Several days"}]}
    item9 = observation(ITEM9, 0, "o2", valueCodeableConcept=coded)
    del item9["valueInteger"]
    items = prefetch(screenings=[observation(PHQ9, 5, "o1"), item9])

    assert fired(items) == [("phq9", "critical", CRISIS)]


def test_phq9_item_9_at_zero_leaves_a_positive_total_a_warning():
    items = prefetch(screenings=[observation(PHQ9, 15, "o1"), observation(ITEM9, 0, "o2")])

    assert fired(items) == [
        ("phq9", "warning", "PHQ-9 15 (moderately severe): no behavioral health referral on file")
    ]


def test_the_latest_screen_counts_and_one_older_than_a_year_does_not():
    today = date(2026, 6, 30)
    year_ago = datetime(2025, 6, 30, 12, tzinfo=UTC).isoformat()
    day_more = datetime(2025, 6, 29, 12, tzinfo=UTC).isoformat()
    newer = datetime(2026, 6, 1, tzinfo=UTC).isoformat()

    assert fired(prefetch(screenings=[observation(PHQ9, 12, "o1", year_ago)]), today=today)
    assert fired(prefetch(screenings=[observation(PHQ9, 12, "o1", day_more)]), today=today) == []
    later_low = [observation(PHQ9, 12, "o1", year_ago), observation(PHQ9, 4, "o2", newer)]
    assert fired(prefetch(screenings=later_low), today=today) == []


def test_preliminary_or_entered_in_error_screens_are_ignored():
    items = prefetch(screenings=[observation(PHQ9, 20, "o1", status="entered-in-error")])

    assert fired(items) == []


@pytest.mark.parametrize(
    ("code", "fires"),
    [("F00.0", False), ("F01.50", True), ("F32.A", True), ("F99", True), ("G30.9", False)],
)
def test_f01_to_f99_conditions_fire(code, fires):
    expected = [
        ("bh_diagnosis", "info", f"Diagnosis {code}: no behavioral health referral on file")
    ]

    assert fired(prefetch(conditions=[condition(code, "c1")])) == (expected if fires else [])


def test_resolved_conditions_do_not_fire():
    assert fired(prefetch(conditions=[condition("F32.1", "c1", status="resolved")])) == []


def test_many_diagnoses_keep_the_summary_under_140_characters():
    codes = ["F32.1", "F41.1", "F43.10", "F90.0", "F50.00"]
    findings = evaluate(
        read_facts(
            prefetch(conditions=[condition(c, f"c{i}") for i, c in enumerate(codes)]),
            None,
            service_today(),
        )
    )

    assert findings[0].summary == (
        "Diagnosis F32.1, F41.1, F43.10 +2: no behavioral health referral on file"
    )
    assert len(findings[0].summary) <= SUMMARY_MAX


def test_a_sud_medication_fires_and_is_part_2():
    items = prefetch(medications=[medication("Suboxone 8 mg-2 mg sublingual film", "m1")])
    facts = read_facts(items, None, service_today())

    (finding,) = evaluate(facts)
    assert finding.summary == "SUD medication buprenorphine: no behavioral health referral on file"
    assert finding.part2 is True
    assert finding.references == ("MedicationRequest/m1",)


def test_naloxone_or_a_stopped_sud_medication_does_not_fire():
    items = prefetch(
        medications=[
            medication("Naloxone 4 mg nasal spray", "m1"),
            medication("Vivitrol", "m2", "stopped"),
        ]
    )

    assert fired(items) == []


def test_an_alcohol_use_disorder_diagnosis_is_part_2_and_depression_is_not():
    sud = read_facts(prefetch(conditions=[condition("F10.20", "c1")]), None, service_today())
    mood = read_facts(prefetch(conditions=[condition("F32.1", "c1")]), None, service_today())

    assert evaluate(sud)[0].part2 is True
    assert evaluate(mood)[0].part2 is False


def test_an_open_bh_referral_silences_every_card_but_a_critical_one():
    screens = [
        observation(PHQ9, 18, "o1"),
        observation(ITEM9, 2, "o2"),
        observation(GAD7, 15, "o3"),
    ]
    items = prefetch(screenings=screens, referrals=[referral("Referral to mental health services")])

    assert fired(items) == [("phq9", "critical", CRISIS)]


@pytest.mark.parametrize(
    ("request_", "silences"),
    [
        (referral("Behavioral health referral", "active"), True),
        (referral("Psychiatry consult", "on-hold"), True),
        (referral("Behavioral health referral", "completed"), False),
        (referral("Physical therapy referral", "active"), False),
    ],
)
def test_what_counts_as_a_bh_referral_on_file(request_, silences):
    items = prefetch(screenings=[observation(GAD7, 12, "o1")], referrals=[request_])
    summary = "GAD-7 12 (moderate): no behavioral health referral on file"

    assert fired(items) == ([] if silences else [("gad7", "warning", summary)])


def test_a_bh_referral_among_order_select_draft_orders_counts_as_on_file():
    draft = bundle(referral("Referral to psychology", "draft"))
    items = prefetch(screenings=[observation(PHQ9, 11, "o1")])

    assert fired(items, draft_orders=draft) == []


def test_a_sud_medication_among_draft_orders_fires():
    draft = bundle(medication("buprenorphine 8 MG Sublingual Tablet", "m9", "draft"))

    assert [key for key, _, _ in fired(prefetch(), draft_orders=draft)] == ["sud_medication"]


def test_the_days_boundary_uses_the_given_today():
    today = service_today()
    when = (datetime.combine(today, datetime.min.time(), UTC) - timedelta(days=365)).isoformat()

    assert fired(prefetch(screenings=[observation(GAD7, 10, "o1", when)]), today=today)
