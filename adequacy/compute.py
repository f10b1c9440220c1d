"""Per county and BH type: population within the standard, providers against the minimum."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from adequacy.geometry import Points, reach
from adequacy.standards import (
    REQUIRED_SHARE,
    SPECIALTIES,
    TELEHEALTH_CREDIT,
    TELEHEALTH_CREDIT_TYPES,
    Standard,
    Zcta,
)

_TOLERANCE = 1e-12  # a share computed as 0.8 + 0.1 still meets a 0.9 standard


@dataclass(frozen=True)
class Providers:
    """One specialty type's in-network, accepting locations: points and the clinician at each."""

    lat: list[float]
    lon: list[float]
    clinician_ids: list[int]

    def points(self) -> Points:
        """The locations as grid points owned by their clinician."""
        return Points(
            np.asarray(self.lat, dtype=float),
            np.asarray(self.lon, dtype=float),
            np.asarray(self.clinician_ids, dtype=np.int64),
        )


def _people(standards: list[Standard], zctas_of) -> tuple[Points, np.ndarray]:
    """Every county's ZCTAs as points tagged with the county's index and radius."""
    flat = [(i, z) for i, s in enumerate(standards) for z in zctas_of(s.fips)]
    points = Points(
        np.array([z.lat for _, z in flat], dtype=float),
        np.array([z.lon for _, z in flat], dtype=float),
        np.array([i for i, _ in flat], dtype=np.int64),
        np.array([standards[i].radius_miles for i, _ in flat], dtype=float),
    )
    population = np.array([z.population for _, z in flat], dtype=np.int64)
    return points, population


def _row(standard: Standard, population: int, covered: int, providers: int, tele: bool) -> dict:
    """One county and type: the figures, whether it meets the standard, and by how much not."""
    share = covered / population if population else None
    credit = TELEHEALTH_CREDIT if tele and standard.specialty_code in TELEHEALTH_CREDIT_TYPES else 0
    credited = None if share is None else min(1.0, share + credit)
    required = REQUIRED_SHARE[standard.designation]
    distance_met = credited is None or credited + _TOLERANCE >= required
    return {
        "fips": standard.fips,
        "name": standard.county,
        "designation": standard.designation,
        "specialty": SPECIALTIES[standard.specialty_code],
        "specialty_code": standard.specialty_code,
        "population": population,
        "population_within_standard": covered,
        "max_miles": standard.max_miles,
        "max_minutes": standard.max_minutes,
        "radius_miles": round(standard.radius_miles, 2),
        "share_within_standard": None if share is None else round(share, 4),
        "telehealth_credit": credit,
        "share_with_credit": None if credited is None else round(credited, 4),
        "required_share": required,
        "share_shortfall": 0.0 if distance_met else round(required - credited, 4),
        "beneficiaries": standard.beneficiaries,
        "providers": providers,
        "min_providers": standard.min_providers,
        "provider_shortfall": max(0, standard.min_providers - providers),
        "meets": distance_met and providers >= standard.min_providers,
    }


def assess(
    standards: list[Standard],
    zctas_of: Callable[[str], list[Zcta]],
    providers: dict[str, Providers],
    telehealth: set[str],
) -> list[dict]:
    """A row per county standard, from each type's providers and the counties' ZCTAs."""
    rows = []
    for code in SPECIALTIES:
        mine = [s for s in standards if s.specialty_code == code]
        if not mine:
            continue
        people, population = _people(mine, zctas_of)
        empty = Providers([], [], [])
        reached = reach(people, providers.get(code, empty).points())
        for i, standard in enumerate(mine):
            in_county = people.tag == i
            rows.append(
                _row(
                    standard,
                    int(population[in_county].sum()),
                    int(population[in_county & reached.covered].sum()),
                    len(reached.owners.get(i, ())),
                    code in telehealth,
                )
            )
    return rows
