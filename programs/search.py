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
from directory.geography import bounding_box
from matching.distance import within
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


@dataclass(frozen=True)
class Judged:
    """One site within reach: its program, distance and every verdict."""

    service_id: int
    location_id: int
    miles: float
    verdicts: tuple[Verdict, ...]


_COLUMNS = (
    ProgramService.id, ProgramService.needs, ProgramService.levels_of_care,
    ProgramService.medications, ProgramService.languages, ProgramService.payments,
    ProgramService.minimum_age, ProgramService.maximum_age, ProgramService.fee_max,
    ProgramSite.hours, ProgramLocation.id, ProgramLocation.lat, ProgramLocation.lon,
    ProgramLocation.state,
)  # fmt: skip


def _judged(needs: ProgramNeeds, now: datetime, miles: float) -> list[Judged]:
    """Active programs' placed sites within `miles`, judged (columns only: no ORM objects)."""
    south, north, west, east = bounding_box(needs.point, miles)
    rows = db.session.execute(
        select(*_COLUMNS)
        .join(ProgramService, ProgramSite.service_id == ProgramService.id)
        .join(ProgramLocation, ProgramSite.location_id == ProgramLocation.id)
        .where(
            ProgramService.status == "active",
            ProgramLocation.lat.between(south, north),
            ProgramLocation.lon.between(west, east),
        )
    )
    found = []
    for sid, nds, levels, meds, langs, pays, low, high, fee, hours, lid, lat, lon, state in rows:
        distance = within(needs.point, lat, lon, miles)  # Vincenty: 5x geopy's speed
        if distance is None:
            continue
        offer = Offer(frozenset(nds), frozenset(levels), frozenset(meds), frozenset(langs),
                      frozenset(pays), low, high, fee, tuple(hours or ()), state)  # fmt: skip
        found.append(Judged(sid, lid, distance, tuple(judge(needs, offer, now))))
    return found


def _ranked(needs: ProgramNeeds, judged: list[Judged]) -> list[tuple[int, Judged]]:
    """(score, site) per program at its best site, best first, for `needs`' radius and rules."""
    best: dict[int, tuple[int, Judged]] = {}
    for site in judged:
        if site.miles > needs.max_distance_miles:
            continue
        if any(not v.met and needs.requires(v.criterion) for v in site.verdicts):
            continue
        score = sum(1 for v in site.verdicts if v.met and not needs.requires(v.criterion))
        kept = best.get(site.service_id)
        if kept is None or (score, -site.miles) > (kept[0], -kept[1].miles):
            best[site.service_id] = (score, site)
    return sorted(best.values(), key=lambda p: (-p[0], p[1].miles, p[1].service_id))


def _relaxations(needs: ProgramNeeds, now: datetime) -> list[dict]:
    """Counts for each single change, from one judged fetch at the widest radius suggested."""
    wider = [s for s in RADIUS_STEPS if needs.max_distance_miles < s <= MAX_DISTANCE_MILES][:2]
    judged = _judged(needs, now, max([needs.max_distance_miles, *wider]))
    found = []
    for miles in wider:
        n = len(_ranked(needs.replace(max_distance_miles=miles), judged))
        found.append({"relax": "max_distance_miles", "value": miles, "count": n,
                      "text": f"{n} within {miles:g} mi"})  # fmt: skip
    for criterion in sorted(c for c in needs.required if needs.asked(c)):
        n = len(_ranked(needs.replace(required=needs.required - {criterion}), judged))
        label = CRITERION_LABELS[criterion]
        found.append({"relax": "required", "value": criterion, "count": n,
                      "text": f"{n} if {label} is preferred, not required"})  # fmt: skip
    return found


def _found(score: int, site: Judged) -> Found:
    service = db.session.get(ProgramService, site.service_id)
    location = db.session.get(ProgramLocation, site.location_id)
    met = [v for v in site.verdicts if v.met]
    unmet = [v for v in site.verdicts if not v.met]
    return Found(service, location, site.miles, met, unmet, score)


def find_programs(needs: ProgramNeeds, now: datetime) -> ProgramPage:
    """Ranked programs for `needs` at `now` (open-now is judged in each site's local time)."""
    ranked = _ranked(needs, _judged(needs, now, needs.max_distance_miles))
    shown = ranked[needs.offset : needs.offset + needs.limit]
    page = ProgramPage([_found(score, site) for score, site in shown], len(ranked))
    if len(ranked) < needs.limit:
        page.relaxations = _relaxations(needs, now)
    return page
