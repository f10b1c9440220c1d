"""Enqueue in the caller's transaction; deliver now or later, with retries and backoff."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from blinker import Namespace
from sqlalchemy import select, update

from directory.extensions import db
from directory.models.verification import utcnow
from outbox.channels import CHANNELS, send
from outbox.errors import DeliveryError
from outbox.models import OutboxMessage

log = logging.getLogger(__name__)

# Listeners (e.g. a subscription's status) learn how each attempt went, after its commit.
_signals = Namespace()
delivered = _signals.signal("outbox-delivered")
attempt_failed = _signals.signal("outbox-attempt-failed")  # kwargs: final (bool)

# A leased row is hidden from other workers this long, so a crashed worker's rows come back.
LEASE_SECONDS = 300


@dataclass
class Round:
    """What a delivery round did: ids sent, ids to retry, ids given up on."""

    sent: list[int] = field(default_factory=list)
    retrying: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)


def enqueue(
    channel: str,
    destination: str,
    body: str,
    *,
    purpose: str,
    subject: str | None = None,
    headers: Mapping[str, str] | None = None,
    reference: str | None = None,
) -> OutboxMessage:
    """Add a message to the caller's transaction (the caller commits; nothing is sent yet)."""
    if channel not in CHANNELS:
        raise ValueError(f"channel must be one of {', '.join(CHANNELS)}")
    message = OutboxMessage(
        channel=channel,
        destination=destination,
        body=body,
        subject=subject,
        headers=dict(headers or {}),
        purpose=purpose,
        reference=reference,
    )
    db.session.add(message)
    return message


def backoff_seconds(config: Mapping, attempts: int) -> int:
    """OUTBOX_BACKOFF_SECONDS doubled per failed attempt, at most OUTBOX_BACKOFF_MAX_SECONDS."""
    base = int(config.get("OUTBOX_BACKOFF_SECONDS", 30))
    cap = int(config.get("OUTBOX_BACKOFF_MAX_SECONDS", 3600))
    return min(cap, base * 2 ** max(0, attempts - 1))


def _lease(query, now: datetime) -> list[int]:
    """Ids of pending rows `query` selects, hidden from other workers for LEASE_SECONDS."""
    ids = list(db.session.scalars(query.with_for_update(skip_locked=True)))
    if ids:
        db.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_(ids))
            .values(available_at=now + timedelta(seconds=LEASE_SECONDS))
        )
    db.session.commit()
    return ids


def _attempt(config: Mapping, message: OutboxMessage, now: datetime, done: Round) -> None:
    """Send one message and record how it went (committed)."""
    message.attempts += 1
    try:
        send(config, message, now)
    except DeliveryError as err:
        message.last_error = str(err)[:200]
        final = message.attempts >= int(config.get("OUTBOX_MAX_ATTEMPTS", 8))
        if final:
            message.status = "failed"
            done.failed.append(message.id)
        else:
            message.available_at = now + timedelta(
                seconds=backoff_seconds(config, message.attempts)
            )
            done.retrying.append(message.id)
        db.session.commit()
        # The channel and purpose only: the destination and the text may be PHI.
        log.warning(
            "outbox message %d (%s, %s) not sent: %s",
            message.id,
            message.channel,
            message.purpose,
            message.last_error,
        )
        attempt_failed.send(message, final=final)
        return
    message.status, message.sent_at, message.last_error = "sent", now, None
    done.sent.append(message.id)
    db.session.commit()
    delivered.send(message)


def _deliver(config: Mapping, ids: Iterable[int], now: datetime) -> Round:
    done = Round()
    for message_id in ids:
        message = db.session.get(OutboxMessage, message_id)
        if message is not None and message.status == "pending":
            _attempt(config, message, now, done)
    return done


def deliver_ids(config: Mapping, ids: Iterable[int], now: datetime | None = None) -> Round:
    """Try these just-committed messages now; what fails waits for the worker."""
    now = now or utcnow()
    wanted = select(OutboxMessage.id).where(
        OutboxMessage.id.in_(list(ids)), OutboxMessage.status == "pending"
    )
    return _deliver(config, _lease(wanted, now), now)


def deliver_due(config: Mapping, now: datetime | None = None, limit: int = 100) -> Round:
    """One worker round: every pending message whose time has come, oldest first."""
    now = now or utcnow()
    due = (
        select(OutboxMessage.id)
        .where(OutboxMessage.status == "pending", OutboxMessage.available_at <= now)
        .order_by(OutboxMessage.id)
        .limit(limit)
    )
    return _deliver(config, _lease(due, now), now)
