"""Subscriptions refused, owned and removed: endpoints, payloads, filters, scopes, other keys."""

import json

import pytest
from fhir.resources.R4B.subscriptiontopic import SubscriptionTopic
from sqlalchemy import select

from outbox.models import OutboxMessage
from tests.fhir.subscription_world import (
    BACKPORT,
    SCOPES,
    send_referral,
    subscribe,
    subscription,
)
from tests.referrals.world import bearer, signed_in


def _diagnostics(response) -> str:
    return " | ".join(i["diagnostics"] for i in response.get_json()["issue"])


@pytest.mark.parametrize(
    ("endpoint", "channel", "content", "criteria", "says"),
    [
        ("http://partner.example.org/hook", "rest-hook", "id-only", None, "https URL"),
        ("ftp://127.0.0.1/hook", "rest-hook", "id-only", None, "https URL"),
        ("https://partner.example.org", "rest-hook", "everything", None, "payload content"),
        ("mailto:a@partner.example.org", "email", "full-resource", None, "empty or id-only"),
        ("alerts@partner.example.org", "email", "id-only", None, "mailto:"),
        ("https://partner.example.org", "sms", "id-only", None, "Must be one of"),
        ("https://partner.example.org", "rest-hook", "id-only", "Task?patient=1", "filter on"),
        ("https://partner.example.org", "rest-hook", "id-only", "Patient?x=1", "Task?<param>"),
        (
            "https://partner.example.org",
            "rest-hook",
            "id-only",
            "Task?status=ready&status=failed",
            "once each",
        ),
    ],
)
def test_bad_subscriptions_are_refused_with_the_reason(
    client, key, endpoint, channel, content, criteria, says
):
    resource = subscription(endpoint, content=content, channel=channel, criteria=criteria)

    response = subscribe(client, key, resource)

    assert response.status_code == 400
    assert response.get_json()["resourceType"] == "OperationOutcome"
    assert says in _diagnostics(response)


def test_http_loopback_needs_the_setting(app, client, key):
    app.config["FHIR_SUBSCRIPTION_ALLOW_HTTP_LOOPBACK"] = False

    response = subscribe(client, key, subscription("http://127.0.0.1:9/hook"))

    assert response.status_code == 400
    assert "https URL" in _diagnostics(response)


def test_another_topic_and_our_own_headers_are_refused(client, key):
    other = subscription("https://partner.example.org")
    other["criteria"] = "http://example.org/SubscriptionTopic/encounter-start"
    headers = subscription("https://partner.example.org")
    headers["channel"]["header"] = ["X-Signature-256: sha256=forged"]

    assert "the topic" in _diagnostics(subscribe(client, key, other))
    assert "our own headers" in _diagnostics(subscribe(client, key, headers))
    assert subscribe(client, key, ["not", "a", "resource"]).status_code == 400


def test_scopes_and_kind_of_caller(app, client, world, make_api_key):
    reader = make_api_key(world.pcp_org, ("referrals:read",))
    writer_only = make_api_key(world.pcp_org, ("subscriptions:write",))
    person = signed_in(app, "pcp", world.pcp_org)
    resource = subscription("https://partner.example.org/hook")

    assert subscribe(client, reader, resource).status_code == 403
    assert subscribe(client, writer_only, resource).status_code == 403
    assert "referrals:read" in _diagnostics(subscribe(client, writer_only, resource))
    assert person.post("/fhir/Subscription", json=resource).status_code == 403
    assert client.post("/fhir/Subscription", json=resource).status_code == 401


def test_a_key_sees_and_deletes_only_its_own(client, db, world, key, make_api_key, receiver):
    other = make_api_key(world.pcp_org, SCOPES)
    sid = subscribe(client, key, subscription(receiver.url)).get_json()["id"]
    own = client.get(f"/fhir/Subscription/{sid}", headers=bearer(key)).get_json()

    assert "extension" not in own  # the secret is shown once, at creation
    assert own["channel"]["endpoint"] == receiver.url
    assert client.get(f"/fhir/Subscription/{sid}", headers=bearer(other)).status_code == 404
    assert client.delete(f"/fhir/Subscription/{sid}", headers=bearer(other)).status_code == 404
    assert client.get("/fhir/Subscription", headers=bearer(other)).get_json()["total"] == 0
    assert client.get("/fhir/Subscription", headers=bearer(key)).get_json()["total"] == 1
    assert client.get("/fhir/Subscription/x1", headers=bearer(key)).status_code == 404

    receiver.statuses = [500]
    send_referral(client, key, world)  # its notification fails once and waits to retry
    assert client.delete(f"/fhir/Subscription/{sid}", headers=bearer(key)).status_code == 204

    assert client.get(f"/fhir/Subscription/{sid}", headers=bearer(key)).status_code == 404
    waiting = db.session.scalars(
        select(OutboxMessage.status)
        .where(OutboxMessage.purpose == "subscription")
        .order_by(OutboxMessage.id)
    ).all()
    assert waiting == ["sent", "failed"]  # the handshake went; the waiting event is given up


def test_capability_statement_lists_the_topic_and_the_topic_reads(client, world):
    statement = client.get("/fhir/metadata").get_json()
    [found] = [r for r in statement["rest"][0]["resource"] if r["type"] == "Subscription"]
    topic_url = "http://localhost/fhir/SubscriptionTopic/referral-task"

    assert found["extension"] == [
        {
            "url": BACKPORT + "capabilitystatement-subscriptiontopic-canonical",
            "valueCanonical": topic_url,
        }
    ]
    assert found["supportedProfile"] == [BACKPORT + "backport-subscription"]
    topic = client.get("/fhir/SubscriptionTopic/referral-task").get_json()
    SubscriptionTopic.model_validate(topic)
    assert topic["url"] == topic_url
    filters = [f["filterParameter"] for f in topic["canFilterBy"]]
    assert filters == ["requester", "owner", "status"]


def test_the_stored_subscription_round_trips_as_posted(client, key, receiver):
    criteria = "Task?status=ready"
    resource = subscription(receiver.url + "/hook", "empty", criteria=criteria)
    resource["channel"]["header"] = ["Authorization: Bearer partner-token"]
    receiver.statuses = [503]  # the handshake waits for a retry: still requested

    created = subscribe(client, key, resource).get_json()

    assert created["status"] == "requested"
    assert created["_criteria"]["extension"][0]["valueString"] == criteria
    assert created["channel"]["header"] == ["Authorization: Bearer partner-token"]
    content = created["channel"]["_payload"]["extension"][0]["valueCode"]
    assert content == "empty"
    assert json.loads(json.dumps(created))["criteria"].endswith("/SubscriptionTopic/referral-task")
