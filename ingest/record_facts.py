"""The facts a loaded record states, recorded as observations by the file's source.

Written for the records a batch changed, through the loaders' bulk insert, in the batch's
transaction. Locations and phones are one fact per clinician (the set of practice addresses,
the set of phones) so "NPPES says Boston, the roster says Quincy" meets as one conflict even
though each source's address is a row of its own.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import select

from directory.cost import fact_values
from directory.extensions import db
from directory.facts import Observation, clinician
from directory.models import Clinician
from directory.models.facts import FactObservation
from directory.models.verification import as_utc, utcnow
from ingest.bulk import in_list, insert_rows

if TYPE_CHECKING:
    from ingest.records import ClinicianRecord, LocationRecord

_IN_CHUNK = 500
_FILE_SOURCES = {"nppes", "plan-net", "cms-dac"}
# The Observation columns a loaded file never fills.
_NO_DETAIL = {
    "subject_kind": "clinician",
    "location_id": None,
    "method": None,
    "evidence": None,
    "actor_id": None,
}


def fact_source(record_source: str) -> tuple[str, str | None] | None:
    """(fact source, source_ref) for a record's source; None for sources that are not files."""
    if record_source in _FILE_SOURCES:
        return record_source, None
    if record_source.startswith("roster:"):
        return "roster", record_source.removeprefix("roster:")
    return None  # demo rows and manual edits state no observation


def address(location: LocationRecord) -> dict:
    """A practice address as a fact value."""
    return {
        "line1": location.line1,
        "city": location.city,
        "state": location.state,
        "postal_code": location.postal_code,
    }


def stated(record: ClinicianRecord) -> Iterator[tuple[str, object, str | None]]:
    """(kind, value, network id) for every fact the record states (None says nothing)."""
    if record.accepting_new_patients is not None:
        yield "accepting_new_patients", record.accepting_new_patients, None
    if record.languages is not None:
        yield "languages", sorted(code for code, _ in record.languages), None
    if record.modalities is not None:
        yield "telehealth", bool({"video", "phone"} & set(record.modalities)), None
    if record.locations:
        yield "location", [address(place) for place in record.locations], None
        phones = sorted({place.phone for place in record.locations if place.phone})
        if phones:
            yield "phone", phones, None
    for network_id in sorted({network for network, _ in record.networks or ()}):
        yield "network_participation", True, network_id
    if record.cost is not None:
        for kind, value in fact_values(record.cost).items():
            yield kind, value, None


def _ids(npis: list[str], known: dict[str, int]) -> dict[str, int]:
    """Clinician ids by NPI: `known` ones (just inserted) as given, the others looked up."""
    wanted = sorted(set(npis) - known.keys())
    found = dict(known)
    for start in range(0, len(wanted), _IN_CHUNK):
        query = select(Clinician.npi, Clinician.id).where(
            in_list(Clinician.npi, wanted[start : start + _IN_CHUNK])
        )
        found.update((npi, id_) for npi, id_ in db.session.execute(query))
    return found


def _observation_rows(sourced: list, ids: dict[str, int], moment: datetime) -> list[dict]:
    """The fact_observation rows (Observation.row's columns), one code check per kind."""
    # Plain dicts, not an Observation each: two objects and a check per fact were ~8 µs a row.
    checked: set[tuple[str, str]] = set()
    rows = []
    for r, (source, ref) in sourced:
        subject_id, observed_at = ids[r.npi], as_utc(r.verified_at) or moment
        for kind, value, network_id in stated(r):
            if (kind, source) not in checked:
                Observation(clinician(subject_id), kind, value, source).row()  # raises if unknown
                checked.add((kind, source))
            rows.append(
                {
                    **_NO_DETAIL,
                    "subject_id": subject_id,
                    "kind": kind,
                    "value": value,
                    "source": source,
                    "observed_at": observed_at,
                    "network_id": network_id,
                    "source_ref": ref,
                    "recorded_at": moment,
                }
            )
    return rows


def record_facts(
    records: list[ClinicianRecord], now: datetime | None = None, ids: dict[str, int] | None = None
) -> int:
    """Record what the (saved) records state; return how many observations.

    `ids`: clinician ids by NPI already known (the clinicians a batch just inserted).
    """
    sourced = [(r, fact_source(r.source)) for r in records]
    sourced = [(r, s) for r, s in sourced if s is not None]
    if not sourced:
        return 0
    rows = _observation_rows(sourced, _ids([r.npi for r, _ in sourced], ids or {}), now or utcnow())
    # The loaders' bulk path (driver-level INSERTs on SQLite, COPY on PostgreSQL): Core's
    # per-row type processing made these inserts a sixth of an NPPES load.
    insert_rows(FactObservation.__table__, rows)
    return len(rows)
