"""Column scores for a page: Vincenty only for rows whose haversine bounds can reach it.

Retrieval leaves rows surely inside the radius with haversine miles (`rough`). Geodesic and
haversine miles differ by less than HAVERSINE_MARGIN, so each such row's score lies between
its scores at miles times and divided by the margin. A row whose upper bound (plus the most
referral signals can add, for a clinician that may have any) stays below the (offset +
limit)-th best clinician's lower bound (less what signals can take) cannot be a contender in
page.py, which bounds signals the same way; it keeps its place in the
count with UNREACHABLE as its score. Every other row gets its exact geodesic miles.

Before any of that, a large field is cut by fit and distance alone (the costliest and most
telling parts of a score): every other part is bounded by the most it can add, and rows whose
bound stays below the floor that the best-looking rows' exact lower bounds set are left out
the same way. On the 1M needs mix this keeps 0.2-4% of the rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import numpy as np

from matching.distance import HAVERSINE_MARGIN
from matching.index.geodesy import within
from matching.index.masks import NeedMasks
from matching.index.query import Admitted
from matching.index.score import (
    SIGNAL_GAIN,
    SIGNAL_LOSS,
    all_but_proximity,
    ceiling_but_fit_and_proximity,
    fit_points,
    proximity,
    scores,
)
from matching.index.segment import Segment

UNREACHABLE = -1e9


@dataclass(frozen=True)
class Bounds:
    """What the page bounds with: how many clinicians it needs, who may have signals."""

    wanted: int
    referred: set[int] | None  # None: anyone may


MARGIN = 1e-4  # page.MARGIN: how far column scores may be from the ranker's
# Rows scored exactly to set the cut's floor, per clinician the page wants; fields no larger
# than this are scored whole.
SAMPLE_PER_WANTED = 16


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
    sample = SAMPLE_PER_WANTED * bounds.wanted
    if len(adm) <= sample:
        return _bounded(segment, m, adm, now, stale, bounds, None)
    maybe = _maybe(segment, adm, bounds.referred)
    high = fit_points(segment, m, adm.clinician) + proximity(m, adm.link, _near(adm))
    high += ceiling_but_fit_and_proximity(m) + SIGNAL_GAIN * maybe
    best = np.argpartition(high, len(adm) - sample)[len(adm) - sample :]
    low = _low(segment, m, adm.take(best), now, stale, maybe[best])
    keep = np.flatnonzero(high >= _floor(adm.clinician[best], low, bounds.wanted) - 4 * MARGIN)
    found = np.full(len(adm), UNREACHABLE)
    found[keep] = _bounded(segment, m, adm.take(keep), now, stale, bounds, maybe[keep])
    return found


def _near(adm: Admitted) -> np.ndarray:
    """The fewest miles each row can be: rough miles shortened by the margin."""
    if adm.rough is None:
        return adm.miles
    return np.where(adm.rough, adm.miles / HAVERSINE_MARGIN, adm.miles)


def _far(adm: Admitted) -> np.ndarray:
    """The most miles each row can be: rough miles lengthened by the margin."""
    if adm.rough is None:
        return adm.miles
    return np.where(adm.rough, adm.miles * HAVERSINE_MARGIN, adm.miles)


def _low(segment, m: NeedMasks, adm: Admitted, now: datetime, stale: int, maybe) -> np.ndarray:
    """Each row's lowest possible score: at its farthest, with the worst signals."""
    base = all_but_proximity(segment, m, adm, now, stale)
    return base + proximity(m, adm.link, _far(adm)) - SIGNAL_LOSS * maybe


def _bounded(segment, m: NeedMasks, adm: Admitted, now, stale, bounds: Bounds, maybe):
    """page_scores over the rows not cut: exact miles only where they can matter."""
    if adm.rough is None or not adm.rough.any():
        return scores(segment, m, adm, now, stale)
    rough, base = adm.rough, all_but_proximity(segment, m, adm, now, stale)
    if maybe is None:
        maybe = _maybe(segment, adm, bounds.referred)
    low = base + proximity(m, adm.link, _far(adm)) - SIGNAL_LOSS * maybe
    high = base + proximity(m, adm.link, _near(adm)) + SIGNAL_GAIN * maybe
    floor = _floor(adm.clinician, low, bounds.wanted)
    refine = rough & (high >= floor - 4 * MARGIN)
    miles = adm.miles.copy()
    if refine.any():
        miles[refine] = _geodesic(segment, m, adm.link[refine])
    found = base + proximity(m, adm.link, miles)
    found[rough & ~refine] = UNREACHABLE
    return found
