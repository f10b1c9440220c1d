"""A clinician's side of the queue: the reports about their own listing, and their answers."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from audit.log import record
from corrections.errors import ItemNotFound
from corrections.models import CorrectionItem
from corrections.resolving import close
from corrections.schemas import Answer, Resolution
from corrections.statuses import CLINICIAN_ANSWERS
from directory.extensions import db
from directory.models import Clinician

PORTAL_METHOD = "portal_attestation"
PORTAL_EVIDENCE = "Answered by the clinician in the portal"
ATTESTATION = "attestation"  # the listing's verified_source, as the listing page's attest sets
# Reports, declines and bounces concern the listing; staff review rows are staff records.
SHOWN_KINDS = ("report", "decline", "bounce")


def _own(actor):
    return (
        select(CorrectionItem)
        .join(Clinician, CorrectionItem.clinician_id == Clinician.id)
        .where(Clinician.npi.in_(sorted(actor.npis)), CorrectionItem.kind.in_(SHOWN_KINDS))
    )


def own_reports(actor, limit: int = 100) -> list[CorrectionItem]:
    """Items about the actor's own listings, newest first; each one shown is an audited read."""
    items = db.session.scalars(
        _own(actor).order_by(CorrectionItem.opened_at.desc(), CorrectionItem.id.desc()).limit(limit)
    ).all()
    for item in items:
        record(actor, "read", "correction_item", item.id)
    db.session.commit()
    return items


def answer(actor, item_id: int, given: Answer, now: datetime) -> CorrectionItem:
    """The clinician confirms or corrects their listing, which resolves the item."""
    item = db.session.scalar(_own(actor).where(CorrectionItem.id == item_id))
    if item is None:
        record(actor, "answer", "correction_item", item_id, outcome="denied")
        db.session.commit()
        raise ItemNotFound(item_id)
    outcome = CLINICIAN_ANSWERS[given.answer]
    resolution = Resolution(outcome, given.note, PORTAL_METHOD, PORTAL_EVIDENCE)
    close(item, actor.label, resolution, now, source=ATTESTATION, actor_id=actor.id)
    record(actor, "answer", "correction_item", item.id)
    db.session.commit()
    return item
