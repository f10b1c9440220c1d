"""How to contact each result: the phone for the clinician at that place.

Matching candidates carry no phone numbers, so the results page looks them up for the page's
clinicians in one query: the clinician-at-location phone, else the location's, else its
organization's. A telehealth result uses the first phone found for the clinician.
"""

from __future__ import annotations

from collections.abc import Iterable

import phonenumbers
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from directory.models import ClinicianLocation, Location, Organization
from matching.ranking import Match


def phone_book(session: Session, matches: Iterable[Match]) -> dict[tuple[int, int | None], str]:
    """{(clinician_id, location_id or None): phone} for the given matches."""
    ids = sorted({m.candidate.clinician_id for m in matches})
    if not ids:
        return {}
    org_id = func.coalesce(ClinicianLocation.organization_id, Location.organization_id)
    rows = session.execute(
        select(
            ClinicianLocation.clinician_id,
            ClinicianLocation.location_id,
            func.coalesce(ClinicianLocation.phone, Location.phone, Organization.phone),
        )
        .join(Location, Location.id == ClinicianLocation.location_id)
        .outerjoin(Organization, Organization.id == org_id)
        .where(ClinicianLocation.clinician_id.in_(ids))
        .order_by(ClinicianLocation.clinician_id, ClinicianLocation.location_id)
    )
    book: dict[tuple[int, int | None], str] = {}
    for clinician_id, location_id, phone in rows:
        if phone:
            book[(clinician_id, location_id)] = phone
            book.setdefault((clinician_id, None), phone)
    return book


def phone_for(book: dict[tuple[int, int | None], str], match: Match) -> str | None:
    """The number to call for this match."""
    place_id = match.place.id if match.place is not None else None
    key = (match.candidate.clinician_id, place_id)
    return book.get(key) or book.get((match.candidate.clinician_id, None))


def tel_href(phone: str) -> str:
    """A tel: link target with only the digits (and a leading +)."""
    digits = "".join(ch for ch in phone if ch.isdigit())
    return f"tel:+1{digits}" if len(digits) == 10 else f"tel:{digits}"


def phone_text(phone: str) -> str:
    """'(617) 555-0100' for a North American number; one phonenumbers cannot read, as given."""
    try:
        number = phonenumbers.parse(phone, "US")
    except phonenumbers.NumberParseException:
        return phone
    if not phonenumbers.is_possible_number(number):
        return phone
    style = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if number.country_code == 1
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return phonenumbers.format_number(number, style)
