"""Program search: sites within reach (a bounding box, then true distance), judged and ranked.

Ranking is explainable by construction: a program must meet every required criterion; it
then earns one point per preferred criterion met, and nearer breaks ties. Every result says
which criteria it met (`reasons`) and which it did not (`unmet`). When a page comes back short,
`relaxations` count what one change would find (a wider radius, a requirement made preferred).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from directory.extensions import db
from directory.geography import Point, bounding_box, distance_miles
from programs.criteria import Offer, Verdict, judge
from programs.models import ProgramLocation, ProgramService, ProgramSite
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


@dataclass(frozen=True)
class Found:
    """One program at its nearest qualifying site."""

    service: ProgramService
    location: ProgramLocation
    distance_miles: float
    reasons: list[Verdict]
    unmet: list[Verdict]
    score: int


@dataclass
class ProgramPage:
    """A page of ranked programs, the total, and what relaxing would find."""

    results: list[Found]
    total: int
    relaxations: list[dict] = field(default_factory=list)


def _offer(service: ProgramService, site: ProgramSite, location: ProgramLocation) -> Offer:
    return Offer(
        needs=frozenset(service.needs),
        levels_of_care=frozenset(service.levels_of_care),
        medications=frozenset(service.medications),
        languages=frozenset(service.languages),
        payments=frozenset(service.payments),
        minimum_age=service.minimum_age,
        maximum_age=service.maximum_age,
        fee_max=service.fee_max,
        hours=tuple(site.hours or ()),
        state=location.state,
    )


def _sites(point: Point, miles: float) -> list[tuple[ProgramSite, ProgramService, ProgramLocation]]:
    """Active programs' placed sites in the box around `point`."""
    south, north, west, east = bounding_box(point, miles)
    rows = db.session.execute(
        select(ProgramSite, ProgramService, ProgramLocation)
        .join(ProgramService, ProgramSite.service_id == ProgramService.id)
        .join(ProgramLocation, ProgramSite.location_id == ProgramLocation.id)
        .where(
            ProgramService.status == "active",
            ProgramLocation.lat.between(south, north),
            ProgramLocation.lon.between(west, east),
        )
    )
    return [tuple(row) for row in rows]


def _matches(needs: ProgramNeeds, now: datetime, sites) -> list[Found]:
    best: dict[int, Found] = {}
    for site, service, location in sites:
        miles = distance_miles(needs.point, Point(location.lat, location.lon))
        if miles > needs.max_distance_miles:
            continue
        verdicts = judge(needs, _offer(service, site, location), now)
        if any(not v.met and needs.requires(v.criterion) for v in verdicts):
            continue
        met = [v for v in verdicts if v.met]
        score = sum(1 for v in met if not needs.requires(v.criterion))
        found = Found(service, location, miles, met, [v for v in verdicts if not v.met], score)
        kept = best.get(service.id)
        if kept is None or (score, -miles) > (kept.score, -kept.distance_miles):
            best[service.id] = found
    return sorted(best.values(), key=lambda f: (-f.score, f.distance_miles, f.service.id))


def _count(needs: ProgramNeeds, now: datetime) -> int:
    return len(_matches(needs, now, _sites(needs.point, needs.max_distance_miles)))


def _relaxations(needs: ProgramNeeds, now: datetime) -> list[dict]:
    found = []
    wider = [s for s in RADIUS_STEPS if needs.max_distance_miles < s <= MAX_DISTANCE_MILES][:2]
    for miles in wider:
        n = _count(needs.replace(max_distance_miles=miles), now)
        found.append({"relax": "max_distance_miles", "value": miles, "count": n,
                      "text": f"{n} within {miles:g} mi"})  # fmt: skip
    for criterion in sorted(c for c in needs.required if needs.asked(c)):
        n = _count(needs.replace(required=needs.required - {criterion}), now)
        label = CRITERION_LABELS[criterion]
        found.append({"relax": "required", "value": criterion, "count": n,
                      "text": f"{n} if {label} is preferred, not required"})  # fmt: skip
    return found


def find_programs(needs: ProgramNeeds, now: datetime) -> ProgramPage:
    """Ranked programs for `needs` at `now` (open-now is judged in each site's local time)."""
    ranked = _matches(needs, now, _sites(needs.point, needs.max_distance_miles))
    page = ProgramPage(ranked[needs.offset : needs.offset + needs.limit], len(ranked))
    if len(ranked) < needs.limit:
        page.relaxations = _relaxations(needs, now)
    return page
