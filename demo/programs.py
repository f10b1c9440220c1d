"""Demo community and substance-use treatment programs around the demo clinicians' ZIP codes.

Deterministic for a seed (no network): the same places, names, hours and facets every time.
Every program is source "demo"; loading again updates them in place (the loader's upsert).
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import func, select

from directory.extensions import db
from directory.models import Location
from ingest.program_store import save_services
from ingest.report import LoadSummary
from programs.records import LocationRecord, OrganizationRecord, ServiceRecord, SiteRecord

SOURCE = "demo"
DEFAULT_PLACES = 8
WEEKDAYS = ["mon", "tue", "wed", "thu", "fri"]


@dataclass(frozen=True)
class Kind:
    """A kind of program the demo places in every area."""

    key: str
    name: str
    facets: dict
    hours: tuple[dict, ...]


KINDS = (
    Kind("pantry", "{town} Community Food Pantry",
         {"needs": ["food"], "payments": ["free"], "fee_max": 0.0, "languages": ["en", "es"]},
         ({"days": ["tue", "thu"], "opens": "15:00", "closes": "19:00"},
          {"days": ["sat"], "opens": "09:00", "closes": "12:00"})),
    Kind("shelter", "{town} Family Shelter",
         {"needs": ["housing"], "payments": ["free"], "fee_max": 0.0},
         ({"days": WEEKDAYS + ["sat", "sun"], "opens": "00:00", "closes": "24:00"},)),
    Kind("rides", "{town} Rides to Care",
         {"needs": ["transportation"], "payments": ["free", "medicaid"], "minimum_age": 18},
         ({"days": WEEKDAYS, "opens": "07:00", "closes": "18:00"},)),
    Kind("utilities", "{town} Energy Assistance",
         {"needs": ["utilities"], "payments": ["free"]},
         ({"days": WEEKDAYS, "opens": "09:00", "closes": "17:00"},)),
    Kind("safety", "{town} Safe Harbor (domestic violence)",
         {"needs": ["safety", "housing"], "payments": ["free"], "languages": ["en", "es"]},
         ({"days": WEEKDAYS + ["sat", "sun"], "opens": "00:00", "closes": "24:00"},)),
    Kind("otp", "{town} Opioid Treatment Program",
         {"needs": ["substance_use_treatment"], "levels_of_care": ["otp", "1"],
          "medications": ["buprenorphine", "methadone"], "payments": ["medicaid", "medicare",
          "sliding_scale"], "minimum_age": 18},
         ({"days": WEEKDAYS, "opens": "06:00", "closes": "14:00"},
          {"days": ["sat"], "opens": "07:00", "closes": "11:00"})),
    Kind("residential", "{town} Recovery House",
         {"needs": ["substance_use_treatment", "housing"], "levels_of_care": ["3.x"],
          "medications": ["naltrexone"], "residential": True, "detox": True,
          "payments": ["medicaid", "private"], "minimum_age": 18},
         ({"days": WEEKDAYS + ["sat", "sun"], "opens": "00:00", "closes": "24:00"},)),
    Kind("iop", "{town} Evening Intensive Outpatient",
         {"needs": ["substance_use_treatment", "mental_health_program"],
          "levels_of_care": ["2.1"], "medications": ["buprenorphine", "naltrexone"],
          "payments": ["medicaid", "private", "sliding_scale"], "fee_min": 20.0, "fee_max": 80.0,
          "currency": "USD", "minimum_age": 16},
         ({"days": ["mon", "wed", "thu"], "opens": "17:30", "closes": "20:30"},)),
    Kind("clubhouse", "{town} Mental Health Clubhouse",
         {"needs": ["mental_health_program"], "payments": ["free"], "minimum_age": 18},
         ({"days": WEEKDAYS, "opens": "09:00", "closes": "16:00"},)),
)  # fmt: skip


def demo_areas(count: int) -> list[tuple[str, str, str, float, float]]:
    """(postal code, city, state, lat, lon) of the ZIPs with the most demo clinician locations."""
    rows = db.session.execute(
        select(Location.postal_code, Location.city, Location.state,
               func.avg(Location.lat), func.avg(Location.lon))
        .where(Location.source == SOURCE, Location.lat.is_not(None))
        .group_by(Location.postal_code, Location.city, Location.state)
        .order_by(func.count().desc(), Location.postal_code)
        .limit(count)
    )  # fmt: skip
    return [tuple(row) for row in rows]


def _near(rng: random.Random, lat: float, lon: float) -> tuple[float, float]:
    miles = 3.0 * math.sqrt(rng.random())  # within 3 miles of the clinicians
    angle = rng.random() * 2 * math.pi
    lat2 = lat + miles * math.cos(angle) / 69.0
    lon2 = lon + miles * math.sin(angle) / (69.0 * max(math.cos(math.radians(lat)), 0.2))
    return round(lat2, 6), round(lon2, 6)


def demo_programs(areas, seed: int, as_of: date) -> list[ServiceRecord]:
    """Every kind of program in every area, placed and numbered from the seed."""
    rng = random.Random(seed)
    verified = datetime(as_of.year, as_of.month, as_of.day, tzinfo=UTC)
    records = []
    for postal_code, city, state, lat, lon in areas:
        town = city or postal_code
        for kind in KINDS:
            key = f"{SOURCE}:{postal_code}:{kind.key}"
            point = _near(rng, lat, lon)
            location = LocationRecord(
                key, name=kind.name.format(town=town),
                line1=f"{rng.randrange(10, 2000)} {rng.choice(('Main', 'Elm', 'Oak'))} St",
                city=city, state=state, postal_code=postal_code, lat=point[0], lon=point[1],
            )  # fmt: skip
            location.place()
            records.append(
                ServiceRecord(
                    key,
                    kind.name.format(town=town),
                    OrganizationRecord(f"{key}:org", f"{town} Community Services"),
                    SOURCE,
                    sites=[SiteRecord(key, location, [dict(h) for h in kind.hours])],
                    phone=f"555-01{rng.randrange(100):02d}",
                    verified_at=verified,
                    **{k: list(v) if isinstance(v, list) else v for k, v in kind.facets.items()},
                )  # fmt: skip
            )
    return records


def load_demo_programs(seed: int, as_of: date, places: int = DEFAULT_PLACES) -> LoadSummary:
    """Save the demo programs around the demo clinicians; the summary counts them."""
    summary = LoadSummary()
    records = demo_programs(demo_areas(places), seed, as_of)
    summary.read = len(records)
    save_services(records, summary)
    return summary
