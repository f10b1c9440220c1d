"""BSeR referrals in and out: a partner's referral message, searches and feedback; audited.

A referral message is the same create-then-send the API and pages do, so consent, the Part 2
gate, notices and the audit trail are theirs: a send the consent does not permit leaves the
referral a draft and says why. Searches list what referrals.listing lets the actor see.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from audit.log import record
from directory.extensions import db
from directory.models import Organization
from referrals.access import relations
from referrals.clock import local_today
from referrals.disclosure import disclosure_for
from referrals.errors import Blocked
from referrals.listing import visible_filter
from referrals.models import Referral
from referrals.use_cases.reads import Page, Shown, disclose, shown_after_write
from referrals.use_cases.writes import create, move

# A patient's referrals are filtered in Python (what is withheld from the reader is left out,
# so a patient search never links a withheld referral to its patient); a patient has few.
MAX_PATIENT_ROWS = 1000


@dataclass(frozen=True)
class Received:
    """The referral a message made (or the earlier one a re-post names), and any refusal."""

    shown: Shown
    blocked: Blocked | None
    replayed: bool


@dataclass(frozen=True)
class ReferralQuery:
    """A search: lifecycle statuses, the patient's episode, the requester, one page."""

    statuses: tuple[str, ...] = ()
    episode_id: int | None = None
    requester: tuple[int | None, str | None] | None = None  # organization row id or external id
    # Changed at or after the first moment and before the second (None: unbounded), each.
    updated: tuple[tuple[datetime | None, datetime | None], ...] = ()
    count: int = 20
    offset: int = 0


def receive(actor, body: dict, key: str, now: datetime) -> Received:
    """Create the referral (once per key) and send it; a refused send leaves the draft."""
    created = create(actor, body, now, key)
    referral_id = created.referral.id
    blocked = None
    if created.referral.status == "draft":
        try:
            move(actor, referral_id, {"type": "send"}, now)
        except Blocked as err:
            # Audited and rolled back by move: the draft stays, as on the pages.
            blocked = err
    referral = db.session.get(Referral, referral_id)
    return Received(shown_after_write(actor, referral), blocked, created.replayed)


def _query(actor, wanted: ReferralQuery):
    # What every Task and ServiceRequest reads, loaded per page rather than per referral.
    loads = [Referral.events, Referral.consent, Referral.clinician, Referral.referring_organization]
    query = select(Referral).where(visible_filter(actor)).options(*map(selectinload, loads))
    if wanted.statuses:
        query = query.where(Referral.status.in_(wanted.statuses))
    if wanted.episode_id is not None:
        query = query.where(Referral.episode_id == wanted.episode_id)
    for since, before in wanted.updated:
        if since is not None:
            query = query.where(Referral.updated_at >= since)
        if before is not None:
            query = query.where(Referral.updated_at < before)
    if wanted.requester is not None:
        row_id, external_id = wanted.requester
        orgs = select(Organization.id).where(
            or_(Organization.id == row_id, Organization.external_id == external_id)
            if external_id is not None
            else Organization.id == row_id
        )
        query = query.where(Referral.referring_organization_id.in_(orgs))
    return query.order_by(Referral.created_at.desc(), Referral.id.desc())


def _patient_page(actor, query, wanted: ReferralQuery) -> tuple[int, list[Referral]]:
    """The patient's referrals the reader is shown in full, one page of them."""
    rows = db.session.scalars(query.limit(MAX_PATIENT_ROWS)).all()
    today = local_today()
    kept = [r for r in rows if disclosure_for(actor, relations(actor, r), r, today).allowed]
    return len(kept), kept[wanted.offset : wanted.offset + wanted.count]


def search_referrals(actor, wanted: ReferralQuery) -> Page:
    """One page of the referrals the actor may see that match; each audited; commits."""
    query = _query(actor, wanted)
    if wanted.episode_id is not None:
        total, rows = _patient_page(actor, query, wanted)
    else:
        counted = query.order_by(None).subquery()
        total = db.session.scalar(select(func.count()).select_from(counted))
        rows = db.session.scalars(query.limit(wanted.count).offset(wanted.offset)).all()
    shown = [disclose(actor, referral) for referral in rows]
    if not shown:
        record(actor, "read", "referral", None)
    db.session.commit()
    return Page(shown, total, wanted.count, wanted.offset)
