"""A patient search kept server-side for a short while, behind an opaque id that expires.

Results live at GET /find/results/<id> so Back, reload and a language switch show the same
search without resubmitting it. The id is 32 random bytes; the table keeps only its SHA-256
digest, so the rows alone cannot be turned back into result addresses. Nothing outlives the
expiry: an expired row is deleted when it is next asked for, and every save deletes all
expired rows first (`purge_expired` is also the cleanup command's body).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import JSON, DateTime, String, delete, select
from sqlalchemy.orm import Mapped, mapped_column

from directory.extensions import db
from directory.models.verification import as_utc

TOKEN_BYTES = 32
# A token is URL-safe base64 of TOKEN_BYTES: 43 characters; anything else is not one.
TOKEN_LENGTH = 43


class SavedSearch(db.Model):
    """One search's answers until `expires_at`; keyed by the digest of its opaque id."""

    __tablename__ = "saved_search"

    digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    answers: Mapped[dict] = mapped_column(JSON)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def purge_expired(now: datetime) -> int:
    """Delete every search whose time is up; return how many (the caller commits)."""
    result = db.session.execute(delete(SavedSearch).where(SavedSearch.expires_at <= now))
    return result.rowcount or 0


def save(answers: dict, now: datetime, lifetime: timedelta) -> str:
    """Keep `answers` until now + lifetime and return the new opaque id (commits)."""
    purge_expired(now)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    db.session.add(SavedSearch(digest=_digest(token), answers=answers, expires_at=now + lifetime))
    db.session.commit()
    return token


def load(token: str, now: datetime) -> dict | None:
    """The answers kept under `token`, or None when unknown or expired (an expired one goes)."""
    if len(token) != TOKEN_LENGTH or not token.isascii():
        return None
    row = db.session.scalar(select(SavedSearch).where(SavedSearch.digest == _digest(token)))
    if row is None:
        return None
    if as_utc(row.expires_at) <= now:
        db.session.delete(row)
        db.session.commit()
        return None
    return dict(row.answers)
