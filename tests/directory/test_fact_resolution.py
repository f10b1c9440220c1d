"""Conflicts resolved by rule: the heaviest word today wins, the loser is kept."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from directory.fact_resolution import normalized, resolve

NOW = datetime(2026, 12, 4, 12, tzinfo=UTC)


@dataclass
class Seen:
    id: int
    kind: str
    value: Any
    source: str
    observed_at: datetime
    method: str | None = None
    location_id: int | None = None
    network_id: str | None = None


def ago(days: int) -> datetime:
    return NOW - timedelta(days=days)


def test_attestation_beats_the_plan_on_accepting_and_the_plan_is_kept_as_a_conflict():
    plan = Seen(1, "accepting_new_patients", True, "roster", ago(2))
    clinician = Seen(2, "accepting_new_patients", False, "clinician_attestation", ago(30))

    (finding,) = resolve([plan, clinician], NOW)

    assert finding.value is False
    assert finding.winner is clinician
    assert finding.conflicts == (plan,)
    assert finding.confidence == 0.54  # 0.9 * (1 - 0.8 / 2)


def test_roster_address_beats_nppes_address():
    nppes = Seen(1, "location", {"city": "Boston"}, "nppes", ago(5), location_id=7)
    roster = Seen(2, "location", {"city": "Quincy"}, "roster", ago(40), location_id=7)

    (finding,) = resolve([nppes, roster], NOW)

    assert finding.value == {"city": "Quincy"}
    assert finding.conflicts == (nppes,)


def test_staff_verification_by_phone_beats_every_file():
    roster = Seen(1, "phone", "6175550100", "roster", ago(1))
    staff = Seen(2, "phone", "6175550199", "staff_verification", ago(20), method="phone_call")

    (finding,) = resolve([roster, staff], NOW)

    assert finding.winner is staff


def test_an_old_verification_loses_to_a_fresh_file():
    staff = Seen(1, "phone", "6175550199", "staff_verification", ago(600), method="phone_call")
    nppes = Seen(2, "phone", "6175550100", "nppes", ago(3))

    (finding,) = resolve([staff, nppes], NOW)

    assert finding.winner is nppes
    assert finding.conflicts == (staff,)


def test_a_sources_newer_word_supersedes_its_older_one_without_a_conflict():
    old = Seen(1, "telehealth", False, "roster", ago(200))
    new = Seen(2, "telehealth", True, "roster", ago(10))

    (finding,) = resolve([old, new], NOW)

    assert finding.value is True
    assert finding.conflicts == ()
    assert finding.confidence == 0.8


def test_agreeing_sources_are_listed_and_raise_confidence():
    nppes = Seen(1, "languages", ["es", "en"], "nppes", ago(10))
    roster = Seen(2, "languages", ["en", "es"], "roster", ago(10))

    (finding,) = resolve([nppes, roster], NOW)

    assert finding.agreeing == (nppes,)
    assert finding.confidence == 0.86


def test_each_network_and_location_is_its_own_fact():
    a = Seen(1, "network_participation", True, "plan-net", ago(1), network_id="A")
    b = Seen(2, "network_participation", False, "referral_decline", ago(1), network_id="B")

    findings = resolve([a, b], NOW)

    assert [(f.network_id, f.value) for f in findings] == [("A", True), ("B", False)]


def test_equal_weight_goes_to_the_newer_word():
    roster = Seen(1, "phone", "1", "roster", ago(30))
    staff = Seen(2, "phone", "2", "staff_verification", ago(10), method="roster")

    (finding,) = resolve([roster, staff], NOW)

    assert finding.winner is staff


def test_values_compare_as_a_reader_would():
    assert normalized(" 12 Main  St ") == normalized("12 main st")
    assert normalized(["es", "en"]) == normalized(["en", "es"])
    assert normalized({"city": "Boston", "zip": None}) == normalized({"city": "BOSTON"})
