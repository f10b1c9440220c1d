"""Provenance in plain words: who said it, how long ago, and who says otherwise."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from directory.fact_resolution import resolve
from pages.provenance import age, missing_sentence, provenance_sentence, unknown_sentence

NOW = datetime(2026, 12, 4, 12, tzinfo=UTC)
NET = "acme-hmo"


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


@pytest.fixture
def english(app):
    """Babel reads the locale from a request; an English one."""
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        yield


def test_ages_in_words(english):
    assert age(NOW - timedelta(hours=5), NOW) == "today"
    assert age(ago(1), NOW) == "1 day ago"
    assert age(ago(12), NOW) == "12 days ago"
    assert age(ago(59), NOW) == "59 days ago"
    assert age(ago(60), NOW) == "2 months ago"
    assert age(ago(364), NOW) == "12 months ago"
    assert age(ago(365), NOW) == "12 months ago"
    assert age(ago(366), NOW) == "over a year ago"
    assert age(ago(7089), NOW) == "over a year ago"


def test_the_plan_and_the_clinician_agreeing(english):
    findings = resolve(
        [
            Seen(1, "network_participation", True, "roster", ago(12), network_id=NET),
            Seen(
                2,
                "network_participation",
                True,
                "clinician_attestation",
                ago(95),
                None,
                None,
                "acme-hmo",
            ),
        ],
        NOW,
    )

    assert [provenance_sentence(f, NOW) for f in findings] == [
        # The clinician's word still outweighs the roster's at 95 days (0.88 against 0.8).
        "In network acme-hmo: from the clinician, 3 months ago; "
        "the plan's roster agreed 12 days ago."
    ]


def test_a_verification_says_what_was_verified_how_and_who_disagrees(english):
    (finding,) = resolve(
        [
            Seen(1, "accepting_new_patients", False, "staff_verification", ago(0), "phone_call"),
            Seen(2, "accepting_new_patients", True, "plan-net", ago(40)),
        ],
        NOW,
    )

    assert provenance_sentence(finding, NOW) == (
        "Taking new patients: from our staff by phone, today; "
        "the plan's directory said otherwise 40 days ago."
    )


def test_what_no_source_told_us_is_said_plainly(english):
    assert unknown_sentence(["accepting_new_patients", "telehealth"]) == (
        "No source has told us: Taking new patients, Telehealth."
    )
    assert unknown_sentence([]) is None


def test_missing_facts_are_named_and_networks_are_not_asked_for(english):
    findings = resolve([Seen(1, "phone", ["6175550100"], "roster", ago(3))], NOW)

    assert missing_sentence(findings) == (
        "No source has told us: Taking new patients, Address, Languages, Telehealth."
    )
