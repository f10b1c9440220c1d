"""A practice's page: its contact details, places and the active clinicians listed there."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from directory.extensions import db
from directory.models import Clinician, ClinicianLocation, Location, Organization
from pages.contact import phone_text, tel_href
from web.profile_view import hours_text, terms_text


@dataclass(frozen=True)
class PracticeView:
    """A practice or organization: its contact details, places and listed clinicians."""

    id: int
    name: str
    phone: str | None
    phone_href: str | None
    website: str | None
    places: list[tuple[str, list[str], list[str]]]  # (address, hours, accessibility)
    clinicians: list[tuple[str, str]]  # (npi, display name)


def practice(org: Organization) -> PracticeView:
    """The page of an organization, with the active clinicians at its places."""
    places = db.session.scalars(
        select(Location).where(Location.organization_id == org.id).order_by(Location.id)
    ).all()
    # At one of its places, or linked to it at a place of another owner.
    at_practice = Clinician.locations.any(ClinicianLocation.organization_id == org.id)
    if places:
        at_practice = at_practice | Clinician.locations.any(
            ClinicianLocation.location_id.in_([p.id for p in places])
        )
    people = db.session.scalars(
        select(Clinician)
        .where(Clinician.active.is_(True), at_practice)
        .order_by(Clinician.last_name, Clinician.first_name, Clinician.npi)
    ).all()
    return PracticeView(
        id=org.id,
        name=org.name,
        phone=phone_text(org.phone) if org.phone else None,
        phone_href=tel_href(org.phone) if org.phone else None,
        website=org.website if (org.website or "").startswith("https://") else None,
        places=[
            (p.address, hours_text(p.hours), terms_text("accessibility", p.accessibility))
            for p in places
        ],
        clinicians=[(c.npi, c.display_name) for c in people],
    )
