"""Which population points have a provider within their radius, on a grid, geodesic at the edge."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
from geopy.distance import geodesic

EARTH_MILES = 3958.7613  # mean radius: the sphere the grid's first cut measures on
# Great-circle and WGS84 geodesic distances differ by under 0.6%: the sphere settles pairs
# nearer or farther than this share of the radius; Lambert's formula the band between.
SPHERE_ERROR = 0.01
WGS84_A_MILES = 6378.137 / 1.609344
WGS84_F = 1 / 298.257223563
# Lambert's formula is within metres of the geodesic at these distances; pairs closer to the
# radius than this share of it are settled by the exact geodesic (geopy, Karney).
LAMBERT_ERROR = 1e-4
MILES_PER_DEGREE_LAT = 68.7  # the least there is (at the equator): a cell is never short
MILES_PER_DEGREE_LON_EQUATOR = 69.2
_BIG = 1 << 20


@dataclass
class Points:
    """Population points (with radius and group) or provider points (with an owner id)."""

    lat: np.ndarray
    lon: np.ndarray
    tag: np.ndarray  # a point's group (county index) or owner (clinician id)
    radius: np.ndarray | None = None
    xyz: np.ndarray = field(init=False)

    def __post_init__(self) -> None:
        la, lo = np.radians(self.lat), np.radians(self.lon)
        self.xyz = np.column_stack((np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo), np.sin(la)))


@dataclass
class Reach:
    """What the providers reach: population points covered, and owners per group in reach."""

    covered: np.ndarray
    owners: dict[int, set] = field(default_factory=lambda: defaultdict(set))
    # Provider indices each group reached, per cell: made into owner sets once, at the end.
    hits: dict[int, list[np.ndarray]] = field(default_factory=lambda: defaultdict(list))

    def collect(self, tags: np.ndarray) -> None:
        """Owner sets from the collected hits (one unique per group, not one per cell)."""
        for group, found in self.hits.items():
            self.owners[group].update(np.unique(tags[np.concatenate(found)]).tolist())
        self.hits.clear()


def _cells(lat, lon, step_lat, step_lon) -> np.ndarray:
    """One integer key per point for its grid cell."""
    return np.floor(lat / step_lat).astype(np.int64) * _BIG + np.floor(lon / step_lon).astype(
        np.int64
    )


def _steps(radius: float, people: Points, providers: Points) -> tuple[float, float]:
    """Cell sizes in degrees no shorter than `radius` miles (grown by the sphere's error)."""
    reach = radius * (1 + SPHERE_ERROR)
    top = float(max(np.abs(people.lat).max(), np.abs(providers.lat).max(initial=0.0)))
    cos_top = max(np.cos(np.radians(min(top + reach / MILES_PER_DEGREE_LAT, 89.0))), 1e-3)
    return reach / MILES_PER_DEGREE_LAT, reach / (MILES_PER_DEGREE_LON_EQUATOR * cos_top)


def lambert_miles(lat1, lon1, lat2, lon2) -> np.ndarray:
    """Lambert's ellipsoidal distance in miles, vectorized (degrees in)."""
    b1 = np.arctan((1 - WGS84_F) * np.tan(np.radians(lat1)))
    b2 = np.arctan((1 - WGS84_F) * np.tan(np.radians(lat2)))
    dlon = np.radians(lon2 - lon1)
    hav = np.sin((b2 - b1) / 2) ** 2 + np.cos(b1) * np.cos(b2) * np.sin(dlon / 2) ** 2
    sigma = 2 * np.arcsin(np.sqrt(np.clip(hav, 0.0, 1.0)))
    p, q = (b1 + b2) / 2, (b2 - b1) / 2
    with np.errstate(divide="ignore", invalid="ignore"):
        x = (sigma - np.sin(sigma)) * np.sin(p) ** 2 * np.cos(q) ** 2 / np.cos(sigma / 2) ** 2
        y = (sigma + np.sin(sigma)) * np.cos(p) ** 2 * np.sin(q) ** 2 / np.sin(sigma / 2) ** 2
        miles = WGS84_A_MILES * (sigma - WGS84_F / 2 * (x + y))
    return np.where(sigma > 0, miles, 0.0)


def _within(a: tuple[float, float], b: tuple[float, float], radius: float) -> bool:
    """The exact WGS84 test; a hair of tolerance so a point placed on the radius counts."""
    return geodesic(a, b).miles <= radius + 1e-9


class _Sweep:
    """One radius: providers bucketed by cell, each population cell checks the 3 x 3 around it."""

    def __init__(self, people: Points, providers: Points, radius: float, reach: Reach):
        self.people, self.providers, self.radius, self.reach = people, providers, radius, reach
        self.step = _steps(radius, people, providers)
        keys = _cells(providers.lat, providers.lon, *self.step)
        self.order = np.argsort(keys, kind="stable")
        self.sorted_keys = keys[self.order]
        self.edge: list[np.ndarray] = []  # (person, provider) pairs the geodesic settles

    def candidates(self, key: int) -> np.ndarray:
        """Providers in the cell `key` and its eight neighbours."""
        found = []
        for di in (-_BIG, 0, _BIG):
            for dj in (-1, 0, 1):
                k = key + di + dj
                lo, hi = np.searchsorted(self.sorted_keys, [k, k + 1])
                if hi > lo:
                    found.append(self.order[lo:hi])
        return np.concatenate(found) if found else np.empty(0, dtype=np.int64)

    def run(self, rows: np.ndarray) -> None:
        """Settle every population point in `rows` (all of this radius)."""
        keys = _cells(self.people.lat[rows], self.people.lon[rows], *self.step)
        for key in np.unique(keys):
            cell = rows[keys == key]
            near = self.candidates(int(key))
            if near.size:
                self._cell(cell, near)

    def _cell(self, cell: np.ndarray, near: np.ndarray) -> None:
        """The sphere settles most pairs, Lambert the band around the radius, geodesic the rest."""
        cos = self.people.xyz[cell] @ self.providers.xyz[near].T
        inside = cos >= np.cos(self.radius * (1 - SPHERE_ERROR) / EARTH_MILES)
        band = (cos >= np.cos(self.radius * (1 + SPHERE_ERROR) / EARTH_MILES)) & ~inside
        rows, cols = np.nonzero(band)
        people, providers = cell[rows], near[cols]
        there = self.providers
        miles = lambert_miles(
            self.people.lat[people],
            self.people.lon[people],
            there.lat[providers],
            there.lon[providers],
        )
        sure = miles <= self.radius * (1 - LAMBERT_ERROR)
        edge = (miles <= self.radius * (1 + LAMBERT_ERROR)) & ~sure
        inside[rows[sure], cols[sure]] = True
        if edge.any():
            self.edge.append(np.column_stack((people[edge], providers[edge])))
        self.reach.covered[cell[inside.any(axis=1)]] = True
        groups = self.people.tag[cell]
        for group in np.unique(groups):
            mask = inside[groups == group].any(axis=0)
            self.reach.hits[int(group)].append(near[mask])


def _settle_edges(people: Points, providers: Points, edge, reach: Reach) -> None:
    """Pairs near the radius: the geodesic decides, once per point or group and owner."""
    for person, provider in edge.tolist():
        group = int(people.tag[person])
        owner = providers.tag[provider].item()
        if reach.covered[person] and owner in reach.owners[group]:
            continue
        a = (people.lat[person], people.lon[person])
        b = (providers.lat[provider], providers.lon[provider])
        if _within(a, b, float(people.radius[person])):
            reach.covered[person] = True
            reach.owners[group].add(owner)


def reach(people: Points, providers: Points) -> Reach:
    """Covered population points, and the owners within reach of each group's points."""
    found = Reach(np.zeros(len(people.lat), dtype=bool))
    if not len(people.lat) or not len(providers.lat):
        return found
    edge = []
    for radius in np.unique(people.radius):
        sweep = _Sweep(people, providers, float(radius), found)
        sweep.run(np.flatnonzero(people.radius == radius))
        edge.extend(sweep.edge)
    found.collect(providers.tag)
    if edge:
        _settle_edges(people, providers, np.concatenate(edge), found)
    return found
