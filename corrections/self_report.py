"""A clinician corrects their own listing: each changed fact dated, sourced and audited.

Every value that changes is observed as "self_reported" with the clinician's user id and the
moment, so pages say "from the clinician's own listing, today" and staff see what it overruled.
Unchanged values keep their older source. Places shared with other clinicians are copied
before an edit, so one clinician's correction never moves a colleague's listing.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from audit.log import record
from corrections.errors import ItemNotFound
from corrections.self_report_schemas import PlaceEdit, PracticeEdit
from directory.extensions import db
from directory.fact_resolution import normalized
from directory.facts import clinician as subject
from directory.facts import observe
from directory.geography import place_zip
from directory.listing_facts import address_fact
from directory.models import (
    Clinician,
    ClinicianCompetency,
    ClinicianLanguage,
    ClinicianLocation,
    Location,
)
from ingest.addresses import hours_flags

SOURCE = "self_reported"
PLACE_SOURCE = "clinician"  # Location.source of a place the clinician typed


class _Changes:
    """The observations of one correction, each written only when its value changed."""

    def __init__(self, actor, clinician: Clinician, now: datetime):
        self.actor, self.clinician, self.now = actor, clinician, now
        self.kinds: list[str] = []

    def note(self, kind: str, before: Any, after: Any, location_id: int | None = None) -> bool:
        """Observe `after` as the clinician's word now, when it differs from `before`."""
        if normalized(before) == normalized(after):
            return False
        observe(
            subject(self.clinician.id),
            kind,
            after,
            SOURCE,
            observed_at=self.now,
            location_id=location_id,
            source_ref=f"user:{self.actor.id}",
            actor_id=self.actor.id,
        )
        self.kinds.append(kind)
        return True

    def done(self) -> list[str]:
        """Audit the correction (when anything changed), commit, and say which facts changed."""
        if self.kinds:
            record(self.actor, "self_report", "clinician", self.clinician.id)
        db.session.commit()
        return self.kinds


def correct_practice(actor, clinician: Clinician, edit: PracticeEdit, now: datetime) -> list[str]:
    """Set the approaches and the competencies with how each is known."""
    changes = _Changes(actor, clinician, now)
    if changes.note("approaches", sorted(clinician.approaches or []), list(edit.approaches)):
        clinician.approaches = list(edit.approaches)
    held = {row.code: row for row in clinician.competencies}
    if changes.note("competencies", {c: r.provenance for c, r in held.items()}, edit.competencies):
        for code, row in held.items():
            if code not in edit.competencies:
                clinician.competencies.remove(row)
        for code, how in edit.competencies.items():
            if code in held:
                held[code].provenance = how
            else:
                clinician.competencies.append(ClinicianCompetency(code=code, provenance=how))
    return changes.done()


def correct_languages(
    actor, clinician: Clinician, wanted: dict[str, str | None], now: datetime
) -> list[str]:
    """Set the languages (code -> proficiency, None when not said)."""
    changes = _Changes(actor, clinician, now)
    held = {row.code: row for row in clinician.languages}
    changes.note("languages", sorted(held), sorted(wanted))
    spoken = {code: row.proficiency for code, row in held.items() if row.proficiency}
    changes.note("language_proficiency", spoken, {c: p for c, p in wanted.items() if p})
    for code, row in held.items():
        if code not in wanted:
            clinician.languages.remove(row)
    for code, proficiency in wanted.items():
        if code in held:
            held[code].proficiency = proficiency
        else:
            clinician.languages.append(ClinicianLanguage(code=code, proficiency=proficiency))
    return changes.done()


def _phones(clinician: Clinician) -> list[str]:
    return sorted({ln.phone or ln.location.phone for ln in clinician.locations} - {None})


def _addresses(clinician: Clinician) -> list[dict]:
    return [address_fact(link.location) for link in clinician.locations]


def _own_link(clinician: Clinician, link_id: int) -> ClinicianLocation:
    for link in clinician.locations:
        if link.id == link_id:
            return link
    raise ItemNotFound(str(link_id))


def _shared(location: Location) -> bool:
    others = select(func.count()).where(ClinicianLocation.location_id == location.id)
    return db.session.scalar(others) > 1


def _placed(location: Location, edit: PlaceEdit) -> None:
    """Write the edit's address, access and hours to `location`, placed by its ZIP (offline)."""
    for name in ("line1", "line2", "city", "state", "postal_code"):
        setattr(location, name, getattr(edit, name))
    location.accessibility = list(edit.accessibility)
    location.hours = [dict(row) for row in edit.hours]
    location.evening_hours, location.weekend_hours = hours_flags(location.hours)
    placement = place_zip(edit.postal_code, edit.city, edit.state)
    location.lat = placement.point.lat if placement.point else None
    location.lon = placement.point.lon if placement.point else None
    location.geo_precision = placement.precision.value
    # The feeds' address digest no longer describes this row; a typed place keeps none.
    location.address_key = None
    location.source = PLACE_SOURCE


def _target(link: ClinicianLocation) -> Location:
    """The row to edit: the link's own place, or a copy when colleagues practise there too."""
    place = link.location
    if not _shared(place):
        return place
    copy = Location(name=place.name, organization_id=place.organization_id, phone=place.phone)
    db.session.add(copy)
    link.location = copy
    return copy


def correct_place(
    actor, clinician: Clinician, link_id: int | None, edit: PlaceEdit, now: datetime
) -> list[str]:
    """Correct one of the clinician's places, or add one (link_id None)."""
    changes = _Changes(actor, clinician, now)
    addresses, phones = _addresses(clinician), _phones(clinician)
    if link_id is None:
        link = ClinicianLocation(location=Location(), source=PLACE_SOURCE)
        clinician.locations.append(link)
        hours, access = [], []
    else:
        link = _own_link(clinician, link_id)
        hours, access = link.location.hours, sorted(link.location.accessibility or [])
    if _place_changed(link.location, edit) or link_id is None:
        _placed(_target(link) if link_id is not None else link.location, edit)
    link.phone = edit.phone
    db.session.flush()  # a new or copied place has its id now
    changes.note("location", addresses, _addresses(clinician))
    changes.note("phone", phones, _phones(clinician))
    changes.note("hours", hours, [dict(row) for row in edit.hours], link.location.id)
    changes.note("accessibility", access, list(edit.accessibility), link.location.id)
    return changes.done()


def _place_changed(location: Location, edit: PlaceEdit) -> bool:
    before = (
        [location.line1, location.line2, location.city, location.state, location.postal_code],
        sorted(location.accessibility or []),
        location.hours or [],
    )
    after = (
        [edit.line1, edit.line2, edit.city, edit.state, edit.postal_code],
        list(edit.accessibility),
        [dict(row) for row in edit.hours],
    )
    return normalized(before) != normalized(after)


def remove_place(actor, clinician: Clinician, link_id: int, now: datetime) -> list[str]:
    """The clinician no longer sees patients at one of their places."""
    changes = _Changes(actor, clinician, now)
    addresses, phones = _addresses(clinician), _phones(clinician)
    clinician.locations.remove(_own_link(clinician, link_id))
    db.session.flush()
    changes.note("location", addresses, _addresses(clinician))
    changes.note("phone", phones, _phones(clinician))
    return changes.done()
