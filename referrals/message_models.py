"""Messages on a referral: the thread between the referring practice and the receiver."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Integer, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from directory.extensions import db
from directory.models.verification import utcnow
from referrals.models import Referral


class ReferralMessage(db.Model):
    """One dated, attributed message on a referral, with its attachments."""

    __tablename__ = "referral_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    referral_id: Mapped[int] = mapped_column(
        ForeignKey("referral.id", ondelete="CASCADE"), index=True
    )
    author: Mapped[str] = mapped_column(String(80))  # Actor.label
    author_role: Mapped[str] = mapped_column(String(20))
    author_organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("organization.id", ondelete="SET NULL")
    )
    # "referrer" or "receiver": which side of the thread wrote it.
    side: Mapped[str] = mapped_column(String(10))
    body: Mapped[str] = mapped_column(Text)  # PHI
    # 42 CFR Part 2 as decided from the body and its text attachments (referrals.part2's rule).
    part2: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    part2_basis: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    referral: Mapped[Referral] = relationship()
    attachments: Mapped[list[MessageAttachment]] = relationship(
        back_populates="message", cascade="all, delete-orphan", order_by="MessageAttachment.id"
    )


class MessageAttachment(db.Model):
    """A file sent with a message; its bytes live in the attachment store under storage_key."""

    __tablename__ = "referral_message_attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(
        ForeignKey("referral_message.id", ondelete="CASCADE"), index=True
    )
    filename: Mapped[str] = mapped_column(String(255))  # sanitized
    media_type: Mapped[str] = mapped_column(String(50))  # from the content, never the caller
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    storage_key: Mapped[str] = mapped_column(String(64), unique=True)

    message: Mapped[ReferralMessage] = relationship(back_populates="attachments")
