"""Confidence (0-1) in a fact: source quality x age decay x agreement between sources.

- Age: an observation keeps its full weight for 90 days (the No Surprises Act re-verification
  period), then halves every 180 days: 270 days old counts half, 450 days a quarter.
- Agreement: the winning observation's weight w is raised by each other source that says the
  same (each closes half its own weight of the gap: 1 - (1 - w) * (1 - a / 2)) and lowered by
  each that disagrees (times 1 - d / 2). Rounded to two places.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

FULL_WEIGHT_DAYS = 90
HALF_LIFE_DAYS = 180


def age_factor(observed_at: datetime, now: datetime) -> float:
    """1.0 up to 90 days old, then halving every 180 days."""
    age = now - observed_at
    if age <= timedelta(days=FULL_WEIGHT_DAYS):
        return 1.0
    excess = (age - timedelta(days=FULL_WEIGHT_DAYS)).total_seconds() / 86400
    return 0.5 ** (excess / HALF_LIFE_DAYS)


def weight(quality: float, observed_at: datetime, now: datetime) -> float:
    """How much one observation counts today."""
    return quality * age_factor(observed_at, now)


def confidence(winner: float, agreeing: Iterable[float], disagreeing: Iterable[float]) -> float:
    """Combine the winner's weight with the weights of the sources that agree or disagree."""
    doubt = 1.0 - winner
    for other in agreeing:
        doubt *= 1.0 - other / 2
    result = 1.0 - doubt
    for other in disagreeing:
        result *= 1.0 - other / 2
    return round(max(0.0, min(1.0, result)), 2)
