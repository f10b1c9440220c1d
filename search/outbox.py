"""Record changed listings in the search outbox, in the same transaction as the change.

A session flush listener sees every ORM write to a clinician or to the rows its index
documents are built from, and inserts one outbox row per affected clinician. Core bulk
statements (`session.execute(update(...))`) bypass ORM events: after those, run
`flask search check --enqueue` or `flask search reindex`.
"""

from collections.abc import Iterable
from itertools import chain

from flask import current_app, has_app_context
from sqlalchemy import event, insert, inspect, select
from sqlalchemy.orm import Session

from directory.extensions import db
from directory.models import (
    Clinician,
    ClinicianCompetency,
    ClinicianLanguage,
    ClinicianLocation,
    ClinicianTaxonomy,
    License,
    Location,
    NetworkParticipation,
)
from directory.models.verification import utcnow
from search.models import SearchOutbox

# Rows that belong to one clinician through a clinician_id column.
CLINICIAN_ROWS = (
    ClinicianCompetency,
    ClinicianLanguage,
    ClinicianLocation,
    ClinicianTaxonomy,
    License,
    NetworkParticipation,
)
_PENDING = "search_outbox_pending"
# Clinicians already queued in the open transaction: one row each, however many flushes.
_QUEUED = "search_outbox_queued"


def outbox_enabled() -> bool:
    """True when the current app records changes (SEARCH_OUTBOX)."""
    return has_app_context() and bool(current_app.config.get("SEARCH_OUTBOX"))


def install_outbox_listener() -> None:
    """Attach the flush listeners to the Flask-SQLAlchemy session (once per process)."""
    if not event.contains(db.session, "before_flush", _before_flush):
        event.listen(db.session, "before_flush", _before_flush)
        event.listen(db.session, "after_flush", _after_flush)
        event.listen(db.session, "after_commit", _forget)
        event.listen(db.session, "after_rollback", _forget)


def _forget(session: Session) -> None:
    """A transaction ended: what it queued is committed or gone."""
    session.info.pop(_PENDING, None)
    session.info.pop(_QUEUED, None)


def _before_flush(session: Session, _context, _instances) -> None:
    """Collect ids of rows about to change or disappear, while their links can still be read."""
    if not outbox_enabled():
        return
    clinicians, locations = set(), set()
    modified = (obj for obj in session.dirty if session.is_modified(obj))
    for obj in chain(modified, session.deleted):
        _collect(obj, clinicians, locations, with_history=True)
    if locations:
        # Now, not after the flush: a deleted location's links go with it (ON DELETE CASCADE).
        at_locations = select(ClinicianLocation.clinician_id).where(
            ClinicianLocation.location_id.in_(sorted(locations))
        )
        clinicians.update(session.connection().scalars(at_locations))
    session.info.setdefault(_PENDING, set()).update(clinicians)


def _after_flush(session: Session, _context) -> None:
    """Add new rows (their ids exist now); one outbox row per clinician per transaction."""
    if not outbox_enabled():
        return
    clinicians = session.info.pop(_PENDING, set())
    for obj in session.new:
        # A new location has no links yet; new links are new ClinicianLocation rows.
        _collect(obj, clinicians, set(), with_history=False)
    clinicians.discard(None)
    queued = session.info.setdefault(_QUEUED, set())
    fresh = clinicians - queued
    if fresh:
        session.connection().execute(insert(SearchOutbox), _outbox_rows(fresh))
        queued.update(fresh)


def _collect(obj, clinicians: set, locations: set, with_history: bool) -> None:
    """Add the clinician (or location) ids `obj` touches, old values included."""
    if isinstance(obj, Clinician):
        clinicians.add(obj.id)
    elif isinstance(obj, CLINICIAN_ROWS):
        clinicians.add(obj.clinician_id)
        if with_history:
            clinicians.update(inspect(obj).attrs.clinician_id.history.deleted or ())
    elif isinstance(obj, Location):
        locations.add(obj.id)


def _outbox_rows(clinician_ids: Iterable[int]) -> list[dict]:
    now = utcnow()
    return [
        {"clinician_id": cid, "changed_at": now, "available_at": now, "attempts": 0}
        for cid in sorted(clinician_ids)
    ]


def enqueue(clinician_ids: Iterable[int]) -> int:
    """Queue clinicians for re-indexing in the caller's transaction; returns how many."""
    rows = _outbox_rows(set(clinician_ids))
    if rows:
        db.session.execute(insert(SearchOutbox), rows)
    return len(rows)
