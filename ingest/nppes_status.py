"""NPI deactivations and reactivations applied to the clinicians this directory holds.

A deactivated clinician leaves search at once (Clinician.active False: the match index and the
Elasticsearch sync drop inactive clinicians, and the UPDATE is in the listing change log) but
is kept, with their referrals, for history. NPIs this directory does not hold are counted only.
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import bindparam, select, update

from directory.extensions import db
from directory.models import Clinician
from directory.models.verification import utcnow
from ingest.bulk import in_list

_IN_CHUNK = 500


@dataclass
class StatusCounts:
    """What applying a batch of deactivations or reactivations did."""

    changed: int = 0  # clinicians whose state changed
    unchanged: int = 0  # held, already in that state
    unknown: int = 0  # NPIs this directory does not hold


def _held(npis: list[str]) -> list:
    """(id, npi, active, deactivated_on, reactivated_on) of the held clinicians among `npis`."""
    ordered = sorted(set(npis))
    found = []
    columns = (
        Clinician.id,
        Clinician.npi,
        Clinician.active,
        Clinician.deactivated_on,
        Clinician.reactivated_on,
    )
    for start in range(0, len(ordered), _IN_CHUNK):
        chunk = ordered[start : start + _IN_CHUNK]
        found.extend(db.session.execute(select(*columns).where(in_list(Clinician.npi, chunk))))
    return found


def _write(changes: list[dict]) -> None:
    """UPDATE each clinician's state ({cid, active, deactivated_on, reactivated_on})."""
    if not changes:
        return
    table = Clinician.__table__
    statement = (
        update(table)
        .where(table.c.id == bindparam("cid"))
        .values(
            active=bindparam("now_active"),
            deactivated_on=bindparam("off"),
            reactivated_on=bindparam("on"),
            updated_at=utcnow(),
        )
    )
    db.session.execute(statement, changes)


def deactivate(days: dict[str, date]) -> StatusCounts:
    """Deactivate held clinicians as of their NPI's deactivation date (NPI -> date)."""
    counts = StatusCounts()
    changes = []
    held = _held(list(days))
    counts.unknown = len(days) - len(held)
    for id_, npi, active, deactivated_on, reactivated_on in held:
        day = days[npi]
        stale = reactivated_on is not None and day <= reactivated_on  # an old deactivation
        if stale or (not active and deactivated_on == day):
            counts.unchanged += 1
            continue
        changes.append({"cid": id_, "now_active": False, "off": day, "on": None})
    _write(changes)
    counts.changed = len(changes)
    return counts


def reactivate(days: dict[str, date | None]) -> StatusCounts:
    """Bring back held, deactivated clinicians reactivated since (NPI -> reactivation date).

    None as the date: the source says the NPI is active now without a date (the full monthly
    file as baseline, or an NPI gone from the full deactivation list).
    """
    counts = StatusCounts()
    changes = []
    held = _held(list(days))
    counts.unknown = len(days) - len(held)
    for id_, npi, active, deactivated_on, _ in held:
        day = days[npi]
        if active or deactivated_on is None or (day is not None and day < deactivated_on):
            counts.unchanged += 1
            continue
        changes.append({"cid": id_, "now_active": True, "off": deactivated_on, "on": day})
    _write(changes)
    counts.changed = len(changes)
    return counts


def deactivated_npis() -> set[int]:
    """The NPIs of every held clinician now inactive for a deactivation."""
    query = select(Clinician.npi).where(
        Clinician.active.is_(False), Clinician.deactivated_on.is_not(None)
    )
    return {int(npi) for npi in db.session.scalars(query)}
