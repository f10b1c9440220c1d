"""Referral input limits: list caps named in a 400, capped text, dates in a sane range."""

import time
from datetime import UTC, date, datetime, timedelta

import pytest
from marshmallow import ValidationError

from referrals.schemas import (
    ChecklistSchema,
    ConsentSchema,
    EventSchema,
    ListArgsSchema,
    PatientSchema,
    ReferralCreateSchema,
)
from tests.referrals.world import part2_consent, referral_payload

PATIENT = {"name": "Maria Lopez", "birth_date": "1988-04-12"}


def _errors(schema, body) -> dict:
    with pytest.raises(ValidationError) as raised:
        schema.load(body)
    return raised.value.messages


@pytest.mark.parametrize(
    ("field", "cap", "item"),
    [
        ("diagnoses", 20, "F32.1"),
        ("conditions", 20, "asthma"),
        ("medications", 30, "metformin"),
    ],
)
def test_list_caps_on_the_referral(world, field, cap, item):
    at_cap = referral_payload(world, **{field: [item] * cap})
    assert ReferralCreateSchema().load(at_cap)[field] == [item] * cap
    over = referral_payload(world, **{field: [item] * (cap + 1)})
    assert _errors(ReferralCreateSchema(), over) == {field: [f"at most {cap} items"]}


def test_recipient_cap(world):
    consent = part2_consent(world, recipients=["Harbor Counseling"] * 10)
    assert len(ConsentSchema().load(consent)["recipients"]) == 10
    consent["recipients"].append("Harbor Counseling")
    assert _errors(ConsentSchema(), consent) == {"recipients": ["at most 10 items"]}


def test_status_filter_cap():
    assert _errors(ListArgsSchema(), {"status": ["sent"] * 12}) == {"status": ["at most 11 items"]}


def test_a_million_items_are_refused_by_length_first(world):
    body = referral_payload(world, medications=["x"] * 1_000_000)
    started = time.process_time()
    assert _errors(ReferralCreateSchema(), body) == {"medications": ["at most 30 items"]}
    # Measured, not a timing assertion: the items were never parsed one by one.
    assert time.process_time() - started < 5


@pytest.mark.parametrize(
    ("field", "limit"),
    [("reason", 5000), ("notes", 5000)],
)
def test_free_text_caps(world, field, limit):
    assert ReferralCreateSchema().load(referral_payload(world, **{field: "a" * limit}))
    over = referral_payload(world, **{field: "a" * (limit + 1)})
    assert field in _errors(ReferralCreateSchema(), over)


def test_list_items_are_capped_and_printable(world):
    assert "conditions" in _errors(
        ReferralCreateSchema(), referral_payload(world, conditions=["a" * 201])
    )
    assert "medications" in _errors(
        ReferralCreateSchema(), referral_payload(world, medications=["metformin\x00"])
    )


@pytest.mark.parametrize(
    ("recipient", "message"),
    [
        ({"name": "a" * 201}, "A recipient's name is at most 200 characters."),
        ({"name": "Jane\x00Smith"}, "Must not contain control characters."),
        ({"name": 12}, "A recipient's name and NPI are text."),
        ({"npi": "1234567890"}, "Not a valid NPI."),
        ({"name": "x", "role": "y"}, 'A recipient is a name or {"name": ..., "npi": ...}.'),
    ],
)
def test_bad_recipients(world, recipient, message):
    consent = part2_consent(world, recipients=[recipient])
    assert _errors(ConsentSchema(), consent) == {"recipients": {0: [message]}}


def test_blank_recipient_parts_are_none():
    loaded = ConsentSchema().load({"form_type": "plan_cei", "recipients": [{"name": "  "}]})
    assert loaded["recipients"] == [{"name": None, "npi": None}]


@pytest.mark.parametrize(
    ("birth_date", "ok"),
    [
        ("1900-01-01", True),
        ("1899-12-31", False),
        ("2026-12-06", True),
        ("2026-12-07", False),
    ],
)
def test_birth_date_range(birth_date, ok, monkeypatch):
    # Pinned: a date computed at collection goes stale when a run crosses midnight.
    monkeypatch.setattr("referrals.schemas.today", lambda: date(2026, 12, 6))
    body = {**PATIENT, "birth_date": birth_date}
    if ok:
        assert PatientSchema().load(body)["birth_date"].isoformat() == birth_date
    else:
        assert "birth_date" in _errors(PatientSchema(), body)


def test_blank_member_id_is_none():
    assert PatientSchema().load({**PATIENT, "member_id": "   "})["member_id"] is None
    assert PatientSchema().load({**PATIENT, "member_id": " M1 "})["member_id"] == "M1"


@pytest.mark.parametrize("field", ["signed_on", "expires_on"])
@pytest.mark.parametrize(
    ("value", "ok"),
    [("1900-01-01", True), ("2100-12-31", True), ("1899-12-31", False), ("2101-01-01", False)],
)
def test_consent_dates_range(field, value, ok):
    body = {"form_type": "plan_cei", field: value}
    if ok:
        assert ConsentSchema().load(body)[field].isoformat() == value
    else:
        assert _errors(ConsentSchema(), body) == {
            field: ["Give a date from 1900-01-01 to 2100-12-31."]
        }


def _at(delta: timedelta) -> str:
    return (datetime.now(UTC) + delta).isoformat()


@pytest.mark.parametrize(
    ("delta", "ok"),
    [
        (timedelta(days=-364), True),
        (timedelta(days=-366), False),
        (timedelta(days=5 * 365 - 1), True),
        (timedelta(days=5 * 365 + 1), False),
    ],
)
def test_appointment_window(delta, ok):
    body = {"type": "schedule", "appointment_at": _at(delta)}
    if ok:
        assert EventSchema().load(body)["appointment_at"] is not None
    else:
        assert _errors(EventSchema(), body) == {
            "appointment_at": ["Give an appointment from a year ago to five years ahead."]
        }


@pytest.mark.parametrize(
    ("needs", "message"),
    [
        ({"k": ["x"] * 200}, "at most 200 values"),
        ({"a": {"b": {"c": {"d": "e"}}}}, "nested at most 4 levels"),
        ({"plan": "x" * 201}, "each text at most 200 characters"),
        ({"plan": "gold\x00"}, "Must not contain control characters."),
    ],
)
def test_needs_limits(world, needs, message):
    body = referral_payload(world, needs=needs)
    assert _errors(ReferralCreateSchema(), body) == {"needs": [message]}


def test_needs_at_the_limits_load(world):
    # 200 values: the object, 2 + 1 + 191 for "k", 6 for "a" down to 4 levels.
    needs = {"k": ["x"] * 191, "a": {"b": {"c": "d" * 200}}}
    assert ReferralCreateSchema().load(referral_payload(world, needs=needs))["needs"] == needs
    needs["k"].append("x")
    assert _errors(ReferralCreateSchema(), referral_payload(world, needs=needs)) == {
        "needs": ["at most 200 values"]
    }


def test_checklist_note_cap():
    assert ChecklistSchema().load({"note": "a" * 5000})["note"] == "a" * 5000
    assert "note" in _errors(ChecklistSchema(), {"note": "a" * 5001})


def test_the_api_answers_400_naming_the_cap(pcp, world, db):
    response = pcp.post("/api/v1/referrals", json=referral_payload(world, diagnoses=["F32.1"] * 21))
    assert response.status_code == 400
    assert response.get_json()["errors"] == {"diagnoses": ["at most 20 items"]}


def test_repeated_and_comma_separated_statuses_both_filter(pcp, world):
    rid = pcp.post("/api/v1/referrals", json=referral_payload(world)).get_json()["id"]
    for query in ("status=sent&status=draft", "status=sent,draft", "status=draft"):
        items = pcp.get(f"/api/v1/referrals?{query}").get_json()["items"]
        assert [item["id"] for item in items] == [rid], query
    assert pcp.get("/api/v1/referrals?status=sent").get_json()["items"] == []
    response = pcp.get("/api/v1/referrals?" + "&".join(["status=sent"] * 12))
    assert response.get_json()["errors"] == {"status": ["at most 11 items"]}
