"""Upserting Plan-Net networks, plans, organizations and locations by their resource ids.

Each saved row counts once in the summary: inserted (new), updated (a stored value changed) or
unchanged; a value Plan-Net does not give (None) leaves the stored one alone.
"""

from sqlalchemy import select

from directory.extensions import db
from directory.models import Network, Organization
from ingest.locations import LocationIndex, organization_ids
from ingest.plan_net_locations import PlaceFacts
from ingest.plan_net_organizations import NetworkFacts, OrganizationFacts
from ingest.report import LoadSummary

SOURCE = "plan-net"
_IN_CHUNK = 500  # stay under SQLite's bound-parameter limit


def _rows_by(column, keys: set[str]) -> dict:
    """Rows of column's table whose `column` value is in `keys`, by that value."""
    wanted = sorted(keys)
    found = {}
    for start in range(0, len(wanted), _IN_CHUNK):
        chunk = wanted[start : start + _IN_CHUNK]
        rows = db.session.scalars(select(column.class_).where(column.in_(chunk)))
        found.update((getattr(row, column.key), row) for row in rows)
    return found


def _count(row, summary: LoadSummary) -> None:
    """Count a row as inserted, updated or unchanged, before the flush."""
    if row in db.session.new:
        summary.inserted += 1
    elif db.session.is_modified(row):
        summary.updated += 1
    else:
        summary.unchanged += 1


def _assign(row, values: dict) -> None:
    """Set attributes that differ; None leaves the stored value alone."""
    for name, value in values.items():
        if value is not None and getattr(row, name) != value:
            setattr(row, name, value)


def save_networks(facts: list[NetworkFacts], summary: LoadSummary) -> None:
    """Upsert networks and plans by id; a plan's network list replaces the stored one."""
    existing = _rows_by(Network.id, {f.id for f in facts})
    linked = _rows_by(Network.id, {n for f in facts for n in f.network_ids or []})
    # Loading a plan's stored networks must not flush, or the counts would miss changes.
    with db.session.no_autoflush:
        for fact in facts:
            row = existing.get(fact.id)
            if row is None:
                row = Network(id=fact.id, source=SOURCE, networks=[])
                db.session.add(row)
                existing[fact.id] = row
            _assign(row, {"name": fact.name, "kind": fact.kind, "payer": fact.payer})
            if row.plan_type != fact.plan_type:
                row.plan_type = fact.plan_type
            if fact.network_ids is not None:
                wanted = [linked[n] for n in fact.network_ids if n in linked]
                if sorted(n.id for n in row.networks) != sorted(n.id for n in wanted):
                    row.networks = wanted
            _count(row, summary)


def save_organizations(facts: list[OrganizationFacts], summary: LoadSummary) -> None:
    """Upsert organizations by external id (the Plan-Net resource id)."""
    existing = _rows_by(Organization.external_id, {f.external_id for f in facts})
    for fact in facts:
        row = existing.get(fact.external_id)
        if row is None:
            row = Organization(external_id=fact.external_id, source=SOURCE)
            db.session.add(row)
            existing[fact.external_id] = row
        values = {
            "name": fact.name,
            "kind": fact.kind,
            "npi": fact.npi,
            "phone": fact.phone,
            "website": fact.website,
        }
        _assign(row, values)
        _count(row, summary)


def save_places(places: list[PlaceFacts], summary: LoadSummary) -> None:
    """Upsert locations by external id, through the same LocationIndex clinicians' links use."""
    records = [p.record for p in places]
    owners = {r.organization_external_id for r in records if r.organization_external_id}
    index = LocationIndex([(r, SOURCE) for r in records], organization_ids(owners))
    for place in places:
        row = index.apply(place.record, SOURCE, place.verified_at)
        _count(row, summary)
