"""What every referral route shares: finding a visible referral, refusing, auditing reads."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from flask import abort, current_app
from sqlalchemy.orm import selectinload

from api.errors import error_body, problem_response
from audit.log import record
from directory.extensions import db
from directory.models.verification import utcnow
from referrals.access import relations
from referrals.disclosure import Disclosure, disclosure_for
from referrals.models import Referral

MAX_REFERRAL_ID = 2**31 - 1  # Integer primary key: 32 bits on PostgreSQL


def local_today() -> date:
    """Today where the referral service runs (consent dates are calendar days)."""
    return utcnow().astimezone(follow_up_zone()).date()


def follow_up_zone() -> ZoneInfo:
    """The time zone business days are counted in."""
    return ZoneInfo(current_app.config.get("REFERRAL_TIMEZONE") or "UTC")


def refuse(actor, action: str, object_id, outcome: str, status: int, message: str, errors=None):
    """Undo the request's changes, audit the refusal on its own, and answer with an error."""
    db.session.rollback()
    record(actor, action, "referral", object_id, outcome=outcome)
    db.session.commit()
    return error_body(status, message, errors)


def load_visible(referral_id: int, actor, action: str) -> tuple[Referral, frozenset[str]]:
    """The referral and how the actor stands to it; 404 (audited as denied) when not theirs."""
    # An id past the column's range names nothing (and would overflow the driver).
    referral = None
    if 0 < referral_id <= MAX_REFERRAL_ID:
        referral = db.session.get(
            Referral,
            referral_id,
            options=[selectinload(Referral.events), selectinload(Referral.checklist)],
        )
    found = relations(actor, referral) if referral is not None else frozenset()
    if not found:
        # 404 rather than 403, so ids of other organizations' referrals reveal nothing.
        db.session.rollback()
        record(actor, action, "referral", referral_id, outcome="denied")
        db.session.commit()
        abort(404, "referral not found")
    return referral, found


def audit_read(actor, found: frozenset[str], referral: Referral, disclosure: Disclosure) -> None:
    """Record a read of the referral (a disclosure when the reader is not the referring side)."""
    own = bool({"referrer", "admin"} & found)
    action = "read" if own else "disclose"
    record(
        actor, action, "referral", referral.id, outcome="ok" if disclosure.allowed else "blocked"
    )
    if disclosure.allowed and referral.consent is not None:
        record(actor, action, "consent", referral.consent.id)


def reader_view(actor, found: frozenset[str], referral: Referral) -> Disclosure:
    """The disclosure decision for this reader today."""
    return disclosure_for(actor, found, referral, local_today())


def json_error(status: int, message: str, **extra):
    """A problem+json body with extra members (e.g. the allowed events of a 409)."""
    return problem_response(status, message, **extra), status
