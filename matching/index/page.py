"""One page of matches from the index: bound every clinician's score, rank only the contenders.

Column scores (score.py) differ from the shared ranker's by less than MARGIN, and a
clinician's referral signals can move its score by at most SIGNAL_GAIN / SIGNAL_LOSS. So each
clinician gets a lower and an upper bound; any clinician whose upper bound is below the
(offset + limit)-th best lower bound cannot be on the page, and any whose lower bound beats
every other's upper bound is certainly before it. The rest, usually a few dozen, become real
Candidates and go through matching.ranking.rank, which decides the page exactly.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np

from matching import weights
from matching.index.candidates import Materializer, rows_of_clinicians
from matching.index.query import Admitted
from matching.index.refine import UNREACHABLE
from matching.index.score import DEFAULT_SIGNAL_POINTS, SIGNAL_GAIN, SIGNAL_LOSS
from matching.index.segment import NO_CAPACITY, Segment
from matching.needs import Needs
from matching.ranking import Match, rank, signal_points
from matching.signals import NO_SIGNALS, ReferralSignals

# Column scores are unrounded; the ranker rounds to 4 places. Twice this is the safety band.
MARGIN = 1e-4


@dataclass(frozen=True)
class Part:
    """A segment's admitted rows and their scores."""

    segment: Segment
    admitted: Admitted
    scores: np.ndarray


@dataclass
class Field:
    """Every admitted clinician that can matter once: which part, which row, best score and
    its bounds (clinicians refine.py cut are only counted)."""

    ids: np.ndarray  # clinician ids
    part: np.ndarray
    row: np.ndarray
    best: np.ndarray
    low: np.ndarray
    high: np.ndarray
    resolved: np.ndarray  # bounds are exact (signals known)
    admitted: int  # clinicians admitted, those whose every row was cut as well

    def __len__(self) -> int:
        return len(self.ids)


def _best_per_clinician(part: Part) -> tuple[np.ndarray, np.ndarray, int]:
    """(clinician rows, best score) of one part's clinicians with a row that can matter, and
    how many clinicians the part admits in all."""
    rows, scores = part.admitted.clinician, part.scores
    reachable = scores > UNREACHABLE
    cut = not reachable.all()  # refine.py scored only the rows that can reach the page
    if cut:
        rows, scores = rows[reachable], scores[reachable]
    if not len(rows):  # nothing admitted: a part's best rows are never cut
        return rows, scores, 0
    # The maximum is the same in any order within a clinician: the faster unstable sort will do.
    order = np.argsort(rows)
    rows, scores = rows[order], scores[order]
    first = np.flatnonzero(np.r_[True, rows[1:] != rows[:-1]])
    admitted = len(first)
    if cut:
        admitted = _distinct(part.admitted.clinician, len(part.segment.clinicians))
    return rows[first], np.maximum.reduceat(scores, first), admitted


def _distinct(rows: np.ndarray, clinicians: int) -> int:
    """How many different clinician rows: a mark per row, no sort of the (many) rows."""
    seen = np.zeros(clinicians, dtype=bool)
    seen[rows] = True
    return int(np.count_nonzero(seen))


def field(parts: Sequence[Part], referred: set[int] | None) -> Field:
    """The field of admitted clinicians; `referred` may have signals (None: anyone may)."""
    ids, which, rows, best, admitted = [], [], [], [], 0
    for i, part in enumerate(parts):
        r, b, count = _best_per_clinician(part)
        ids.append(part.segment.clinicians.ids[r])
        which.append(np.full(len(r), i))
        rows.append(r)
        best.append(b)
        admitted += count  # a clinician is live in one part only
    ids = np.concatenate(ids) if ids else np.zeros(0, np.int64)
    best = np.concatenate(best) if best else np.zeros(0)
    if referred is None:
        maybe = np.ones(len(ids), dtype=bool)
    else:
        maybe = np.isin(ids, np.fromiter(referred, dtype=np.int64, count=len(referred)))
    low, high = best - SIGNAL_LOSS * maybe, best + SIGNAL_GAIN * maybe
    part = np.concatenate(which) if which else np.zeros(0, np.int64)
    row = np.concatenate(rows) if rows else np.zeros(0, np.int64)
    return Field(ids, part, row, best, low, high, ~maybe, admitted)


def _threshold(f: Field, wanted: int) -> float:
    """The wanted-th best lower bound (-inf when fewer clinicians)."""
    if len(f) <= wanted:
        return -np.inf
    return float(np.partition(f.low, len(f) - wanted)[len(f) - wanted])


def _signal_score(part: Part, row: int, best: float, signal: ReferralSignals) -> float:
    capacity = int(part.segment.clinicians.capacity[row])
    fake = _CapacityOnly(None if capacity == NO_CAPACITY else capacity)
    return best - DEFAULT_SIGNAL_POINTS + sum(signal_points(fake, signal).values())


@dataclass(frozen=True)
class _CapacityOnly:
    """What ranking.signal_points reads from a candidate."""

    referral_capacity: int | None


def resolve(f: Field, parts, wanted: int, signals, now: datetime) -> dict[int, ReferralSignals]:
    """Fetch signals for undecided contenders until the contenders are all exact."""
    fetched: dict[int, ReferralSignals] = {}
    while True:
        contenders = f.high >= _threshold(f, wanted) - 2 * MARGIN
        open_ = np.flatnonzero(contenders & ~f.resolved)
        if not len(open_):
            return fetched
        found = signals([int(i) for i in f.ids[open_]], now)
        for i in open_.tolist():
            cid = int(f.ids[i])
            signal = found.get(cid, NO_SIGNALS)
            fetched[cid] = signal
            exact = _signal_score(parts[f.part[i]], int(f.row[i]), float(f.best[i]), signal)
            f.low[i] = f.high[i] = exact
            f.resolved[i] = True


def certainly_before(f: Field, offset: int) -> np.ndarray:
    """Indexes of the largest set (at most `offset`) that outranks every other clinician."""
    if not offset or not len(f):
        return np.zeros(0, dtype=np.int64)
    order = np.argsort(-f.low, kind="stable")
    low, high = f.low[order], f.high[order]
    rest_high = np.maximum.accumulate(high[::-1])[::-1]  # best upper bound from k on
    k = np.arange(1, min(offset, len(f) - 1) + 1)
    clear = low[k - 1] > rest_high[k] + 2 * MARGIN
    if not clear.any():
        return np.zeros(0, dtype=np.int64)
    return order[: int(k[clear].max())]


def referred_ids(signals, now: datetime) -> set[int] | None:
    """Clinicians that may have referral signals (None: the provider cannot say, so anyone)."""
    referred = getattr(signals, "referred", None)
    return referred(now) if referred is not None else None


def ranked_page(
    parts: Sequence[Part],
    needs: Needs,
    connections: Callable[[int], Materializer],
    signals,
    now: datetime,
    stale_after_days: int = weights.STALE_AFTER_DAYS,
) -> tuple[list[Match], int]:
    """(the page of matches, total admitted clinicians)."""
    f = field(parts, referred_ids(signals, now))
    wanted = needs.offset + needs.limit
    fetched = resolve(f, parts, wanted, signals, now)
    before = certainly_before(f, needs.offset)
    contenders = f.high >= _threshold(f, wanted) - 2 * MARGIN
    contenders[before] = False
    candidates = []
    for i, part in enumerate(parts):
        mine = np.flatnonzero(contenders & (f.part == i))
        if len(mine):
            picked = rows_of_clinicians(part.admitted, f.row[mine].tolist())
            candidates += connections(i).candidates(part.admitted, picked)
    ranked = rank(needs, candidates, fetched, now, stale_after_days)
    start = needs.offset - len(before)
    return ranked[start : start + needs.limit], f.admitted
