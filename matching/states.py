"""The US state a patient is in, from the first three digits of a ZIP code.

Telehealth needs a license in the patient's state, and a ZIP code is usually all we know.
USPS assigns three-digit ZIP prefixes ("sectional centers") to one state each; the ranges below
follow the USPS prefix list. Military (AA/AE/AP) and unassigned prefixes map to no state.
"""

import math
from bisect import bisect_right
from functools import cache

# The centroid table has no public accessor; it is loaded once and shared with zip_centroid().
from directory.geography import Point, zip5
from directory.geography import _centroids as zip_centroids

# (first prefix, last prefix, state), sorted and non-overlapping.
_ZIP3_RANGES: tuple[tuple[int, int, str], ...] = (
    (5, 5, "NY"),
    (6, 7, "PR"),
    (8, 8, "VI"),
    (9, 9, "PR"),
    (10, 27, "MA"),
    (28, 29, "RI"),
    (30, 38, "NH"),
    (39, 49, "ME"),
    (50, 54, "VT"),
    (55, 55, "MA"),
    (56, 59, "VT"),
    (60, 69, "CT"),
    (70, 89, "NJ"),
    (100, 149, "NY"),
    (150, 196, "PA"),
    (197, 199, "DE"),
    (200, 200, "DC"),
    (201, 201, "VA"),
    (202, 205, "DC"),
    (206, 219, "MD"),
    (220, 246, "VA"),
    (247, 268, "WV"),
    (270, 289, "NC"),
    (290, 299, "SC"),
    (300, 319, "GA"),
    (320, 339, "FL"),
    (341, 349, "FL"),
    (350, 369, "AL"),
    (370, 385, "TN"),
    (386, 397, "MS"),
    (398, 399, "GA"),
    (400, 427, "KY"),
    (430, 459, "OH"),
    (460, 479, "IN"),
    (480, 499, "MI"),
    (500, 528, "IA"),
    (530, 549, "WI"),
    (550, 567, "MN"),
    (569, 569, "DC"),
    (570, 577, "SD"),
    (580, 588, "ND"),
    (590, 599, "MT"),
    (600, 629, "IL"),
    (630, 658, "MO"),
    (660, 679, "KS"),
    (680, 693, "NE"),
    (700, 714, "LA"),
    (716, 729, "AR"),
    (730, 732, "OK"),
    (733, 733, "TX"),
    (734, 749, "OK"),
    (750, 799, "TX"),
    (800, 816, "CO"),
    (820, 831, "WY"),
    (832, 838, "ID"),
    (840, 847, "UT"),
    (850, 865, "AZ"),
    (870, 884, "NM"),
    (885, 885, "TX"),
    (889, 898, "NV"),
    (900, 961, "CA"),
    (967, 968, "HI"),
    (969, 969, "GU"),
    (970, 979, "OR"),
    (980, 994, "WA"),
    (995, 999, "AK"),
)
_STARTS = [start for start, _, _ in _ZIP3_RANGES]
# Single ZIP codes that sit inside another area's prefix.
_ZIP5_EXCEPTIONS = {"96799": "AS", "96950": "MP", "96951": "MP", "96952": "MP"}
US_STATE_CODES = frozenset(state for _, _, state in _ZIP3_RANGES) | set(_ZIP5_EXCEPTIONS.values())


def state_for_zip(value: str | None) -> str | None:
    """The USPS state code for a ZIP ('02139' -> 'MA'), or None when unknown or military."""
    code = zip5(value)
    if code is None:
        return None
    if code in _ZIP5_EXCEPTIONS:
        return _ZIP5_EXCEPTIONS[code]
    prefix = int(code[:3])
    index = bisect_right(_STARTS, prefix) - 1
    if index < 0:
        return None
    start, end, state = _ZIP3_RANGES[index]
    return state if start <= prefix <= end else None


@cache
def _zip_grid() -> dict[tuple[int, int], list[tuple[float, float, str]]]:
    """ZCTA centroids bucketed by whole degree, for the nearest-ZIP look-up."""
    grid: dict[tuple[int, int], list[tuple[float, float, str]]] = {}
    for code, (lat, lon) in zip_centroids().items():
        grid.setdefault((math.floor(lat), math.floor(lon)), []).append((lat, lon, code))
    return grid


def state_for_point(point: Point) -> str | None:
    """The state of the nearest ZIP centroid within about a degree, or None offshore."""
    cell_lat, cell_lon = math.floor(point.lat), math.floor(point.lon)
    grid = _zip_grid()
    nearby = [
        entry
        for dlat in (-1, 0, 1)
        for dlon in (-1, 0, 1)
        for entry in grid.get((cell_lat + dlat, cell_lon + dlon), ())
    ]
    if not nearby:
        return None
    # Equirectangular distance is enough to rank centroids a degree or two apart.
    scale = math.cos(math.radians(point.lat)) ** 2
    lat, lon, code = min(
        nearby, key=lambda e: ((e[0] - point.lat) ** 2 + scale * (e[1] - point.lon) ** 2, e[2])
    )
    return state_for_zip(code)
