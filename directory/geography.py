"""ZIP centroids, geodesic distance, bounding boxes and address geocoding."""

import csv
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from functools import cache, lru_cache
from pathlib import Path
from urllib.parse import urlsplit

DATA_DIR = Path(__file__).parent / "data"
_ZIP5 = re.compile(r"^(\d{5})(?:-?\d{4})?$")
MILES_PER_DEGREE_LAT = 69.0


@dataclass(frozen=True)
class Point:
    """A WGS84 latitude/longitude."""

    lat: float
    lon: float

    def __reduce__(self):
        # Pickled as its constructor's arguments: NPPES records carry one per location
        # between processes (ingest.read_ahead), and the default state dict costs twice that.
        return Point, (self.lat, self.lon)


def zip5(value: str | None) -> str | None:
    """The 5-digit ZIP of '02139', '021391234' or '02139-1234'; None when malformed."""
    if not value:
        return None
    found = _ZIP5.match(value.strip())
    return found.group(1) if found else None


@cache
def _centroids() -> dict[str, tuple[float, float]]:
    """All ZCTA centroids, loaded once (33,791 rows)."""
    with (DATA_DIR / "zcta_centroids.csv").open(encoding="utf-8", newline="") as f:
        rows = csv.reader(f)
        if next(rows) != ["zcta5", "latitude", "longitude"]:
            raise ValueError("zcta_centroids.csv: expected columns zcta5,latitude,longitude")
        # Tuples, not DictReader's dicts: half the time, paid by every process that places.
        return {zcta: (float(lat), float(lon)) for zcta, lat, lon in rows}


def zip_centroid(value: str | None) -> Point | None:
    """The Census ZCTA centroid for a ZIP, or None if unknown."""
    code = zip5(value)
    found = _centroids().get(code) if code else None
    return Point(*found) if found else None


def is_zcta(code: str | None) -> bool:
    """True for a 5-digit ZIP the Census ZCTA table places (the loaders' fast path)."""
    return code in _centroids()


def known_zip(code: str) -> bool:
    """True for a real 5-digit USPS ZIP: a Census ZCTA, or a PO-box, unique or military ZIP."""
    return code in _centroids() or code in _usps().zips


class GeoPrecision(StrEnum):
    """How closely a location's point stands for its address (Location.geo_precision)."""

    ADDRESS = "address"  # coordinates the source gave, or a geocoded street address
    ZCTA_CENTROID = "zcta_centroid"  # the Census ZCTA centroid of its ZIP
    ZIP_CENTROID = "zip_centroid"  # the USPS ZIP's point (PO-box, unique, military ZIPs)
    CITY = "city"  # the centre of the ZIPs of its city and state
    NONE = "none"  # not placed: kept, but never in a distance search


APPROXIMATE = frozenset({GeoPrecision.ZIP_CENTROID, GeoPrecision.CITY})


@dataclass(frozen=True)
class Placement:
    """A point and how precise it is; an unplaced location has no point."""

    point: Point | None
    precision: GeoPrecision

    def __reduce__(self):
        return Placement, (self.point, self.precision)  # as Point's


UNPLACED = Placement(None, GeoPrecision.NONE)


@dataclass(frozen=True)
class _UspsZips:
    """The 42,789 USPS ZIPs of the `zipcodes` package, as dicts (its matching() is ~0.2 s)."""

    zips: dict[str, tuple[float, float] | None]  # ZIPs no ZCTA has; None: no point (APO/FPO)
    cities: dict[tuple[str, str], tuple[float, float]]  # (CITY, ST) -> mean of its ZIP points


@cache
def _usps() -> _UspsZips:
    """Built once, on the first ZIP the ZCTA table does not know."""
    # usps_zip_points.csv is the package's list_all() as CSV (SOURCES.md): reading it costs
    # ~15 MB, where list_all() materialises 42,789 dicts (~180 MB peak, 0.7 s).
    zips: dict[str, tuple[float, float] | None] = {}
    sums: dict[tuple[str, str], list[float]] = {}
    zctas = _centroids()
    with (DATA_DIR / "usps_zip_points.csv").open(encoding="utf-8", newline="") as f:
        for code, lat_text, lon_text, city, state in csv.reader(f):
            if code == "zip":
                continue
            lat, lon = float(lat_text or 0), float(lon_text or 0)
            point = (lat, lon) if (lat, lon) != (0.0, 0.0) else None  # the package's "no point"
            if code not in zctas:  # a ZCTA is placed by its centroid: keep only the others
                zips[code] = point
            if point is not None:
                tally = sums.setdefault((city.upper(), state), [0.0, 0.0, 0])
                tally[0], tally[1], tally[2] = tally[0] + lat, tally[1] + lon, tally[2] + 1
    cities = {key: (la / n, lo / n) for key, (la, lo, n) in sums.items()}
    return _UspsZips(zips, cities)


def place_zip(postal: str | None, city: str | None = None, state: str | None = None) -> Placement:
    """Place an address by ZIP: ZCTA centroid, else USPS ZIP point, else its city, else none."""
    code = zip5(postal)
    if code is not None:
        found = _centroids().get(code)
        if found is not None:
            return Placement(Point(*found), GeoPrecision.ZCTA_CENTROID)
        found = _usps().zips.get(code)
        if found is not None:
            return Placement(Point(*found), GeoPrecision.ZIP_CENTROID)
    if city and state:
        found = _usps().cities.get((" ".join(city.upper().split()), state.strip().upper()))
        if found is not None:
            return Placement(Point(*found), GeoPrecision.CITY)
    return UNPLACED


@dataclass(frozen=True)
class ZipRepair:
    """A ZIP read back into shape: what the file said, what it means, and why."""

    before: str
    after: str  # '02139' or '02139-1234'
    reason: str


# A spreadsheet stores a ZIP as a number: 02139 -> 2139, 02139-1234 typed as 021391234 ->
# 21391234, Puerto Rico's 00901 -> 901. Padding back to 5 or 9 digits undoes it.
_PADDED_WIDTH = {3: 5, 4: 5, 7: 9, 8: 9}


def repair_zip(
    value: str | None, known: Callable[[str], bool] = known_zip, dashless_zip4: bool = False
) -> ZipRepair | None:
    """The repair a spreadsheet-mangled ZIP needs, or None (nothing to repair, or no such ZIP)."""
    # 3/4 digits -> zero-padded ZIP; 7/8 digits -> zero-padded ZIP+4; 9 digits -> ZIP+4 with its
    # dash, unless the source writes ZIP+4 without one (`dashless_zip4`, e.g. NPPES). Only a
    # repair whose 5-digit ZIP `known` accepts is made: a guess must land on a real ZIP.
    text = (value or "").strip()
    if not (text.isascii() and text.isdigit()):
        return None
    width = _PADDED_WIDTH.get(len(text))
    if width is not None:
        reason = f"{len(text)} digits: the leading zero(s) a spreadsheet drops restored"
        digits = text.zfill(width)
    elif len(text) == 9 and not dashless_zip4:
        reason, digits = "9 digits without a dash: read as ZIP+4", text
    else:
        return None
    if not known(digits[:5]):
        return None
    after = digits if len(digits) == 5 else f"{digits[:5]}-{digits[5:]}"
    return ZipRepair(text, after, reason)


def valid_coordinates(lat: float | None, lon: float | None) -> bool:
    """True when lat/lon are numbers within the WGS84 range."""
    if lat is None or lon is None:
        return False
    if any(math.isnan(v) for v in (lat, lon)):
        return False
    return -90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0


def distance_miles(a: Point, b: Point) -> float:
    """Geodesic (WGS84 ellipsoid) distance in miles."""
    # Imported on first use: geopy's package loads every geocoder and requests with them
    # (~120 modules), which a batch load that never measures a distance need not start with.
    from geopy.distance import geodesic

    return geodesic((a.lat, a.lon), (b.lat, b.lon)).miles


def bounding_box(center: Point, miles: float) -> tuple[float, float, float, float]:
    """(min_lat, max_lat, min_lon, max_lon) enclosing a circle of `miles`, with a margin."""
    # 1% margin: geodesic miles per degree vary slightly with latitude.
    dlat = miles * 1.01 / 68.7
    cos_lat = max(math.cos(math.radians(min(abs(center.lat) + dlat, 89.9))), 1e-6)
    dlon = miles * 1.01 / (69.17 * cos_lat)
    return center.lat - dlat, center.lat + dlat, center.lon - dlon, center.lon + dlon


class AddressGeocoder:
    """Turns a free-text address into a Point; None when it cannot."""

    def locate(self, address: str) -> Point | None:
        """Geocode `address`."""
        raise NotImplementedError


class DisabledGeocoder(AddressGeocoder):
    """The default: no network, so only ZIP and lat/lon locations work."""

    def locate(self, address: str) -> Point | None:
        """Always None: geocoding is switched off."""
        return None


class GeopyGeocoder(AddressGeocoder):
    """Nominatim or Pelias through geopy, rate-limited and cached."""

    def __init__(self, service, min_delay_seconds: float = 1.0, cache_size: int = 4096):
        # geopy loads only when GEOCODER names a service (the default "none" never needs it).
        from geopy.extra.rate_limiter import RateLimiter

        self._geocode = RateLimiter(
            service.geocode,
            min_delay_seconds=min_delay_seconds,
            max_retries=1,
            swallow_exceptions=True,
        )
        self.locate = lru_cache(maxsize=cache_size)(self._locate)  # type: ignore[method-assign]

    def _locate(self, address: str) -> Point | None:
        found = self._geocode(address)
        return Point(found.latitude, found.longitude) if found else None


def make_geocoder(config: dict) -> AddressGeocoder:
    """The geocoder the configuration asks for (GEOCODER = none | nominatim | pelias)."""
    kind = (config.get("GEOCODER") or "none").lower()
    if kind == "none":
        return DisabledGeocoder()
    options = {"user_agent": config.get("GEOCODER_USER_AGENT", "bh-directory")}
    url = urlsplit(config.get("GEOCODER_URL") or "")
    if url.netloc:  # geopy takes the host and the scheme apart
        options.update(domain=url.netloc + url.path.rstrip("/"), scheme=url.scheme or "https")
    if kind == "nominatim":
        from geopy.geocoders import Nominatim  # as GeopyGeocoder's: only when configured

        service = Nominatim(**options)
    elif kind == "pelias":
        from geopy.geocoders import Pelias  # as GeopyGeocoder's: only when configured

        if not url.netloc:
            raise ValueError("GEOCODER=pelias needs GEOCODER_URL")
        service = Pelias(**options)
    else:
        raise ValueError(f"unknown GEOCODER {kind!r}")
    return GeopyGeocoder(service, config.get("GEOCODER_MIN_DELAY_SECONDS", 1.0))
