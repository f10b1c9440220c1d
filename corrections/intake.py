"""Filing items into the one queue: public reports, referral declines, bounced contacts."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import select

from audit.keys import current_key
from audit.log import record
from corrections.clocks import reverify_due, update_due
from corrections.errors import ListingNotFound
from corrections.models import CorrectionItem
from corrections.schemas import BounceInput, ReportInput
from corrections.statuses import DECLINE_PROBLEMS, OPEN_STATUSES
from directory.extensions import db
from directory.models import Clinician


def zone() -> ZoneInfo:
    """Business days count where the service runs."""
    return ZoneInfo(current_app.config.get("REFERRAL_TIMEZONE") or "UTC")


def reporter_ref(address: str | None) -> str | None:
    """A keyed hash of the reporter's address: enough to spot abuse, never the address itself."""
    if not address:
        return None
    return "addr-hmac:" + current_key().mac("reporter", address.encode())[:32]


def listed(npi: str) -> Clinician:
    """The active listing with this NPI."""
    clinician = db.session.scalar(
        select(Clinician).where(Clinician.npi == npi, Clinician.active.is_(True))
    )
    if clinician is None:
        raise ListingNotFound(npi)
    return clinician


def open_item(
    clinician: Clinician, kind: str, problem: str, now: datetime, filed_by: str, **fields
) -> CorrectionItem:
    """A new open item with both No Surprises Act clocks set (the caller commits)."""
    item = CorrectionItem(
        kind=kind,
        problem=problem,
        clinician=clinician,
        opened_at=now,
        update_due_at=update_due(now, zone()),
        reverify_due_at=reverify_due(clinician.verified_at, now),
        status="open",
        filed_by=filed_by,
        **fields,
    )
    db.session.add(item)
    db.session.flush()
    return item


def file_report(
    npi: str, report: ReportInput, address: str | None, now: datetime
) -> CorrectionItem:
    """A member of the public says the listing is wrong: no sign-in, address kept only hashed."""
    clinician = listed(npi)
    item = open_item(
        clinician,
        "report",
        report.problem,
        now,
        "anonymous",
        details=report.details,
        plan_id=report.plan_id,
        reporter_ref=reporter_ref(address),
    )
    record(None, "report_problem", "correction_item", item.id)
    db.session.commit()
    return item


def _open_duplicate(clinician: Clinician, kind: str, problem: str) -> CorrectionItem | None:
    return db.session.scalar(
        select(CorrectionItem).where(
            CorrectionItem.clinician_id == clinician.id,
            CorrectionItem.kind == kind,
            CorrectionItem.problem == problem,
            CorrectionItem.status.in_(OPEN_STATUSES),
        )
    )


def file_decline(
    clinician: Clinician, reason: str, plan_id: str | None, referral_id: int | None, now: datetime
) -> CorrectionItem | None:
    """A decline saying the listing is wrong; one open item per listing and problem is enough."""
    problem = DECLINE_PROBLEMS.get(reason)
    if problem is None:
        return None
    found = _open_duplicate(clinician, "decline", problem)
    if found is not None:
        return found
    plan = plan_id if problem == "not_in_plan" else None
    return open_item(
        clinician, "decline", problem, now, "system", plan_id=plan, referral_id=referral_id
    )


def file_bounce(actor, clinician_id: int, bounce: BounceInput, now: datetime) -> CorrectionItem:
    """A contact on the listing failed (staff, or a notifier with actor None); commits."""
    clinician = db.session.get(Clinician, clinician_id)
    if clinician is None:
        raise ListingNotFound(str(clinician_id))
    details = bounce.contact if not bounce.note else f"{bounce.contact}: {bounce.note}"
    item = open_item(
        clinician,
        "bounce",
        bounce.channel,
        now,
        actor.label if actor is not None else "system",
        details=details[:500],
    )
    record(actor, "report_bounce", "correction_item", item.id)
    db.session.commit()
    return item
