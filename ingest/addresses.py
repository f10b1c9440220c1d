"""Address keys and opening-hours flags: what a location record says, before any database."""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from typing import TYPE_CHECKING

from directory.geography import zip5

if TYPE_CHECKING:
    from ingest.records import LocationRecord

_NOT_WORD = re.compile(r"[^A-Z0-9 ]+")
_SPACES = re.compile(r"\s+")
# USPS Publication 28 abbreviations, so "100 Main Street Suite 2" and "100 MAIN ST STE 2" match.
_ABBREVIATIONS = {
    "STREET": "ST",
    "AVENUE": "AVE",
    "ROAD": "RD",
    "DRIVE": "DR",
    "BOULEVARD": "BLVD",
    "LANE": "LN",
    "COURT": "CT",
    "PLACE": "PL",
    "PARKWAY": "PKWY",
    "HIGHWAY": "HWY",
    "SQUARE": "SQ",
    "TERRACE": "TER",
    "CIRCLE": "CIR",
    "SUITE": "STE",
    "FLOOR": "FL",
    "BUILDING": "BLDG",
    "ROOM": "RM",
    "APARTMENT": "APT",
    "NORTH": "N",
    "SOUTH": "S",
    "EAST": "E",
    "WEST": "W",
}
_WEEKEND = {"sat", "sun"}
_EVENING_AFTER = "17:00"


def _normal(part: str | None) -> str:
    """Upper case, punctuation dropped, USPS abbreviations, single spaces."""
    if not part:
        return ""
    words = _SPACES.split(_NOT_WORD.sub(" ", part.upper()).strip())
    return " ".join(_ABBREVIATIONS.get(w, w) for w in words)


# Cities, states and second lines repeat across a file: normalized once each (line1 rarely does).
_normal_repeated = lru_cache(maxsize=16384)(_normal)


def address_key(
    line1: str | None, line2: str | None, city: str | None, state: str | None, postal: str | None
) -> str:
    """SHA-256 of the normalized line1|line2|city|state|zip5 (Location.address_key)."""
    parts = (
        _normal(line1),
        _normal_repeated(line2),
        _normal_repeated(city),
        _normal_repeated(state),
        zip5(postal) or "",
    )
    return hashlib.sha256("|".join(parts).encode("utf-8")).hexdigest()


def hours_flags(hours: list[dict] | None) -> tuple[bool, bool]:
    """(evening_hours, weekend_hours): open after 17:00 on some day, open on Sat or Sun."""
    evening = weekend = False
    for slot in hours or []:
        days = {str(d).lower()[:3] for d in slot.get("days") or []}
        closes = slot.get("closes") or ""
        evening = evening or (bool(days) and closes > _EVENING_AFTER)
        weekend = weekend or bool(days & _WEEKEND)
    return evening, weekend


def record_address_key(rec: LocationRecord) -> str:
    """The address key of a location record's address fields."""
    return address_key(rec.line1, rec.line2, rec.city, rec.state, rec.postal_code)
