"""Programs shown beside clinicians: substance-use treatment when a concern is substance use.

Most substance-use treatment is given by programs (opioid treatment programs, intensive
outpatient, residential), so a search for a clinician about it also lists the nearest ones.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from directory.geography import Point
from programs.needs import MAX_DISTANCE_MILES, ProgramNeedsSchema
from programs.search import Found, find_programs

# Concern codes (directory/data/vocabularies/concerns.json) whose care is mostly programs.
# Tobacco is left out: quitlines and clinicians treat it, not treatment programs.
SUBSTANCE_USE_CONCERNS = frozenset({"substance_use", "alcohol_use", "opioid_use"})
BESIDE_LIMIT = 3


def programs_beside(
    concerns: Iterable[str], point: Point, miles: float, now: datetime
) -> list[Found]:
    """Up to three treatment programs near `point` when a concern is substance use, else []."""
    if not SUBSTANCE_USE_CONCERNS & set(concerns):
        return []
    needs = ProgramNeedsSchema().load(
        {
            "lat": point.lat,
            "lon": point.lon,
            "max_distance_miles": min(max(miles, 0.5), MAX_DISTANCE_MILES),
            "needs": ["substance_use_treatment"],
            "limit": BESIDE_LIMIT,
        }
    )
    return find_programs(needs, now).results
