"""The shared re-ranker: pure, deterministic and explainable; no database, no Flask.

Every backend's candidates go through rank(): it re-checks the filters, scores each candidate
with the weights in matching.weights, keeps each clinician's best place, and orders by score
with ties broken by NPI; `needs.sort` may order by distance or soonest opening instead
(matching.sorting).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property

from directory.models.verification import is_stale
from matching import weights
from matching.backend import TELEHEALTH, Candidate, MatchBackend, Place
from matching.criteria import Finding, findings
from matching.explain import Entry, from_finding, notices, rule_reasons
from matching.filters import meets_required, passes_rules
from matching.needs import Needs
from matching.signals import NO_SIGNALS, ReferralSignals, SignalsProvider
from matching.sorting import order_key, place_key


@dataclass(frozen=True, eq=False)
class Match:
    """A ranked result; its explanation is worded only when asked for (the page, not all)."""

    candidate: Candidate
    score: float
    stale: bool
    components: tuple[tuple[str, float], ...]
    needs: Needs = field(repr=False)
    found: tuple[Finding, ...] = field(repr=False)
    signal: ReferralSignals = field(repr=False)
    now: datetime = field(repr=False)
    stale_after_days: int = field(repr=False, default=weights.STALE_AFTER_DAYS)

    @property
    def place(self) -> Place | None:
        """Where the patient would be seen (None for telehealth)."""
        return self.candidate.place

    @property
    def distance_miles(self) -> float | None:
        """Geodesic miles to the place."""
        return self.candidate.distance_miles

    @cached_property
    def reasons(self) -> tuple[Entry, ...]:
        """Needs met: the always-required ones, then each met finding."""
        met = [from_finding(f) for f in self.found if f.met]
        return tuple(rule_reasons(self.needs, self.candidate) + met)

    @cached_property
    def unmet(self) -> tuple[Entry, ...]:
        """Every preference not met."""
        return tuple(from_finding(f) for f in self.found if not f.met)

    @cached_property
    def notices(self) -> tuple[Entry, ...]:
        """Stale or flagged listing, unknowns, full capacity."""
        return tuple(
            notices(self.needs, self.candidate, self.signal, self.now, self.stale_after_days)
        )


def _shares(found: list[Finding]) -> dict[str, float]:
    """Share of findings met, per need judged (one pass over the findings)."""
    met: dict[str, list[int]] = {}
    for f in found:
        tally = met.setdefault(f.need, [0, 0])
        tally[0] += f.met
        tally[1] += 1
    return {need: hits / judged for need, (hits, judged) in met.items()}


# The needs that rank when they only prefer, and the most each can add (times the share met).
PREFERENCE_WEIGHTS = {
    "specialties": weights.SPECIALTY,
    "languages": weights.LANGUAGE,
    "clinician_gender": weights.GENDER,
    "cultural_preferences": weights.CULTURE,
    "accessibility": weights.ACCESSIBILITY,
    "availability": weights.AVAILABILITY,
    "max_wait_days": weights.WAIT_WITHIN,
    "payment": weights.PAYMENT,
    "max_fee": weights.MAX_FEE,
}


def preference_points(needs: Needs, found: list[Finding]) -> dict[str, float]:
    """Points for preferences met; needs acting as filters score nothing (all results meet them)."""
    shares = _shares(found)
    points = {}
    for need, weight in PREFERENCE_WEIGHTS.items():
        share = shares.get(need)
        if share is not None and not needs.requires(need):
            points[need] = weight * share
    return points


def fit_points(found: list[Finding]) -> float:
    """FIT times the mean fit over concerns and taxonomy-only diagnoses."""
    shares = [f.share for f in found if f.need == "concerns"]
    return weights.FIT * sum(shares) / len(shares) if shares else 0.0


def proximity_points(needs: Needs, c: Candidate) -> float:
    """Distance decay for in-person visits; a fixed share for telehealth."""
    transport = needs.transport_insecure
    if c.visit == TELEHEALTH:
        share = (
            weights.TRANSPORT_TELEHEALTH_PROXIMITY if transport else weights.TELEHEALTH_PROXIMITY
        )
        return weights.DISTANCE * share
    half_life = weights.TRANSPORT_HALF_LIFE_MILES if transport else weights.DISTANCE_HALF_LIFE_MILES
    return weights.DISTANCE * 0.5 ** (c.distance_miles / half_life)


def wait_points(c: Candidate, today: date) -> float:
    """Sooner openings score more; an unknown wait scores a little."""
    days = c.days_to_next_opening(today)
    if days is None:
        return weights.WAIT * weights.WAIT_UNKNOWN_SHARE
    return weights.WAIT * 0.5 ** (days / weights.WAIT_HALF_LIFE_DAYS)


def signal_points(c: Candidate, signal: ReferralSignals) -> dict[str, float]:
    """Responsiveness to past referrals, and room left under the stated capacity."""
    capacity = c.referral_capacity or weights.DEFAULT_REFERRAL_CAPACITY
    room = max(0.0, 1 - signal.open_referrals / capacity)
    return {
        "responsiveness": weights.RESPONSIVENESS * signal.responsiveness,
        "load": weights.LOAD * room,
    }


def listing_points(c: Candidate, now: datetime, stale_after_days: int) -> dict[str, float]:
    """A confirmed "accepting" helps; stale or flagged listings go down."""
    return {
        "accepting": weights.ACCEPTING_CONFIRMED if c.accepting_new_patients else 0.0,
        "stale": -weights.STALE_PENALTY if is_stale(c.verified_at, now, stale_after_days) else 0.0,
        "flagged": -weights.FLAGGED_PENALTY if c.flagged else 0.0,
    }


def score_candidate(
    needs: Needs,
    c: Candidate,
    found: list[Finding],
    signal: ReferralSignals,
    now: datetime,
    stale_after_days: int = weights.STALE_AFTER_DAYS,
) -> Match:
    """Score one admitted candidate, given its findings."""
    listing = listing_points(c, now, stale_after_days)
    components = {
        "fit": fit_points(found),
        **preference_points(needs, found),
        "distance": proximity_points(needs, c),
        "wait": wait_points(c, now.date()),
        **signal_points(c, signal),
        **listing,
    }
    return Match(
        candidate=c,
        score=round(sum(components.values()), 4),
        stale=listing["stale"] != 0.0,
        components=tuple((k, round(v, 4)) for k, v in components.items()),
        needs=needs,
        found=tuple(found),
        signal=signal,
        now=now,
        stale_after_days=stale_after_days,
    )


def rank(
    needs: Needs,
    candidates: Iterable[Candidate],
    signals: Mapping[int, ReferralSignals],
    now: datetime,
    stale_after_days: int = weights.STALE_AFTER_DAYS,
) -> list[Match]:
    """All admitted candidates, one place per clinician, in `needs.sort` order (best fit first)."""
    best: dict[int, Match] = {}
    today = now.date()
    kept_place = place_key(needs.sort, today)
    for c in candidates:
        if not passes_rules(needs, c):
            continue
        found = findings(needs, c, now.date())
        if not meets_required(needs, found):
            continue
        signal = signals.get(c.clinician_id, NO_SIGNALS)
        match = score_candidate(needs, c, found, signal, now, stale_after_days)
        kept = best.get(c.clinician_id)
        if kept is None or kept_place(match) < kept_place(kept):
            best[c.clinician_id] = match
    return sorted(best.values(), key=order_key(needs.sort, today))


def rank_retrieved(
    needs: Needs,
    backend: MatchBackend,
    signals: SignalsProvider,
    now: datetime,
    stale_after_days: int = weights.STALE_AFTER_DAYS,
) -> tuple[list[Match], int]:
    """Retrieve every candidate, rank them all, cut the page: (page, total matched)."""
    candidates = backend.retrieve(needs)
    clinician_ids = sorted({c.clinician_id for c in candidates})
    ranked = rank(needs, candidates, signals(clinician_ids, now), now, stale_after_days)
    return ranked[needs.offset : needs.offset + needs.limit], len(ranked)
