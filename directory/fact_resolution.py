"""Which observation of a fact wins, how confident we are, and what it overruled (pure).

The rule, per fact (kind, location, network):
1. Each source's newest observation is that source's word; its older ones are history.
2. The winner is the word with the greatest weight today (source quality for the kind, or the
   staff method, times age decay: directory/confidence.py); on equal weight the newer wins.
   So staff verification beats files, a clinician's attestation beats NPPES and a plan's
   roster on "taking new patients", and a fresh file beats a verification grown old.
3. Words that say something else are conflicts: kept, shown to staff, and they lower the
   confidence; words that agree raise it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from directory.confidence import confidence, weight
from directory.fact_rules import quality
from directory.models.verification import as_utc


class Observed(Protocol):
    """What resolution reads from an observation (a FactObservation row fits)."""

    id: int
    kind: str
    value: Any
    source: str
    method: str | None
    location_id: int | None
    network_id: str | None
    observed_at: datetime


@dataclass(frozen=True)
class Finding:
    """What we believe about one fact now, and on whose word."""

    kind: str
    location_id: int | None
    network_id: str | None
    value: Any
    winner: Observed
    confidence: float
    agreeing: tuple[Observed, ...]
    conflicts: tuple[Observed, ...]


def normalized(value: Any) -> Any:
    """Compare values the way a reader would: case, spacing and list order do not matter."""
    if isinstance(value, str):
        return " ".join(value.casefold().split())
    if isinstance(value, list | tuple):
        return sorted((normalized(item) for item in value), key=repr)
    if isinstance(value, dict):
        return {key: normalized(item) for key, item in sorted(value.items()) if item is not None}
    return value


def _weighed(observation: Observed, now: datetime) -> tuple[float, datetime, Observed]:
    """(weight today, when observed in UTC, the observation)."""
    at = as_utc(observation.observed_at)
    strength = quality(observation.source, observation.kind, observation.method)
    return weight(strength, at, now), at, observation


def _latest_per_source(observations: list[Observed]) -> list[Observed]:
    latest: dict[str, Observed] = {}
    for observation in observations:
        key = observation.source
        held = latest.get(key)
        if held is None or (as_utc(observation.observed_at), observation.id or 0) > (
            as_utc(held.observed_at),
            held.id or 0,
        ):
            latest[key] = observation
    return list(latest.values())


def _ranked_words(observations: list[Observed], now: datetime) -> list[tuple]:
    """Each source's newest word, weighed once: (weight, when, word), the winner first."""
    weighed = [_weighed(o, now) for o in _latest_per_source(observations)]
    weighed.sort(key=lambda w: w[:2], reverse=True)
    return weighed


def _finding(observations: list[Observed], now: datetime) -> Finding:
    # Each word's weight once: a results page resolves about a hundred facts per request.
    weighed = _ranked_words(observations, now)
    top, winner = weighed[0][0], weighed[0][2]
    said = normalized(winner.value)
    others = [(w, normalized(o.value) == said, o) for w, _, o in weighed[1:]]
    agreeing = tuple(o for _, same, o in others if same)
    conflicts = tuple(o for _, same, o in others if not same)
    score = confidence(
        top, (w for w, same, _ in others if same), (w for w, same, _ in others if not same)
    )
    return Finding(
        winner.kind,
        winner.location_id,
        winner.network_id,
        winner.value,
        winner,
        score,
        agreeing,
        conflicts,
    )


FactKey = tuple[str, int | None, str | None]  # kind, location, network


def _facts(observations: list[Observed]) -> list[tuple[FactKey, list[Observed]]]:
    """Observations grouped per fact, in kind order then location and network."""
    groups: dict[FactKey, list[Observed]] = {}
    for observation in observations:
        key = (observation.kind, observation.location_id, observation.network_id)
        groups.setdefault(key, []).append(observation)
    ordered = sorted(groups, key=lambda key: (key[0], key[1] or 0, key[2] or ""))
    return [(key, groups[key]) for key in ordered]


def resolve(observations: list[Observed], now: datetime) -> list[Finding]:
    """One finding per fact, in kind order then location and network."""
    return [_finding(group, now) for _, group in _facts(observations)]


def winners(observations: list[Observed], now: datetime) -> list[tuple[FactKey, Observed]]:
    """resolve()'s winner per fact in the same order, without confidence (a page's sources)."""
    return [(key, _ranked_words(group, now)[0][2]) for key, group in _facts(observations)]
