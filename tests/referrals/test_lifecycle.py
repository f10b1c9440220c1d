"""The referral state machine: every valid and invalid transition, who may fire what."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from directory.facts import clinician as subject
from directory.facts import history
from referrals.lifecycle import (
    DECLINE_REASONS,
    EVENTS,
    OPEN,
    STATUSES,
    TERMINAL,
    EventInput,
    EventInvalid,
    EventRefused,
    TransitionError,
    allowed_events,
    decide,
    next_status,
)
from referrals.models import Referral
from tests.referrals.world import referral_payload

EXPECTED = {
    ("draft", "send"): "sent",
    ("sent", "acknowledge"): "acknowledged",
    ("acknowledged", "accept"): "accepted",
    ("acknowledged", "decline"): "declined",
    ("accepted", "schedule"): "scheduled",
    ("scheduled", "schedule"): "scheduled",
    ("scheduled", "attend"): "attended",
    ("scheduled", "no_show"): "no_show",
    ("attended", "close"): "closed",
    ("no_show", "close"): "closed",
    **{(status, "cancel"): "cancelled" for status in OPEN},
    **{(status, "expire"): "expired" for status in OPEN},
}
ALL_PAIRS = [(s, e) for s in STATUSES for e in EVENTS]
APPOINTMENT = datetime(2030, 1, 7, 15, 0, tzinfo=UTC)


def test_open_and_terminal_statuses_partition_the_lifecycle():
    assert set(STATUSES) == OPEN | TERMINAL
    assert not OPEN & TERMINAL
    assert {"declined", "closed", "cancelled", "expired"} == TERMINAL


@pytest.mark.parametrize(("status", "event"), [p for p in ALL_PAIRS if p in EXPECTED])
def test_valid_transition(status, event):
    assert next_status(status, event) == EXPECTED[(status, event)]


@pytest.mark.parametrize(("status", "event"), [p for p in ALL_PAIRS if p not in EXPECTED])
def test_invalid_transition_names_the_allowed_events(status, event):
    with pytest.raises(TransitionError) as raised:
        next_status(status, event)
    assert raised.value.allowed == [e for (s, e) in EXPECTED if s == status]
    assert event not in raised.value.allowed


@pytest.mark.parametrize("status", sorted(TERMINAL))
def test_terminal_statuses_allow_nothing(status):
    assert allowed_events(status) == []


@pytest.mark.parametrize(
    ("relation", "event", "allowed"),
    [
        ("referrer", "send", True),
        ("referrer", "cancel", True),
        ("referrer", "acknowledge", False),
        ("referrer", "close", False),
        ("receiver", "acknowledge", True),
        ("receiver", "close", True),
        ("receiver", "send", False),
        ("receiver", "cancel", False),
        ("plan", "send", False),
        ("plan", "cancel", False),
        ("admin", "send", True),
        ("admin", "acknowledge", True),
        ("admin", "expire", True),
        ("system", "expire", True),
        ("system", "cancel", False),
    ],
)
def test_who_may_fire_what(relation, event, allowed):
    status = next(s for (s, e) in EXPECTED if e == event)
    fire = EventInput(type=event, reason="not_clinical_fit", note="n", appointment_at=APPOINTMENT)
    if allowed:
        assert decide(status, frozenset({relation}), fire) == EXPECTED[(status, event)]
    else:
        with pytest.raises(EventRefused):
            decide(status, frozenset({relation}), fire)


def test_refusal_comes_before_an_impossible_transition():
    with pytest.raises(EventRefused):
        decide("closed", frozenset({"receiver"}), EventInput(type="send"))


@pytest.mark.parametrize(
    ("event", "field"),
    [
        (EventInput(type="decline"), "reason"),
        (EventInput(type="decline", reason="busy"), "reason"),
        (EventInput(type="decline", reason="other"), "note"),
        (EventInput(type="schedule"), "appointment_at"),
        (EventInput(type="close"), "note"),
    ],
)
def test_events_missing_what_they_need(event, field):
    status = "acknowledged" if event.type == "decline" else "accepted"
    status = "attended" if event.type == "close" else status
    with pytest.raises(EventInvalid) as raised:
        decide(status, frozenset({"receiver"}), event)
    assert field in raised.value.errors


def _open(pcp, world) -> int:
    created = pcp.post("/api/v1/referrals", json=referral_payload(world))
    assert created.status_code == 201
    return created.get_json()["id"]


def _event(client, referral_id, **body):
    return client.post(f"/api/v1/referrals/{referral_id}/events", json=body)


def test_api_walks_the_happy_path_and_records_each_event(pcp, clinician, world):
    rid = _open(pcp, world)
    steps = [
        (pcp, {"type": "send"}, "sent"),
        (clinician, {"type": "acknowledge"}, "acknowledged"),
        (clinician, {"type": "accept", "note": "Can see her next week"}, "accepted"),
        (clinician, {"type": "schedule", "appointment_at": APPOINTMENT.isoformat()}, "scheduled"),
        (clinician, {"type": "attend"}, "attended"),
        (clinician, {"type": "close", "note": "Seen; CBT started"}, "closed"),
    ]
    for client, body, status in steps:
        response = _event(client, rid, **body)
        assert response.status_code == 200, response.get_json()
        assert response.get_json()["status"] == status
    body = pcp.get(f"/api/v1/referrals/{rid}").get_json()
    assert [e["to"] for e in body["events"]] == [s for _, _, s in steps]
    assert body["events"][-1]["note"] == "Seen; CBT started"
    assert body["appointment_at"].startswith("2030-01-07T15:00")
    assert all(e["actor"] and e["at"] for e in body["events"])


def test_api_invalid_transition_is_409_with_allowed_events(pcp, world):
    rid = _open(pcp, world)
    response = _event(pcp, rid, type="cancel")
    assert response.status_code == 200
    response = _event(pcp, rid, type="send")
    assert response.status_code == 409
    assert response.get_json()["allowed_events"] == []
    rid = _open(pcp, world)
    response = _event(pcp, rid, type="send")
    response = _event(pcp, rid, type="send")
    assert response.status_code == 409
    assert response.get_json()["allowed_events"] == ["acknowledge", "cancel"]


def test_api_event_by_a_role_that_may_not_is_403(pcp, clinician, world):
    rid = _open(pcp, world)
    _event(pcp, rid, type="send")
    assert _event(pcp, rid, type="acknowledge").status_code == 403
    assert _event(clinician, rid, type="cancel").status_code == 403
    assert pcp.get(f"/api/v1/referrals/{rid}").get_json()["status"] == "sent"


def test_api_decline_without_reason_is_422(pcp, clinician, world):
    rid = _open(pcp, world)
    _event(pcp, rid, type="send")
    _event(clinician, rid, type="acknowledge")
    response = _event(clinician, rid, type="decline")
    assert response.status_code == 422
    assert "reason" in response.get_json()["errors"]


@pytest.mark.parametrize("reason", DECLINE_REASONS)
def test_decline_flags_the_listing_only_when_it_is_wrong(pcp, clinician, world, db, reason):
    rid = _open(pcp, world)
    _event(pcp, rid, type="send")
    _event(clinician, rid, type="acknowledge")
    response = _event(clinician, rid, type="decline", reason=reason, note="details")
    assert response.status_code == 200
    assert response.get_json()["decline_reason"] == reason
    db.session.refresh(world.jane)
    observed = [(o.kind, o.value, o.source) for o in history(subject(world.jane.id))]
    if reason in ("not_accepting_new_patients", "not_in_network"):
        assert world.jane.flagged_at is not None
        assert "referral declined" in world.jane.flagged_reason
    else:
        assert world.jane.flagged_at is None
    if reason == "not_accepting_new_patients":
        assert observed == [("accepting_new_patients", False, "referral_decline")]
    elif reason != "not_in_network":
        assert observed == []


def test_emergent_need_gets_crisis_guidance_not_a_referral(pcp, world, db):
    response = pcp.post("/api/v1/referrals", json=referral_payload(world, urgency="emergent"))
    assert response.status_code == 422
    body = response.get_json()
    assert "988" in body["message"]
    assert body["crisis"]["resources"][0]["phone"] == "988"
    assert db.session.scalars(select(Referral)).all() == []


def test_refusals_say_what_and_carry_their_codes():
    with pytest.raises(TransitionError) as conflict:
        next_status("sent", "send")
    err = conflict.value
    assert (str(err), err.message, err.code) == (
        "cannot send a referral that is sent",
        "cannot send a referral that is sent",
        "transition",
    )
    assert (err.event, err.referral_status, err.status, err.kind) == (
        "send",
        "sent",
        409,
        "conflict",
    )
    assert err.extra == {"allowed_events": ["acknowledge", "cancel"]}
    assert err.allowed == ["acknowledge", "cancel", "expire"]
    with pytest.raises(EventRefused) as denied:
        decide("sent", frozenset({"plan"}), EventInput(type="cancel"))
    assert (denied.value.message, denied.value.code, denied.value.event) == (
        "you may not cancel this referral",
        "role",
        "cancel",
    )
    invalid = EventInvalid({"note": ["x"]})
    assert (invalid.message, invalid.code, invalid.errors) == (
        "invalid event",
        "event_fields",
        {"note": ["x"]},
    )
    with pytest.raises(KeyError) as unknown:
        next_status("draft", "teleport")
    assert unknown.value.args == ("unknown event 'teleport'",)


def test_an_unknown_relation_may_fire_nothing():
    from referrals.lifecycle import may_fire

    assert may_fire(frozenset({"stranger"}), "send") is False
    assert may_fire(frozenset({"stranger", "referrer"}), "send") is True


@pytest.mark.parametrize(
    ("event", "errors"),
    [
        (
            EventInput(type="decline"),
            {
                "reason": [
                    "a decline needs a reason, one of not_accepting_new_patients, "
                    "not_in_network, not_clinical_fit, could_not_reach_patient, other"
                ]
            },
        ),
        (
            EventInput(type="decline", reason="other"),
            {"note": ["a decline for another reason needs a note saying why"]},
        ),
        (EventInput(type="decline", reason="other", note="moved away"), {}),
        (
            EventInput(type="schedule"),
            {"appointment_at": ["scheduling needs the appointment time"]},
        ),
        (
            EventInput(type="close"),
            {"note": ["closing needs a note back to the referring clinician"]},
        ),
        (EventInput(type="close", note="seen"), {}),
        (EventInput(type="accept"), {}),
    ],
)
def test_event_errors_word_for_word(event, errors):
    from referrals.lifecycle import event_errors

    assert event_errors(event) == errors
