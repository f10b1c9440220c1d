"""What a funnel row is computed from: counts per stage and histograms of days to a stage."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field


@dataclass
class Tally:
    """Referrals per stage, and (days, came in time) -> referrals for acknowledging and booking."""

    counts: Counter = field(default_factory=Counter)
    booked: Counter = field(default_factory=Counter)
    answered: Counter = field(default_factory=Counter)

    def add(self, other: Tally) -> Tally:
        """This tally with `other`'s referrals added in."""
        self.counts.update(other.counts)
        self.booked.update(other.booked)
        self.answered.update(other.answered)
        return self


def _nth(by_day: list[tuple[int, int]], index: int) -> int:
    """The value at `index` (from 0) of the sorted days, from (day, how many) sorted by day."""
    seen = 0
    for day, n in by_day:
        seen += n
        if index < seen:
            return day
    raise IndexError(index)


def _by_day(histogram: Counter) -> list[tuple[int, int]]:
    days: Counter = Counter()
    for (day, _), n in histogram.items():
        days[day] += n
    return sorted((day, n) for day, n in days.items() if n)


def median_of(histogram: Counter) -> float | int | None:
    """statistics.median of the days a histogram holds (the middle two averaged when even)."""
    by_day, n = _by_day(histogram), sum(histogram.values())
    if not n:
        return None
    if n % 2:
        return _nth(by_day, n // 2)
    return (_nth(by_day, n // 2 - 1) + _nth(by_day, n // 2)) / 2


def p90_of(histogram: Counter) -> int | None:
    """The 90th percentile by nearest rank: the smallest value at least 90% are at or under."""
    n = sum(histogram.values())
    if not n:
        return None
    return _nth(_by_day(histogram), math.ceil(0.9 * n) - 1)


def in_time_of(histogram: Counter) -> tuple[int, int]:
    """Referrals that came within the standard, and those after it."""
    in_time = sum(n for (_, on_time), n in histogram.items() if on_time)
    return in_time, sum(histogram.values()) - in_time
