"""The program index's columns: one row per placed site of an active service, sorted by latitude.

Code lists (needs, languages, ...) are kept as the id of their distinct set per row, with,
per code, which sets hold it: a search asks "does the row's set overlap these codes" for a few
codes at a time, and the distinct sets are few. Opening hours likewise, by distinct pattern.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
from sqlalchemy import Text, cast, select
from sqlalchemy.engine import Connection

from programs.changes import read_stamp
from programs.criteria import accepted_payments, zone_of
from programs.models import ProgramLocation, ProgramService, ProgramSite
from programs.schedules import has_evening, has_weekend


@dataclass(frozen=True)
class CodeSets:
    """Per row, the id of its distinct code set; per code, the sets holding it."""

    ids: np.ndarray  # int32 per row
    holding: dict[str, np.ndarray]  # code -> bool per distinct set
    count: int  # distinct sets

    @classmethod
    def of(cls, keys: list, codes_of: Callable[[Any], Iterable[str]]) -> CodeSets:
        """Rows by a hashable key each (the JSON text, say); `codes_of` reads a distinct key."""
        distinct: dict = {}
        ids = np.fromiter(
            (distinct.setdefault(k, len(distinct)) for k in keys), np.int32, len(keys)
        )
        holding: dict[str, np.ndarray] = {}
        for key, number in distinct.items():
            for code in codes_of(key):
                holding.setdefault(code, np.zeros(len(distinct), dtype=bool))[number] = True
        return cls(ids, holding, len(distinct))

    def overlaps(self, codes, rows: np.ndarray) -> np.ndarray:
        """Per row in `rows`: does its set hold any of `codes`?"""
        sets = np.zeros(self.count, dtype=bool)
        for code in codes:
            found = self.holding.get(code)
            if found is not None:
                sets |= found
        return sets[self.ids[rows]]

    @property
    def nbytes(self) -> int:
        """Memory held by the arrays."""
        return self.ids.nbytes + sum(h.nbytes for h in self.holding.values())


@dataclass(frozen=True, eq=False)
class ProgramIndex:
    """The columns, and the change stamp they are current to."""

    stamp: int | None
    service_id: np.ndarray
    location_id: np.ndarray
    lat: np.ndarray  # ascending
    lon: np.ndarray
    needs: CodeSets
    levels_of_care: CodeSets
    medications: CodeSets
    languages: CodeSets
    payment: CodeSets  # the payments each row meets (accepted_payments)
    low_age: np.ndarray  # -inf when none
    high_age: np.ndarray  # +inf when none
    hours_id: np.ndarray  # int32 per row into `patterns`
    patterns: tuple[tuple[dict, ...], ...]  # distinct opening hours ((), when none)
    evening: np.ndarray
    weekend: np.ndarray
    zone: np.ndarray  # int per row into `zones`
    zones: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.service_id)

    @property
    def nbytes(self) -> int:
        """Memory held by the arrays."""
        arrays = (self.service_id, self.location_id, self.lat, self.lon, self.low_age,
                  self.high_age, self.hours_id, self.evening, self.weekend, self.zone)  # fmt: skip
        sets = (self.needs, self.levels_of_care, self.medications, self.languages, self.payment)
        return sum(a.nbytes for a in arrays) + sum(s.nbytes for s in sets)


# JSON columns read as their text: rows share a few distinct texts, each decoded once.
_COLUMNS = (
    ProgramService.id, ProgramLocation.id, ProgramLocation.lat, ProgramLocation.lon,
    cast(ProgramService.needs, Text), cast(ProgramService.levels_of_care, Text),
    cast(ProgramService.medications, Text), cast(ProgramService.languages, Text),
    cast(ProgramService.payments, Text), ProgramService.fee_max, ProgramService.minimum_age,
    ProgramService.maximum_age, cast(ProgramSite.hours, Text), ProgramLocation.state,
)  # fmt: skip


def _rows(connection: Connection) -> list:
    """What the SQL search reads, for every active service's placed sites, by latitude."""
    query = (
        select(*_COLUMNS)
        .join(ProgramService, ProgramSite.service_id == ProgramService.id)
        .join(ProgramLocation, ProgramSite.location_id == ProgramLocation.id)
        .where(
            ProgramService.status == "active",
            ProgramLocation.lat.is_not(None),
            ProgramLocation.lon.is_not(None),
        )
        .order_by(ProgramLocation.lat, ProgramSite.id)
    )
    return connection.execute(query).all()


def _ages(values, missing: float) -> np.ndarray:
    return np.array([missing if v is None else float(v) for v in values], dtype=np.float64)


def _listed(text: str | None) -> list:
    return json.loads(text) if text else []


def _payments(key: tuple[str | None, float | None]) -> set[str]:
    return accepted_payments(_listed(key[0]), key[1])


def _patterns(hours: tuple) -> tuple[np.ndarray, tuple]:
    """(pattern id per row, distinct patterns): sites share a few opening-hours patterns."""
    distinct: dict[str | None, int] = {}
    ids = np.fromiter((distinct.setdefault(h, len(distinct)) for h in hours), np.int32, len(hours))
    return ids, tuple(tuple(_listed(text)) for text in distinct)


def read_index(connection: Connection) -> ProgramIndex:
    """Build the index from the database: the stamp first, so the rows are at least as new."""
    stamp = read_stamp(connection)
    rows = _rows(connection)
    column = list(zip(*rows, strict=True)) if rows else [()] * len(_COLUMNS)
    zones = {state: zone_of(state) for state in set(column[13])}
    zone_names = tuple(sorted(set(zones.values())))
    number = {name: n for n, name in enumerate(zone_names)}
    hours_id, patterns = _patterns(column[12])
    return ProgramIndex(
        stamp=stamp,
        service_id=np.array(column[0], dtype=np.int64),
        location_id=np.array(column[1], dtype=np.int64),
        lat=np.array(column[2], dtype=np.float64),
        lon=np.array(column[3], dtype=np.float64),
        needs=CodeSets.of(column[4], _listed),
        levels_of_care=CodeSets.of(column[5], _listed),
        medications=CodeSets.of(column[6], _listed),
        languages=CodeSets.of(column[7], _listed),
        payment=CodeSets.of(list(zip(column[8], column[9], strict=True)), _payments),
        low_age=_ages(column[10], -np.inf),
        high_age=_ages(column[11], np.inf),
        hours_id=hours_id,
        patterns=patterns,
        evening=np.array([has_evening(list(p)) for p in patterns], dtype=bool)[hours_id],
        weekend=np.array([has_weekend(list(p)) for p in patterns], dtype=bool)[hours_id],
        zone=np.array([number[zones[state]] for state in column[13]], dtype=np.int16),
        zones=zone_names,
    )
