"""Follow-up: the work queue of overdue referrals, and expiry of abandoned ones."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from directory.business_days import add_business_days
from directory.extensions import db
from directory.models.verification import as_utc
from referrals.lifecycle import AWAITING_APPOINTMENT, IDLE_EXPIRES, EventInput
from referrals.listing import visible_filter
from referrals.models import Referral
from referrals.transitions import fire


@dataclass(frozen=True)
class AccessStandard:
    """Business days from sending to acknowledgment and to a scheduled appointment."""

    acknowledge: int
    appointment: int


# Routine: acknowledged in 2 business days, an appointment within 10 (the routine BH access
# standard). Urgent needs are seen within about 48 hours, so both clocks are shorter.
ACCESS_STANDARDS = {
    "routine": AccessStandard(acknowledge=2, appointment=10),
    "urgent": AccessStandard(acknowledge=1, appointment=2),
}
# Statuses an abandoned referral may be expired from; ones with an appointment never expire.
EXPIRABLE = IDLE_EXPIRES


@dataclass(frozen=True)
class Overdue:
    """A referral in the work queue: why it is overdue and since when."""

    referral: Referral
    reason: str  # not_acknowledged | no_appointment
    due_at: datetime


def overdue_reason(referral: Referral, now: datetime, tz: ZoneInfo) -> tuple[str, datetime] | None:
    """Why `referral` is overdue at `now` and when it fell due, or None."""
    sent_at = as_utc(referral.sent_at)
    if sent_at is None or referral.status not in AWAITING_APPOINTMENT:
        return None
    standard = ACCESS_STANDARDS.get(referral.urgency, ACCESS_STANDARDS["routine"])
    appointment_due = add_business_days(sent_at, standard.appointment, tz)
    if now >= appointment_due:
        return "no_appointment", appointment_due
    acknowledge_due = add_business_days(sent_at, standard.acknowledge, tz)
    if referral.status == "sent" and now >= acknowledge_due:
        return "not_acknowledged", acknowledge_due
    return None


def overdue_queue(actor, now: datetime, tz: ZoneInfo) -> list[Overdue]:
    """Overdue referrals `actor` may see, longest overdue first."""
    # Any business-day deadline is at least one calendar day out: skip the fresh ones in SQL.
    candidates = db.session.scalars(
        select(Referral)
        .where(visible_filter(actor))
        .where(Referral.status.in_(AWAITING_APPOINTMENT))
        .where(Referral.sent_at <= now - timedelta(days=1))
    )
    queue = []
    for referral in candidates:
        found = overdue_reason(referral, now, tz)
        if found:
            queue.append(Overdue(referral, *found))
    return sorted(queue, key=lambda item: (item.due_at, item.referral.id))


def expire_stale(now: datetime, after_days: int) -> list[Referral]:
    """Expire referrals left without any step for `after_days`; the caller commits."""
    cutoff = now - timedelta(days=after_days)
    stale = db.session.scalars(
        select(Referral)
        .where(Referral.status.in_(EXPIRABLE))
        .where(Referral.updated_at < cutoff)
        .order_by(Referral.id)
    ).all()
    note = f"no progress for {after_days} days"
    for referral in stale:
        fire(referral, None, EventInput(type="expire", note=note), now)
    return list(stale)
