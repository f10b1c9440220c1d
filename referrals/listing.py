"""Referrals an actor may see, as a SQL filter mirroring referrals.access.relations."""

from __future__ import annotations

from sqlalchemy import ColumnElement, false, func, or_, select, true

from directory.models import Clinician
from programs.models import ProgramService, ProgramSite
from referrals.access import REFERRING_ROLES
from referrals.models import Referral


def visible_filter(actor) -> ColumnElement[bool]:
    """WHERE clause for the referrals `actor` may see (the same rules as access.relations)."""
    if actor is None:
        return false()
    if actor.role == "admin":
        return true()
    clauses = []
    if actor.role in REFERRING_ROLES and actor.organization_id is not None:
        clauses.append(Referral.referring_organization_id == actor.organization_id)
    if actor.npis:
        theirs = select(Clinician.id).where(Clinician.npi.in_(sorted(actor.npis)))
        clauses.append(Referral.clinician_id.in_(theirs) & Referral.sent_at.is_not(None))
    organization_id = getattr(actor, "program_organization_id", None)
    if actor.role == "community" and organization_id is not None:
        sites = (
            select(ProgramSite.id)
            .join(ProgramService, ProgramSite.service_id == ProgramService.id)
            .where(ProgramService.organization_id == organization_id)
        )
        clauses.append(Referral.site_id.in_(sites) & Referral.sent_at.is_not(None))
    if actor.plan_ids:
        clauses.append(plan_member_filter(actor.plan_ids))
    return or_(*clauses) if clauses else false()


def plan_member_filter(plan_ids) -> ColumnElement[bool]:
    """Referrals of members of `plan_ids`: the plan and a member id (access.is_plan_member)."""
    # TRIM(NULL) is NULL, so a referral without a member id never matches.
    member = func.trim(Referral.patient_member_id) != ""
    return Referral.plan_id.in_(sorted(plan_ids)) & member


def visible_referrals(
    actor,
    statuses: list[str] | None = None,
    limit: int = 100,
    offset: int = 0,
    kind: str | None = None,
):
    """The newest referrals `actor` may see, optionally only those in `statuses` or of `kind`."""
    query = select(Referral).where(visible_filter(actor))
    if statuses:
        query = query.where(Referral.status.in_(statuses))
    if kind:
        query = query.where(Referral.kind == kind)
    return (
        query.order_by(Referral.created_at.desc(), Referral.id.desc()).limit(limit).offset(offset)
    )
