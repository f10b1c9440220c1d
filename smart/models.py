"""EHRs registered for SMART launch, and which EHR user is which local account."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from accounts.models import User
from directory.extensions import db
from directory.models.verification import utcnow

# none: a public client (PKCE only); the other two authenticate at the token endpoint.
AUTH_METHODS = ("none", "client_secret_basic", "private_key_jwt")
DEFAULT_SCOPES = (
    "launch openid fhirUser patient/Patient.rs patient/Coverage.rs patient/Condition.rs "
    "patient/MedicationRequest.rs patient/Observation.rs"
)


class EhrRegistration(db.Model):
    """One EHR that may launch the app: its issuer (FHIR base URL) and our client there.

    Secrets are never stored here: a client secret is named by the environment variable that
    holds it, a private key by the path of its PEM file on the server.
    """

    __tablename__ = "smart_ehr"

    id: Mapped[int] = mapped_column(primary_key=True)
    issuer: Mapped[str] = mapped_column(String(500), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    client_id: Mapped[str] = mapped_column(String(200))
    auth_method: Mapped[str] = mapped_column(String(30), default="none")
    client_secret_env: Mapped[str | None] = mapped_column(String(100))
    private_key_path: Mapped[str | None] = mapped_column(String(500))
    private_key_id: Mapped[str | None] = mapped_column(String(200))
    scopes: Mapped[str] = mapped_column(Text, default=DEFAULT_SCOPES)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class EhrUserLink(db.Model):
    """An EHR user (its fhirUser reference) who is a PCP account here, linked once by that PCP."""

    __tablename__ = "smart_user_link"
    __table_args__ = (UniqueConstraint("ehr_id", "fhir_user", name="uq_smart_user_link_user"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ehr_id: Mapped[int] = mapped_column(ForeignKey("smart_ehr.id", ondelete="CASCADE"))
    fhir_user: Mapped[str] = mapped_column(String(500))
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    ehr: Mapped[EhrRegistration] = relationship()
    user: Mapped[User] = relationship()
