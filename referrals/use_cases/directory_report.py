"""The directory accuracy report: the listings an actor answers for, and what happened to them."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, or_, select

from audit.log import record
from corrections.models import CorrectionItem
from corrections.statuses import BOUNCE_PROBLEMS, KINDS, REPORT_PROBLEMS
from directory.extensions import db
from directory.models import Clinician, NetworkParticipation
from directory.models.network import plan_network
from referrals.directory_accuracy import (
    INACTIVE_MONTHS,
    Flag,
    months_back,
    resolution_figures,
    responsiveness_row,
    verification_ages,
    withhold,
)
from referrals.errors import Denied
from referrals.lifecycle import DECLINE_REASONS
from referrals.listing import visible_filter
from referrals.models import Referral, ReferralEvent
from referrals.use_cases.funnel import _sent_in

# Staff re-verifying a listing with no complaint behind it is not a flag.
FLAG_KINDS = tuple(kind for kind in KINDS if kind != "review")
FLAG_PROBLEMS = (*REPORT_PROBLEMS, *BOUNCE_PROBLEMS)
ACTIVITY_EVENTS = ("accept", "attend")


def _utc_day_start(day: date, tz: ZoneInfo) -> datetime:
    """Local midnight at the start of `day`, in UTC as stored."""
    return datetime.combine(day, time(), tz).astimezone(UTC)


def _listings(actor):
    """Ids of the active listings `actor` answers for: admins all, plan staff their networks'."""
    active = select(Clinician.id).where(Clinician.active.is_(True))
    if actor is not None and actor.role == "admin":
        return active
    plans = sorted(actor.plan_ids) if actor is not None else []
    if not plans:
        record(actor, "read", "directory_accuracy", None, outcome="denied")
        db.session.commit()
        raise Denied("the directory report is for plans and administrators", code="report_role")
    networks = select(plan_network.c.network_id).where(plan_network.c.plan_id.in_(plans))
    within = or_(
        NetworkParticipation.network_id.in_(plans), NetworkParticipation.network_id.in_(networks)
    )
    return active.where(Clinician.id.in_(select(NetworkParticipation.clinician_id).where(within)))


def _flags_in(listings, low: datetime, high: datetime):
    """Correction items (not staff reviews) about `listings` opened in [low, high)."""
    return (
        CorrectionItem.clinician_id.in_(listings),
        CorrectionItem.kind.in_(FLAG_KINDS),
        CorrectionItem.opened_at >= low,
        CorrectionItem.opened_at < high,
    )


def _reports(listings, low, high) -> dict:
    """Items per problem and per source (public report, referral decline, bounced contact)."""
    rows = db.session.execute(
        select(CorrectionItem.kind, CorrectionItem.problem, func.count())
        .where(*_flags_in(listings, low, high))
        .group_by(CorrectionItem.kind, CorrectionItem.problem)
    ).all()
    by_reason, by_source = dict.fromkeys(FLAG_PROBLEMS, 0), dict.fromkeys(FLAG_KINDS, 0)
    for kind, problem, n in rows:
        by_reason[problem] = by_reason.get(problem, 0) + n
        by_source[kind] += n
    return {"by_reason": by_reason, "by_source": by_source}


def _flags(listings, low, high, now, tz) -> dict:
    """Flags raised in the period and how they were resolved against the update clock."""
    rows = db.session.execute(
        select(
            CorrectionItem.clinician_id,
            CorrectionItem.opened_at,
            CorrectionItem.update_due_at,
            CorrectionItem.resolved_at,
        ).where(*_flags_in(listings, low, high))
    ).all()
    return resolution_figures([Flag(*row) for row in rows], now, tz)


def _declines(actor, listings, low, high) -> dict:
    """Referrals to `listings` declined in the period, per reason, small cells withheld."""
    found = dict(
        db.session.execute(
            select(Referral.decline_reason, func.count(func.distinct(Referral.id)))
            .join(ReferralEvent, ReferralEvent.referral_id == Referral.id)
            .where(visible_filter(actor), Referral.clinician_id.in_(listings))
            .where(
                ReferralEvent.type == "decline", ReferralEvent.at >= low, ReferralEvent.at < high
            )
            .group_by(Referral.decline_reason)
        ).all()
    )
    counts = dict.fromkeys(DECLINE_REASONS, 0) | {k or "unknown": n for k, n in found.items()}
    rows = [{"reason": reason, "referrals": n} for reason, n in counts.items()]
    total = {"referrals": sum(counts.values())}
    withheld = withhold(rows, total, "referrals", "reason")
    return {"reasons": rows, "total": total, "_withheld": withheld}


def _timings(actor, listings, start, end, tz) -> dict[int, list]:
    """Per clinician, each referral sent in the period: (first send, first acknowledgement)."""
    rows = db.session.execute(
        select(Referral.clinician_id, Referral.id, ReferralEvent.type, func.min(ReferralEvent.at))
        .join(ReferralEvent, ReferralEvent.referral_id == Referral.id)
        .where(visible_filter(actor), Referral.clinician_id.in_(listings))
        .where(Referral.id.in_(_sent_in(start, end, tz)))
        .where(ReferralEvent.type.in_(("send", "acknowledge")))
        .group_by(Referral.clinician_id, Referral.id, ReferralEvent.type)
    ).all()
    moments: dict[tuple[int, int], dict[str, datetime]] = defaultdict(dict)
    for clinician_id, referral_id, kind, at in rows:
        moments[(clinician_id, referral_id)][kind] = at
    timings: dict[int, list] = defaultdict(list)
    for (clinician_id, _), seen in moments.items():
        timings[clinician_id].append((seen["send"], seen.get("acknowledge")))
    return timings


def _responsiveness(actor, listings, start, end, tz) -> dict:
    """Per clinician, referrals received and the share acknowledged within 2 business days."""
    timings = _timings(actor, listings, start, end, tz)
    names = db.session.execute(
        select(Clinician.id, Clinician.npi, Clinician.first_name, Clinician.last_name).where(
            Clinician.id.in_(sorted(timings))
        )
    ).all()
    rows = []
    for clinician_id, npi, first, last in sorted(names, key=lambda n: n.npi):
        row = responsiveness_row(timings[clinician_id], tz)
        name = " ".join(part for part in (first, last) if part)
        rows.append({"clinician_id": clinician_id, "npi": npi, "name": name, **row})
    total = responsiveness_row([t for found in timings.values() for t in found], tz)
    withheld = withhold(rows, total, "referrals", "npi")
    for row in [*rows, total]:
        if row.pop("_share_small") or row["referrals"] is None:
            row["share_acknowledged_within_2_business_days"] = None
    return {"clinicians": rows, "total": total, "_withheld": withheld}


def _inactive(listings, today: date, tz: ZoneInfo) -> dict:
    """Listings with no referral accepted and no visit attended since 12 months before today."""
    since = months_back(today, INACTIVE_MONTHS)
    busy = (
        select(Referral.clinician_id)
        .join(ReferralEvent, ReferralEvent.referral_id == Referral.id)
        .where(ReferralEvent.type.in_(ACTIVITY_EVENTS))
        .where(ReferralEvent.at >= _utc_day_start(since, tz))
    )
    listed = db.session.scalar(select(func.count()).select_from(listings.subquery()))
    idle = db.session.scalar(
        select(func.count()).select_from(listings.where(Clinician.id.not_in(busy)).subquery())
    )
    share = round(idle / listed, 4) if listed else None
    return {
        "listings": listed,
        "inactive": idle,
        "share_inactive": share,
        "since": since.isoformat(),
    }


def directory_figures(actor, start: date, end: date, now: datetime, tz: ZoneInfo) -> dict:
    """Every figure of the report; declines and responsiveness already have small cells withheld."""
    listings = _listings(actor)
    low, high = _utc_day_start(start, tz), _utc_day_start(end + timedelta(days=1), tz)
    today = now.astimezone(tz).date()
    verified = db.session.scalars(select(Clinician.verified_at).where(Clinician.id.in_(listings)))
    declines = _declines(actor, listings, low, high)
    responsiveness = _responsiveness(actor, listings, start, end, tz)
    return {
        "as_of": today.isoformat(),
        "verification": verification_ages(list(verified), today, tz),
        "reports": _reports(listings, low, high),
        "flags": _flags(listings, low, high, now, tz),
        "declines": declines,
        "responsiveness": responsiveness,
        "inactive": _inactive(listings, today, tz),
        "suppressed": declines.pop("_withheld") + responsiveness.pop("_withheld"),
    }


def directory_report(actor, start: date, end: date, now: datetime, tz: ZoneInfo) -> dict:
    """The directory accuracy report for the period, small cells withheld; the access is audited."""
    report = directory_figures(actor, start, end, now, tz)
    record(actor, "read", "directory_accuracy", f"{start}:{end}")
    db.session.commit()
    return report
