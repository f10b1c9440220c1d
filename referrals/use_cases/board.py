"""The referring side's board: its visible referrals filtered, and the clinicians to filter by."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from directory.extensions import db
from directory.models import Clinician
from directory.models.verification import utcnow
from referrals.board import BoardArgsSchema
from referrals.clock import zone
from referrals.followup import overdue_reason
from referrals.lifecycle import AWAITING_APPOINTMENT
from referrals.listing import visible_filter, visible_referrals
from referrals.models import Referral
from referrals.use_cases.reads import Shown, _disclose_all
from referrals.use_cases.trail import parse


@dataclass(frozen=True)
class Board:
    """The filtered referrals, why each is overdue (or None), the filters and clinician choices."""

    shown: list[Shown]
    overdue: dict[int, tuple[str, object] | None]
    filters: dict
    clinicians: list[tuple[int, str]]


def board(actor, raw_args: dict, limit: int, kind: str | None = None) -> Board:
    """The newest visible referrals matching the GET filters; only those shown are disclosed."""
    filters = parse(BoardArgsSchema(), raw_args)
    query = visible_referrals(actor, _statuses(filters), limit, kind=kind)
    if filters["clinician"]:
        query = query.where(Referral.clinician_id == filters["clinician"])
    now, tz = utcnow(), zone()
    rows = db.session.scalars(query).all()
    late = {r.id: overdue_reason(r, now, tz) for r in rows}
    if filters["overdue"]:
        rows = [r for r in rows if late[r.id]]
    return Board(_disclose_all(actor, rows), late, filters, clinician_choices(actor, kind))


def _statuses(filters: dict) -> list[str] | None:
    """The statuses to read: the one chosen; for overdue only, those still awaiting a visit."""
    # Only awaiting ones can be overdue: the newest `limit` of those, not of every referral.
    if filters["overdue"] and not filters["status"]:
        return list(AWAITING_APPOINTMENT)
    return [filters["status"]] if filters["status"] else None


def clinician_choices(actor, kind: str | None = None) -> list[tuple[int, str]]:
    """Each clinician receiving one of the actor's visible referrals (of `kind`), by name."""
    receiving = select(Referral.clinician_id).where(visible_filter(actor))
    if kind is not None:  # a program board names no clinicians
        receiving = receiving.where(Referral.kind == kind)
    query = (
        select(Clinician)
        .where(Clinician.id.in_(receiving))
        .order_by(Clinician.last_name, Clinician.first_name, Clinician.id)
    )
    return [(c.id, c.display_name) for c in db.session.scalars(query)]
