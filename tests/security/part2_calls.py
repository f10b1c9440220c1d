"""Shared by the Part 2 tests: the issue's reproduction and the calls each test makes."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from referrals.disclosure import WITHHELD_FIELDS
from tests.referrals.world import part2_consent, referral_payload

# The reproduction: SUD content, no substance_use field, no consent.
REPRODUCTION = {
    "diagnoses": ["F11.20"],
    "medications": ["methadone 80 mg"],
    "conditions": ["opioid use disorder"],
}
CONTENT = ("Maria Lopez", "1988-04-12", "617-555-0142", "ACME123456", "F11.20", "methadone")
PART2_LABELS = {
    ("v3-ActCode", "42CFRPart2"),
    ("v3-Confidentiality", "R"),
    ("v3-ActCode", "NORDSCLCD"),
}


def today(app):
    return datetime.now(ZoneInfo(app.config["REFERRAL_TIMEZONE"])).date()


def create(client, body) -> dict:
    response = client.post("/api/v1/referrals", json=body)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def send(client, rid):
    return client.post(f"/api/v1/referrals/{rid}/events", json={"type": "send"})


def labels(meta) -> set[tuple[str, str]]:
    return {(label.system.rsplit("/", 1)[-1], label.code) for label in meta.security}


def sud(world, clinician=None, **consent):
    """The reproduction's content with a complete consent naming `clinician` (Jane)."""
    body = referral_payload(world, clinician, **REPRODUCTION)
    body.pop("substance_use")
    body["consent"] = part2_consent(world, clinician, **consent)
    return body


def sent_sud(pcp, world, **consent) -> int:
    rid = create(pcp, sud(world, **consent))["id"]
    assert send(pcp, rid).status_code == 200
    return rid


def assert_withheld_json(body):
    """A referral's JSON with every Part 2 field withheld."""
    assert body["disclosure"]["allowed"] is False
    assert body["withheld"] == list(WITHHELD_FIELDS)
    for name in ("patient", "reason", "diagnoses", "medications", "conditions", "needs"):
        assert name not in body
    assert all(event["note"] is None for event in body.get("events", []))
