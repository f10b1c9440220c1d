"""The directory accuracy report: the listings an actor answers for, and what happened to them."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import True_, func, or_, select

from audit.log import record
from corrections.models import CorrectionItem
from corrections.statuses import BOUNCE_PROBLEMS, KINDS, REPORT_PROBLEMS
from directory.extensions import db
from directory.models import Clinician, NetworkParticipation
from directory.models.network import plan_network
from referrals.directory_accuracy import (
    INACTIVE_MONTHS,
    Flag,
    acknowledged_in_time,
    months_back,
    resolution_figures,
    responsiveness_counts,
    verification_ages,
    withhold,
)
from referrals.errors import Denied
from referrals.lifecycle import DECLINE_REASONS
from referrals.models import Referral
from referrals.report_scope import PRACTICE_MANAGER, practice_clinicians, report_filter
from referrals.summary_models import ReferralSummary as S
from referrals.summary_months import (
    declined_by_month,
    month_end,
    received_by_month,
    whole_months,
)
from referrals.use_cases.funnel_summary import sent_between

# Staff re-verifying a listing with no complaint behind it is not a flag.
FLAG_KINDS = tuple(kind for kind in KINDS if kind != "review")
FLAG_PROBLEMS = (*REPORT_PROBLEMS, *BOUNCE_PROBLEMS)


def _utc_day_start(day: date, tz: ZoneInfo) -> datetime:
    """Local midnight at the start of `day`, in UTC as stored."""
    return datetime.combine(day, time(), tz).astimezone(UTC)


def _listings(actor):
    """Active listings `actor` answers for: all (admins), their networks' or their practice's."""
    active = select(Clinician.id).where(Clinician.active.is_(True))
    if actor is not None and actor.role == "admin":
        return active
    if actor is not None and actor.role == PRACTICE_MANAGER:
        # A referring practice without clinicians answers for no listing: zeros, not a refusal.
        return active.where(Clinician.id.in_(practice_clinicians(actor.organization_id)))
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


def _summary_rows(actor, listings) -> list:
    """WHERE clauses: summary rows of referrals to `listings` that `actor`'s reports count."""
    clauses = [S.clinician_id.in_(listings)]
    visible = report_filter(actor)
    if not isinstance(visible, True_):
        clauses.append(S.referral_id.in_(select(Referral.id).where(visible)))
    return clauses


def _declined_rows(actor, listings, start: date, end: date, tz: ZoneInfo) -> dict:
    """Referrals to `listings` declined between local `start` and `end`, per reason."""
    low, high = _utc_day_start(start, tz), _utc_day_start(end + timedelta(days=1), tz)
    return dict(
        db.session.execute(
            select(S.decline_reason, func.count())
            .where(*_summary_rows(actor, listings), S.declined_at >= low, S.declined_at < high)
            .group_by(S.decline_reason)
        ).all()
    )


def _edges(start: date, end: date, months: tuple[date, date]) -> list[tuple[date, date]]:
    """The period's days before its first and after its last whole month."""
    after = month_end(months[1]) + timedelta(days=1)
    edges = ((start, months[0] - timedelta(days=1)), (after, end))
    return [(low, high) for low, high in edges if low <= high]


def _declined(actor, listings, start: date, end: date, tz: ZoneInfo) -> dict:
    """Declines per reason: whole months from their counts (all referrals), the rest by row."""
    months = whole_months(start, end)
    if months is not None and isinstance(report_filter(actor), True_):
        found, other_zone = declined_by_month(listings, *months, tz.key)
        if not other_zone:  # months kept in another zone are not this zone's months
            for low, high in _edges(start, end, months):
                for reason, n in _declined_rows(actor, listings, low, high, tz).items():
                    found[reason] = found.get(reason, 0) + n
            return found
    return _declined_rows(actor, listings, start, end, tz)


def _declines(actor, listings, start: date, end: date, tz: ZoneInfo) -> dict:
    """Referrals to `listings` declined in the period, per reason, small cells withheld."""
    found = _declined(actor, listings, start, end, tz)
    counts = dict.fromkeys(DECLINE_REASONS, 0) | {k or "unknown": n for k, n in found.items()}
    rows = [{"reason": reason, "referrals": n} for reason, n in counts.items()]
    total = {"referrals": sum(counts.values())}
    withheld = withhold(rows, total, "referrals", "reason")
    return {"reasons": rows, "total": total, "_withheld": withheld}


def _acknowledged(actor, listings, start, end, tz) -> dict[int, list[int]]:
    """Per clinician, referrals sent in the period: [received, acknowledged within 2 days]."""
    months = whole_months(start, end)
    if months is None or not isinstance(report_filter(actor), True_):
        return _acknowledged_rows(actor, listings, start, end, tz)
    # Whole months from the per-month counts (every referral: the counts know no visibility).
    counts, other_zone = received_by_month(listings, *months, tz.key)
    if other_zone:  # months counted in another zone: their business days again, row by row
        return _acknowledged_rows(actor, listings, start, end, tz)
    for low, high in _edges(start, end, months):
        for clinician_id, (received, in_time) in _acknowledged_rows(
            actor, listings, low, high, tz
        ).items():
            counts[clinician_id][0] += received
            counts[clinician_id][1] += in_time
    return counts


def _acknowledged_rows(actor, listings, start, end, tz) -> dict[int, list[int]]:
    """`_acknowledged` counted from the summary rows themselves."""
    where = [*sent_between(actor, start, end, tz), S.clinician_id.in_(listings)]
    rows = db.session.execute(
        select(S.clinician_id, S.zone, func.count(), func.count().filter(S.acknowledged_in_time))
        .where(*where)
        .group_by(S.clinician_id, S.zone)
    ).all()
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for clinician_id, zone, received, in_time in rows:
        if zone == tz.key:
            counts[clinician_id] = [received, in_time]
    if all(zone == tz.key for _, zone, _, _ in rows):
        return counts
    # Rows kept in another time zone: their business days counted again in `tz`.
    for clinician_id, sent, acknowledged in db.session.execute(
        select(S.clinician_id, S.sent_at, S.acknowledged_at).where(*where, S.zone != tz.key)
    ):
        counts[clinician_id][0] += 1
        counts[clinician_id][1] += acknowledged_in_time(sent, acknowledged, tz)
    return counts


def _responsiveness(actor, listings, start, end, tz) -> dict:
    """Per clinician, referrals received and the share acknowledged within 2 business days."""
    counts = _acknowledged(actor, listings, start, end, tz)
    names = db.session.execute(
        select(Clinician.id, Clinician.npi, Clinician.first_name, Clinician.last_name).where(
            Clinician.id.in_(sorted(counts))
        )
    ).all()
    rows = []
    for clinician_id, npi, first, last in sorted(names, key=lambda n: n.npi):
        row = responsiveness_counts(*counts[clinician_id])
        name = " ".join(part for part in (first, last) if part)
        rows.append({"clinician_id": clinician_id, "npi": npi, "name": name, **row})
    total = responsiveness_counts(*(sum(c[i] for c in counts.values()) for i in (0, 1)))
    withheld = withhold(rows, total, "referrals", "npi")
    for row in [*rows, total]:
        if row.pop("_share_small") or row["referrals"] is None:
            row["share_acknowledged_within_2_business_days"] = None
    return {"clinicians": rows, "total": total, "_withheld": withheld}


def _inactive(listings, today: date, tz: ZoneInfo) -> dict:
    """Listings with no referral accepted and no visit attended since 12 months before today."""
    since = months_back(today, INACTIVE_MONTHS)
    # NOT EXISTS: one index probe per listing, where NOT IN hashed every active referral.
    busy = select(S.referral_id).where(
        S.clinician_id == Clinician.id, S.last_active_at >= _utc_day_start(since, tz)
    )
    listed = db.session.scalar(select(func.count()).select_from(listings.subquery()))
    idle = db.session.scalar(
        select(func.count()).select_from(listings.where(~busy.exists()).subquery())
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
    declines = _declines(actor, listings, start, end, tz)
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
