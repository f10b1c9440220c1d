"""Column scores for a page: Vincenty only for rows whose haversine bounds can reach it.

Retrieval leaves rows surely inside the radius with haversine miles (`rough`). Geodesic and
haversine miles differ by less than HAVERSINE_MARGIN, so each such row's score lies between
its scores at miles times and divided by the margin. A row whose upper bound (plus the most
referral signals can add, for a clinician that may have any) stays below the (offset +
limit)-th best clinician's lower bound (less what signals can take) cannot be a contender in
page.py, which bounds signals the same way; it keeps its place in the
count with UNREACHABLE as its score. Every other row gets its exact geodesic miles.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import numpy as np

from matching.distance import HAVERSINE_MARGIN
from matching.index.geodesy import within
from matching.index.masks import NeedMasks
from matching.index.query import Admitted
from matching.index.score import SIGNAL_GAIN, SIGNAL_LOSS, all_but_proximity, proximity, scores
from matching.index.segment import Segment

UNREACHABLE = -1e9


@dataclass(frozen=True)
class Bounds:
    """What the page bounds with: how many clinicians it needs, who may have signals."""

    wanted: int
    referred: set[int] | None  # None: anyone may


MARGIN = 1e-4  # page.MARGIN: how far column scores may be from the ranker's


def _floor(rows: np.ndarray, low: np.ndarray, wanted: int) -> float:
    """The wanted-th best per-clinician lower bound (-inf when fewer clinicians)."""
    order = np.argsort(rows)
    ranked = rows[order]
    first = np.flatnonzero(np.r_[True, ranked[1:] != ranked[:-1]])
    best = np.maximum.reduceat(low[order], first)
    if len(best) < wanted:
        return -np.inf
    return float(np.partition(best, len(best) - wanted)[len(best) - wanted])


def _geodesic(segment: Segment, m: NeedMasks, links: np.ndarray) -> np.ndarray:
    """Exact miles to the locations of these links."""
    p = segment.places
    unique, back = np.unique(p.link_location[links], return_inverse=True)
    _, miles = within(m.needs.point, p.lat[unique], p.lon[unique], m.needs.max_distance_miles)
    return miles[back]


def _maybe(segment: Segment, adm: Admitted, referred: set[int] | None) -> np.ndarray:
    """Per row: the clinician may have referral signals."""
    if referred is None:
        return np.ones(len(adm), dtype=bool)
    ids = np.fromiter(referred, dtype=np.int64, count=len(referred))
    return np.isin(segment.clinicians.ids[adm.clinician], ids)


def page_scores(
    segment: Segment, m: NeedMasks, adm: Admitted, now: datetime, stale: int, bounds: Bounds
) -> np.ndarray:
    """Scores as score.scores() gives them with exact miles, for every row that can matter."""
    if adm.rough is None or not adm.rough.any():
        return scores(segment, m, adm, now, stale)
    rough, base = adm.rough, all_but_proximity(segment, m, adm, now, stale)
    far = np.where(rough, adm.miles * HAVERSINE_MARGIN, adm.miles)
    near = np.where(rough, adm.miles / HAVERSINE_MARGIN, adm.miles)
    maybe = _maybe(segment, adm, bounds.referred)
    low = base + proximity(m, adm.link, far) - SIGNAL_LOSS * maybe
    high = base + proximity(m, adm.link, near) + SIGNAL_GAIN * maybe
    floor = _floor(adm.clinician, low, bounds.wanted)
    refine = rough & (high >= floor - 4 * MARGIN)
    miles = adm.miles.copy()
    if refine.any():
        miles[refine] = _geodesic(segment, m, adm.link[refine])
    found = base + proximity(m, adm.link, miles)
    found[rough & ~refine] = UNREACHABLE
    return found
