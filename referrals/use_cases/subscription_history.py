"""$events: the events a subscription was told of, kept as numbers and referral ids, with each
Task read again now under the key's current access (a referral it may no longer read is named
by number only)."""

from __future__ import annotations

from sqlalchemy import select

from audit.log import record
from directory.extensions import db
from referrals.models import Referral
from referrals.subscription_models import SubscriptionEvent, TaskSubscription
from referrals.subscription_schemas import EventsQuery
from referrals.use_cases.subscription_events import task_for
from referrals.use_cases.subscriptions import one_of_own, refusals
from referrals.use_cases.trail import parse


def _stored(row: TaskSubscription, wanted: dict) -> list[SubscriptionEvent]:
    query = select(SubscriptionEvent).where(SubscriptionEvent.subscription_id == row.id)
    if "since" in wanted:
        query = query.where(SubscriptionEvent.number >= wanted["since"])
    if "until" in wanted:
        query = query.where(SubscriptionEvent.number <= wanted["until"])
    return list(db.session.scalars(query.order_by(SubscriptionEvent.number)))


def events(actor, subscription_id: int, args) -> tuple[TaskSubscription, list[dict], str]:
    """The subscription, its kept events in the range ({number, at, task or None}), the content.

    Full-resource Tasks are audited as reads or disclosures, as a notification would be; commits.
    """
    row = one_of_own(actor, subscription_id, "read_subscription")
    with refusals(actor, "read_subscription", row.id):
        wanted = parse(EventsQuery(), dict(args))
    content = wanted["content"] or row.content
    found = []
    for stored in _stored(row, wanted):
        referral = db.session.get(Referral, stored.referral_id)
        seen = task_for(row.api_key, referral) if referral is not None else None
        task = None
        if seen is not None and content != "empty":
            task, audit = seen
            if content == "full-resource":
                audit()
        found.append({"number": stored.number, "at": stored.at, "task": task})
    record(actor, "read", "subscription", row.id)
    db.session.commit()
    return row, found, content
