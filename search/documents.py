"""Index documents from the system of record: one per clinician and visit.

The documents hold exactly the facts the embedded backend reads for a Candidate, under the
same rules (matching/embedded.py): an in-person document per practice location with
coordinates, its networks being the clinician's network-wide participations plus the ones at
that location; a telehealth document when the clinician sees patients by video or phone, with
every participation and the licenses (kept with expiry dates, so "current" is judged on the
day of the search). Inactive clinicians have no documents.
"""

import hashlib
import json
from collections.abc import Iterable, Iterator

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from directory.cost import FLAG_COLUMNS
from directory.extensions import db
from directory.geography import valid_coordinates
from directory.models import Clinician, ClinicianLocation
from directory.models.verification import as_utc
from matching.backend import IN_PERSON, TELEHEALTH, TELEHEALTH_MODALITIES

_LOAD = (
    selectinload(Clinician.languages),
    selectinload(Clinician.competencies),
    selectinload(Clinician.taxonomies),
    selectinload(Clinician.licenses),
    selectinload(Clinician.participations),
    selectinload(Clinician.locations).selectinload(ClinicianLocation.location),
)


def document_id(clinician_id: int, location_id: int | None) -> str:
    """'42-7' for an in-person visit at location 7, '42-telehealth' otherwise."""
    return f"{clinician_id}-{location_id if location_id is not None else TELEHEALTH}"


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def _clinician_fields(c: Clinician) -> dict:
    """What every document of the clinician shares."""
    return {
        "clinician_id": c.id,
        "npi": c.npi,
        "name": " ".join(p for p in (c.first_name, c.last_name) if p),
        "first_name": c.first_name,
        "last_name": c.last_name,
        "credentials": list(c.credentials or ()),
        "gender": c.gender,
        "languages": sorted(x.code for x in c.languages),
        "competencies": sorted(x.code for x in c.competencies),
        "taxonomies": sorted(x.code for x in c.taxonomies),
        "conditions_treated": sorted(c.conditions_treated or ()),
        "conditions_not_treated": sorted(c.conditions_not_treated or ()),
        "age_groups": sorted(c.age_groups or ()),
        "modalities": sorted(c.modalities or ()),
        "wait_days": c.wait_days,
        "next_available_on": _iso(c.next_available_on),
        "referral_capacity": c.referral_capacity,
        "verified_at": _iso(as_utc(c.verified_at)),
        "flagged": c.flagged_reason is not None,
        **cost_fields(c),
    }


def cost_fields(c: Clinician) -> dict:
    """The cost columns under their own names; unknown ones are left out (missing, not false)."""
    names = ("fee_min", "fee_max", *FLAG_COLUMNS.values())
    return {name: getattr(c, name) for name in names if getattr(c, name) is not None}


def _in_person(c: Clinician, base: dict, link: ClinicianLocation) -> dict:
    place = link.location
    networks = {p.network_id for p in c.participations if p.location_id in (None, place.id)}
    accepting = link.accepting_new_patients
    return base | {
        "visit": IN_PERSON,
        "location_id": place.id,
        "location": {"lat": place.lat, "lon": place.lon},
        "address": place.address,
        "accessibility": sorted(place.accessibility or ()),
        "evening_hours": bool(place.evening_hours),
        "weekend_hours": bool(place.weekend_hours),
        "network_ids": sorted(networks),
        "accepting_new_patients": c.accepting_new_patients if accepting is None else accepting,
    }


def _telehealth(c: Clinician, base: dict) -> dict:
    return base | {
        "visit": TELEHEALTH,
        "network_ids": sorted({p.network_id for p in c.participations}),
        "accepting_new_patients": c.accepting_new_patients,
        "licenses": sorted(
            ({"state": x.state, "expires_on": _iso(x.expires_on)} for x in c.licenses),
            key=lambda x: (x["state"], x["expires_on"] or ""),
        ),
    }


def with_digest(doc: dict) -> dict:
    """The document plus a digest of its content, which `search check` compares."""
    body = {k: v for k, v in doc.items() if k != "digest"}
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), default=str)
    return body | {"digest": hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]}


def clinician_documents(c: Clinician) -> dict[str, dict]:
    """Document id -> document, for one loaded clinician (none when inactive)."""
    if not c.active:
        return {}
    base = _clinician_fields(c)
    docs = [
        _in_person(c, base, link)
        for link in c.locations
        if link.location is not None and valid_coordinates(link.location.lat, link.location.lon)
    ]
    if TELEHEALTH_MODALITIES & set(c.modalities or ()):
        docs.append(_telehealth(c, base))
    keyed = {document_id(d["clinician_id"], d.get("location_id")): d for d in docs}
    return {key: with_digest(doc | {"doc_key": key}) for key, doc in keyed.items()}


def documents_for(clinician_ids: Iterable[int]) -> dict[str, dict]:
    """Current documents of these clinicians, read from the database now."""
    ids = sorted(set(clinician_ids))
    found: dict[str, dict] = {}
    for start in range(0, len(ids), 500):  # SQLite's bound-parameter limit
        query = select(Clinician).where(Clinician.id.in_(ids[start : start + 500])).options(*_LOAD)
        for clinician in db.session.scalars(query):
            found.update(clinician_documents(clinician))
    return found


def clinician_id_batches(size: int = 500, after: int = 0) -> Iterator[list[int]]:
    """Every clinician id in ascending order, `size` at a time (keyset paging)."""
    while True:
        batch = list(
            db.session.scalars(
                select(Clinician.id).where(Clinician.id > after).order_by(Clinician.id).limit(size)
            )
        )
        if not batch:
            return
        yield batch
        after = batch[-1]


def clinician_count() -> int:
    """How many clinicians a full reindex reads (for the progress bar)."""
    return db.session.scalar(select(db.func.count(Clinician.id))) or 0
