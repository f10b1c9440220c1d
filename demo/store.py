"""Bulk writing of generated practices: ids reserved up front, then one COPY (PostgreSQL) or
executemany (SQLite) per table per batch.

save_clinicians upserts, and its INSERT ... RETURNING round trips hold PostgreSQL to a few
hundred clinicians a second; a fresh demo directory needs no upsert, so this writes the same
rows (same column values as ingest.new_clinicians and ingest.locations produce) directly.
"""

import json
from datetime import datetime

from sqlalchemy import JSON, Table, select, text

from demo.cost import cost_observation_rows
from directory.extensions import db
from directory.models import (
    Clinician,
    ClinicianCompetency,
    ClinicianLanguage,
    ClinicianLocation,
    ClinicianTaxonomy,
    FactObservation,
    License,
    Location,
    NetworkParticipation,
    Organization,
)
from directory.models.verification import utcnow
from ingest.addresses import address_key, hours_flags
from ingest.children import child_rows
from ingest.new_clinicians import clinician_row
from ingest.records import ClinicianRecord, LocationRecord

# Parents before children, so foreign keys hold inside the transaction.
WRITE_ORDER = (
    Organization,
    Location,
    Clinician,
    ClinicianTaxonomy,
    License,
    ClinicianLanguage,
    ClinicianCompetency,
    ClinicianLocation,
    NetworkParticipation,
    FactObservation,
)
_IN_CHUNK = 500


def reserve_ids(model, count: int) -> list[int]:
    """`count` unused primary keys for `model` (the caller inserts them in this transaction)."""
    if count == 0:
        return []
    table = model.__tablename__
    if db.engine.dialect.name == "postgresql":
        query = text(
            f"SELECT nextval(pg_get_serial_sequence('{table}', 'id')) FROM generate_series(1, :n)"
        )
        return list(db.session.scalars(query, {"n": count}))
    # SQLite: one writer at a time, and this transaction is it once it writes.
    highest = db.session.scalar(text(f"SELECT coalesce(max(id), 0) FROM {table}"))
    return list(range(highest + 1, highest + 1 + count))


def write_rows(model, rows: list[dict]) -> None:
    """Insert rows that all have the same keys."""
    if not rows:
        return
    table: Table = model.__table__
    if db.engine.dialect.name != "postgresql":
        db.session.execute(table.insert(), rows)
        return
    columns = list(rows[0])
    json_columns = {c for c in columns if isinstance(table.c[c].type, JSON)}
    cursor = db.session.connection().connection.driver_connection.cursor()
    names = ", ".join(f'"{c}"' for c in columns)
    with cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row([json.dumps(row[c]) if c in json_columns else row[c] for c in columns])


def taken_address_keys(keys: set[str]) -> set[str]:
    """Address keys another location already holds (the column is unique)."""
    ordered = sorted(keys)
    taken: set[str] = set()
    for start in range(0, len(ordered), _IN_CHUNK):
        chunk = ordered[start : start + _IN_CHUNK]
        query = select(Location.address_key).where(Location.address_key.in_(chunk))
        taken.update(db.session.scalars(query))
    return taken


class BatchRows:
    """The rows of every table for one batch of generated practices."""

    def __init__(
        self,
        organizations: list[dict],
        records: list[ClinicianRecord],
        source: str,
        check_addresses: bool = True,
    ):
        self.source = source
        self.check_addresses = check_addresses
        self.now = utcnow()
        self.tables: dict[type, list[dict]] = {model: [] for model in WRITE_ORDER}
        org_ids = dict(
            zip(
                (o["external_id"] for o in organizations),
                reserve_ids(Organization, len(organizations)),
                strict=True,
            )
        )
        for org in organizations:
            self.tables[Organization].append(
                dict(org, id=org_ids[org["external_id"]], created_at=self.now, updated_at=self.now)
            )
        self.org_ids = org_ids
        self.location_ids = self._locations(records)
        clinician_ids = reserve_ids(Clinician, len(records))
        for clinician_id, record in zip(clinician_ids, records, strict=True):
            self._clinician(clinician_id, record)

    def write(self) -> None:
        """Insert every table, parents first."""
        for model in WRITE_ORDER:
            write_rows(model, self.tables[model])

    def _locations(self, records: list[ClinicianRecord]) -> dict[str, int]:
        """One row per distinct site (by external id), verified when its latest clinician was."""
        sites: dict[str, tuple[LocationRecord, datetime | None]] = {}
        for record in records:
            for place in record.locations or []:
                earlier = sites.get(place.external_id)
                when = record.verified_at
                if earlier is not None and earlier[1] and (when is None or earlier[1] > when):
                    when = earlier[1]
                sites[place.external_id] = (place, when)
        keys = {
            ext: address_key(p.line1, p.line2, p.city, p.state, p.postal_code)
            for ext, (p, _) in sites.items()
        }
        taken = taken_address_keys(set(keys.values())) if self.check_addresses else set()
        ids = dict(zip(sites, reserve_ids(Location, len(sites)), strict=True))
        for external_id, (place, when) in sites.items():
            self.tables[Location].append(
                self._location_row(
                    ids[external_id],
                    place,
                    when,
                    None if keys[external_id] in taken else keys[external_id],
                )
            )
        return ids

    def _location_row(self, id_: int, place: LocationRecord, when, key: str | None) -> dict:
        evening, weekend = hours_flags(place.hours)
        return {
            "id": id_,
            "external_id": place.external_id,
            "address_key": key,
            "name": place.name,
            "organization_id": self.org_ids.get(place.organization_external_id or ""),
            "line1": place.line1,
            "line2": place.line2,
            "city": place.city,
            "state": place.state,
            "postal_code": place.postal_code,
            "lat": place.lat,
            "lon": place.lon,
            "phone": place.phone,
            "accessibility": list(place.accessibility or []),
            "hours": list(place.hours or []),
            "evening_hours": evening,
            "weekend_hours": weekend,
            "source": self.source,
            "verified_at": when,
            "verified_source": self.source if when else None,
            "created_at": self.now,
            "updated_at": self.now,
        }

    def _clinician(self, clinician_id: int, record: ClinicianRecord) -> None:
        self.tables[Clinician].append(dict(clinician_row(record, self.now), id=clinician_id))
        self.tables[FactObservation].extend(
            cost_observation_rows(
                clinician_id, record.npi, record.cost, record.verified_at, self.now
            )
        )
        for model, rows in child_rows(clinician_id, record).items():
            self.tables[model].extend(rows)
        verified = {
            "source": self.source,
            "verified_at": record.verified_at,
            "verified_source": self.source if record.verified_at else None,
            "created_at": self.now,
            "updated_at": self.now,
        }
        location_ids = [self.location_ids[p.external_id] for p in record.locations or []]
        for place, location_id in zip(record.locations or [], location_ids, strict=True):
            self.tables[ClinicianLocation].append(
                {
                    "clinician_id": clinician_id,
                    "location_id": location_id,
                    "organization_id": self.org_ids.get(place.organization_external_id or ""),
                    "external_id": place.link_external_id,
                    "phone": place.phone,
                    "accepting_new_patients": place.accepting_new_patients,
                    **verified,
                }
            )
        for network_id, position in record.networks or []:
            self.tables[NetworkParticipation].append(
                {
                    "clinician_id": clinician_id,
                    "network_id": network_id,
                    "location_id": None if position is None else location_ids[position],
                    **verified,
                }
            )
