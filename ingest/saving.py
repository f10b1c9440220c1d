"""The batched, idempotent upsert of clinician records (ingest.records) into the directory."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from directory.cost import apply_cost, cost_of, merged
from directory.extensions import db
from directory.models import Clinician, IngestFingerprint
from ingest.bulk import in_list, insert_rows
from ingest.children import sync_children
from ingest.links import BatchLinks
from ingest.locations import mark_verified
from ingest.new_clinicians import insert_clinicians
from ingest.record_facts import record_facts
from ingest.records import LISTS, SCALARS, ClinicianRecord, record_digest
from ingest.report import LoadSummary
from ingest.store import known_digests, remember_digests

_CHILDREN = (
    Clinician.languages,
    Clinician.taxonomies,
    Clinician.licenses,
    Clinician.competencies,
    Clinician.locations,
    Clinician.participations,
)
_IN_CHUNK = 500  # stay under SQLite's bound-parameter limit


def save_clinicians(records: list[ClinicianRecord], summary: LoadSummary) -> None:
    """Upsert a batch in the current session (caller commits, e.g. via ingest.store.Batcher)."""
    records, repeats = _split_repeats(records)
    changed, digests = _changed_records(records, summary)
    if changed:
        existing = _existing_clinicians([r.npi for r in changed])
        links = BatchLinks(changed)
        fresh = [r for r in changed if r.npi not in existing]
        for record in changed:
            clinician = existing.get(record.npi)
            if clinician is not None:
                _apply(clinician, record)
                links.apply(clinician, record)
        # New clinicians skip the unit of work: bulk INSERTs are ~5x faster for large loads.
        new_ids = insert_clinicians(fresh, links)
        summary.inserted += len(fresh)
        summary.updated += len(changed) - len(fresh)
        _remember(digests)
        record_facts(changed, ids=new_ids)  # only the updated clinicians' ids are looked up
    if repeats:
        db.session.flush()
        save_clinicians(repeats, summary)


def _split_repeats(
    records: list[ClinicianRecord],
) -> tuple[list[ClinicianRecord], list[ClinicianRecord]]:
    """First records per NPI, and the later ones (saved after, as updates of the first)."""
    seen: set[str] = set()
    first: list[ClinicianRecord] = []
    later: list[ClinicianRecord] = []
    for record in records:
        (later if record.npi in seen else first).append(record)
        seen.add(record.npi)
    return first, later


def _changed_records(
    records: list[ClinicianRecord], summary: LoadSummary
) -> tuple[list[ClinicianRecord], list[tuple[str, str, str, bool]]]:
    """Changed records with (source, npi, digest, had one before); unchanged ones are counted."""
    by_source: dict[str, list[ClinicianRecord]] = {}
    for record in records:
        by_source.setdefault(record.source, []).append(record)
    changed: list[ClinicianRecord] = []
    digests: list[tuple[str, str, str, bool]] = []
    for source, group in by_source.items():
        known = known_digests(source, [r.npi for r in group])
        for record in group:
            value = record.content_digest or record_digest(record)
            stored = known.get(record.npi)
            if stored == value:
                summary.unchanged += 1
                continue
            digests.append((source, record.npi, value, stored is not None))
            changed.append(record)
    return changed, digests


def _remember(digests: list[tuple[str, str, str, bool]]) -> None:
    """Store the new digests: replace stored ones, bulk-insert first ones."""
    replaced: dict[str, dict[str, str]] = {}
    for source, npi, value, stored in digests:
        if stored:
            replaced.setdefault(source, {})[npi] = value
    for source, by_npi in replaced.items():
        remember_digests(source, by_npi)
    first = [
        {"source": source, "key": npi, "digest": value}
        for source, npi, value, stored in digests
        if not stored
    ]
    insert_rows(IngestFingerprint.__table__, first)


def _existing_clinicians(npis: list[str]) -> dict[str, Clinician]:
    """The stored clinicians for `npis`, children loaded eagerly (one query per table)."""
    wanted = sorted(set(npis))
    found: dict[str, Clinician] = {}
    options = [selectinload(child) for child in _CHILDREN]
    for start in range(0, len(wanted), _IN_CHUNK):
        chunk = wanted[start : start + _IN_CHUNK]
        query = select(Clinician).where(in_list(Clinician.npi, chunk)).options(*options)
        found.update((c.npi, c) for c in db.session.scalars(query))
    return found


def _apply(clinician: Clinician, record: ClinicianRecord) -> None:
    """Copy the record's facts onto a stored clinician; None leaves a stored value alone."""
    if clinician.last_name != record.last_name:
        clinician.last_name = record.last_name
    for name in SCALARS:
        value = getattr(record, name)
        if value is not None and getattr(clinician, name) != value:
            setattr(clinician, name, value)
    for name in LISTS:
        value = getattr(record, name)
        if value is not None and getattr(clinician, name) != list(value):
            setattr(clinician, name, list(value))
    if record.cost is not None:
        # A source's word on cost goes over what is stored; what it does not say stays.
        cost = merged(cost_of(clinician), record.cost)
        if cost != cost_of(clinician):
            apply_cost(clinician, cost)
    sync_children(clinician, record)
    mark_verified(clinician, record.source, record.verified_at)
