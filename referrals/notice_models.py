"""Who stopped patient notices: a keyed hash of the phone or email address, never the address."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from directory.extensions import db
from directory.models.verification import utcnow


class NoticeOptOut(db.Model):
    """One address that replied STOP or opened an email's stop link."""

    __tablename__ = "patient_notice_opt_out"
    __table_args__ = (UniqueConstraint("channel", "address_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(10))  # sms | email
    # referrals.notice_optout.address_key: HMAC-SHA256 of the channel and the address.
    address_key: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
