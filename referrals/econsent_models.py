"""A consent request: the signed-link invitation a PCP sends the patient to sign a release."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from directory.extensions import db
from directory.models.verification import utcnow
from referrals.models import Referral

# pending: not signed yet; signed; revoked (through the link); replaced by a newer request.
REQUEST_STATES = ("pending", "signed", "revoked", "replaced")


class ConsentRequest(db.Model):
    """One link sent to the patient; only the SHA-256 of its token is kept, never the token."""

    __tablename__ = "referral_consent_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    referral_id: Mapped[int] = mapped_column(
        ForeignKey("referral.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # email | sms; the destination lives only in the outbox message that carried the link.
    channel: Mapped[str] = mapped_column(String(10))
    form: Mapped[str] = mapped_column(String(20))  # referrals.econsent.FORMS
    form_version: Mapped[str] = mapped_column(String(40))
    language: Mapped[str] = mapped_column(String(8))
    # The release's own expiry, fixed when the link is made so the text signed is the text shown.
    consent_expires_on: Mapped[date] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(10), default="pending")
    requested_by: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))  # the link's signing
    signed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    referral: Mapped[Referral] = relationship(
        backref=backref(
            "consent_requests",
            order_by="ConsentRequest.id",
            cascade="all, delete-orphan",
            passive_deletes=True,
        )
    )
