"""Which population points have a provider within their radius, on a grid, geodesic at the edge."""

from __future__ import annotations

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
FINE = 8  # provider cells a quarter of the reach wide: most lie wholly inside or outside it
# A cap within this many radians (~60 cm) of a threshold goes to the pair-by-pair test, so float
# rounding in the bound never settles a pair the per-pair test would settle otherwise.
CAP_MARGIN = 1e-7
PAIRS = 1 << 20  # pairs tested at once: bounds the memory of the densest city


@dataclass
class Points:
    """Population points (with radius and group) or provider points (with an owner id)."""

    lat: np.ndarray
    lon: np.ndarray
    tag: np.ndarray  # a point's group (county index) or owner (clinician id)
    radius: np.ndarray | None = None
    xyz: np.ndarray | None = None  # unit vectors: computed unless kept ones are handed in

    def __post_init__(self) -> None:
        if self.xyz is not None:
            return
        la, lo = np.radians(self.lat), np.radians(self.lon)
        self.xyz = np.column_stack((np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo), np.sin(la)))


@dataclass
class Reach:
    """What the providers reach: population points covered, and owners per group in reach."""

    covered: np.ndarray
    # Each group's owners in reach, as sorted unique tags (counting them needs no Python set).
    found: dict[int, np.ndarray] = field(default_factory=dict)

    @property
    def owners(self) -> dict[int, set]:
        """The owners in reach of each group's points, as sets."""
        return {group: set(tags.tolist()) for group, tags in self.found.items()}

    def count(self, group: int) -> int:
        """How many owners are in reach of the group's points."""
        return len(self.found.get(group, ()))

    def add(self, group: int, tags: np.ndarray) -> None:
        """Owners found in reach of the group (sorted, unique)."""
        known = self.found.get(group)
        if known is None or not len(known):
            self.found[group] = tags
            return
        at = np.searchsorted(known, tags)
        fresh = tags[(at == len(known)) | (known[np.minimum(at, len(known) - 1)] != tags)]
        self.found[group] = np.insert(known, np.searchsorted(known, fresh), fresh)


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


def _angles(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Great-circle angles between rows of unit vectors, from the chord (exact near zero)."""
    return 2 * np.arcsin(np.clip(np.linalg.norm(a - b, axis=1) / 2, 0.0, 1.0))


def _ranges(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """The concatenated ranges start..start+length."""
    ends = np.cumsum(lengths)
    return np.arange(ends[-1] if len(ends) else 0) + np.repeat(starts - ends + lengths, lengths)


class _Cells:
    """Providers sorted into cells a fraction of the reach wide, each inside a spherical cap."""

    def __init__(self, xyz: np.ndarray, keys: np.ndarray):
        self.order = np.argsort(keys, kind="stable")
        ordered = keys[self.order]
        self.start = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
        self.keys = ordered[self.start]
        self.count = np.diff(np.r_[self.start, len(ordered)])
        # In cell order: a cell's providers lie side by side, so pairs read memory in runs.
        self.xyz = xyz[self.order]
        centre = np.add.reduceat(self.xyz, self.start, axis=0)
        self.centre = centre / np.linalg.norm(centre, axis=1, keepdims=True)
        spread = _angles(self.xyz, np.repeat(self.centre, self.count, axis=0))
        self.cap = np.maximum.reduceat(spread, self.start)  # the farthest provider, in radians

    def near(self, keys: np.ndarray, window: int) -> tuple[np.ndarray, np.ndarray]:
        """(point, cell) pairs: the cells within `window` cells of each point's cell key."""
        steps = np.arange(-window, window + 1)
        offsets = (steps[:, None] * _BIG + steps[None, :]).ravel()
        wanted = keys[:, None] + offsets[None, :]
        at = np.minimum(np.searchsorted(self.keys, wanted), len(self.keys) - 1)
        point, slot = np.nonzero(self.keys[at] == wanted)
        return point, at[point, slot]


class _Sweep:
    """One radius: a cell whose cap lies wholly inside (or outside) a point's radius settles
    all its providers at once; only the cells the radius cuts are tested pair by pair."""

    def __init__(self, people: Points, providers: Points, rows: np.ndarray, mine: np.ndarray):
        self.people, self.rows, self.radius = people, rows, float(people.radius[rows[0]])
        self.mine, self.there = mine, providers
        step = _steps(self.radius, people, providers)
        self.step = (step[0] / FINE, step[1] / FINE)
        keys = _cells(providers.lat[self.mine], providers.lon[self.mine], *self.step)
        self.cells = _Cells(providers.xyz[self.mine], keys)
        self.groups, self.group_of = np.unique(people.tag[rows], return_inverse=True)
        self.cell_hit = np.zeros((len(self.groups), len(self.cells.keys)), dtype=bool)
        self.hit = np.zeros((len(self.groups), len(self.mine)), dtype=bool)  # in cell order
        self.edge: list[np.ndarray] = []  # (person, provider) pairs the geodesic settles

    def run(self, reach: Reach, owners: tuple[np.ndarray, np.ndarray]) -> None:
        """Settle every point of this radius: caps first, then pairs in the cut cells."""
        keys = _cells(self.people.lat[self.rows], self.people.lon[self.rows], *self.step)
        point, cell = self.cells.near(keys, FINE)
        apart = _angles(self.people.xyz[self.rows[point]], self.cells.centre[cell])
        cap = self.cells.cap[cell]
        inner = self.radius * (1 - SPHERE_ERROR) / EARTH_MILES
        outer = self.radius * (1 + SPHERE_ERROR) / EARTH_MILES
        inside = apart + cap <= inner - CAP_MARGIN
        cut = ~inside & (apart - cap <= outer + CAP_MARGIN)
        reach.covered[self.rows[point[inside]]] = True
        self.cell_hit[self.group_of[point[inside]], cell[inside]] = True
        lengths = self.cells.count[cell[cut]]
        bounds = np.searchsorted(np.cumsum(lengths), np.arange(PAIRS, lengths.sum(), PAIRS))
        for part in np.split(np.flatnonzero(cut), bounds):
            self._pairs(point[part], cell[part], reach)
        self._collect(reach, owners)

    def _pairs(self, point: np.ndarray, cell: np.ndarray, reach: Reach) -> None:
        """Each point against every provider of its cut cells: the sphere, Lambert, geodesic."""
        lengths = self.cells.count[cell]
        slot = _ranges(self.cells.start[cell], lengths)  # providers' places in cell order
        mine = np.repeat(self.people.xyz[self.rows[point]], lengths, axis=0)
        point = np.repeat(point, lengths)
        cos = np.einsum("ij,ij->i", mine, self.cells.xyz[slot])
        inside = cos >= np.cos(self.radius * (1 - SPHERE_ERROR) / EARTH_MILES)
        band = np.flatnonzero(
            ~inside & (cos >= np.cos(self.radius * (1 + SPHERE_ERROR) / EARTH_MILES))
        )
        people = self.rows[point[band]]
        providers = self.mine[self.cells.order[slot[band]]]
        miles = lambert_miles(
            self.people.lat[people],
            self.people.lon[people],
            self.there.lat[providers],
            self.there.lon[providers],
        )
        inside[band[miles <= self.radius * (1 - LAMBERT_ERROR)]] = True
        edge = (miles > self.radius * (1 - LAMBERT_ERROR)) & (
            miles <= self.radius * (1 + LAMBERT_ERROR)
        )
        if edge.any():
            self.edge.append(np.column_stack((people[edge], providers[edge])))
        reach.covered[self.rows[point[inside]]] = True
        self.hit[self.group_of[point[inside]], slot[inside]] = True

    def _collect(self, reach: Reach, owners: tuple[np.ndarray, np.ndarray]) -> None:
        """Each group's owners: the providers of its inside cells and of its inside pairs."""
        cell_of = np.repeat(np.arange(len(self.cells.keys)), self.cells.count)
        tags, owner = owners
        owner = owner[self.mine[self.cells.order]]
        for i, group in enumerate(self.groups.tolist()):
            found = self.cell_hit[i][cell_of] | self.hit[i]
            marked = np.zeros(len(tags), dtype=bool)
            marked[owner[found]] = True
            reach.add(group, tags[marked])


def _around(people: Points, rows: np.ndarray, providers: Points, step) -> np.ndarray:
    """Indices of the providers in the 3 x 3 reach-wide cells around some point: no other
    provider can be within its radius (the cells of the plain grid sweep)."""
    pi = np.floor(people.lat[rows] / step[0]).astype(np.int64)
    pj = np.floor(people.lon[rows] / step[1]).astype(np.int64)
    qi = np.floor(providers.lat / step[0]).astype(np.int64) - pi.min() + 1
    qj = np.floor(providers.lon / step[1]).astype(np.int64) - pj.min() + 1
    wanted = np.zeros((pi.max() - pi.min() + 3, pj.max() - pj.min() + 3), dtype=bool)
    for di in (0, 1, 2):
        for dj in (0, 1, 2):
            wanted[pi - pi.min() + di, pj - pj.min() + dj] = True
    ok = (qi >= 0) & (qi < wanted.shape[0]) & (qj >= 0) & (qj < wanted.shape[1])
    found = np.flatnonzero(ok)
    return found[wanted[qi[found], qj[found]]]


def _known(groups: np.ndarray, owners: np.ndarray, reach: Reach) -> np.ndarray:
    """Per pair, whether its owner is already in reach of its group."""
    known = np.zeros(len(groups), dtype=bool)
    for group in np.unique(groups).tolist():
        tags = reach.found.get(group)
        if tags is not None and len(tags):
            mine = groups == group
            at = np.minimum(np.searchsorted(tags, owners[mine]), len(tags) - 1)
            known[mine] = tags[at] == owners[mine]
    return known


def _settle_edges(people: Points, providers: Points, edge: np.ndarray, reach: Reach) -> None:
    """Pairs near the radius: the geodesic decides, once per point or group and owner."""
    groups, owners = people.tag[edge[:, 0]], providers.tag[edge[:, 1]]
    known = _known(groups, owners, reach)
    # Covered points stay covered and known owners known: those pairs can change nothing.
    todo = ~(known & reach.covered[edge[:, 0]])
    edge, groups, owners, known = edge[todo], groups[todo], owners[todo], known[todo]
    added: dict[int, set] = {}
    for (person, provider), group, owner, seen in zip(
        edge.tolist(), groups.tolist(), owners.tolist(), known.tolist(), strict=True
    ):
        mine = added.setdefault(group, set())
        if reach.covered[person] and (seen or owner in mine):
            continue
        a = (people.lat[person], people.lon[person])
        b = (providers.lat[provider], providers.lon[provider])
        if _within(a, b, float(people.radius[person])):
            reach.covered[person] = True
            mine.add(owner)
    for group, found in added.items():
        if found:
            reach.add(group, np.array(sorted(found), dtype=providers.tag.dtype))


def reach(people: Points, providers: Points) -> Reach:
    """Covered population points, and the owners within reach of each group's points."""
    found = Reach(np.zeros(len(people.lat), dtype=bool))
    if not len(people.lat) or not len(providers.lat):
        return found
    edge = []
    # The distinct owners, and each provider's among them: one sort for every group's count.
    owners = np.unique(providers.tag, return_inverse=True)
    for radius in np.unique(people.radius):
        rows = np.flatnonzero(people.radius == radius)
        mine = _around(people, rows, providers, _steps(float(radius), people, providers))
        if len(mine):
            sweep = _Sweep(people, providers, rows, mine)
            sweep.run(found, owners)
            edge.extend(sweep.edge)
    if edge:
        _settle_edges(people, providers, np.concatenate(edge), found)
    return found
