"""Backport heartbeats: due a full heartbeatPeriod after the last notification, sent once."""

import json
from datetime import UTC, timedelta

import pytest

from directory.extensions import db as database
from referrals.subscription_models import TaskSubscription
from referrals.use_cases.subscription_heartbeat import send_heartbeats
from tests.fhir.subscription_world import (
    BACKPORT,
    notice_type,
    parameter,
    send_referral,
    subscribe,
    subscription,
)

PERIOD = BACKPORT + "backport-heartbeat-period"


def _with_period(endpoint: str, seconds) -> dict:
    resource = subscription(endpoint)
    resource["channel"]["extension"] = [{"url": PERIOD, "valueUnsignedInt": seconds}]
    return resource


def _due(sid: int):
    database.session.expire_all()
    found = database.session.get(TaskSubscription, sid).heartbeat_due_at
    return found if found.tzinfo else found.replace(tzinfo=UTC)


def test_a_heartbeat_is_due_exactly_one_period_after_the_handshake_and_sent_once(
    app, client, key, receiver
):
    created = subscribe(client, key, _with_period(receiver.url, 3600)).get_json()
    assert created["channel"]["extension"] == [{"url": PERIOD, "valueUnsignedInt": 3600}]
    due = _due(int(created["id"]))

    assert send_heartbeats(app.config, due - timedelta(seconds=1)) == []
    assert len(send_heartbeats(app.config, due)) == 1
    assert send_heartbeats(app.config, due) == []  # run twice in the same period: nothing more
    assert send_heartbeats(app.config, due + timedelta(seconds=3599)) == []
    assert len(send_heartbeats(app.config, due + timedelta(seconds=3600))) == 1

    assert [notice_type(r) for r in receiver.requests] == ["handshake", "heartbeat", "heartbeat"]
    beat = json.loads(receiver.requests[1].body)
    status = beat["entry"][0]["resource"]
    assert parameter(status, "status")["valueCode"] == "active"
    assert parameter(status, "events-since-subscription-start")["valueString"] == "0"
    assert len(beat["entry"]) == 1


def test_an_event_moves_the_heartbeat_a_period_on(app, client, world, key, receiver):
    sid = int(subscribe(client, key, _with_period(receiver.url, 600)).get_json()["id"])
    first_due = _due(sid)

    send_referral(client, key, world)

    due = _due(sid)
    assert due > first_due
    assert send_heartbeats(app.config, due - timedelta(seconds=1)) == []
    assert len(send_heartbeats(app.config, due)) == 1
    beat = json.loads(receiver.requests[-1].body)["entry"][0]["resource"]
    assert parameter(beat, "events-since-subscription-start")["valueString"] == "1"


def test_no_heartbeat_without_a_period_or_before_the_handshake(app, client, key, receiver):
    subscribe(client, key, subscription(receiver.url + "/plain"))
    receiver.statuses = [503]
    waiting = subscribe(client, key, _with_period(receiver.url + "/waiting", 60)).get_json()
    assert waiting["status"] == "requested"

    assert send_heartbeats(app.config, _due(int(waiting["id"])) + timedelta(days=1)) == []


@pytest.mark.parametrize("seconds", [59, 86401, "600", 1.5])
def test_a_period_out_of_range_is_refused(client, key, receiver, seconds):
    response = subscribe(client, key, _with_period(receiver.url, seconds))
    assert response.status_code == 400
    assert "heartbeatPeriod is 60 to 86400 seconds" in json.dumps(response.get_json())
    assert receiver.requests == []


def test_the_command_reports_what_it_queued(runner, world):
    result = runner.invoke(args=["subscriptions", "heartbeat"])
    assert result.exit_code == 0
    assert result.output == "queued 0 heartbeat(s)\n"
