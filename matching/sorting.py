"""How a ranked list is ordered: best fit (the score), distance, or soonest opening.

The score always decides the page's membership rules (filters are the same whatever the order);
a sort only changes which of a clinician's places is shown and the order of clinicians. Ties
fall back to the score, then the NPI, so every order is total and repeatable.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from matching.backend import IN_PERSON
from matching.needs import BEST_FIT, DISTANCE, SOONEST, SORTS

if TYPE_CHECKING:  # ranking imports this module; the type is only named here
    from matching.ranking import Match

__all__ = ["BEST_FIT", "DISTANCE", "SOONEST", "SORTS", "order_key", "place_key"]
# Sorts past any real distance or wait: telehealth has no distance, an unknown wait no date.
_LAST = float("inf")


def _miles(m: Match) -> float:
    c = m.candidate
    if c.visit != IN_PERSON or c.distance_miles is None:
        return _LAST
    return c.distance_miles


def _days(m: Match, today: date) -> float:
    days = m.candidate.days_to_next_opening(today)
    return _LAST if days is None else float(days)


def _place_id(m: Match) -> int:
    return m.candidate.place.id if m.candidate.place else 0


def fit_place_key(m: Match) -> tuple:
    """Best score first, then in person, nearer, lower place id (the best-fit place)."""
    return (
        -m.score,
        m.candidate.visit != IN_PERSON,
        m.candidate.distance_miles or 0.0,
        _place_id(m),
    )


def place_key(sort: str, today: date):
    """The key that picks the one place shown per clinician: nearest, soonest or best fit."""
    if sort == DISTANCE:
        return lambda m: (_miles(m), *fit_place_key(m))
    if sort == SOONEST:
        return lambda m: (_days(m, today), *fit_place_key(m))
    return fit_place_key


def order_key(sort: str, today: date):
    """The key that orders clinicians (one match each) for `sort`; ties by score, then NPI."""
    if sort == DISTANCE:
        return lambda m: (_miles(m), -m.score, m.candidate.npi, _place_id(m))
    if sort == SOONEST:
        return lambda m: (_days(m, today), -m.score, m.candidate.npi, _place_id(m))
    return lambda m: (-m.score, m.candidate.npi, fit_place_key(m))
