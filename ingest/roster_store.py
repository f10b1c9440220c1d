"""What a roster batch needs besides save_clinicians: per-clinician counts and two roster facts."""

from sqlalchemy import delete, or_, select, update

from directory.extensions import db
from directory.models import (
    Clinician,
    ClinicianLocation,
    IngestFingerprint,
    Location,
    NetworkParticipation,
)
from directory.models.verification import utcnow
from ingest.records import ClinicianRecord, record_digest
from ingest.report import LoadSummary
from ingest.roster_merge import NpiGroup
from ingest.store import known_digests

_IN_CHUNK = 500  # stay under SQLite's bound-parameter limit


def _rows(entity, column, values: set[str]) -> list:
    """The `entity` rows whose `column` is in `values`, fetched in chunks."""
    ordered = sorted(values)
    found: list = []
    for start in range(0, len(ordered), _IN_CHUNK):
        chunk = ordered[start : start + _IN_CHUNK]
        found.extend(db.session.scalars(select(entity).where(column.in_(chunk))))
    return found


def count_batch(records: list[ClinicianRecord], summary: LoadSummary) -> set[str]:
    """Count clinicians, not plan records: new, changed in any plan, or unchanged in all.

    Returns the NPIs counted as unchanged.
    """
    npis = {r.npi for r in records}
    existing = {c.npi for c in _rows(Clinician, Clinician.npi, npis)}
    by_source: dict[str, list[ClinicianRecord]] = {}
    for record in records:
        by_source.setdefault(record.source, []).append(record)
    changed: set[str] = set()
    for source, group in by_source.items():
        known = known_digests(source, {r.npi for r in group})
        changed.update(r.npi for r in group if known.get(r.npi) != record_digest(r))
    unchanged = existing - changed
    summary.inserted += len(npis - existing)
    summary.updated += len(existing & changed)
    summary.unchanged += len(unchanged)
    return unchanged


def set_hour_flags(groups: list[NpiGroup]) -> None:
    """Evening/weekend Y/N given without opening hours go straight onto the location."""
    flags = {
        address: given
        for group in groups
        for address, given in group.hour_flags.items()
        if given != (None, None)
    }
    if not flags:
        return
    for location in _rows(Location, Location.address_key, set(flags)):
        evening, weekend = flags[location.address_key]
        if evening is not None and location.evening_hours != evening:
            location.evening_hours = evening
        if weekend is not None and location.weekend_hours != weekend:
            location.weekend_hours = weekend


def set_verification_methods(groups: list[NpiGroup]) -> None:
    """Record how the plan verified ('roster:<plan>:attestation') when its check is the latest."""
    methods = {
        (group.npi, f"roster:{listing.plan_id}"): listing.method
        for group in groups
        for listing in group.listings.values()
    }
    for clinician in _rows(Clinician, Clinician.npi, {npi for npi, _ in methods}):
        current = clinician.verified_source or ""
        source = current.split(":", 2)
        if len(source) < 2 or source[0] != "roster":
            continue
        key = (clinician.npi, ":".join(source[:2]))
        if key not in methods:
            continue
        method = methods[key]
        wanted = f"{key[1]}:{method}" if method else key[1]
        if current != wanted:
            clinician.verified_source = wanted


def end_listings(mentioned: dict[str, set[str]]) -> set[str]:
    """Drop each plan's participations for clinicians its rows no longer name; return their NPIs.

    A roster is the plan's full list, so a clinician missing from it has left the plan; their
    locations from that plan go too, unless another participation still points at them.
    """
    gone: dict[str, dict[str, int]] = {}
    for plan_id, npis in mentioned.items():
        source = f"roster:{plan_id}"
        gone[source] = _unlisted(source, npis)
        _delete_in(NetworkParticipation, gone[source].values(), source)
        keys = sorted(gone[source])
        for start in range(0, len(keys), _IN_CHUNK):
            db.session.execute(
                delete(IngestFingerprint).where(
                    IngestFingerprint.source == source,
                    IngestFingerprint.key.in_(keys[start : start + _IN_CHUNK]),
                )
            )
    # Links only after every plan's participations are gone: one may point at another's link.
    for source, by_npi in gone.items():
        _delete_in(ClinicianLocation, by_npi.values(), source)
    ids = sorted({id_ for by_npi in gone.values() for id_ in by_npi.values()})
    for start in range(0, len(ids), _IN_CHUNK):
        # The change feed reads updated_at: leaving a plan changes the clinician's listing.
        chunk = ids[start : start + _IN_CHUNK]
        db.session.execute(
            update(Clinician).where(Clinician.id.in_(chunk)).values(updated_at=utcnow())
        )
    return {npi for by_npi in gone.values() for npi in by_npi}


def _unlisted(source: str, npis: set[str]) -> dict[str, int]:
    """Clinician ids by NPI holding rows from `source` whose NPI is not in `npis`."""
    held = select(NetworkParticipation.clinician_id).where(NetworkParticipation.source == source)
    linked = select(ClinicianLocation.clinician_id).where(ClinicianLocation.source == source)
    query = select(Clinician.id, Clinician.npi).where(Clinician.id.in_(held.union(linked)))
    return {npi: id_ for id_, npi in db.session.execute(query) if npi not in npis}


def _delete_in(model, clinician_ids, source: str) -> None:
    """Delete `source`'s participations or location links of these clinicians."""
    ids = sorted(clinician_ids)
    for start in range(0, len(ids), _IN_CHUNK):
        conditions = [
            model.source == source,
            model.clinician_id.in_(ids[start : start + _IN_CHUNK]),
        ]
        if model is ClinicianLocation:
            conditions.append(~_still_listed())
        db.session.execute(delete(model).where(*conditions))


def _still_listed():
    """A participation still places the link's clinician at the link's location."""
    return (
        select(NetworkParticipation.id)
        .where(
            NetworkParticipation.clinician_id == ClinicianLocation.clinician_id,
            or_(
                NetworkParticipation.location_id == ClinicianLocation.location_id,
                NetworkParticipation.location_id.is_(None),  # in the network at every location
            ),
        )
        .exists()
    )
