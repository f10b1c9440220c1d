"""$events: the kept event numbers in a range, each Task read again under today's access."""

import pytest
from fhir.resources.R4B.bundle import Bundle
from sqlalchemy import select

from audit.models import AuditEvent
from directory.extensions import db as database
from referrals.models import Referral
from referrals.subscription_models import SubscriptionEvent
from tests.fhir.subscription_world import (
    SCOPES,
    parameter,
    send_referral,
    subscribe,
    subscription,
)
from tests.referrals.world import bearer

HERE = "http://localhost/fhir"  # the answer names the base the request came to


@pytest.fixture
def told(client, world, key, receiver):
    """A subscription told of three events: A sent (1), A cancelled (2), B sent (3)."""
    sid = subscribe(client, key, subscription(receiver.url)).get_json()["id"]
    first = send_referral(client, key, world)
    cancel = {"type": "cancel"}
    client.post(f"/api/v1/referrals/{first}/events", json=cancel, headers=bearer(key))
    second = send_referral(client, key, world)
    return sid, first, second


def _events(client, key, sid, query="") -> dict:
    response = client.get(f"/fhir/Subscription/{sid}/$events{query}", headers=bearer(key))
    assert response.status_code == 200, response.get_data(as_text=True)
    Bundle.model_validate(response.get_json())
    return response.get_json()


def _listed(bundle: dict) -> list[tuple[str, str | None]]:
    """(event-number, focus reference or None) for each event in the SubscriptionStatus."""
    status = bundle["entry"][0]["resource"]
    found = []
    for p in status["parameter"]:
        if p["name"] == "notification-event":
            parts = {part["name"]: part for part in p["part"]}
            focus = parts.get("focus", {}).get("valueReference", {}).get("reference")
            found.append((parts["event-number"]["valueString"], focus))
    return found


def test_events_in_a_range(client, key, told):
    sid, first, second = told
    a, b = f"{HERE}/Task/{first}", f"{HERE}/Task/{second}"

    every = _events(client, key, sid)
    status = every["entry"][0]["resource"]
    assert every["type"] == "history"
    assert parameter(status, "type")["valueCode"] == "query-event"
    assert parameter(status, "events-since-subscription-start")["valueString"] == "3"
    assert _listed(every) == [("1", a), ("2", a), ("3", b)]
    assert _listed(_events(client, key, sid, "?eventsSinceNumber=2")) == [("2", a), ("3", b)]
    assert _listed(_events(client, key, sid, "?eventsUntilNumber=2")) == [("1", a), ("2", a)]
    both = "?eventsSinceNumber=2&eventsUntilNumber=2"
    assert _listed(_events(client, key, sid, both)) == [("2", a)]
    assert _listed(_events(client, key, sid, "?eventsSinceNumber=4")) == []
    assert _listed(_events(client, key, sid, "?content=empty")) == [
        ("1", None),
        ("2", None),
        ("3", None),
    ]
    backwards = "?eventsSinceNumber=3&eventsUntilNumber=2"
    url = f"/fhir/Subscription/{sid}/$events"
    assert client.get(url + backwards, headers=bearer(key)).status_code == 400
    assert client.get(url + "?eventsSinceNumber=0", headers=bearer(key)).status_code == 400
    assert client.get(url + "?content=everything", headers=bearer(key)).status_code == 400


def test_full_resource_carries_the_tasks_as_they_read_now(client, key, told):
    sid, first, second = told

    bundle = _events(client, key, sid, "?content=full-resource&eventsSinceNumber=2")

    tasks = [e["resource"] for e in bundle["entry"][1:]]
    assert [(t["id"], t["status"]) for t in tasks] == [
        (str(first), "cancelled"),
        (str(second), "requested"),
    ]


def test_a_referral_the_key_may_no_longer_read_is_named_by_number_only(
    client, db, world, key, told
):
    sid, first, second = told
    database.session.get(Referral, first).referring_organization_id = world.other_pcp_org.id
    database.session.commit()

    bundle = _events(client, key, sid, "?content=full-resource")

    assert _listed(bundle) == [("1", None), ("2", None), ("3", f"{HERE}/Task/{second}")]
    assert [e["resource"]["id"] for e in bundle["entry"][1:]] == [str(second)]


def test_only_the_last_events_are_kept(app, client, world, key, receiver):
    app.config.update(FHIR_SUBSCRIPTION_EVENTS_KEPT=2)
    sid = subscribe(client, key, subscription(receiver.url, content="empty")).get_json()["id"]
    for _ in range(3):
        send_referral(client, key, world)

    assert _listed(_events(client, key, sid)) == [("2", None), ("3", None)]


def test_another_keys_events_are_not_found_and_reads_are_audited(
    client, db, world, key, make_api_key, told
):
    sid, _, _ = told
    other = make_api_key(world.pcp_org, SCOPES)

    url = f"/fhir/Subscription/{sid}/$events"
    assert client.get(url, headers=bearer(other)).status_code == 404
    assert client.get(url).status_code == 401
    _events(client, key, sid)
    outcomes = database.session.scalars(
        select(AuditEvent.outcome).where(
            AuditEvent.object_type == "subscription", AuditEvent.action == "read"
        )
    ).all()
    assert outcomes == ["ok"]


def test_deleting_the_subscription_drops_its_events(client, db, key, told):
    sid, _, _ = told

    assert client.delete(f"/fhir/Subscription/{sid}", headers=bearer(key)).status_code == 204

    assert database.session.scalars(select(SubscriptionEvent)).all() == []
