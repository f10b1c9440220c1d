"""Which rows of a segment meet every required need: matching.filters over whole columns.

The rules are the shared ones (filters.HARD_RULES, criteria.findings of required needs) and the
candidates are the embedded backend's: in person at a location in the needs' bounding box and
within the geodesic radius, or by telehealth with a current license in the patient's state.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

from directory.geography import bounding_box
from matching.distance import HAVERSINE_MARGIN
from matching.index.cost import takes_any, within_fee
from matching.index.geodesy import chord_miles, chord_near, within
from matching.index.masks import NeedMasks
from matching.index.segment import NO_DATE, NO_WAIT, Places, Segment
from matching.needs import Needs


@dataclass(frozen=True)
class Admitted:
    """Rows that pass: clinician rows, link rows (-1 for telehealth) and miles (nan); `rough`
    marks rows whose miles are haversine's (surely inside the radius, Vincenty not yet run)."""

    clinician: np.ndarray
    link: np.ndarray
    miles: np.ndarray
    rough: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.clinician)

    def take(self, picked: np.ndarray) -> Admitted:
        """The rows at `picked` indexes, in that order."""
        rough = None if self.rough is None else self.rough[picked]
        return Admitted(self.clinician[picked], self.link[picked], self.miles[picked], rough)


def days_to_opening(segment: Segment, rows: np.ndarray, today: date) -> np.ndarray:
    """Candidate.days_to_next_opening per row, NO_WAIT when unknown."""
    c = segment.clinicians
    opens = c.next_open[rows]
    days = np.maximum(0, opens - today.toordinal())
    return np.where(opens != NO_DATE, days, c.wait_days[rows])


def _clinician_rules(segment: Segment, m: NeedMasks, rows: np.ndarray, today: date) -> np.ndarray:
    """Listing rules and required needs that depend on the clinician only."""
    c, needs = segment.clinicians, m.needs
    keep = ~c.not_treated.overlaps(rows, m.concerns)
    if needs.age_groups:
        keep &= c.ages.empty(rows) | c.ages.overlaps(rows, m.ages)
    if m.required("languages") and needs.languages:
        keep &= c.languages.overlaps(rows, m.languages)
    if m.required("clinician_gender") and needs.clinician_gender:
        keep &= c.gender[rows] == m.gender
    if m.required("cultural_preferences") and needs.cultural_preferences:
        keep &= m.competencies_known and c.competencies.covers(rows, m.competencies)
    if m.required("specialties") and needs.specialty_codes:
        keep &= c.taxonomies.overlaps(rows, m.specialties)
    if m.required("concerns"):
        for share in m.fit_shares(segment, rows):
            keep &= share > 0
    if m.required("max_wait_days") and needs.max_wait_days is not None:
        days = days_to_opening(segment, rows, today)
        keep &= (days != NO_WAIT) & (days <= needs.max_wait_days)
    return keep & _cost_rules(segment, m, rows)


def _cost_rules(segment: Segment, m: NeedMasks, rows: np.ndarray) -> np.ndarray:
    """Required payment words and self-pay fee (criteria.payment_findings, fee_findings)."""
    c, needs = segment.clinicians, m.needs
    keep = np.ones(len(rows), dtype=bool)
    if m.required("payment") and needs.payment:
        keep &= takes_any(c, rows, needs.payment)
    if m.required("max_fee") and needs.max_fee is not None:
        keep &= within_fee(c, rows, needs.max_fee)
    return keep


def _box_locations(segment: Segment, needs: Needs) -> np.ndarray:
    """Location rows inside the needs' bounding box (as the SQL backend draws it)."""
    p = segment.places
    min_lat, max_lat, min_lon, max_lon = bounding_box(needs.point, needs.max_distance_miles)
    lo, hi = np.searchsorted(p.lat, min_lat, "left"), np.searchsorted(p.lat, max_lat, "right")
    lon = p.lon[lo:hi]
    if min_lon < -180:
        inside = (lon >= min_lon + 360) | (lon <= max_lon)
    elif max_lon > 180:
        inside = (lon >= min_lon) | (lon <= max_lon - 360)
    else:
        inside = (lon >= min_lon) & (lon <= max_lon)
    return lo + np.flatnonzero(inside)


def _links_at(segment: Segment, locations: np.ndarray) -> np.ndarray:
    """Every link row at the given location rows (CSR expansion)."""
    start = segment.places.link_start
    first, counts = start[locations], start[locations + 1] - start[locations]
    total = int(counts.sum())
    if not total:
        return np.zeros(0, dtype=np.int64)
    offsets = np.repeat(first - np.cumsum(counts) + counts, counts)
    return offsets + np.arange(total)


def _distinct(locations: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """np.unique(locations, return_inverse=True), without its sort when already in order."""
    if len(locations) and np.all(locations[1:] >= locations[:-1]):  # links are by location
        first = np.r_[True, locations[1:] != locations[:-1]]
        return locations[first], np.cumsum(first) - 1
    return np.unique(locations, return_inverse=True)


def _near_locations(segment: Segment, needs: Needs) -> np.ndarray:
    """Box locations not ruled out by within()'s own haversine pre-check (a hair looser)."""
    p = segment.places
    box = _box_locations(segment, needs)
    # The chord and haversine's formula measure the same arc; they differ by float rounding
    # (~1e-13 of the distance), far inside this looseness. _inside() settles the rest exactly.
    reach = needs.max_distance_miles * HAVERSINE_MARGIN * (1 + 1e-8)
    return box[chord_near(needs.point, p.x[box], p.y[box], p.z[box], reach)]


def _link_rules(segment: Segment, m: NeedMasks, links: np.ndarray, alive) -> np.ndarray:
    """The links that pass plan, modality, liveness and accepting (plan first: it cuts most)."""
    p, c, needs = segment.places, segment.clinicians, m.needs
    if needs.plan is not None:
        rows = p.link_clinician[links]
        links = links[
            c.networks_wide.overlaps(rows, m.plan) | p.link_networks.overlaps(links, m.plan)
        ]
    rows = p.link_clinician[links]
    keep = c.modalities.empty(rows) | c.modalities.overlaps(rows, m.in_person)
    if alive is not None:
        keep &= alive[rows]
    if needs.accepting_new_patients:
        keep &= p.link_accepting[links] != 0
    return links[keep]


def in_person(segment: Segment, m: NeedMasks, today: date, alive) -> Admitted:
    """Clinician-location pairs within the radius that meet every required need."""
    p, needs = segment.places, m.needs
    links = _link_rules(segment, m, _links_at(segment, _near_locations(segment, needs)), alive)
    rows = p.link_clinician[links]
    keep = _clinician_rules(segment, m, rows, today)
    locations = p.link_location[links]
    if m.required("availability"):
        for code in needs.availability:
            keep &= (p.evening if code == "evening" else p.weekend)[locations]
    if m.required("accessibility") and needs.accessibility:
        keep &= m.accessibility_known and p.accessibility.covers(locations, m.accessibility)
    links, rows, locations = links[keep], rows[keep], locations[keep]
    unique, back = _distinct(locations)
    inside, miles, rough = _inside(segment.places, needs, unique)
    keep = inside[back]
    return Admitted(rows[keep], links[keep], miles[back][keep], rough[back][keep])


def _inside(p: Places, needs: Needs, locations: np.ndarray):
    """(inside, miles, rough): within() for the ring haversine cannot settle; points whose
    haversine miles, 1% longer (geodesic and haversine differ by less), still fit are inside."""
    rough = chord_miles(needs.point, p.x[locations], p.y[locations], p.z[locations])
    sure = rough * HAVERSINE_MARGIN * (1 + 1e-9) <= needs.max_distance_miles
    unsure = ~sure
    ring = locations[unsure]
    inside, miles = sure.copy(), rough.copy()
    if len(ring):
        reach = needs.max_distance_miles
        inside[unsure], miles[unsure] = within(needs.point, p.lat[ring], p.lon[ring], reach)
    return inside, miles, sure


def telehealth(segment: Segment, m: NeedMasks, today: date, alive) -> Admitted:
    """Clinicians licensed in the patient's state that meet every required need."""
    c, needs = segment.clinicians, m.needs
    licensed = segment.licenses.by_state.get(needs.state)
    empty = Admitted(np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0), np.zeros(0, bool))
    if licensed is None or (m.required("availability") and needs.availability):
        return empty  # no hours on file for telehealth
    rows, expiry = licensed
    rows = rows[expiry >= today.toordinal()]
    keep = c.modalities.overlaps(rows, m.telehealth)
    if alive is not None:
        keep &= alive[rows]
    if needs.accepting_new_patients:
        keep &= c.accepting[rows] != 0
    if needs.plan is not None:
        keep &= c.networks_all.overlaps(rows, m.plan)
    rows = rows[keep]
    rows = rows[_clinician_rules(segment, m, rows, today)]
    none = np.full(len(rows), np.nan)
    return Admitted(rows, np.full(len(rows), -1, dtype=np.int64), none, np.zeros(len(rows), bool))


def admitted(
    segment: Segment, needs: Needs, today: date, alive=None, m: NeedMasks | None = None
) -> Admitted:
    """Every row the needs admit, in person first (as EmbeddedBackend.retrieve orders them)."""
    m = m or NeedMasks(segment, needs)
    parts = []
    if needs.allows_in_person:
        parts.append(in_person(segment, m, today, alive))
    if needs.allows_telehealth and needs.state:
        parts.append(telehealth(segment, m, today, alive))
    if not parts:
        return Admitted(np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0))
    return Admitted(
        np.concatenate([a.clinician for a in parts]),
        np.concatenate([a.link for a in parts]),
        np.concatenate([a.miles for a in parts]),
        np.concatenate([a.rough for a in parts]),
    )
