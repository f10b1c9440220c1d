"""Per county and BH type: population within the standard, providers against the minimum."""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from adequacy.geometry import CAP_MARGIN, EARTH_MILES, SPHERE_ERROR, Points, reach
from adequacy.standards import (
    REQUIRED_SHARE,
    SPECIALTIES,
    TELEHEALTH_CREDIT,
    TELEHEALTH_CREDIT_TYPES,
    Standard,
    Zcta,
)

_TOLERANCE = 1e-12  # a share computed as 0.8 + 0.1 still meets a 0.9 standard
# Places moved since a type's rows were computed, tracked up to this many (a ZCTA-by-place
# test each); beyond, the type is computed anew.
MOVED_MAX = 2_000
WORKERS = min(4, os.cpu_count() or 1)  # types computed at once (four types at most)
NEAR_SLACK = 1e-6  # radians (~6 m): float rounding in the dot product never drops a county


@dataclass(frozen=True)
class Providers:
    """One specialty type's in-network, accepting locations: points and the clinician at each."""

    lat: list[float]
    lon: list[float]
    clinician_ids: list[int]

    @cached_property
    def points(self) -> Points:
        """The locations as grid points owned by their clinician (kept with kept places)."""
        return Points(
            np.asarray(self.lat, dtype=float),
            np.asarray(self.lon, dtype=float),
            np.asarray(self.clinician_ids, dtype=np.int64),
        )

    def replaced(
        self, clinicians: np.ndarray, fresh: Providers | None
    ) -> tuple[Providers, np.ndarray]:
        """These places less the `clinicians`', plus `fresh` (theirs re-read); self if nothing
        changed. With the unit vectors of the places dropped or added."""
        old = self.points
        keep = ~np.isin(old.tag, clinicians)
        new = fresh.points if fresh is not None else Providers([], [], []).points
        moved = np.concatenate((old.xyz[~keep], new.xyz))
        if not len(moved):
            return self, moved  # none of theirs, before or after: its rows still hold
        lat, lon = np.r_[old.lat[keep], new.lat], np.r_[old.lon[keep], new.lon]
        tags = np.r_[old.tag[keep], new.tag]
        merged = Providers(lat, lon, tags)
        # The unit vectors of the places kept are reused: only the re-read ones are computed.
        xyz = np.concatenate((old.xyz[keep], new.xyz))
        merged.__dict__["points"] = Points(lat, lon, tags, xyz=xyz)
        return merged, moved


@dataclass(frozen=True)
class TypeRows:
    """A type's rows as computed, and the places added or dropped since (unit vectors)."""

    rows: list[dict]
    moved: np.ndarray = field(default_factory=lambda: np.empty((0, 3)))

    def after(self, moved: np.ndarray) -> TypeRows | None:
        """These rows with more places moved; None once too many to track (compute anew)."""
        both = np.concatenate((self.moved, moved))
        return TypeRows(self.rows, both) if len(both) <= MOVED_MAX else None


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


def assess_type(
    standards: list[Standard],
    zctas_of: Callable[[str], list[Zcta]],
    providers: Providers | None,
    telehealth: bool,
) -> list[dict]:
    """A row per county standard of one type (`standards`), from that type's providers."""
    people, population = _people(standards, zctas_of)
    reached = reach(people, (providers or Providers([], [], [])).points)
    rows = []
    for i, standard in enumerate(standards):
        in_county = people.tag == i
        rows.append(
            _row(
                standard,
                int(population[in_county].sum()),
                int(population[in_county & reached.covered].sum()),
                reached.count(i),
                telehealth,
            )
        )
    return rows


def _near(standards: list[Standard], zctas_of, moved: np.ndarray) -> list[int]:
    """Indices of the standards with a ZCTA that a moved place may be within reach of."""
    people, _ = _people(standards, zctas_of)
    # The grid's own outer bound (no pair beyond it is ever in reach), a little wider still.
    outer = people.radius * (1 + SPHERE_ERROR) / EARTH_MILES + CAP_MARGIN + NEAR_SLACK
    close = (people.xyz @ moved.T >= np.cos(outer)[:, None]).any(axis=1)
    return np.unique(people.tag[close]).tolist()


def _type_rows(standards, zctas_of, providers, telehealth: bool, stale) -> list[dict]:
    """The type's rows: all computed, or only the counties near places moved since `stale`."""
    if stale is None:
        return assess_type(standards, zctas_of, providers, telehealth)
    # A county's figures depend only on the providers within reach of its ZCTAs: counties
    # no moved place can reach keep their rows.
    near = _near(standards, zctas_of, stale.moved)
    rows = list(stale.rows)
    if not near:
        return rows
    fresh = assess_type([standards[i] for i in near], zctas_of, providers, telehealth)
    for i, row in zip(near, fresh, strict=True):
        rows[i] = row
    return rows


def _by_type(standards: list[Standard]) -> dict[str, list[Standard]]:
    """The county standards of each type present, in SPECIALTIES order."""
    found = {code: [s for s in standards if s.specialty_code == code] for code in SPECIALTIES}
    return {code: mine for code, mine in found.items() if mine}


def assess(
    standards: list[Standard],
    zctas_of: Callable[[str], list[Zcta]],
    providers: dict[str, Providers],
    telehealth: set[str],
    kept: dict | None = None,
) -> list[dict]:
    """A row per county standard, from each type's providers and the counties' ZCTAs; a type's
    rows are taken from `kept` (and put there) by (type, telehealth) when given."""
    kept = {} if kept is None else kept
    types = _by_type(standards)
    keys = {code: (code, code in telehealth) for code in types}
    todo = [code for code in types if kept.get(keys[code]) is None or len(kept[keys[code]].moved)]

    def compute(code: str) -> TypeRows:
        stale, tele = kept.get(keys[code]), keys[code][1]
        return TypeRows(_type_rows(types[code], zctas_of, providers.get(code), tele, stale))

    # The types at once: their grids spend most of their time in numpy, outside the GIL.
    with ThreadPoolExecutor(min(WORKERS, max(1, len(todo)))) as pool:
        for code, found in zip(todo, pool.map(compute, todo), strict=True):
            kept[keys[code]] = found
    # Copies: the kept rows stay as computed.
    return [dict(row) for code in types for row in kept[keys[code]].rows]
