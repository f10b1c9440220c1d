"""FHIR Subscriptions R4 Backport: the Task topic, Subscription and SubscriptionStatus resources,
and the notification Bundle sent for each Task change."""

from __future__ import annotations

from referrals.fhir_terms import instant

BACKPORT = "http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/"
SUBSCRIPTION_PROFILE = BACKPORT + "backport-subscription"
STATUS_PROFILE = BACKPORT + "backport-subscription-status-r4"
NOTIFICATION_PROFILE = BACKPORT + "backport-subscription-notification-r4"
FILTER_EXTENSION = BACKPORT + "backport-filter-criteria"
CONTENT_EXTENSION = BACKPORT + "backport-payload-content"
HEARTBEAT_EXTENSION = BACKPORT + "backport-heartbeat-period"
TOPIC_EXTENSION = BACKPORT + "capabilitystatement-subscriptiontopic-canonical"
# The signing key, in the create answer only (not a backport element: the IG leaves it open).
SECRET_EXTENSION = "urn:bh-directory:fhir:StructureDefinition:subscription-signing-secret"
TOPIC_PATH = "/SubscriptionTopic/referral-task"
CONTENTS = ("empty", "id-only", "full-resource")
CHANNELS = ("rest-hook", "email")
# The heartbeatPeriod a subscription may ask for, in seconds: a minute to a day.
HEARTBEAT_RANGE = (60, 86400)
# The Task search parameters a filter may use (one value each): who sent it, who got it, status.
FILTERS = ("requester", "owner", "status")


def topic_url(base: str) -> str:
    """The canonical of the referral Task topic under the FHIR base."""
    return base + TOPIC_PATH


def filter_matches(filters: dict, task: dict) -> bool:
    """True when the Task meets every filter (requester reference, owner NPI, Task.status)."""
    found = {
        "requester": task.get("requester", {}).get("reference"),
        "owner": task.get("owner", {}).get("identifier", {}).get("value"),
        "status": task.get("status"),
    }
    return all(found[name] == value for name, value in filters.items())


def criteria_text(filters: dict) -> str | None:
    """The filter as the backport extension writes it, e.g. "Task?requester=Organization/org-3"."""
    if not filters:
        return None
    return "Task?" + "&".join(f"{name}={filters[name]}" for name in FILTERS if name in filters)


def subscription_resource(row, base: str, secret: bool = False) -> dict:
    """The Subscription as stored; its signing secret only when `secret` (the create answer)."""
    channel = {
        "type": row.channel,
        "endpoint": row.endpoint,
        "payload": "application/fhir+json",
        "_payload": {"extension": [{"url": CONTENT_EXTENSION, "valueCode": row.content}]},
    }
    if row.headers:
        channel["header"] = list(row.headers)
    if row.heartbeat_seconds:
        channel["extension"] = [
            {"url": HEARTBEAT_EXTENSION, "valueUnsignedInt": row.heartbeat_seconds}
        ]
    found = {
        "resourceType": "Subscription",
        "id": str(row.id),
        "meta": {"profile": [SUBSCRIPTION_PROFILE]},
        "status": row.status,
        "reason": row.reason or "Referral Task changes",
        "criteria": topic_url(base),
        "channel": channel,
    }
    criteria = criteria_text(row.filters or {})
    if criteria:
        found["_criteria"] = {"extension": [{"url": FILTER_EXTENSION, "valueString": criteria}]}
    if row.last_error and row.status == "error":
        found["error"] = row.last_error
    if secret:
        found["extension"] = [{"url": SECRET_EXTENSION, "valueString": row.secret}]
    return found


def status_parameters(row, base: str, kind: str, event: dict | None = None) -> dict:
    """The backport SubscriptionStatus (a Parameters): status, events so far, the event if any."""
    return _status(row, base, kind, [event] if event is not None else [])


def _status(row, base: str, kind: str, events: list[dict]) -> dict:
    total = events[0]["number"] if kind == "event-notification" else row.events
    parameters = [
        {"name": "subscription", "valueReference": {"reference": f"{base}/Subscription/{row.id}"}},
        {"name": "topic", "valueCanonical": topic_url(base)},
        {"name": "status", "valueCode": row.status},
        {"name": "type", "valueCode": kind},
        {"name": "events-since-subscription-start", "valueString": str(total)},
    ]
    for event in events:
        parameters.append({"name": "notification-event", "part": _event_parts(event)})
    if row.last_error and row.status == "error":
        parameters.append({"name": "error", "valueCodeableConcept": {"text": row.last_error}})
    return {
        "resourceType": "Parameters",
        "meta": {"profile": [STATUS_PROFILE]},
        "parameter": parameters,
    }


def _event_parts(event: dict) -> list[dict]:
    parts = [
        {"name": "event-number", "valueString": str(event["number"])},
        {"name": "timestamp", "valueInstant": instant(event["at"])},
    ]
    if event.get("focus"):
        parts.append({"name": "focus", "valueReference": {"reference": event["focus"]}})
    return parts


def _history(notice_id: str, at, entries: list[dict]) -> dict:
    return {
        "resourceType": "Bundle",
        "id": notice_id,
        "meta": {"profile": [NOTIFICATION_PROFILE]},
        "type": "history",
        "timestamp": instant(at),
        "entry": entries,
    }


def _status_entry(row, base: str, notice_id: str, status: dict) -> dict:
    return {
        "fullUrl": f"urn:uuid:{notice_id}",
        "resource": status,
        "request": {"method": "GET", "url": f"{base}/Subscription/{row.id}/$status"},
        "response": {"status": "200"},
    }


def signal_bundle(row, base: str, at, notice_id: str, kind: str) -> dict:
    """A notification without an event (handshake, heartbeat): the SubscriptionStatus only."""
    status = status_parameters(row, base, kind)
    return _history(notice_id, at, [_status_entry(row, base, notice_id, status)])


def notification_bundle(row, base: str, task: dict, event: dict, notice_id: str) -> dict:
    """A history Bundle: the SubscriptionStatus first, then the Task when the payload is full.

    `event` is {"number": its eventsSinceSubscriptionStart, "at": when it happened}.
    """
    focus = f"{base}/Task/{task['id']}" if row.content != "empty" else None
    event = {**event, "focus": focus}
    status = status_parameters(row, base, "event-notification", event)
    entries = [_status_entry(row, base, notice_id, status)]
    if row.content == "full-resource":
        entries.append(
            {
                "fullUrl": focus,
                "resource": task,
                "request": {"method": "PUT", "url": f"Task/{task['id']}"},
                "response": {"status": "200"},
            }
        )
    return _history(notice_id, event["at"], entries)


def events_bundle(
    row, base: str, events: list[dict], tasks: list[dict], at, notice_id: str
) -> dict:
    """The $events answer: a query-event SubscriptionStatus listing `events`, then `tasks`."""
    status = _status(row, base, "query-event", events)
    entries = [_status_entry(row, base, notice_id, status)]
    entries += [
        {
            "fullUrl": f"{base}/Task/{task['id']}",
            "resource": task,
            "request": {"method": "PUT", "url": f"Task/{task['id']}"},
            "response": {"status": "200"},
        }
        for task in tasks
    ]
    return _history(notice_id, at, entries)
