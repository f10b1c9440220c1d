"""Referrals an actor's aggregated reports count: the ones they may see, or their practice's."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, false, func, not_, select

from accounts.models import practice_clinician_npis
from directory.models import Clinician
from referrals.access import REFERRING_ROLES
from referrals.listing import plan_member_filter, visible_filter
from referrals.models import Referral

# Reads reports about a practice and nothing else: visible_filter (rows that may be opened)
# never admits this role, so no referral page, list or export shows them a patient.
PRACTICE_MANAGER = "practice_manager"


def practice_clinicians(organization_id: int):
    """A SELECT of the ids of the listings a practice's clinician users act for."""
    return select(Clinician.id).where(Clinician.npi.in_(practice_clinician_npis(organization_id)))


def practice_filter(organization_id: int) -> ColumnElement[bool]:
    """Referrals the practice sent, and referrals sent to its clinicians."""
    # Both sides, so a group practice that refers and treats sees each referral once; another
    # practice's referral to a clinician who is not one of this practice's is never counted.
    received = Referral.clinician_id.in_(practice_clinicians(organization_id))
    return (Referral.referring_organization_id == organization_id) | (
        received & Referral.sent_at.is_not(None)
    )


def report_filter(actor) -> ColumnElement[bool]:
    """WHERE clause for the referrals `actor`'s funnel and directory reports count."""
    if actor is not None and actor.role == PRACTICE_MANAGER:
        if actor.organization_id is None:
            return false()
        return practice_filter(actor.organization_id)
    return visible_filter(actor)


@dataclass(frozen=True)
class RollupScope:
    """What the rollup counts for an actor: `plans` (None: all), and `apart`, read per row."""

    plans: tuple[str, ...] | None
    apart: ColumnElement[bool] | None = None


def rollup_scope(actor) -> RollupScope | None:
    """How the rollup answers `actor`'s reports exactly (as visible_filter), or None if not."""
    if actor is None or actor.role == PRACTICE_MANAGER:
        return None  # their practice's clinicians and referrers are no rollup key
    if actor.role == "admin":
        return RollupScope(None)
    programs = actor.role == "community" and actor.program_organization_id is not None
    # The rollup keeps "" for referrals without a plan, so a plan id "" would count them.
    if actor.npis or programs or not actor.plan_ids or "" in actor.plan_ids:
        return None
    plans = tuple(sorted(actor.plan_ids))
    if actor.role in REFERRING_ROLES and actor.organization_id is not None:
        # visible_filter's other side: what their organization sent outside those plans' members.
        members = func.coalesce(plan_member_filter(plans), false())
        sent = Referral.referring_organization_id == actor.organization_id
        return RollupScope(plans, sent & not_(members))
    return RollupScope(plans)
