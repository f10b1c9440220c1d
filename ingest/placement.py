"""What the repairs report says of a location placed only by its city, or kept off the map."""

from __future__ import annotations

from directory.geography import GeoPrecision, ZipRepair, is_zcta, place_zip, zip5

CITY_NOTE = "(city centre)"  # the repairs report's 'after' for a location placed by its city
UNPLACED_NOTE = "(not placed)"  # the repairs report's 'after' for a location kept off the map


def placement_note(raw: str, city: str | None, state: str | None) -> ZipRepair | None:
    """The repairs-report line for a ZIP placed only by its city, or not at all; else None."""
    # The location (and its clinician) is always kept: the note says what the map will lack.
    code = zip5(raw)
    if is_zcta(code):
        return None
    placed = place_zip(raw, city, state)
    if placed.precision not in (GeoPrecision.CITY, GeoPrecision.NONE):
        return None
    why = f"ZIP {code} is not a USPS ZIP" if code else "ZIP is not 5 or 9 digits"
    if placed.precision == GeoPrecision.CITY:
        return ZipRepair(raw, CITY_NOTE, f"{why}: location placed at the centre of its city")
    kept = "kept without a map point (telehealth searches only)"
    return ZipRepair(raw, UNPLACED_NOTE, f"{why}: location {kept}")
