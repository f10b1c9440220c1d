"""matching.ranking's score over whole columns, to choose which candidates to rank exactly.

The same components and weights as ranking.score_candidate, with every clinician's referral
signals at their no-history value. It only narrows the field: the shared ranker scores the
chosen candidates itself, and page.py keeps every candidate these numbers cannot rule out.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import numpy as np

from matching import weights
from matching.index.cost import takes_any, within_fee
from matching.index.masks import NeedMasks
from matching.index.query import Admitted, days_to_opening
from matching.index.segment import NO_TIME, NO_WAIT, Segment, micros
from matching.ranking import PREFERENCE_WEIGHTS
from matching.signals import NO_SIGNALS

# Signals are per clinician, not per place: with no referral history they are worth this much,
# and real signals can add at most SIGNAL_GAIN or take away at most SIGNAL_LOSS.
DEFAULT_SIGNAL_POINTS = weights.RESPONSIVENESS * NO_SIGNALS.responsiveness + weights.LOAD
SIGNAL_GAIN = weights.RESPONSIVENESS * (1 - NO_SIGNALS.responsiveness)
SIGNAL_LOSS = DEFAULT_SIGNAL_POINTS


def _share(hits: list[np.ndarray], count: int) -> np.ndarray:
    return sum(hits, np.zeros(count)) / len(hits)


def _at_link(column: np.ndarray, links: np.ndarray, otherwise) -> np.ndarray:
    """column[link] for in-person rows, `otherwise` for telehealth rows (link -1)."""
    if not len(column):
        return np.broadcast_to(otherwise, links.shape).copy()
    return np.where(links >= 0, column[np.maximum(links, 0)], otherwise)


def _place_preferences(segment: Segment, m: NeedMasks, adm: Admitted) -> np.ndarray:
    """Accessibility and hours: met only at an in-person visit's location."""
    p, needs, n = segment.places, m.needs, len(adm)
    located = adm.link >= 0
    total = np.zeros(n)
    if not located.any():
        return total  # telehealth: accessibility is moot, hours are never met
    locations = _at_link(p.link_location, adm.link, 0)
    if "accessibility" in m.preferences:
        book = p.accessibility.book
        hits = [p.accessibility.overlaps(locations, book.mask([a])) for a in needs.accessibility]
        total += np.where(located, weights.ACCESSIBILITY * _share(hits, n), 0.0)
    if "availability" in m.preferences:
        hits = [(p.evening if a == "evening" else p.weekend)[locations] & located
                for a in needs.availability]  # fmt: skip
        total += weights.AVAILABILITY * _share(hits, n)
    return total


def _preferences(segment: Segment, m: NeedMasks, adm: Admitted, today: date) -> np.ndarray:
    """ranking.preference_points: weight times the share met, for needs that only rank."""
    c, needs = segment.clinicians, m.needs
    rows, n = adm.clinician, len(adm)
    total = _place_preferences(segment, m, adm)
    if "specialties" in m.preferences:
        total += weights.SPECIALTY * c.taxonomies.overlaps(rows, m.specialties)
    if "languages" in m.preferences:
        total += weights.LANGUAGE * c.languages.overlaps(rows, m.languages)
    if "clinician_gender" in m.preferences:
        total += weights.GENDER * (c.gender[rows] == m.gender)
    if "cultural_preferences" in m.preferences:
        book, codes = c.competencies.book, needs.cultural_preferences
        hits = [c.competencies.overlaps(rows, book.mask([code])) for code in codes]
        total += weights.CULTURE * _share(hits, n)
    if "max_wait_days" in m.preferences:
        days = days_to_opening(segment, rows, today)
        total += weights.WAIT_WITHIN * ((days != NO_WAIT) & (days <= needs.max_wait_days))
    if "payment" in m.preferences:
        total += weights.PAYMENT * takes_any(c, rows, needs.payment)
    if "max_fee" in m.preferences:
        total += weights.MAX_FEE * within_fee(c, rows, needs.max_fee)
    return total


def proximity(m: NeedMasks, link: np.ndarray, miles: np.ndarray) -> np.ndarray:
    """ranking.proximity_points, for rows at these links (-1: telehealth) and miles."""
    transport = m.needs.transport_insecure
    share = weights.TRANSPORT_TELEHEALTH_PROXIMITY if transport else weights.TELEHEALTH_PROXIMITY
    half_life = weights.TRANSPORT_HALF_LIFE_MILES if transport else weights.DISTANCE_HALF_LIFE_MILES
    located = link >= 0
    near = weights.DISTANCE * 0.5 ** (np.where(located, miles, 0.0) / half_life)
    return np.where(located, near, weights.DISTANCE * share)


def _wait(segment: Segment, adm: Admitted, today: date) -> np.ndarray:
    """ranking.wait_points."""
    days = days_to_opening(segment, adm.clinician, today)
    known = days != NO_WAIT
    decay = weights.WAIT * 0.5 ** (np.where(known, days, 0) / weights.WAIT_HALF_LIFE_DAYS)
    return np.where(known, decay, weights.WAIT * weights.WAIT_UNKNOWN_SHARE)


def _listing(segment: Segment, adm: Admitted, now: datetime, stale_after_days: int):
    """ranking.listing_points."""
    c, p = segment.clinicians, segment.places
    rows = adm.clinician
    accepting = _at_link(p.link_accepting, adm.link, c.accepting[rows])
    verified = c.verified[rows]
    limit = timedelta(days=stale_after_days) // timedelta(microseconds=1)
    stale = (verified == NO_TIME) | (micros(now) - verified > limit)
    return (
        weights.ACCEPTING_CONFIRMED * (accepting == 1)
        - weights.STALE_PENALTY * stale
        - weights.FLAGGED_PENALTY * c.flagged[rows]
    )


def scores(
    segment: Segment, m: NeedMasks, adm: Admitted, now: datetime, stale_after_days: int
) -> np.ndarray:
    """Each admitted row's score with no-history signals (unrounded), at adm.miles."""
    return all_but_proximity(segment, m, adm, now, stale_after_days) + proximity(
        m, adm.link, adm.miles
    )


def all_but_proximity(
    segment: Segment, m: NeedMasks, adm: Admitted, now: datetime, stale_after_days: int
) -> np.ndarray:
    """scores() without the distance points (they wait for each row's geodesic miles)."""
    if not len(adm):
        return np.zeros(0)
    today = now.date()
    return (
        fit_points(segment, m, adm.clinician)
        + _preferences(segment, m, adm, today)
        + _wait(segment, adm, today)
        + DEFAULT_SIGNAL_POINTS
        + _listing(segment, adm, now, stale_after_days)
    )


def fit_points(segment: Segment, m: NeedMasks, rows: np.ndarray) -> np.ndarray | float:
    """ranking.fit_points per row (0.0 when the needs name no concern)."""
    shares = m.fit_shares(segment, rows)
    return weights.FIT * _share(shares, len(rows)) if shares else 0.0


def ceiling_but_fit_and_proximity(m: NeedMasks) -> float:
    """The most all_but_proximity adds to fit_points: every preference met, the soonest opening
    (today, or a stored negative wait), accepting confirmed, no-history signals (staleness and
    flags only take away)."""
    preferences = sum(PREFERENCE_WEIGHTS[need] for need in m.preferences)
    soonest = m.segment.clinicians.soonest_wait
    wait = weights.WAIT * 0.5 ** (soonest / weights.WAIT_HALF_LIFE_DAYS)
    return preferences + wait + DEFAULT_SIGNAL_POINTS + weights.ACCEPTING_CONFIRMED
