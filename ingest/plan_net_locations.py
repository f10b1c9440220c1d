"""Plan-Net Location resources as LocationRecords, and the newpatients extension."""

import math
import re
from dataclasses import dataclass
from datetime import datetime

from directory.geography import repair_zip, zip5
from directory.plan_net_codes import ACCESSIBILITY
from ingest.fhir_elements import (
    ResourceFault,
    bounded,
    extension_codes,
    extensions,
    first_code,
    last_updated,
    telecom,
)
from ingest.fhir_index import Indexed, ResourceIndex
from ingest.records import LocationRecord

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_TIME = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)")
# AcceptingPatientsCS: only newpt opens the door to a new referral.
ACCEPTING = {"newpt": True, "nopt": False, "existptonly": False, "existptfam": False}
ACCEPTING["existptplusfam"] = False  # spelling used by some feeds for existptfam


@dataclass
class PlaceFacts:
    """A Location as a LocationRecord, with its own newpatients flag and update time."""

    record: LocationRecord
    accepting: bool | None
    verified_at: datetime | None


def accepting_new_patients(element: dict) -> bool | None:
    """The newpatients extension: True when any says newpt, False when all say otherwise."""
    found: list[bool] = []
    for ext in extensions(element, "newpatients"):
        for sub in extensions(ext, "acceptingPatients"):
            code = first_code(sub.get("valueCodeableConcept"), "AcceptingPatientsCS")
            if code in ACCEPTING:
                found.append(ACCEPTING[code])
    return any(found) if found else None


def is_place(resource: dict) -> bool:
    """True for a Location with a street address; others (e.g. a state) are coverage areas."""
    address = resource.get("address") or {}
    return bool([line for line in address.get("line") or [] if str(line).strip()])


def place_facts(location: Indexed, index: ResourceIndex) -> PlaceFacts:
    """A Location with a street address as a LocationRecord; faults name the FHIR path."""
    resource = location.resource
    address = resource.get("address") or {}
    lines = [str(line).strip() for line in address.get("line") or [] if str(line).strip()]
    # A ZIP that cannot be read leaves the place without one (placed by position or city, or
    # kept off the map): an address never drops a location or the clinicians practising there.
    postal = str(address.get("postalCode") or "")
    repaired = repair_zip(postal)
    postal = repaired.after if repaired else postal
    state = str(address.get("state") or "").strip().upper()
    if not re.fullmatch(r"[A-Z]{2}", state):
        raise ResourceFault("Location.address.state", "state is not a 2-letter code", state)
    city = bounded(address.get("city"), 100, "Location.address.city")
    if not city:
        raise ResourceFault("Location.address.city", "city is missing")
    lat, lon = position(resource)
    owner = index.resolve(
        resource.get("managingOrganization"), "Location.managingOrganization", "Organization"
    )
    record = LocationRecord(
        bounded(lines[0], 200, "Location.address.line"),
        city,
        state,
        zip5(postal),
        line2=bounded(", ".join(lines[1:]), 200, "Location.address.line"),
        lat=lat,
        lon=lon,
        phone=bounded(telecom(resource, "phone"), 30, "Location.telecom"),
        name=bounded(resource.get("name"), 200, "Location.name"),
        external_id=location.id,
        organization_external_id=owner.id if owner and not owner.rejected else None,
        accessibility=accessibility(resource),
        hours=opening_hours(resource),
    )
    return PlaceFacts(record, accepting_new_patients(resource), last_updated(resource))


def position(resource: dict) -> tuple[float | None, float | None]:
    """Location.position as (lat, lon); out of range or non-numeric values are faults."""
    found = resource.get("position")
    if not found:
        return None, None
    values = []
    for part, low, high in (("latitude", -90.0, 90.0), ("longitude", -180.0, 180.0)):
        value = found.get(part)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ResourceFault(f"Location.position.{part}", f"{part} is not a number", str(value))
        if math.isnan(value) or not low <= value <= high:
            raise ResourceFault(
                f"Location.position.{part}", f"{part} out of range {low:g}..{high:g}", str(value)
            )
        values.append(float(value))
    return values[0], values[1]


def accessibility(resource: dict) -> list[str]:
    """Accessibility vocabulary codes from the Plan-Net accessibility extension."""
    out: list[str] = []
    for code in extension_codes(resource, "accessibility", "AccessibilityCS"):
        term = ACCESSIBILITY.get(code)
        if term and term not in out:
            out.append(term)
    return out


def opening_hours(resource: dict) -> list[dict]:
    """hoursOfOperation as [{"days", "opens", "closes"}]; allDay is 00:00-24:00."""
    out = []
    for slot in resource.get("hoursOfOperation") or []:
        days = [d for d in DAYS if d in (slot.get("daysOfWeek") or [])]
        if not days:
            continue
        if slot.get("allDay"):
            opens, closes = "00:00", "24:00"
        else:
            opens, closes = _hhmm(slot.get("openingTime")), _hhmm(slot.get("closingTime"))
        out.append({"days": days, "opens": opens, "closes": closes})
    return out


def _hhmm(text: str | None) -> str | None:
    """'08:00:00' -> '08:00'; None when absent or not a time."""
    found = _TIME.match(str(text or ""))
    return f"{found.group(1)}:{found.group(2)}" if found else None
