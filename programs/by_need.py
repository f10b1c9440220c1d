"""Programs for each need a screening found, near a ZIP code: the program search, pre-filled.

One search per need (the search's own ranking, unchanged), so a food pantry does not crowd
out the shelter; the needs keep the screening's order (safety first).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from programs.needs import ProgramNeedsSchema
from programs.search import Found, find_programs

NEAR_MILES = 10  # as the public programs page searches
PER_NEED = 3


@dataclass(frozen=True)
class NeedPrograms:
    """The nearest programs for one need, and how many there are within reach."""

    need: str
    results: list[Found]
    total: int


def search_body(needs: Iterable[str], postal_code: str) -> dict:
    """The program search (POST /api/v1/programs/matches) these needs pre-fill."""
    return {"postal_code": postal_code, "max_distance_miles": NEAR_MILES, "needs": list(needs)}


def programs_for_needs(
    needs: Iterable[str], postal_code: str, now: datetime, per_need: int = PER_NEED
) -> list[NeedPrograms]:
    """Per need, the nearest programs helping with it (ValidationError for an unknown ZIP)."""
    found = []
    for need in needs:
        body = {**search_body([need], postal_code), "limit": per_need}
        page = find_programs(ProgramNeedsSchema().load(body), now)
        found.append(NeedPrograms(need, page.results, page.total))
    return found
