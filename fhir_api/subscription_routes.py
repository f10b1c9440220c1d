"""/fhir Subscriptions (R4 Backport) to referral Task changes, for API keys with
subscriptions:write: create, search, read, delete, $status, $events, and their topic."""

from __future__ import annotations

import uuid

from flask import Response, current_app, request

from directory.models.verification import utcnow
from fhir_api.bundles import base_url
from fhir_api.outcomes import fhir_response, outcome_response
from fhir_api.referral_routes import _actor
from fhir_api.routes import fhir_blueprint
from referrals.errors import ReferralError
from referrals.fhir_subscription import (
    FILTERS,
    events_bundle,
    status_parameters,
    subscription_resource,
    topic_url,
)
from referrals.use_cases import subscription_history, subscriptions

SCOPE = "subscriptions:write"


def _refused(err: ReferralError) -> Response:
    return outcome_response(err.status, err.message, err.errors)[0]


def _id(fhir_id: str) -> int:
    # Anything but a plain number names no subscription (0 is never an id: 404).
    return int(fhir_id) if fhir_id.isdigit() and len(fhir_id) <= 9 else 0


@fhir_blueprint.post("/Subscription")
def create_subscription() -> Response:
    """A new active subscription; the answer carries its signing secret, this once."""
    actor, denied = _actor(SCOPE)
    if denied is not None:
        return denied
    try:
        row = subscriptions.create(actor, request.get_json(silent=True), current_app.config)
    except ReferralError as err:
        return _refused(err)
    response = fhir_response(subscription_resource(row, base_url(), secret=True), 201)
    response.headers["Location"] = f"{base_url()}/Subscription/{row.id}"
    return response


@fhir_blueprint.get("/Subscription")
def search_subscriptions() -> Response:
    """The caller's own subscriptions, as a searchset Bundle."""
    actor, denied = _actor(SCOPE)
    if denied is not None:
        return denied
    try:
        rows = subscriptions.list_own(actor)
    except ReferralError as err:
        return _refused(err)
    base = base_url()
    bundle = {"resourceType": "Bundle", "type": "searchset", "total": len(rows)}
    if rows:
        bundle["entry"] = [
            {
                "fullUrl": f"{base}/Subscription/{row.id}",
                "resource": subscription_resource(row, base),
                "search": {"mode": "match"},
            }
            for row in rows
        ]
    return fhir_response(bundle)


def _own(fhir_id: str):
    """(the caller's subscription, None), or (None, the refusal to send)."""
    actor, denied = _actor(SCOPE)
    if denied is not None:
        return None, denied
    try:
        return subscriptions.read(actor, _id(fhir_id)), None
    except ReferralError as err:
        return None, _refused(err)


@fhir_blueprint.get("/Subscription/<fhir_id>")
def read_subscription(fhir_id: str) -> Response:
    """One of the caller's subscriptions."""
    row, refused = _own(fhir_id)
    if refused is not None:
        return refused
    return fhir_response(subscription_resource(row, base_url()))


@fhir_blueprint.get("/Subscription/<fhir_id>/$status")
def subscription_status(fhir_id: str) -> Response:
    """The backport $status: a searchset Bundle holding the SubscriptionStatus."""
    row, refused = _own(fhir_id)
    if refused is not None:
        return refused
    base = base_url()
    bundle = {
        "resourceType": "Bundle",
        "type": "searchset",
        "total": 1,
        "entry": [
            {
                "fullUrl": f"{base}/Subscription/{row.id}/$status",
                "resource": status_parameters(row, base, "query-status"),
                "search": {"mode": "match"},
            }
        ],
    }
    return fhir_response(bundle)


@fhir_blueprint.get("/Subscription/<fhir_id>/$events")
def subscription_events(fhir_id: str) -> Response:
    """The backport $events: the kept events in a number range, Tasks as readable now."""
    actor, denied = _actor(SCOPE)
    if denied is not None:
        return denied
    try:
        row, found, content = subscription_history.events(actor, _id(fhir_id), request.args)
    except ReferralError as err:
        return _refused(err)
    base = base_url()
    events = [
        {
            "number": event["number"],
            "at": event["at"],
            "focus": f"{base}/Task/{event['task']['id']}" if event["task"] else None,
        }
        for event in found
    ]
    tasks = [event["task"] for event in found if event["task"] and content == "full-resource"]
    return fhir_response(events_bundle(row, base, events, tasks, utcnow(), str(uuid.uuid4())))


@fhir_blueprint.delete("/Subscription/<fhir_id>")
def delete_subscription(fhir_id: str) -> Response:
    """Stop a subscription; notifications not yet delivered are dropped."""
    actor, denied = _actor(SCOPE)
    if denied is not None:
        return denied
    try:
        subscriptions.delete(actor, _id(fhir_id))
    except ReferralError as err:
        return _refused(err)
    return current_app.response_class(status=204)


@fhir_blueprint.get("/SubscriptionTopic/referral-task")
def referral_task_topic() -> Response:
    """The topic (an R4B SubscriptionTopic, for reading): Task created or changed."""
    topic = {
        "resourceType": "SubscriptionTopic",
        "id": "referral-task",
        "url": topic_url(base_url()),
        "title": "Referral Task changes",
        "status": "active",
        "date": current_app.config.get("FHIR_CAPABILITY_DATE", "2025-01-01"),
        "description": "A referral's Task was sent, changed status, or had information returned.",
        "resourceTrigger": [
            {
                "description": "A referral Task is created or updated",
                "resource": "Task",
                "supportedInteraction": ["create", "update"],
            }
        ],
        "canFilterBy": [
            {"resource": "Task", "filterParameter": name, "description": f"Task {name}"}
            for name in FILTERS
        ],
        "notificationShape": [{"resource": "Task"}],
    }
    return fhir_response(topic)
