"""The clinician record every loader produces, and its batched, idempotent upsert."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from directory.cost import Cost, apply_cost, cost_of, merged
from directory.extensions import db
from directory.models import Clinician, IngestFingerprint
from ingest.bulk import in_list, insert_rows
from ingest.children import sync_children
from ingest.links import BatchLinks
from ingest.locations import mark_verified
from ingest.new_clinicians import insert_clinicians
from ingest.record_facts import record_facts
from ingest.report import LoadSummary
from ingest.store import known_digests, remember_digests


@dataclass
class LocationRecord:
    """A place where the clinician practises, as a source describes it."""

    line1: str | None
    city: str | None
    state: str | None
    postal_code: str | None  # 5-digit
    line2: str | None = None
    lat: float | None = None  # filled from the ZIP centroid when absent
    lon: float | None = None
    phone: str | None = None
    name: str | None = None
    external_id: str | None = None  # e.g. Plan-Net Location id; else matched by address key
    organization_external_id: str | None = None
    accessibility: list[str] | None = None
    hours: list[dict] | None = None  # [{"days": ["mon"], "opens": "08:00", "closes": "20:00"}]
    accepting_new_patients: bool | None = None  # per-location override (ClinicianLocation)
    link_external_id: str | None = None  # e.g. PractitionerRole id on the ClinicianLocation
    # locations.address_key of the address fields, when whoever made the record worked it out
    # already (the NPPES reading process does); out of the repr and the comparison.
    address_digest: str | None = field(default=None, repr=False, compare=False)


@dataclass
class ClinicianRecord:
    """What one source says about one clinician; None means the source says nothing."""

    npi: str
    last_name: str
    source: str  # "nppes", "plan-net", "roster:<plan id>", "demo"
    source_ref: str | None = None
    first_name: str | None = None
    middle_name: str | None = None
    name_prefix: str | None = None
    name_suffix: str | None = None
    gender: str | None = None
    pronouns: str | None = None
    credentials: list[str] | None = None
    taxonomies: list[tuple[str, bool]] | None = None  # (NUCC code, is_primary)
    licenses: list[tuple[str, str | None, str, date | None]] | None = None  # state,type,no,exp
    languages: list[tuple[str, str | None]] | None = None  # (ISO 639-1, proficiency)
    competencies: list[tuple[str, str]] | None = None  # (code, provenance)
    conditions_treated: list[str] | None = None
    conditions_not_treated: list[str] | None = None
    approaches: list[str] | None = None
    age_groups: list[str] | None = None
    modalities: list[str] | None = None
    accepting_new_patients: bool | None = None
    next_available_on: date | None = None
    wait_days: int | None = None
    referral_capacity: int | None = None
    locations: list[LocationRecord] | None = None  # replaces this source's location links
    networks: list[tuple[str, int | None]] | None = None  # (network id, index into locations)
    verified_at: datetime | None = None
    cost: Cost | None = None  # None: the source says nothing about cost (kept as it is)
    # record_digest(self), when whoever made the record worked it out already (the NPPES
    # reading process does); out of the repr, so a digest never covers itself.
    content_digest: str | None = field(default=None, repr=False, compare=False)


# Optional scalars: None leaves the stored value alone (another source may have said more).
SCALARS = (
    "first_name",
    "middle_name",
    "name_prefix",
    "name_suffix",
    "gender",
    "pronouns",
    "source_ref",
    "accepting_new_patients",
    "next_available_on",
    "wait_days",
    "referral_capacity",
)
LISTS = (
    "credentials",
    "conditions_treated",
    "conditions_not_treated",
    "approaches",
    "age_groups",
    "modalities",
)
_CHILDREN = (
    Clinician.languages,
    Clinician.taxonomies,
    Clinician.licenses,
    Clinician.competencies,
    Clinician.locations,
    Clinician.participations,
)
_IN_CHUNK = 500  # stay under SQLite's bound-parameter limit


def record_digest(record: ClinicianRecord) -> str:
    """The content digest of a record."""
    # The dataclass repr holds every field, nested records too, and is ~10x faster than JSON.
    return hashlib.sha256(repr(record).encode("utf-8")).hexdigest()


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
