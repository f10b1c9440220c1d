"""Bulk INSERT of clinicians not yet in the directory, with all their child rows."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import JSON

from directory.cost import cost_columns
from directory.models import Clinician, ClinicianLocation, NetworkParticipation
from directory.models.verification import as_utc, utcnow
from ingest.bulk import insert_rows, insert_rows_returning_ids
from ingest.children import child_rows

if TYPE_CHECKING:
    from ingest.links import BatchLinks
    from ingest.records import ClinicianRecord

_COLUMNS = {c.key: c for c in Clinician.__table__.columns}
# Record fields that are plain clinician columns; JSON ones default to an empty list.
_JSON_COLUMNS = {key for key, c in _COLUMNS.items() if isinstance(c.type, JSON)}


_NO_COST = cost_columns(None)


def clinician_row(record: ClinicianRecord, now, keys: list[str] | None = None) -> dict:
    """The clinician table row for a new clinician (same keys for every record).

    `keys`: the record fields that are clinician columns, when the caller has them.
    """
    values = record.__dict__
    if keys is None:
        keys = [key for key in values if key in _COLUMNS]
    row = {key: values[key] for key in keys}
    for key in _JSON_COLUMNS:
        row[key] = list(row.get(key) or [])
    row["verified_at"] = as_utc(record.verified_at)
    row["verified_source"] = record.source if record.verified_at else None
    row.update(_NO_COST if record.cost is None else cost_columns(record.cost))
    row.update(active=True, created_at=now, updated_at=now)
    return row


def insert_clinicians(records: list[ClinicianRecord], links: BatchLinks) -> dict[str, int]:
    """INSERT new clinicians and their children (one statement per table); their ids by NPI."""
    if not records:
        return {}
    now = utcnow()
    # Core, not ORM bulk INSERT: the ORM splices RETURNING batches, quadratic in batch size.
    keys = [key for key in records[0].__dict__ if key in _COLUMNS]  # one dataclass: same fields
    new_ids = insert_rows_returning_ids(
        Clinician.__table__, [clinician_row(r, now, keys) for r in records]
    )
    ids = {r.npi: id_ for r, id_ in zip(records, new_ids, strict=True)}
    tables: dict[type, list[dict]] = {ClinicianLocation: [], NetworkParticipation: []}
    for record in records:
        clinician_id = ids[record.npi]
        for model, rows in child_rows(clinician_id, record).items():
            tables.setdefault(model, []).extend(rows)
        link_rows, participation_rows = links.rows(clinician_id, record)
        tables[ClinicianLocation].extend(link_rows)
        tables[NetworkParticipation].extend(participation_rows)
    for model, rows in tables.items():
        if "created_at" in model.__table__.columns:
            for row in rows:
                row.update(created_at=now, updated_at=now)
        insert_rows(model.__table__, rows)
    return ids
