"""docs/integrations/subscriptions.md: the documented subscription works and notifies as shown,
and the documented signature check accepts our notification (and nothing else)."""

import json
import re
from datetime import timedelta
from pathlib import Path

import pytest

from directory.models.verification import utcnow
from outbox.queue import deliver_due
from tests.fhir.subscription_world import (
    BASE,
    SCOPES,
    events,
    secret_of,
    send_referral,
    subscribe,
)
from tests.referrals.world import bearer, build_world

DOC = Path(__file__).resolve().parents[2] / "docs" / "integrations" / "subscriptions.md"
TEXT = DOC.read_text()


def _examples() -> dict[str, dict]:
    """Each "### Example: <name>" section's JSON block, by name."""
    found = re.findall(r"### Example: ([^\n]+)\n.*?```json\n(.*?)\n```", TEXT, re.S)
    return {name.strip(): json.loads(body) for name, body in found}


def _verify():
    """The documented `verify` function, run from the page."""
    code = re.search(r"```python\n(.*?)\n```", TEXT, re.S).group(1)
    scope: dict = {}
    exec(compile(code, str(DOC), "exec"), scope)  # the page's own code, nothing else
    return scope["verify"]


@pytest.fixture
def world(app, db):
    app.config.update(
        FHIR_SUBSCRIPTION_ALLOW_HTTP_LOOPBACK=True, APP_BASE_URL=BASE, OUTBOX_MAX_ATTEMPTS=2
    )
    return build_world()


def _names(parameters: dict) -> list[str]:
    return [p["name"] for p in parameters["parameter"]]


def test_the_documented_subscription_notifies_as_documented(
    app, client, world, make_api_key, receiver
):
    examples = _examples()
    key = make_api_key(world.pcp_org, SCOPES)
    request = examples["subscription request"]
    request["channel"]["endpoint"] = receiver.url + "/fhir-hook"

    created = subscribe(client, key, request)

    assert created.status_code == 201, created.get_data(as_text=True)
    resource = created.get_json()
    assert resource["status"] == "active"
    send_referral(client, key, world)
    [hit] = events(receiver)
    assert hit.path == "/fhir-hook"
    assert hit.headers["Authorization"] == "Bearer token-for-our-endpoint"
    verify = _verify()
    assert verify(secret_of(resource), hit.headers, hit.body) is True
    assert verify(secret_of(resource), hit.headers, hit.body + b" ") is False
    assert verify("another-secret", hit.headers, hit.body) is False
    ours, shown = json.loads(hit.body), examples["id-only notification"]
    assert (ours["type"], ours["meta"]) == (shown["type"], shown["meta"])
    status, shown_status = ours["entry"][0]["resource"], shown["entry"][0]["resource"]
    assert _names(status) == _names(shown_status)
    assert status["parameter"][1] == shown_status["parameter"][1]  # the topic
    assert status["parameter"][5]["part"][2]["valueReference"]["reference"].startswith(
        f"{BASE}/fhir/Task/"
    )


def test_the_documented_status_answer_after_the_outbox_gives_up(
    app, client, world, make_api_key, receiver
):
    key = make_api_key(world.pcp_org, SCOPES)
    request = _examples()["subscription request"]
    request["channel"]["endpoint"] = receiver.url
    sid = subscribe(client, key, request).get_json()["id"]
    receiver.statuses = [500, 500]
    send_referral(client, key, world)
    deliver_due(app.config, now=utcnow() + timedelta(days=1))

    answer = client.get(f"/fhir/Subscription/{sid}/$status", headers=bearer(key)).get_json()

    shown = _examples()["status answer"]
    assert (answer["type"], answer["total"]) == (shown["type"], shown["total"])
    ours, documented = answer["entry"][0]["resource"], shown["entry"][0]["resource"]
    assert ours["parameter"][2:] == documented["parameter"][2:]


def test_the_documented_events_answer_matches_ours(client, world, make_api_key, receiver):
    key = make_api_key(world.pcp_org, SCOPES)
    request = _examples()["subscription request"]
    request["channel"]["endpoint"] = receiver.url
    sid = subscribe(client, key, request).get_json()["id"]
    send_referral(client, key, world)
    send_referral(client, key, world)

    url = f"/fhir/Subscription/{sid}/$events?eventsSinceNumber=2"
    ours = client.get(url, headers=bearer(key)).get_json()

    shown = _examples()["events answer"]
    assert (ours["type"], ours["meta"], len(ours["entry"])) == ("history", shown["meta"], 1)
    status, documented = ours["entry"][0]["resource"], shown["entry"][0]["resource"]
    assert _names(status) == _names(documented)
    assert status["parameter"][2:5] == documented["parameter"][2:5]
    parts = [part["name"] for part in status["parameter"][5]["part"]]
    assert parts == [part["name"] for part in documented["parameter"][5]["part"]]
