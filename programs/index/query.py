"""Program search over the index's columns: the same verdicts, ranking and counts as SQL's.

Every criterion is judged for every site in reach as one array operation (programs.criteria
says in words what each one means; tests compare the two on generated programs). Only the
page's rows are then read from the database, to show and explain them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import numpy as np

from directory.geography import bounding_box
from matching.index.geodesy import within
from programs.criteria import local_clock
from programs.index.columns import ProgramIndex
from programs.needs import ProgramNeeds
from programs.schedules import open_at

_OVERLAPS = ("needs", "levels_of_care", "medications", "languages", "payment")


@dataclass(frozen=True)
class Reach:
    """The index rows within a radius, their miles, and each asked criterion met or not."""

    rows: np.ndarray
    miles: np.ndarray
    met: dict[str, np.ndarray]


@dataclass(frozen=True)
class Ranked:
    """One row per program at its best site, best first."""

    row: np.ndarray  # into the index
    service_id: np.ndarray
    location_id: np.ndarray
    miles: np.ndarray
    score: np.ndarray

    def __len__(self) -> int:
        return len(self.service_id)


def _in_box(index: ProgramIndex, needs: ProgramNeeds, miles: float) -> np.ndarray:
    """Rows in the bounding box (latitude by binary search: the rows are sorted by it)."""
    south, north, west, east = bounding_box(needs.point, miles)
    low = int(np.searchsorted(index.lat, south, side="left"))
    high = int(np.searchsorted(index.lat, north, side="right"))
    lon = index.lon[low:high]
    return low + np.flatnonzero((lon >= west) & (lon <= east))


def _schedule(index: ProgramIndex, needs: ProgramNeeds, now: datetime, rows: np.ndarray):
    """programs.criteria's schedule verdict: hours known, and every asked check holds."""
    pattern = index.hours_id[rows]
    known = np.array([bool(p) for p in index.patterns], dtype=bool)
    met = known[pattern] if len(index.patterns) else np.zeros(len(rows), dtype=bool)
    if "evening" in needs.schedule:
        met &= index.evening[rows]
    if "weekend" in needs.schedule:
        met &= index.weekend[rows]
    if "open_now" in needs.schedule and len(rows):
        # Per distinct (hours, time zone) among the rows: a few, however many rows share them.
        zones = len(index.zones)
        key = pattern.astype(np.int64) * zones + index.zone[rows]
        distinct, which = np.unique(key, return_inverse=True)
        clocks = [local_clock(zone, now) for zone in index.zones]
        opened = [open_at(list(index.patterns[k // zones]), *clocks[k % zones]) for k in distinct]
        met &= np.array(opened, dtype=bool)[which]
    return met


def _met(index: ProgramIndex, needs: ProgramNeeds, now: datetime, rows: np.ndarray) -> dict:
    met = {}
    for criterion in _OVERLAPS:
        if needs.asked(criterion):
            met[criterion] = getattr(index, criterion).overlaps(getattr(needs, criterion), rows)
    if needs.asked("age"):
        met["age"] = (index.low_age[rows] <= needs.age) & (needs.age <= index.high_age[rows])
    if needs.asked("schedule"):
        met["schedule"] = _schedule(index, needs, now, rows)
    return met


def reach(index: ProgramIndex, needs: ProgramNeeds, now: datetime, miles: float) -> Reach:
    """Sites within `miles` (matching.distance's geodesic, exactly), judged."""
    boxed = _in_box(index, needs, miles)
    inside, found = within(needs.point, index.lat[boxed], index.lon[boxed], miles)
    rows = boxed[inside]
    return Reach(rows, found[inside], _met(index, needs, now, rows))


def _admitted(needs: ProgramNeeds, judged: Reach) -> np.ndarray:
    """Within the search's radius and meeting every required criterion."""
    keep = judged.miles <= needs.max_distance_miles
    for criterion, met in judged.met.items():
        if needs.requires(criterion):
            keep &= met
    return keep


def ranked(index: ProgramIndex, needs: ProgramNeeds, judged: Reach) -> Ranked:
    """Each program at its best site (score, then nearer, then lower location id), best first."""
    keep = _admitted(needs, judged)
    score = np.zeros(len(judged.rows), dtype=np.int64)
    for criterion, met in judged.met.items():
        if not needs.requires(criterion):
            score += met
    rows = judged.rows[keep]
    service, location = index.service_id[rows], index.location_id[rows]
    miles, score = judged.miles[keep], score[keep]
    best = np.lexsort((location, miles, -score, service))
    first = np.ones(len(best), dtype=bool)
    first[1:] = service[best][1:] != service[best][:-1]
    best = best[first]
    order = best[np.lexsort((service[best], miles[best], -score[best]))]
    return Ranked(rows[order], service[order], location[order], miles[order], score[order])


def count(index: ProgramIndex, needs: ProgramNeeds, judged: Reach) -> int:
    """How many programs `needs` admits (a relaxation's count)."""
    return int(np.unique(index.service_id[judged.rows[_admitted(needs, judged)]]).size)
