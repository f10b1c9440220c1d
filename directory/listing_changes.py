"""Keep Clinician.updated_at the time its listing last changed, whatever row changed.

The change feed (/api/v1/changes), FHIR `_lastUpdated` and Last-Modified read
Clinician.updated_at. A clinician's listing also changes when one of its child rows
(languages, taxonomies, licenses, competencies, locations, network participations) or a
location it practises at changes, and those writes never UPDATE the clinician row. A session
flush listener bumps the clinicians such writes touch, in the same transaction; it also bumps
a Network when the list of networks a plan uses changes. Core bulk statements bypass ORM
events, so loaders that write with them set updated_at themselves (see ingest/roster_store.py).
"""

from __future__ import annotations

from itertools import chain

from sqlalchemy import event, inspect, select, update
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
    Network,
    NetworkParticipation,
)
from directory.models.verification import utcnow

CHILD_ROWS = (
    ClinicianCompetency,
    ClinicianLanguage,
    ClinicianLocation,
    ClinicianTaxonomy,
    License,
    NetworkParticipation,
)
_PENDING = "listing_changes_pending"
_IN_CHUNK = 500  # stay under SQLite's bound-parameter limit


def install_listing_listener() -> None:
    """Attach the flush listeners to the Flask-SQLAlchemy session (once per process)."""
    if not event.contains(db.session, "before_flush", _before_flush):
        event.listen(db.session, "before_flush", _before_flush)
        event.listen(db.session, "after_flush", _after_flush)
        event.listen(db.session, "after_rollback", _forget)


def _forget(session: Session) -> None:
    session.info.pop(_PENDING, None)


def _before_flush(session: Session, _context, _instances) -> None:
    """Note the clinicians and locations whose rows change; stamp changed plans directly."""
    clinicians, locations = session.info.setdefault(_PENDING, (set(), set()))
    for obj in session.dirty:
        # A plan's networks are a collection, so they count; a location's clinicians do not.
        if isinstance(obj, Network) and session.is_modified(obj):
            obj.updated_at = utcnow()
    modified = (o for o in session.dirty if session.is_modified(o, include_collections=False))
    for obj in chain(modified, session.deleted):
        if isinstance(obj, CHILD_ROWS):
            clinicians.add(obj.clinician_id)
            clinicians.update(inspect(obj).attrs.clinician_id.history.deleted or ())
        elif isinstance(obj, Location):
            locations.add(obj.id)


def _after_flush(session: Session, _context) -> None:
    """Add new child rows (their clinician ids exist now) and stamp every touched clinician."""
    clinicians, locations = session.info.pop(_PENDING, (set(), set()))
    clinicians.update(obj.clinician_id for obj in session.new if isinstance(obj, CHILD_ROWS))
    # A new clinician was stamped by its INSERT; stamping it again would only cost a write.
    clinicians -= {obj.id for obj in session.new if isinstance(obj, Clinician)}
    clinicians.discard(None)
    connection = session.connection()
    now = utcnow()
    if locations:
        at = select(ClinicianLocation.clinician_id).where(
            ClinicianLocation.location_id.in_(sorted(locations))
        )
        clinicians.update(connection.scalars(at))
    wanted = sorted(clinicians)
    for start in range(0, len(wanted), _IN_CHUNK):
        chunk = wanted[start : start + _IN_CHUNK]
        connection.execute(
            update(Clinician.__table__).where(Clinician.id.in_(chunk)).values(updated_at=now)
        )
