"""The nearest in-person option when a search finds nothing: "9 within 100 mi, nearest 62 mi".

Counted with the search's own requirements (plan, needs, new patients), in person only, over a
wider radius: the searched one when it is already wide, else NEAR_RADIUS_MILES.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from matching.backend import IN_PERSON, MatchBackend
from matching.criteria import findings
from matching.filters import meets_required, passes_rules
from matching.needs import MAX_DISTANCE_MILES, Needs

NEAR_RADIUS_MILES = 100.0


@dataclass(frozen=True)
class Nearest:
    """How many clinicians see patients in person within `radius_miles`; the nearest's miles."""

    radius_miles: float
    count: int
    nearest_miles: float | None  # None when count is 0


def search_radius(needs: Needs) -> float:
    """NEAR_RADIUS_MILES, or the widest allowed when the search already reached it."""
    return NEAR_RADIUS_MILES if needs.max_distance_miles < NEAR_RADIUS_MILES else MAX_DISTANCE_MILES


def nearest_in_person(backend: MatchBackend, needs: Needs, today: date) -> Nearest:
    """Clinicians meeting the search's requirements in person within the wider radius."""
    wide = needs.replace(modality=IN_PERSON, max_distance_miles=search_radius(needs), offset=0)
    nearest: dict[int, float] = {}
    for c in backend.retrieve(wide):
        if c.distance_miles is None or c.distance_miles > wide.max_distance_miles:
            continue
        if not passes_rules(wide, c) or not meets_required(wide, findings(wide, c, today)):
            continue
        kept = nearest.get(c.clinician_id)
        nearest[c.clinician_id] = c.distance_miles if kept is None else min(kept, c.distance_miles)
    closest = min(nearest.values()) if nearest else None
    return Nearest(wide.max_distance_miles, len(nearest), closest)
