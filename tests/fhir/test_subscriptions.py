"""FHIR Subscriptions (R4 Backport) for Task changes, delivered to a loopback receiver."""

import json
from datetime import timedelta

from fhir.resources.R4B.bundle import Bundle
from sqlalchemy import select

from accounts.identity import actor_for_user
from accounts.models import ApiKey
from audit.models import AuditEvent
from directory.models.verification import utcnow
from outbox.models import OutboxMessage
from outbox.queue import deliver_due
from outbox.webhook import signature
from referrals.models import Referral
from referrals.use_cases import move, send_return
from tests.fhir.subscription_world import (
    BASE,
    SCOPES,
    events,
    notice_type,
    parameter,
    secret_of,
    send_referral,
    subscribe,
    subscription,
)
from tests.referrals.world import PATIENT, bearer, signed_in


def _bundle(received) -> dict:
    body = received.body.decode()
    Bundle.model_validate_json(body)  # a valid R4B Bundle
    return json.loads(body)


def test_id_only_notification_is_signed_and_names_the_task(client, world, key, receiver):
    created = subscribe(client, key, subscription(receiver.url + "/hook"))
    assert created.status_code == 201, created.get_data(as_text=True)
    resource = created.get_json()
    sid = resource["id"]
    assert created.headers["Location"] == f"http://localhost/fhir/Subscription/{sid}"

    rid = send_referral(client, key, world)

    [hit] = events(receiver)
    assert hit.path == "/hook"
    assert hit.headers["Content-Type"] == "application/fhir+json"
    stamp = hit.headers["X-Signature-Timestamp"]
    expected = signature(secret_of(resource), stamp, hit.body.decode())
    assert hit.headers["X-Signature-256"] == expected
    bundle = _bundle(hit)
    assert bundle["type"] == "history"
    assert len(bundle["entry"]) == 1
    status = bundle["entry"][0]["resource"]
    assert status["resourceType"] == "Parameters"
    assert parameter(status, "status")["valueCode"] == "active"
    assert parameter(status, "type")["valueCode"] == "event-notification"
    assert parameter(status, "events-since-subscription-start")["valueString"] == "1"
    event = parameter(status, "notification-event")["part"]
    assert event[0] == {"name": "event-number", "valueString": "1"}
    assert event[2]["valueReference"] == {"reference": f"{BASE}/fhir/Task/{rid}"}
    for value in (PATIENT["name"], "F32.1", "Low mood"):
        assert value not in hit.body.decode()


def test_full_resource_notification_carries_the_task_and_is_audited(
    client, db, world, key, receiver
):
    subscribe(client, key, subscription(receiver.url, content="full-resource"))

    rid = send_referral(client, key, world)
    client.post(f"/api/v1/referrals/{rid}/events", json={"type": "cancel"}, headers=bearer(key))

    first, second = (_bundle(r) for r in events(receiver))
    task = second["entry"][1]["resource"]
    assert second["entry"][1]["fullUrl"] == f"{BASE}/fhir/Task/{rid}"
    assert (task["resourceType"], task["id"], task["status"]) == ("Task", str(rid), "cancelled")
    assert first["entry"][1]["resource"]["status"] == "requested"
    number = parameter(second["entry"][0]["resource"], "events-since-subscription-start")
    assert number["valueString"] == "2"
    reads = db.session.scalars(
        select(AuditEvent.action).where(
            AuditEvent.object_type == "referral", AuditEvent.object_id == str(rid)
        )
    ).all()
    assert reads.count("read") >= 2


def test_failing_endpoint_is_retried_then_in_error_and_never_blocks(
    app, client, db, world, key, receiver
):
    app.config.update(OUTBOX_MAX_ATTEMPTS=3)
    sid = subscribe(client, key, subscription(receiver.url)).get_json()["id"]
    receiver.statuses = [500, 503, 500]

    rid = send_referral(client, key, world)  # the first attempt fails: the send stands

    assert db.session.get(Referral, rid).status == "sent"
    later = utcnow() + timedelta(days=1)
    assert len(deliver_due(app.config, now=later).retrying) == 1
    assert len(deliver_due(app.config, now=later + timedelta(days=1)).failed) == 1
    assert len(events(receiver)) == 3
    status = _status(client, key, sid)
    assert parameter(status, "status")["valueCode"] == "error"
    assert parameter(status, "error")["valueCodeableConcept"] == {"text": "HTTP 500"}
    assert client.get(f"/fhir/Subscription/{sid}", headers=bearer(key)).get_json()["status"] == (
        "error"
    )

    cancel = {"type": "cancel"}
    assert (
        client.post(f"/api/v1/referrals/{rid}/events", json=cancel, headers=bearer(key)).status_code
        == 200
    )
    status = _status(client, key, sid)
    assert parameter(status, "status")["valueCode"] == "active"
    assert parameter(status, "events-since-subscription-start")["valueString"] == "2"
    assert [p["name"] for p in status["parameter"]].count("error") == 0


def test_a_retry_is_signed_with_the_retry_time_and_no_signature_is_stored(
    app, client, db, world, key, receiver
):
    resource = subscribe(client, key, subscription(receiver.url)).get_json()
    receiver.statuses = [500]
    send_referral(client, key, world)
    later = (utcnow() + timedelta(hours=2)).replace(microsecond=0)

    assert len(deliver_due(app.config, now=later).sent) == 1

    first, retry = events(receiver)
    assert retry.headers["X-Signature-Timestamp"] == str(int(later.timestamp()))
    assert first.headers["X-Signature-Timestamp"] != retry.headers["X-Signature-Timestamp"]
    expected = signature(secret_of(resource), str(int(later.timestamp())), retry.body.decode())
    assert retry.headers["X-Signature-256"] == expected
    stored = db.session.scalars(select(OutboxMessage.headers)).all()
    assert [sorted(headers) for headers in stored] == [["Content-Type"], ["Content-Type"]]


def _status(client, key, sid) -> dict:
    response = client.get(f"/fhir/Subscription/{sid}/$status", headers=bearer(key))
    assert response.status_code == 200
    bundle = response.get_json()
    Bundle.model_validate(bundle)
    return bundle["entry"][0]["resource"]


def test_a_subscriber_hears_only_of_tasks_its_key_may_read(
    app, client, world, key, make_api_key, receiver
):
    stranger = make_api_key(world.other_pcp_org, SCOPES)
    subscribe(client, stranger, subscription(receiver.url + "/stranger"))
    other_org = f"Organization/org-{world.other_pcp_org.id}"
    criteria = f"Task?requester={other_org}"
    subscribe(client, key, subscription(receiver.url + "/filtered", criteria=criteria))
    own = f"Task?requester=Organization/org-{world.pcp_org.id}&status=requested"
    subscribe(client, key, subscription(receiver.url + "/own", criteria=own))
    signed_in(app, "clinician", world.practice, npi=world.jane.npi)  # the practice acts for Jane
    practice = make_api_key(world.practice, SCOPES)
    subscribe(client, practice, subscription(receiver.url + "/practice"))

    send_referral(client, key, world)

    assert sorted(r.path for r in events(receiver)) == ["/own", "/practice"]


def test_email_channel_sends_the_id_only_bundle(client, world, key, smtp_sink):
    resource = subscription("mailto:alerts@partner.example.org", channel="email")
    created = subscribe(client, key, resource)
    assert (created.status_code, created.get_json()["status"]) == (201, "active")  # no handshake

    rid = send_referral(client, key, world)

    [mail] = smtp_sink.to("alerts@partner.example.org")
    assert mail["Subject"] == f"Referral Task {rid} changed"
    bundle = json.loads(mail.get_payload(decode=True).decode())
    assert bundle["type"] == "history" and len(bundle["entry"]) == 1


def test_a_return_from_the_clinician_notifies_and_a_revoked_key_hears_nothing(
    app, client, db, world, key, make_api_key, receiver
):
    revoked = make_api_key(world.pcp_org, SCOPES)
    subscribe(client, revoked, subscription(receiver.url + "/revoked"))
    db.session.execute(
        ApiKey.__table__.update()
        .where(ApiKey.prefix == revoked.split("_")[1])
        .values(revoked_at=utcnow())
    )
    db.session.commit()
    subscribe(client, key, subscription(receiver.url + "/pcp", content="full-resource"))
    jane = signed_in(app, "clinician", world.practice, npi=world.jane.npi)
    rid = send_referral(client, key, world)
    actor = actor_for_user(jane.user)
    move(actor, rid, {"type": "acknowledge"}, utcnow())

    send_return(actor, rid, {"treatment": "Weekly CBT", "note": "Engaged well"}, utcnow())

    assert [r.path for r in events(receiver)] == ["/pcp", "/pcp", "/pcp"]
    last = json.loads(events(receiver)[-1].body)
    assert parameter(last["entry"][0]["resource"], "events-since-subscription-start") == {
        "name": "events-since-subscription-start",
        "valueString": "3",
    }
    assert last["entry"][1]["resource"]["id"] == str(rid)


def test_an_empty_payload_names_no_task(client, world, key, receiver):
    subscribe(client, key, subscription(receiver.url, content="empty"))

    send_referral(client, key, world)

    [hit] = events(receiver)
    bundle = _bundle(hit)
    assert len(bundle["entry"]) == 1
    event = parameter(bundle["entry"][0]["resource"], "notification-event")["part"]
    assert [p["name"] for p in event] == ["event-number", "timestamp"]
    assert "/Task/" not in hit.body.decode()


def test_the_handshake_reaches_the_endpoint_and_activates_the_subscription(
    client, db, world, key, receiver
):
    created = subscribe(client, key, subscription(receiver.url + "/hook"))

    assert created.status_code == 201
    resource = created.get_json()
    [hit] = receiver.requests
    assert hit.path == "/hook"
    stamp = hit.headers["X-Signature-Timestamp"]
    assert hit.headers["X-Signature-256"] == signature(
        secret_of(resource), stamp, hit.body.decode()
    )
    bundle = _bundle(hit)
    assert (bundle["type"], len(bundle["entry"])) == ("history", 1)
    status = bundle["entry"][0]["resource"]
    assert parameter(status, "type")["valueCode"] == "handshake"
    assert parameter(status, "status")["valueCode"] == "requested"
    assert parameter(status, "events-since-subscription-start")["valueString"] == "0"
    assert "notification-event" not in [p["name"] for p in status["parameter"]]
    assert resource["status"] == "active"


def test_no_event_before_the_handshake_and_error_when_it_fails_finally(
    app, client, db, world, key, receiver
):
    app.config.update(OUTBOX_MAX_ATTEMPTS=2)
    receiver.statuses = [503, 500]
    resource = subscribe(client, key, subscription(receiver.url)).get_json()
    sid = resource["id"]
    assert resource["status"] == "requested"

    send_referral(client, key, world)  # a requested subscription hears of no event
    assert len(receiver.requests) == 1
    assert len(deliver_due(app.config, now=utcnow() + timedelta(days=1)).failed) == 1

    read = client.get(f"/fhir/Subscription/{sid}", headers=bearer(key)).get_json()
    assert (read["status"], read["error"]) == ("error", "HTTP 500")
    assert [notice_type(r) for r in receiver.requests] == ["handshake", "handshake"]
