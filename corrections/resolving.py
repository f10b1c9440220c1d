"""Closing an item: the outcome, who closed it, and what a verified listing records."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

from corrections.errors import AlreadyResolved
from corrections.models import CorrectionItem
from corrections.schemas import Resolution
from corrections.statuses import OPEN_STATUSES, STATUS_TABLE
from directory import facts
from directory.extensions import db
from directory.listing_facts import listing_observations
from directory.models import Clinician


def verification_source(method: str) -> str:
    """The listing's verified_source for a check made by `method`."""
    return f"staff:{method}"


def clear_flag_when_done(clinician: Clinician) -> None:
    """The listing's flag stays while any item about it is still open."""
    still_open = db.session.scalar(
        select(func.count(CorrectionItem.id)).where(
            CorrectionItem.clinician_id == clinician.id,
            CorrectionItem.status.in_(OPEN_STATUSES),
        )
    )
    if not still_open:
        clinician.flagged_reason = None
        clinician.flagged_at = None


def observe_check(
    item: CorrectionItem, resolution: Resolution, now: datetime, source: str, actor_id: int | None
) -> None:
    """The check as fact observations: every fact the listing shows, confirmed by `source` now."""
    found = listing_observations(
        item.clinician,
        source,
        now,
        method=resolution.method,
        evidence=resolution.evidence,
        actor_id=actor_id,
        source_ref=f"correction_item:{item.id}",
    )
    facts.record(found)


def close(
    item: CorrectionItem,
    by: str,
    resolution: Resolution,
    now: datetime,
    source: str | None = None,
    actor_id: int | None = None,
) -> None:
    """Record the outcome; a corrected or confirmed listing is verified now (the caller commits)."""
    if STATUS_TABLE[item.status].terminal:
        raise AlreadyResolved(item.status)
    item.status = resolution.outcome
    item.resolved_at = now
    item.resolved_by = by
    item.outcome_note = resolution.note
    item.method = resolution.method
    item.evidence = resolution.evidence
    if STATUS_TABLE[resolution.outcome].verifies:
        item.clinician.verify(source or verification_source(resolution.method), now)
        fact_source = "clinician_attestation" if source else "staff_verification"
        observe_check(item, resolution, now, fact_source, actor_id)
    db.session.flush()
    clear_flag_when_done(item.clinician)
