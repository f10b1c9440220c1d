"""The subscription tests' world: a partner PCP's key, a receiver, a referral to send."""

from __future__ import annotations

import json

from tests.referrals.world import bearer, referral_payload

BASE = "https://bh.example.org"
BACKPORT = "http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/"
SCOPES = ("referrals:read", "referrals:write", "subscriptions:write")


def subscription(endpoint: str, content="id-only", channel="rest-hook", criteria=None) -> dict:
    """A backport Subscription to the referral Task topic."""
    found = {
        "resourceType": "Subscription",
        "status": "requested",
        "reason": "Track our referrals",
        "criteria": f"{BASE}/fhir/SubscriptionTopic/referral-task",
        "channel": {
            "type": channel,
            "endpoint": endpoint,
            "payload": "application/fhir+json",
            "_payload": {
                "extension": [{"url": BACKPORT + "backport-payload-content", "valueCode": content}]
            },
        },
    }
    if criteria:
        found["_criteria"] = {
            "extension": [{"url": BACKPORT + "backport-filter-criteria", "valueString": criteria}]
        }
    return found


def subscribe(client, key: str, resource: dict):
    """POST the Subscription with the key."""
    return client.post(
        "/fhir/Subscription",
        data=json.dumps(resource),
        content_type="application/fhir+json",
        headers=bearer(key),
    )


def secret_of(created: dict) -> str:
    """The signing secret the create answer carries."""
    return next(e["valueString"] for e in created["extension"] if "signing-secret" in e["url"])


def send_referral(client, key: str, world) -> int:
    """Create and send a referral to Jane with the key; its id."""
    created = client.post("/api/v1/referrals", json=referral_payload(world), headers=bearer(key))
    assert created.status_code == 201, created.get_data(as_text=True)
    rid = created.get_json()["id"]
    url = f"/api/v1/referrals/{rid}/events"
    sent = client.post(url, json={"type": "send"}, headers=bearer(key))
    assert sent.status_code == 200, sent.get_data(as_text=True)
    return rid


def parameter(status: dict, name: str):
    """A SubscriptionStatus parameter by name (the whole parameter)."""
    return next(p for p in status["parameter"] if p["name"] == name)


def notice_type(received) -> str:
    """The SubscriptionStatus type of a received notification (handshake, event-notification)."""
    status = json.loads(received.body)["entry"][0]["resource"]
    return parameter(status, "type")["valueCode"]


def events(receiver) -> list:
    """The event notifications the receiver got, handshakes and heartbeats left out."""
    return [r for r in receiver.requests if notice_type(r) == "event-notification"]
