"""A program search answered from the index: the page's rows, the total and the relaxations."""

from __future__ import annotations

from datetime import datetime

from matching.distance import geodesic_miles
from programs.index.columns import ProgramIndex
from programs.index.query import count, ranked, reach
from programs.needs import ProgramNeeds
from programs.relaxations import preferred, relaxable, wider, wider_radii, widest


def _relaxations(index: ProgramIndex, needs: ProgramNeeds, now: datetime) -> list[dict]:
    """Counts for each single change, from one reach at the widest radius suggested."""
    judged = reach(index, needs, now, widest(needs))
    found = [
        wider(miles, count(index, needs.replace(max_distance_miles=miles), judged))
        for miles in wider_radii(needs)
    ]
    for criterion in relaxable(needs):
        kept = needs.replace(required=needs.required - {criterion})
        found.append(preferred(criterion, count(index, kept, judged)))
    return found


def from_index(
    index: ProgramIndex, needs: ProgramNeeds, now: datetime
) -> tuple[list[tuple[int, int, int, float]], int, list[dict] | None]:
    """(page rows as (score, service id, location id, miles), total, relaxations when short)."""
    found = ranked(index, needs, reach(index, needs, now, needs.max_distance_miles))
    shown = slice(needs.offset, needs.offset + needs.limit)
    center = needs.point
    page = [
        # The scalar geodesic for the shown distance: the array one may differ in the last bit.
        (int(score), int(service), int(location),
         geodesic_miles(center.lat, center.lon, float(index.lat[row]), float(index.lon[row])))
        for row, score, service, location in zip(
            found.row[shown], found.score[shown], found.service_id[shown],
            found.location_id[shown], strict=True,
        )
    ]  # fmt: skip
    short = len(found) < needs.limit
    return page, len(found), _relaxations(index, needs, now) if short else None
