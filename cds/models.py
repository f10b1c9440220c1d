"""CDS clients (who may call), the cards issued, their feedback, and used token ids.

Nothing from a hook's prefetch is stored: a card row keeps its uuid, service and client only,
so a card about substance use (42 CFR Part 2) leaves no trace of its content here.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from directory.extensions import db
from directory.models.verification import utcnow


class CdsClient(db.Model):
    """A registered CDS client (an EHR): its JWT issuer, shared HS256 secret and FHIR server."""

    __tablename__ = "cds_client"

    id: Mapped[int] = mapped_column(primary_key=True)
    iss: Mapped[str] = mapped_column(String(255), unique=True)
    # The HS256 key: both sides must hold it, so it is kept as issued (see the README).
    secret: Mapped[str] = mapped_column(String(128))
    # The only FHIR server this service will fetch missing prefetch from, for this client.
    fhir_server: Mapped[str | None] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class CdsCard(db.Model):
    """A card this service returned: which service, to which client, when (no content)."""

    __tablename__ = "cds_card"

    uuid: Mapped[str] = mapped_column(String(36), primary_key=True)
    service_id: Mapped[str] = mapped_column(String(64))
    client_id: Mapped[int] = mapped_column(ForeignKey("cds_client.id", ondelete="CASCADE"))
    issued_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class CdsFeedback(db.Model):
    """What the clinician did with a card: accepted (which suggestions) or overridden (why)."""

    __tablename__ = "cds_feedback"

    id: Mapped[int] = mapped_column(primary_key=True)
    card_uuid: Mapped[str] = mapped_column(
        ForeignKey("cds_card.uuid", ondelete="CASCADE"), index=True
    )
    outcome: Mapped[str] = mapped_column(String(20))  # accepted | overridden
    accepted_suggestions: Mapped[list[str]] = mapped_column(JSON, default=list)
    # The override reason's coding; the clinician's free-text comment is not kept (it may
    # name the patient or their substance use).
    override_system: Mapped[str | None] = mapped_column(String(255))
    override_code: Mapped[str | None] = mapped_column(String(64))
    override_display: Mapped[str | None] = mapped_column(String(255))
    outcome_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class CdsTokenUse(db.Model):
    """A client's JWT id, kept until the token expires so it cannot be replayed."""

    __tablename__ = "cds_token_use"
    __table_args__ = (UniqueConstraint("client_id", "jti"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("cds_client.id", ondelete="CASCADE"))
    jti: Mapped[str] = mapped_column(String(255))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
