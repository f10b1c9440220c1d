"""What an NPPES row says by itself, worked out where the file is read.

Nothing here depends on the rest of the file or on the database, so with two cores it runs in
the reading process (ingest.read_ahead) and the saving process receives each in-scope row as
a ready record; whether the row is a duplicate, a reject or a reactivation is decided there.
"""

from collections.abc import Iterator
from dataclasses import dataclass

from directory.geography import ZipRepair, place_zip, repair_zip
from directory.npi import npi_error
from ingest.addresses import record_address_key
from ingest.nppes_fields import (
    CITY,
    DEACTIVATED,
    LAST_NAME,
    NPI,
    POSTAL,
    REACTIVATED,
    STATE,
    is_deactivated,
    taxonomy_slots,
    to_record,
)
from ingest.nppes_scope import Scope
from ingest.placement import placement_note
from ingest.reading import CsvRow
from ingest.records import ClinicianRecord, record_digest

# What the load still reads from a row whose record is made: checks, rejects, reactivation.
_AFTER_RECORD = (NPI, LAST_NAME, DEACTIVATED, REACTIVATED)


@dataclass(slots=True)
class Prepared:
    """An active, readable, in-scope row: its ZIP repair, placement note, slots and record."""

    repair: ZipRepair | None
    slots: list[tuple[int, str]]
    record: ClinicianRecord | None  # None: making it failed; the load makes it again, and fails
    npi_problem: str | None  # directory.npi.npi_error of its NPI
    placement: ZipRepair | None = None  # ingest.placement.placement_note of its practice ZIP

    def __reduce__(self):
        # Pickled to the loading process as its constructor's arguments (see CsvRow).
        fields = (self.repair, self.slots, self.record, self.npi_problem, self.placement)
        return Prepared, fields


def prepared(rows: Iterator[CsvRow], scope: Scope) -> Iterator[tuple[CsvRow, Prepared | None]]:
    """Each row with what it says by itself, or None for a row out of scope or unreadable."""
    for row in rows:
        yield row, prepare(row, scope)


def prepare(row: CsvRow, scope: Scope) -> Prepared | None:
    """The ZIP repair, slots and record of an active in-scope row; None for any other row."""
    values = row.values
    if row.skipped or row.problem is not None or is_deactivated(values) or not scope(values):
        return None
    repair = repair_zip(values.get(POSTAL), dashless_zip4=True)  # NPPES writes no dash
    if repair is not None:
        values[POSTAL] = repair.after
    slots = taxonomy_slots(values)
    npi = values.get(NPI, "").strip()
    note = placement_note(values.get(POSTAL, "").strip(), values.get(CITY), values.get(STATE))
    try:
        record = to_record(values, slots)
    except Exception:  # noqa: BLE001 - the load decides first whether the row is rejected
        return Prepared(repair, slots, None, npi_error(npi), note)
    record.content_digest = record_digest(record)
    for place in record.locations:
        place.address_digest = record_address_key(place)
        place.placed = place_zip(place.postal_code, place.city, place.state)
    row.values = {column: values[column] for column in _AFTER_RECORD if column in values}
    return Prepared(repair, slots, record, npi_error(npi), note)
