"""Save program records: upsert by each source id, skipping records whose digest is unchanged."""

from __future__ import annotations

from sqlalchemy import select

from directory.extensions import db
from directory.models.verification import utcnow
from ingest.report import LoadSummary
from programs.models import ProgramLocation, ProgramOrganization, ProgramService, ProgramSite
from programs.records import LocationRecord, OrganizationRecord, ServiceRecord

_SERVICE_FIELDS = (
    "name", "description", "status", "url", "email", "phone", "minimum_age", "maximum_age",
    "eligibility", "populations", "languages", "needs", "taxonomy_terms", "levels_of_care",
    "medications", "detox", "residential", "payments", "fee_min", "fee_max", "currency",
    "fees_description", "source",
)  # fmt: skip
_LOCATION_FIELDS = (
    "name", "line1", "line2", "city", "state", "postal_code", "lat", "lon", "precision",
)  # fmt: skip


def save_services(records: list[ServiceRecord], summary: LoadSummary) -> None:
    """Insert new services, update changed ones, count unchanged ones; one transaction."""
    for record in records:
        digest = record.digest()
        service = db.session.scalar(
            select(ProgramService).where(ProgramService.external_id == record.external_id)
        )
        if service is not None and service.fingerprint == digest:
            summary.unchanged += 1
            continue
        if service is None:
            service = ProgramService(external_id=record.external_id)
            summary.inserted += 1
        else:
            summary.updated += 1
        with db.session.no_autoflush:
            _apply(service, record, digest)
        db.session.add(service)
        db.session.flush()
    db.session.commit()


def _apply(service: ProgramService, record: ServiceRecord, digest: str) -> None:
    organization = _organization(record.organization, record.source)
    for name in _SERVICE_FIELDS:
        setattr(service, name, getattr(record, name))
    service.organization = organization
    service.verified_at = record.verified_at or utcnow()
    service.fingerprint = digest
    wanted = {}
    for site in record.sites:
        location = _location(site.location, organization, record.source)
        wanted[site.external_id] = (location, site.hours)
    kept = []
    for site in service.sites:
        if site.external_id in wanted:
            site.location, site.hours = wanted.pop(site.external_id)
            kept.append(site)
    for external_id, (location, hours) in wanted.items():
        kept.append(ProgramSite(external_id=external_id, location=location, hours=hours))
    service.sites = kept


def _organization(record: OrganizationRecord, source: str) -> ProgramOrganization:
    found = db.session.scalar(
        select(ProgramOrganization).where(ProgramOrganization.external_id == record.external_id)
    )
    if found is None:
        found = ProgramOrganization(external_id=record.external_id, source=source)
        db.session.add(found)
    found.name, found.description = record.name, record.description
    found.website, found.email = record.website, record.email
    return found


def _location(
    record: LocationRecord, organization: ProgramOrganization, source: str
) -> ProgramLocation:
    found = db.session.scalar(
        select(ProgramLocation).where(ProgramLocation.external_id == record.external_id)
    )
    if found is None:
        found = ProgramLocation(external_id=record.external_id, source=source)
        db.session.add(found)
    for name in _LOCATION_FIELDS:
        setattr(found, name, getattr(record, name))
    found.organization = organization
    return found
