"""Feedback: outcomes for this service's cards recorded and audited; unknown cards are 404."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from audit.models import AuditEvent
from cds.models import CdsFeedback
from tests.cds_hooks.builders import (
    ORDER_SELECT,
    PATIENT_VIEW,
    example,
    observation,
    patient_view,
    prefetch,
)

WHEN = "2026-12-05T10:05:31Z"


def _card(hooks) -> dict:
    items = prefetch([observation("44261-6", 12, "p1")])
    return hooks.post(PATIENT_VIEW, patient_view(items)).get_json()["cards"][0]


def _feedback(hooks, *entries: dict, service: str = PATIENT_VIEW):
    return hooks.post(f"{service}/feedback", {"feedback": list(entries)})


def test_an_accepted_card_is_recorded_with_its_suggestion_and_audited(hooks, db):
    card = _card(hooks)
    suggestion = card["suggestions"][0]["uuid"]
    entry = {
        "card": card["uuid"],
        "outcome": "accepted",
        "acceptedSuggestions": [{"id": suggestion}],
        "outcomeTimestamp": WHEN,
    }

    response = _feedback(hooks, entry)

    assert response.status_code == 200
    assert response.get_json() == {"recorded": 1}
    (row,) = db.session.scalars(select(CdsFeedback)).all()
    assert (row.card_uuid, row.outcome, row.accepted_suggestions) == (
        card["uuid"],
        "accepted",
        [suggestion],
    )
    assert row.outcome_at.isoformat().startswith("2026-12-05T10:05:31")
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "cds_accepted"))
    assert [(e.object_type, e.object_id) for e in events] == [("cds_card", card["uuid"])]


def test_an_override_keeps_the_reason_coding_but_not_the_comment(hooks, db):
    card = _card(hooks)
    reason = example("override-reasons.json")["overrideReasons"][0]
    entry = {
        "card": card["uuid"],
        "outcome": "overridden",
        "overrideReason": {"reason": reason, "userComment": "Patient sees Dr Smith for OUD"},
        "outcomeTimestamp": WHEN,
    }

    assert _feedback(hooks, entry).status_code == 200

    (row,) = db.session.scalars(select(CdsFeedback)).all()
    assert (row.override_system, row.override_code, row.override_display) == (
        "http://example.org/cds-services/fhir/CodeSystem/override-reasons",
        "reason-code-provided-by-service",
        "Patient refused",
    )
    stored = " ".join(str(v) for v in vars(row).values())
    assert "Dr Smith" not in stored and "OUD" not in stored


def test_feedback_for_an_unknown_card_is_404_and_nothing_is_recorded(hooks, db):
    card = _card(hooks)
    known = {"card": card["uuid"], "outcome": "accepted", "outcomeTimestamp": WHEN}
    stranger = str(uuid.uuid4())
    unknown = {"card": stranger, "outcome": "accepted", "outcomeTimestamp": WHEN}

    response = _feedback(hooks, known, unknown)

    assert response.status_code == 404
    assert response.get_json() == {"status": 404, "error": f"unknown card: {stranger}"}
    assert db.session.scalars(select(CdsFeedback)).all() == []


def test_a_card_of_another_service_is_unknown_to_this_one(hooks):
    card = _card(hooks)
    entry = {"card": card["uuid"], "outcome": "accepted", "outcomeTimestamp": WHEN}

    assert _feedback(hooks, entry, service=ORDER_SELECT).status_code == 404


def test_feedback_to_an_unknown_service_is_404(hooks):
    entry = {"card": str(uuid.uuid4()), "outcome": "accepted", "outcomeTimestamp": WHEN}

    assert _feedback(hooks, entry, service="no-such-service").status_code == 404


def test_invalid_feedback_is_a_400(hooks):
    card = _card(hooks)
    bad_outcome = {"card": card["uuid"], "outcome": "ignored", "outcomeTimestamp": WHEN}
    mixed = {
        "card": card["uuid"],
        "outcome": "overridden",
        "acceptedSuggestions": [{"id": str(uuid.uuid4())}],
        "outcomeTimestamp": WHEN,
    }

    first = _feedback(hooks, bad_outcome)
    second = _feedback(hooks, mixed)
    empty = hooks.post(f"{PATIENT_VIEW}/feedback", {"feedback": []})

    assert first.status_code == 400
    assert first.get_json()["errors"] == {
        "feedback": {"0": {"outcome": ["Must be one of: accepted, overridden."]}}
    }
    assert second.status_code == 400
    assert second.get_json()["errors"] == {
        "feedback": {"0": {"outcome": ["an overridden card has no accepted suggestions"]}}
    }
    assert empty.status_code == 400


def test_feedback_needs_a_token_too(client, hooks):
    card = _card(hooks)
    entry = {"card": card["uuid"], "outcome": "accepted", "outcomeTimestamp": WHEN}

    response = client.post(f"/cds-services/{PATIENT_VIEW}/feedback", json={"feedback": [entry]})

    assert response.status_code == 401
