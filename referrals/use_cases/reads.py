"""Reading referrals: one, a page, the inbox, the overdue queue, the FHIR export; all audited."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from audit.log import record
from directory.extensions import db
from directory.models.verification import utcnow
from referrals.access import can_manage, relations
from referrals.clock import local_today, zone
from referrals.disclosure import Disclosure, disclosure_for
from referrals.errors import Denied, NotFound
from referrals.fhir import referral_bundle
from referrals.followup import Overdue, overdue_queue
from referrals.lifecycle import INBOX_GROUPS, inbox_statuses
from referrals.listing import visible_referrals
from referrals.models import Referral
from referrals.schemas import ListArgsSchema
from referrals.use_cases.return_reads import returns_for
from referrals.use_cases.trail import audit_refusal, parse
from screening.results import attached_to

MAX_REFERRAL_ID = 2**31 - 1  # Integer primary key: 32 bits on PostgreSQL


@dataclass(frozen=True)
class Shown:
    """A referral as one reader may see it: how they stand to it and what is disclosed."""

    referral: Referral
    relations: frozenset[str]
    disclosure: Disclosure


@dataclass(frozen=True)
class Page:
    """One page of the referrals a reader may see, newest first."""

    items: list[Shown]
    total: int
    limit: int
    offset: int


def load_visible(actor, referral_id: int, action: str) -> tuple[Referral, frozenset[str]]:
    """The referral and how the actor stands to it; NotFound (audited as denied) otherwise."""
    referral = None
    # An id past the column's range names nothing (and would overflow the driver).
    if 0 < referral_id <= MAX_REFERRAL_ID:
        referral = db.session.get(
            Referral,
            referral_id,
            options=[selectinload(Referral.events), selectinload(Referral.checklist)],
        )
    found = relations(actor, referral) if referral is not None else frozenset()
    if not found:
        # Not found rather than denied, so ids of other organizations' referrals reveal nothing.
        audit_refusal(actor, action, referral_id, "denied")
        raise NotFound("referral not found", code="not_yours")
    return referral, found


def _audit_read(actor, found: frozenset[str], referral: Referral, disclosure: Disclosure) -> None:
    """A read by the referring side, a disclosure to anyone else; blocked when withheld."""
    action = "read" if {"referrer", "admin"} & found else "disclose"
    outcome = "ok" if disclosure.allowed else "blocked"
    record(actor, action, "referral", referral.id, outcome=outcome)
    if disclosure.allowed and referral.consent is not None:
        record(actor, action, "consent", referral.consent.id)


def disclose(actor, referral: Referral, found: frozenset[str] | None = None) -> Shown:
    """What `actor` may see of `referral` today, audited in the current transaction."""
    found = relations(actor, referral) if found is None else found
    disclosure = disclosure_for(actor, found, referral, local_today())
    _audit_read(actor, found, referral, disclosure)
    return Shown(referral, found, disclosure)


def _disclose_all(actor, referrals: Iterable[Referral]) -> list[Shown]:
    """Each referral disclosed and audited; an empty answer is audited as one read; commits."""
    shown = [disclose(actor, referral) for referral in referrals]
    if not shown:
        record(actor, "read", "referral", None)
    db.session.commit()
    return shown


def read(actor, referral_id: int, action: str = "read") -> Shown:
    """One referral as the actor may see it; commits the audit."""
    referral, found = load_visible(actor, referral_id, action)
    shown = disclose(actor, referral, found)
    db.session.commit()
    return shown


def shown_after_write(actor, referral: Referral) -> Shown:
    """The referral a write just changed, as its writer may now see it; commits the audit."""
    shown = disclose(actor, referral)
    db.session.commit()
    return shown


def managed(actor, referral_id: int, action: str) -> Referral:
    """A referral its referring side works on (re-referral pages); Denied for anyone else."""
    referral, found = load_visible(actor, referral_id, action)
    if not can_manage(actor, referral):
        audit_refusal(actor, action, referral_id, "denied")
        raise Denied("only the referring side may do this", code="manage")
    disclose(actor, referral, found)
    db.session.commit()
    return referral


def list_visible(actor, raw_args: dict) -> Page:
    """A page of the referrals the actor may see (?status, limit, offset); commits the audit."""
    args = parse(ListArgsSchema(), raw_args)
    status, kind = args["status"], args["kind"]
    query = visible_referrals(actor, status, args["limit"], args["offset"], kind)
    rows = db.session.scalars(query).all()
    every = visible_referrals(actor, status, kind=kind).limit(None).offset(None).order_by(None)
    total = db.session.scalar(select(func.count()).select_from(every.subquery()))
    return Page(_disclose_all(actor, rows), total, args["limit"], args["offset"])


def recent(actor, limit: int, kind: str | None = None) -> list[Shown]:
    """The newest referrals the actor may see (of one kind), for a staff page; commits the audit."""
    query = visible_referrals(actor, limit=limit, kind=kind)
    return _disclose_all(actor, db.session.scalars(query).all())


def inbox(actor, limit: int) -> list[tuple[str, list[Shown]]]:
    """Referrals sent to the actor's clinicians, in the status table's inbox sections."""
    rows = db.session.scalars(visible_referrals(actor, limit=limit)).all()
    # An admin sees every referral elsewhere; the inbox holds only those they receive.
    shown = _disclose_all(actor, [r for r in rows if "receiver" in relations(actor, r)])
    return [
        (group, [s for s in shown if s.referral.status in inbox_statuses(group)])
        for group in INBOX_GROUPS
    ]


def overdue(actor) -> list[tuple[Overdue, Shown]]:
    """The follow-up work queue the actor may see, longest overdue first; commits the audit."""
    queue = overdue_queue(actor, utcnow(), zone())
    shown = _disclose_all(actor, [entry.referral for entry in queue])
    return list(zip(queue, shown, strict=True))


def fhir_export(actor, referral_id: int):
    """The referral as a FHIR Bundle for this reader: labelled, and bare where withheld."""
    return shown_export(actor, referral_id)[1]


def shown_export(actor, referral_id: int):
    """The referral as the reader may see it, and its FHIR Bundle; commits the audit."""
    referral, found = load_visible(actor, referral_id, "read")
    shown = disclose(actor, referral, found)
    withheld = shown.disclosure.withheld
    # Screenings are clinical content: they go only where nothing is withheld, each audited.
    full = shown.disclosure.allowed and not withheld
    screenings = attached_to(referral.id) if full else []
    action = "read" if {"referrer", "admin"} & found else "disclose"
    for result, _scored in screenings:
        record(actor, action, "screening", result.id)
    returns = returns_for(actor, shown)
    bundle = referral_bundle(
        referral,
        local_today(),
        utcnow(),
        withheld,
        screenings,
        returns=[seen.row for seen in returns if seen.allowed],
        returns_withheld=any(not seen.allowed for seen in returns),
    )
    db.session.commit()
    return shown, bundle
