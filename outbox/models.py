"""One outbound message and how its delivery went."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from directory.extensions import db
from directory.models.verification import utcnow

# Where a message is in its life: waiting (or waiting to retry), delivered, or given up on.
STATUSES = ("pending", "sent", "failed")


class OutboxMessage(db.Model):
    """A message to send: channel, destination and the exact text or body to send."""

    __tablename__ = "outbox_message"
    __table_args__ = (
        Index("ix_outbox_message_due", "status", "available_at"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(20))  # outbox.channels.CHANNELS
    # An email address, a phone number in E.164 or an https URL; never logged.
    destination: Mapped[str] = mapped_column(String(500))
    subject: Mapped[str | None] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    # Extra headers a webhook carries (content type, signature); not used by email or SMS.
    headers: Mapped[dict] = mapped_column(JSON, default=dict)
    # Why it is sent (referral_notice, patient_notice, subscription, shortlist...), for reports.
    purpose: Mapped[str] = mapped_column(String(40), index=True)
    # What it is about, e.g. "subscription:12" or "referral:7", so senders can follow results.
    reference: Mapped[str | None] = mapped_column(String(100), index=True)
    status: Mapped[str] = mapped_column(String(10), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    available_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The error's type and an HTTP status at most: a provider's text can quote the message.
    last_error: Mapped[str | None] = mapped_column(String(200))
