"""A partner's FHIR Subscriptions: create, list, read, status and delete; audited, one key's own."""

from __future__ import annotations

import secrets
from collections.abc import Iterator, Mapping
from contextlib import contextmanager

from sqlalchemy import delete as sa_delete
from sqlalchemy import select, update

from audit.log import record
from directory.extensions import db
from directory.models.verification import utcnow
from outbox.models import OutboxMessage
from outbox.queue import deliver_ids
from referrals.errors import Denied, Malformed, NotFound, ReferralError
from referrals.subscription_models import SubscriptionEvent, TaskSubscription
from referrals.subscription_schemas import SubscriptionSchema, endpoint_problem
from referrals.use_cases.subscription_events import next_heartbeat, queue_signal
from referrals.use_cases.trail import parse

# A key keeps at most this many subscriptions: each Task change is checked against every one.
MAX_PER_KEY = 20


@contextmanager
def refusals(actor, action: str, object_id=None) -> Iterator[None]:
    """A refusal inside is rolled back, audited against the subscription, and raised on."""
    try:
        yield
    except ReferralError as err:
        db.session.rollback()
        record(actor, action, "subscription", object_id, outcome=err.outcome)
        db.session.commit()
        raise


def _key_id(actor) -> int:
    """Subscriptions belong to an API key: a signed-in person has none."""
    if actor is None or actor.kind != "api_key":
        raise Denied("subscriptions are made with an API key", code="api_key_only")
    return actor.id


def create(actor, body, config: Mapping) -> TaskSubscription:
    """Keep a new subscription with a fresh signing secret; commits, then tries the handshake.

    A rest-hook one is `requested` until its handshake is delivered (then `active`) or given up
    on (`error`), as the outbox reports; an email one is active at once.
    """
    with refusals(actor, "create_subscription"):
        key_id = _key_id(actor)
        if "referrals:read" not in actor.scopes:
            raise Denied("a subscriber needs referrals:read to hear of Tasks", code="scope")
        if not isinstance(body, dict):
            raise Malformed("send a Subscription resource")
        wanted = parse(SubscriptionSchema(), body)
        allow = bool(config.get("FHIR_SUBSCRIPTION_ALLOW_HTTP_LOOPBACK"))
        problem = endpoint_problem(wanted["channel"], wanted["endpoint"], allow)
        if problem:
            raise Malformed(problem, {"channel": [problem]})
        count = len(_owned(key_id))
        if count >= MAX_PER_KEY:
            raise Denied(f"a key keeps at most {MAX_PER_KEY} subscriptions", code="too_many")
        row = TaskSubscription(**wanted, api_key_id=key_id, secret=secrets.token_hex(32))
        row.status, row.events = ("requested" if row.channel == "rest-hook" else "active"), 0
        db.session.add(row)
        db.session.flush()
        record(actor, "create", "subscription", row.id)
        handshake = _handshake(config, row, utcnow())
    db.session.commit()
    if handshake is not None:
        deliver_ids(config, [handshake.id])
    return row


def _handshake(config: Mapping, row: TaskSubscription, now) -> OutboxMessage | None:
    """Queue a rest-hook's handshake; an email one starts its heartbeat period at once."""
    if row.status == "requested":
        return queue_signal(config, row, "handshake", now)
    next_heartbeat(row, now)
    return None


def _owned(key_id: int) -> list[TaskSubscription]:
    query = select(TaskSubscription).where(TaskSubscription.api_key_id == key_id)
    return list(db.session.scalars(query.order_by(TaskSubscription.id)))


def list_own(actor) -> list[TaskSubscription]:
    """The caller's subscriptions, oldest first; commits the audit."""
    with refusals(actor, "read_subscription"):
        rows = _owned(_key_id(actor))
    record(actor, "read", "subscription", None)
    db.session.commit()
    return rows


def one_of_own(actor, subscription_id: int, action: str) -> TaskSubscription:
    """The caller's subscription by id; NotFound (audited) for any other."""
    with refusals(actor, action, subscription_id):
        key_id = _key_id(actor)
        row = db.session.get(TaskSubscription, subscription_id) if subscription_id > 0 else None
        # Another key's subscription is "not found": its ids reveal nothing.
        if row is None or row.api_key_id != key_id:
            raise NotFound("subscription not found", code="not_yours")
    return row


def read(actor, subscription_id: int) -> TaskSubscription:
    """One of the caller's subscriptions (with its status); commits the audit."""
    row = one_of_own(actor, subscription_id, "read_subscription")
    record(actor, "read", "subscription", row.id)
    db.session.commit()
    return row


def delete(actor, subscription_id: int) -> None:
    """Remove the subscription; its notifications still waiting are given up; commits."""
    row = one_of_own(actor, subscription_id, "delete_subscription")
    db.session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.reference == f"subscription:{row.id}",
            OutboxMessage.status == "pending",
        )
        .values(status="failed", last_error="subscription deleted")
    )
    # Explicit, not only ON DELETE CASCADE: SQLite enforces foreign keys only when asked to.
    db.session.execute(
        sa_delete(SubscriptionEvent).where(SubscriptionEvent.subscription_id == row.id)
    )
    db.session.delete(row)
    record(actor, "delete", "subscription", subscription_id)
    db.session.commit()
