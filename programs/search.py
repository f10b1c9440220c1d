"""Program search: sites within reach (a bounding box, then true distance), judged and ranked.

Ranking is explainable by construction: a program must meet every required criterion; it
then earns one point per preferred criterion met, and nearer breaks ties. Every result says
which criteria it met (`reasons`) and which it did not (`unmet`). When a page comes back short,
`relaxations` count what one change would find (a wider radius, a requirement made preferred).
The in-memory index (programs.index) answers when it is current; SQL here otherwise (while it
builds, PROGRAM_INDEX=off, or for a transaction's own writes), with the same results.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from directory.extensions import db
from directory.geography import bounding_box
from matching.distance import within
from programs.criteria import Offer, Verdict, judge
from programs.index.keeper import program_index
from programs.index.search import from_index
from programs.models import ProgramLocation, ProgramService, ProgramSite
from programs.needs import ProgramNeeds
from programs.relaxations import preferred, relaxable, wider, wider_radii, widest


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
        # Equal score and miles (two sites at one point): the lower location id, as the index.
        if kept is None or (score, -site.miles, -site.location_id) > (
            kept[0],
            -kept[1].miles,
            -kept[1].location_id,
        ):
            best[site.service_id] = (score, site)
    return sorted(best.values(), key=lambda p: (-p[0], p[1].miles, p[1].service_id))


def _relaxations(needs: ProgramNeeds, now: datetime) -> list[dict]:
    """Counts for each single change, from one judged fetch at the widest radius suggested."""
    judged = _judged(needs, now, widest(needs))
    found = []
    for miles in wider_radii(needs):
        found.append(wider(miles, len(_ranked(needs.replace(max_distance_miles=miles), judged))))
    for criterion in relaxable(needs):
        kept = needs.replace(required=needs.required - {criterion})
        found.append(preferred(criterion, len(_ranked(kept, judged))))
    return found


def _shown(needs: ProgramNeeds, now: datetime, page: list[tuple[int, int, int, float]]):
    """The page's programs, read in one query and explained: (score, service, location, miles)."""
    if not page:
        return []
    # By service (the leading column of the site's unique key; SQLite scans for row values),
    # the few other sites of those services dropped below.
    sites = db.session.scalars(
        select(ProgramSite)
        .where(ProgramSite.service_id.in_({service_id for _, service_id, _, _ in page}))
        .options(
            joinedload(ProgramSite.service).joinedload(ProgramService.organization),
            joinedload(ProgramSite.location),
        )
    ).all()
    by_pair = {(s.service_id, s.location_id): s for s in sites}
    found = []
    for score, service_id, location_id, miles in page:
        site = by_pair[(service_id, location_id)]
        verdicts = judge(needs, offer_at(site), now)
        met = [v for v in verdicts if v.met]
        unmet = [v for v in verdicts if not v.met]
        found.append(Found(site.service, site.location, miles, met, unmet, score))
    return found


def offer_at(site: ProgramSite) -> Offer:
    """What the site's program offers there, as the criteria read it."""
    service = site.service
    return Offer(frozenset(service.needs), frozenset(service.levels_of_care),
                 frozenset(service.medications), frozenset(service.languages),
                 frozenset(service.payments), service.minimum_age, service.maximum_age,
                 service.fee_max, tuple(site.hours or ()), site.location.state)  # fmt: skip


def _from_sql(needs: ProgramNeeds, now: datetime) -> tuple[list, int, list[dict] | None]:
    """(page rows, total, relaxations when short) judged site by site from SQL."""
    ranked = _ranked(needs, _judged(needs, now, needs.max_distance_miles))
    shown = ranked[needs.offset : needs.offset + needs.limit]
    page = [(score, s.service_id, s.location_id, s.miles) for score, s in shown]
    short = len(ranked) < needs.limit
    return page, len(ranked), _relaxations(needs, now) if short else None


def find_programs(needs: ProgramNeeds, now: datetime) -> ProgramPage:
    """Ranked programs for `needs` at `now` (open-now is judged in each site's local time)."""
    index = program_index.current()
    found = _from_sql(needs, now) if index is None else from_index(index, needs, now)
    page_rows, total, relaxations = found
    page = ProgramPage(_shown(needs, now, page_rows), total)
    if relaxations is not None:
        page.relaxations = relaxations
    return page
