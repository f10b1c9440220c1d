"""Backport heartbeats: a subscription with a heartbeatPeriod that heard nothing for that long
gets a `heartbeat` notification, so its receiver knows the silence is not an outage."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import select

from directory.extensions import db
from directory.models.verification import utcnow
from outbox.queue import deliver_ids
from referrals.subscription_models import TaskSubscription
from referrals.use_cases.subscription_events import queue_signal


def send_heartbeats(config: Mapping, now: datetime | None = None) -> list[int]:
    """Queue one heartbeat per due subscription (found in one query), commit, try them; ids.

    Each heartbeat moves the subscription's due time a period on, in the same transaction, so a
    second run within the period queues nothing; concurrent runs skip each other's rows.
    """
    now = now or utcnow()
    due = db.session.scalars(
        select(TaskSubscription)
        .where(
            TaskSubscription.heartbeat_due_at <= now,
            TaskSubscription.status != "requested",  # no heartbeat before the handshake
        )
        .order_by(TaskSubscription.id)
        .with_for_update(skip_locked=True)
    ).all()
    messages = [queue_signal(config, row, "heartbeat", now) for row in due]
    db.session.commit()
    ids = [message.id for message in messages]
    if ids:
        deliver_ids(config, ids, now)
    return ids
