"""Task changes to subscribers: one notification per matching subscription, queued with the
change (trail.commit_then_notify, returns); the outbox's results set each subscription's status.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.attributes import set_committed_value

from accounts.identity import actor_for_key
from audit.log import record
from directory.extensions import db
from directory.fhir_ids import row_id
from directory.models.verification import utcnow
from outbox.models import OutboxMessage
from outbox.queue import attempt_failed, delivered, enqueue
from outbox.webhook import register_secret_source
from referrals.access import relations
from referrals.clock import local_today
from referrals.disclosure import disclosure_for
from referrals.fhir_bser import bser_task
from referrals.fhir_subscription import filter_matches, notification_bundle, signal_bundle
from referrals.subscription_models import SubscriptionEvent, TaskSubscription

PURPOSE = "subscription"
FHIR_JSON = "application/fhir+json"


def fhir_base(config: Mapping) -> str:
    """The public FHIR base the notifications name (no request here: APP_BASE_URL)."""
    return (config.get("APP_BASE_URL") or "").rstrip("/") + "/fhir"


def task_for(key, referral) -> tuple[dict, Callable[[], None]] | None:
    """The Task as the subscribing key may see it, or None when it may not see the referral."""
    if key.is_revoked or "referrals:read" not in (key.scopes or ()):
        return None
    actor = actor_for_key(key)
    found = relations(actor, referral)
    if not found:
        return None
    disclosure = disclosure_for(actor, found, referral, local_today())
    org = referral.referring_organization
    task = bser_task(referral, row_id("org", org.id, org.external_id), not disclosure.allowed)

    def audit() -> None:
        # A full-resource notification shows the Task: a read by the referring side, else a
        # disclosure; blocked when the content was withheld.
        action = "read" if {"referrer", "admin"} & found else "disclose"
        record(actor, action, "referral", referral.id, outcome=_outcome(disclosure))

    return task, audit


def _outcome(disclosure) -> str:
    return "ok" if disclosure.allowed else "blocked"


def _count_event(row: TaskSubscription) -> int:
    """The subscription's next event number, counted in the database (concurrent changes)."""
    number = db.session.execute(
        update(TaskSubscription)
        .where(TaskSubscription.id == row.id)
        .values(events=TaskSubscription.events + 1)
        .returning(TaskSubscription.events)
    ).scalar_one()
    set_committed_value(row, "events", number)
    return number


def _keep(config: Mapping, row: TaskSubscription, number: int, referral_id: int, now) -> None:
    """Store the event for $events (numbers and ids only); drop those past the retention."""
    db.session.add(
        SubscriptionEvent(subscription_id=row.id, number=number, referral_id=referral_id, at=now)
    )
    kept = int(config.get("FHIR_SUBSCRIPTION_EVENTS_KEPT", 100))
    db.session.execute(
        delete(SubscriptionEvent).where(
            SubscriptionEvent.subscription_id == row.id, SubscriptionEvent.number <= number - kept
        )
    )


def _enqueue(row: TaskSubscription, body: str, subject: str) -> OutboxMessage:
    reference = f"subscription:{row.id}"
    if row.channel == "email":
        destination = row.endpoint.removeprefix("mailto:")
        return enqueue(
            "email", destination, body, purpose=PURPOSE, subject=subject, reference=reference
        )
    headers = dict(h.split(": ", 1) for h in row.headers or ())
    headers["Content-Type"] = FHIR_JSON
    # No signature here: the outbox signs each attempt with the secret it looks up (below).
    return enqueue(
        "webhook", row.endpoint, body, purpose=PURPOSE, headers=headers, reference=reference
    )


def _notify(config: Mapping, row: TaskSubscription, referral, now: datetime, seen_by: dict):
    """The message telling `row` of the referral's change; None when it should not hear of it."""
    # One key's subscriptions see the same Task: who it is and what it may see, worked out once.
    if row.api_key_id not in seen_by:
        seen_by[row.api_key_id] = task_for(row.api_key, referral)
    seen = seen_by[row.api_key_id]
    if seen is None or not filter_matches(row.filters or {}, seen[0]):
        return None
    task, audit = seen
    event = {"number": _count_event(row), "at": now}
    _keep(config, row, event["number"], referral.id, now)
    next_heartbeat(row, now)
    if row.content == "full-resource":
        audit()
    bundle = notification_bundle(row, fhir_base(config), task, event, str(uuid.uuid4()))
    return _enqueue(row, _json(bundle), f"Referral Task {referral.id} changed")


def _json(bundle: dict) -> str:
    return json.dumps(bundle, separators=(",", ":"))


def next_heartbeat(row: TaskSubscription, now: datetime) -> None:
    """A notification is queued at `now`: the next heartbeat is due a full period later."""
    if row.heartbeat_seconds:
        row.heartbeat_due_at = now + timedelta(seconds=row.heartbeat_seconds)


def queue_signal(config: Mapping, row: TaskSubscription, kind: str, now: datetime) -> OutboxMessage:
    """Queue a handshake or heartbeat for `row` in the caller's transaction (no event counted)."""
    bundle = signal_bundle(row, fhir_base(config), now, str(uuid.uuid4()), kind)
    next_heartbeat(row, now)
    return _enqueue(row, _json(bundle), f"Referral Task subscription {kind}")


def queue_task_notices(config: Mapping, *referrals) -> list[int]:
    """Queue the notifications these changed referrals call for, in the caller's transaction."""
    rows = db.session.scalars(
        select(TaskSubscription)
        # A subscription waiting for its handshake hears of no event yet (backport IG).
        .where(TaskSubscription.status != "requested")
        .options(selectinload(TaskSubscription.api_key))
        .order_by(TaskSubscription.id)
    ).all()
    if not rows or not referrals:
        return []
    now = utcnow()
    messages = []
    for referral in referrals:
        seen_by: dict = {}
        for row in rows:
            message = _notify(config, row, referral, now, seen_by)
            if message is not None:
                messages.append(message)
    db.session.flush()
    return [message.id for message in messages]


def _subscription_id(message: OutboxMessage) -> int | None:
    if message.purpose != PURPOSE or not (message.reference or "").startswith("subscription:"):
        return None
    return int(message.reference.split(":", 1)[1])


def _set_status(subscription_id: int, status: str, error: str | None) -> None:
    db.session.execute(
        update(TaskSubscription)
        .where(TaskSubscription.id == subscription_id)
        .values(status=status, last_error=error)
    )
    db.session.commit()


def _on_delivered(message: OutboxMessage, **_) -> None:
    """A notification went: the subscription is active (again)."""
    found = _subscription_id(message)
    if found is not None:
        _set_status(found, "active", None)


def _on_attempt_failed(message: OutboxMessage, final: bool = False, **_) -> None:
    """The outbox gave up on a notification: the subscription is in error, with the reason."""
    found = _subscription_id(message)
    if found is not None and final:
        _set_status(found, "error", message.last_error)


def _secret(subscription_id: str) -> str | None:
    """The subscription's HMAC key, read when a notification is sent; None once it is deleted."""
    row = db.session.get(TaskSubscription, int(subscription_id))
    return row.secret if row is not None else None


register_secret_source("subscription", _secret)
delivered.connect(_on_delivered)
attempt_failed.connect(_on_attempt_failed)
