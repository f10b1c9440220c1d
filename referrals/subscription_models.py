"""A partner's FHIR Subscription to referral Task changes (R4 Backport), kept per API key."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from accounts.models import ApiKey
from directory.extensions import db
from directory.models.verification import utcnow

# requested: a rest-hook waiting for its handshake to be delivered (no events yet); active:
# notifications go out; error: the outbox gave up on one (a later success: active).
STATUSES = ("requested", "active", "error")


class TaskSubscription(db.Model):
    """Where and how one key hears of Task changes: channel, endpoint, payload and filter."""

    __tablename__ = "task_subscription"

    id: Mapped[int] = mapped_column(primary_key=True)
    api_key_id: Mapped[int] = mapped_column(
        ForeignKey("api_key.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(10), default="active")
    channel: Mapped[str] = mapped_column(String(10))  # rest-hook | email
    # An https URL (rest-hook) or a mailto: address; never logged.
    endpoint: Mapped[str] = mapped_column(String(500))
    content: Mapped[str] = mapped_column(String(15))  # empty | id-only | full-resource
    # The filter criteria, e.g. {"requester": "Organization/org-3"}; {} is every visible Task.
    filters: Mapped[dict] = mapped_column(JSON, default=dict)
    # "Name: value" headers the subscriber asked for (channel.header), sent with each POST.
    headers: Mapped[list[str]] = mapped_column(JSON, default=list)
    # The HMAC key of X-Signature-256: shown once, when the subscription is created.
    secret: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str | None] = mapped_column(String(200))
    events: Mapped[int] = mapped_column(Integer, default=0)  # eventsSinceSubscriptionStart
    last_error: Mapped[str | None] = mapped_column(String(200))  # an error type or HTTP status
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # The backport heartbeatPeriod (seconds), and when a heartbeat is due: the last notification
    # queued plus the period, so the due ones are one indexed comparison.
    heartbeat_seconds: Mapped[int | None] = mapped_column(Integer)
    heartbeat_due_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)

    api_key: Mapped[ApiKey] = relationship()


class SubscriptionEvent(db.Model):
    """One event a subscription was told of, for $events: its number and the referral, no content
    (the Task is read again, under the access rules of the day, when the events are asked for)."""

    __tablename__ = "subscription_event"
    __table_args__ = (UniqueConstraint("subscription_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    subscription_id: Mapped[int] = mapped_column(
        ForeignKey("task_subscription.id", ondelete="CASCADE")
    )
    number: Mapped[int] = mapped_column(Integer)  # eventsSinceSubscriptionStart
    referral_id: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
