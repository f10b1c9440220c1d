"""What one change to a short search would find: a wider radius, a requirement made preferred."""

from __future__ import annotations

from programs.needs import MAX_DISTANCE_MILES, ProgramNeeds

RADIUS_STEPS = (10.0, 25.0, 50.0, 100.0)
CRITERION_LABELS = {
    "needs": "need",
    "levels_of_care": "level of care",
    "medications": "medication",
    "languages": "language",
    "age": "age",
    "payment": "payment",
    "schedule": "hours",
}


def wider_radii(needs: ProgramNeeds) -> list[float]:
    """The next two radius steps beyond the search's (within the longest allowed)."""
    return [s for s in RADIUS_STEPS if needs.max_distance_miles < s <= MAX_DISTANCE_MILES][:2]


def widest(needs: ProgramNeeds) -> float:
    """The radius one fetch must reach for every relaxation's count."""
    return max([needs.max_distance_miles, *wider_radii(needs)])


def relaxable(needs: ProgramNeeds) -> list[str]:
    """The required criteria the search asks, in order: each could be made preferred."""
    return sorted(c for c in needs.required if needs.asked(c))


def wider(miles: float, count: int) -> dict:
    """The suggestion of a wider radius, with what it finds."""
    return {"relax": "max_distance_miles", "value": miles, "count": count,
            "text": f"{count} within {miles:g} mi"}  # fmt: skip


def preferred(criterion: str, count: int) -> dict:
    """The suggestion of a requirement made preferred, with what it finds."""
    label = CRITERION_LABELS[criterion]
    return {"relax": "required", "value": criterion, "count": count,
            "text": f"{count} if {label} is preferred, not required"}  # fmt: skip
