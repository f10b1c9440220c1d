"""The CMS MA HSD 2026 behavioral-health standards, Census population and the taxonomy map."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from directory.geography import zip_centroid

DATA_DIR = Path(__file__).parent / "data"

# The four BH types the HSD criteria set for every county (052 inpatient is a facility type
# our clinician directory does not list). Names as in the CMS reference file.
SPECIALTIES = {
    "029": "Psychiatry",
    "036": "Clinical Psychology",
    "037": "Clinical Social Work",
    "068": "Outpatient Behavioral Health",
}
# 42 CFR 422.116(d)(5) lists the types that earn the telehealth credit; all four are on it.
TELEHEALTH_CREDIT_TYPES = frozenset(SPECIALTIES)
TELEHEALTH_CREDIT = 0.10  # ten percentage points toward the share within the standard
# 42 CFR 422.116(d)(4): share of beneficiaries that must live within the standard.
REQUIRED_SHARE = {"Large Metro": 0.90, "Metro": 0.90, "Micro": 0.85, "Rural": 0.85, "CEAC": 0.85}
# No road network ships here: minutes are straight-line miles at this speed per county type.
# Each speed is the one the CMS Psychiatry standard itself implies (Large Metro 10 mi / 20 min
# = 30 mph, Metro 30 / 45 = 40, Micro 45 / 60 = 45, Rural 60 / 75 = 48, CEAC 100 / 110 = 55).
PROXY_MPH = {"Large Metro": 30.0, "Metro": 40.0, "Micro": 45.0, "Rural": 48.0, "CEAC": 55.0}


@dataclass(frozen=True)
class Standard:
    """One county's standard for one specialty type."""

    fips: str
    state: str
    county: str
    designation: str
    beneficiaries: int  # CMS's beneficiaries required to cover (95th-percentile market share)
    specialty_code: str
    max_minutes: int
    max_miles: int
    min_providers: int

    @property
    def radius_miles(self) -> float:
        """The distance that meets both limits: max miles, and max minutes at the proxy speed."""
        by_time = self.max_minutes * PROXY_MPH[self.designation] / 60.0
        return min(float(self.max_miles), by_time)


@dataclass(frozen=True)
class Zcta:
    """A populated ZCTA, its centroid and the county holding most of its land."""

    zcta5: str
    county_fips: str
    population: int
    lat: float
    lon: float


@cache
def _standards() -> dict[str, list[Standard]]:
    """Every county's standards by state."""
    by_state: dict[str, list[Standard]] = {}
    with (DATA_DIR / "hsd_2026_bh_county_standards.csv").open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            standard = Standard(
                r["fips"],
                r["state"],
                r["county"],
                r["designation"],
                int(r["beneficiaries_required_to_cover"]),
                r["specialty_code"],
                int(r["max_minutes"]),
                int(r["max_miles"]),
                int(r["min_number_required"]),
            )
            by_state.setdefault(standard.state, []).append(standard)
    return by_state


def known_state(state: str) -> bool:
    """True for a state or territory the HSD file sets standards for."""
    return state in _standards()


def states() -> list[str]:
    """Every state and territory the HSD file sets standards for, sorted."""
    return sorted(_standards())


def state_standards(state: str) -> list[Standard]:
    """The state's county standards, one per county and specialty type."""
    return list(_standards().get(state, []))


@cache
def _zctas() -> dict[str, list[Zcta]]:
    """Populated ZCTAs by county FIPS, with their centroids."""
    by_county: dict[str, list[Zcta]] = {}
    with (DATA_DIR / "zcta_county_population.csv").open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            point = zip_centroid(r["zcta5"])
            zcta = Zcta(r["zcta5"], r["county_fips"], int(r["population"]), point.lat, point.lon)
            by_county.setdefault(zcta.county_fips, []).append(zcta)
    return by_county


def county_zctas(fips: str) -> list[Zcta]:
    """The populated ZCTAs assigned to a county."""
    return list(_zctas().get(fips, []))


@cache
def taxonomy_specialties() -> dict[str, str]:
    """NUCC taxonomy code -> HSD specialty code (adequacy/data/hsd_specialty_taxonomies.csv)."""
    with (DATA_DIR / "hsd_specialty_taxonomies.csv").open(encoding="utf-8") as f:
        return {r["taxonomy_code"]: r["specialty_code"] for r in csv.DictReader(f)}


def load_reference() -> None:
    """Read the standards, ZCTA and taxonomy files now (each is read once per process)."""
    _standards()
    _zctas()
    taxonomy_specialties()
