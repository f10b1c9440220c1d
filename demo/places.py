"""Where synthetic clinicians practise: real ZIPs weighted toward where people live.

No population per ZIP ships with the repo, so a ZIP's weight is its state's population share
(2020 Census) split across the state's ZIPs by how many ZCTA centroids lie near each one:
ZIPs are small and packed where people are dense, so that count tracks urban density.
"""

import bisect
import csv
import math
import random
from dataclasses import dataclass
from functools import cache
from itertools import accumulate

import zipcodes

from directory.geography import DATA_DIR

# 2020 Census resident population, thousands.
STATE_POPULATION = {
    "AL": 5024, "AK": 733, "AZ": 7152, "AR": 3012, "CA": 39538, "CO": 5774, "CT": 3606,
    "DE": 990, "DC": 690, "FL": 21538, "GA": 10712, "HI": 1455, "ID": 1839, "IL": 12813,
    "IN": 6786, "IA": 3190, "KS": 2938, "KY": 4506, "LA": 4658, "ME": 1362, "MD": 6177,
    "MA": 7030, "MI": 10077, "MN": 5706, "MS": 2961, "MO": 6154, "MT": 1084, "NE": 1962,
    "NV": 3105, "NH": 1378, "NJ": 9289, "NM": 2118, "NY": 20201, "NC": 10439, "ND": 779,
    "OH": 11799, "OK": 3959, "OR": 4237, "PA": 13003, "RI": 1097, "SC": 5118, "SD": 887,
    "TN": 6911, "TX": 29146, "UT": 3272, "VT": 643, "VA": 8631, "WA": 7705, "WV": 1794,
    "WI": 5894, "WY": 577, "PR": 3286,
}  # fmt: skip
_CELL_DEGREES = 0.1  # ~7 miles: the neighbourhood in which nearby ZCTAs are counted
_JITTER_MILES = 2.0
STREETS = (
    "Main",
    "Oak",
    "Maple",
    "Washington",
    "Park",
    "Elm",
    "Lake",
    "Hill",
    "Pine",
    "Cedar",
    "Church",
    "High",
    "Center",
    "Union",
    "School",
    "Spring",
    "Broad",
    "Water",
    "Mill",
    "Prospect",
    "Franklin",
    "Chestnut",
    "Walnut",
    "Highland",
    "Pleasant",
    "River",
    "Market",
    "Bridge",
    "Lincoln",
    "Jefferson",
    "Madison",
    "Adams",
    "Commerce",
    "College",
    "Academy",
    "Summit",
    "Ridge",
    "Valley",
    "Central",
    "Liberty",
    "Grove",
    "Forest",
    "Meadow",
    "Harbor",
    "Sunset",
    "Willow",
    "Birch",
    "Locust",
    "Cherry",
    "Green",
)
STREET_KINDS = ("St", "St", "St", "Ave", "Ave", "Rd", "Blvd", "Dr", "Way", "Pkwy", "Pl", "Ct")


@dataclass(frozen=True)
class Zip:
    """A ZIP with a Census centroid and its USPS city, state and area codes."""

    code: str
    city: str
    state: str
    lat: float
    lon: float
    area_codes: tuple[str, ...]


@dataclass(frozen=True)
class ZipTable:
    """ZIPs with cumulative weights for sampling, overall and by 3-digit prefix."""

    zips: tuple[Zip, ...]
    cumulative: tuple[float, ...]
    by_prefix: dict[str, tuple[tuple[int, ...], tuple[float, ...]]]

    def pick(self, rng: random.Random) -> Zip:
        """A ZIP drawn by weight."""
        return self.zips[bisect.bisect(self.cumulative, rng.random() * self.cumulative[-1])]

    def near(self, rng: random.Random, zip_: Zip) -> Zip:
        """A ZIP in the same sectional centre (first three digits) as `zip_`, by weight."""
        members, cumulative = self.by_prefix[zip_.code[:3]]
        index = bisect.bisect(cumulative, rng.random() * cumulative[-1])
        return self.zips[members[min(index, len(members) - 1)]]


def _usps() -> dict[str, dict]:
    """Standard, active USPS ZIPs in the states we weight."""
    return {
        z["zip_code"]: z
        for z in zipcodes.list_all()
        if z["zip_code_type"] == "STANDARD" and z["active"] and z["state"] in STATE_POPULATION
    }


def _centroid_zips() -> list[Zip]:
    usps = _usps()
    found = []
    with (DATA_DIR / "zcta_centroids.csv").open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            info = usps.get(row["zcta5"])
            if info is not None:
                found.append(
                    Zip(
                        code=row["zcta5"],
                        city=info["city"],
                        state=info["state"],
                        lat=float(row["latitude"]),
                        lon=float(row["longitude"]),
                        area_codes=tuple(info["area_codes"] or ("555",)),
                    )
                )
    return sorted(found, key=lambda z: z.code)


def _density(zips: list[Zip]) -> list[int]:
    """How many ZIP centroids lie in each ZIP's 3x3 block of grid cells (itself included)."""
    cells: dict[tuple[int, int], int] = {}
    keys = [(math.floor(z.lat / _CELL_DEGREES), math.floor(z.lon / _CELL_DEGREES)) for z in zips]
    for key in keys:
        cells[key] = cells.get(key, 0) + 1
    return [
        sum(cells.get((a + da, b + db), 0) for da in (-1, 0, 1) for db in (-1, 0, 1))
        for a, b in keys
    ]


@cache
def zip_table() -> ZipTable:
    """The weighted ZIP table (built once, ~1 s)."""
    zips = _centroid_zips()
    density = _density(zips)
    state_density: dict[str, int] = {}
    for zip_, d in zip(zips, density, strict=True):
        state_density[zip_.state] = state_density.get(zip_.state, 0) + d
    weights = [
        STATE_POPULATION[z.state] * d / state_density[z.state]
        for z, d in zip(zips, density, strict=True)
    ]
    members: dict[str, list[int]] = {}
    for i, zip_ in enumerate(zips):
        members.setdefault(zip_.code[:3], []).append(i)
    by_prefix = {
        prefix: (tuple(idx), tuple(accumulate(weights[i] for i in idx)))
        for prefix, idx in members.items()
    }
    return ZipTable(tuple(zips), tuple(accumulate(weights)), by_prefix)


def jitter(rng: random.Random, zip_: Zip) -> tuple[float, float]:
    """A point uniformly within ~2 miles of the ZIP centroid."""
    radius = _JITTER_MILES * math.sqrt(rng.random())
    angle = rng.random() * 2 * math.pi
    lat = zip_.lat + radius * math.cos(angle) / 69.0
    lon = zip_.lon + radius * math.sin(angle) / (69.0 * max(math.cos(math.radians(zip_.lat)), 0.2))
    return round(lat, 6), round(max(-180.0, min(180.0, lon)), 6)


def fictional_phone(rng: random.Random, zip_: Zip) -> str:
    """A local area code with a 555-01xx number (reserved for fiction)."""
    return f"{rng.choice(zip_.area_codes)}-555-01{rng.randrange(100):02d}"


class StreetNumbers:
    """Street numbers that never repeat within a ZIP, so every demo address is distinct."""

    def __init__(self):
        self._used: dict[str, int] = {}

    def next(self, rng: random.Random, zip_code: str) -> int:
        """A house number above every one handed out in `zip_code` so far."""
        taken = self._used.get(zip_code, 0)
        number = 10 + taken * 14 + rng.randrange(14)
        self._used[zip_code] = taken + 1
        return number


def street_line(rng: random.Random, number: int) -> str:
    """'1234 Maple Ave'."""
    return f"{number} {rng.choice(STREETS)} {rng.choice(STREET_KINDS)}"


def suite_line(rng: random.Random) -> str | None:
    """'Suite 210' or 'Floor 3' half the time."""
    draw = rng.random()
    if draw < 0.35:
        return f"Suite {rng.randrange(1, 9)}{rng.randrange(10):01d}{rng.randrange(10):01d}"
    if draw < 0.5:
        return f"Floor {rng.randrange(2, 8)}"
    return None
