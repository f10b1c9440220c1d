"""The retrieval interface every backend implements, and the candidates it hands the ranker.

A backend (the embedded SQL one, Elasticsearch) finds the clinicians that may pass the required
needs, one candidate per clinician and visit place, with the facts the shared ranker needs and
nothing else. It must not miss one that passes; the ranker makes the exact check (filters), so
a backend can filter coarsely where exactness is costly but can never leak a violation.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from directory.cost import Cost
from matching.needs import Needs

TELEHEALTH_MODALITIES = frozenset({"video", "phone"})
IN_PERSON = "in_person"
TELEHEALTH = "telehealth"


@dataclass(frozen=True)
class Place:
    """The location a candidate would see the patient at."""

    id: int
    address: str
    lat: float
    lon: float
    accessibility: frozenset[str] = frozenset()
    evening_hours: bool = False
    weekend_hours: bool = False


@dataclass(frozen=True)
class Candidate:
    """One clinician, for one visit: in person at `place`, or by telehealth (place None)."""

    clinician_id: int
    npi: str
    name: str
    visit: str  # in_person | telehealth
    place: Place | None = None
    distance_miles: float | None = None  # geodesic, patient to place
    credentials: tuple[str, ...] = ()
    gender: str | None = None
    languages: frozenset[str] = frozenset()
    competencies: frozenset[str] = frozenset()
    taxonomies: frozenset[str] = frozenset()
    conditions_treated: frozenset[str] = frozenset()
    conditions_not_treated: frozenset[str] = frozenset()
    age_groups: frozenset[str] = frozenset()
    modalities: frozenset[str] = frozenset()
    license_states: frozenset[str] = frozenset()  # current licenses only
    network_ids: frozenset[str] = frozenset()  # networks that cover this visit
    accepting_new_patients: bool | None = None  # at this place when it says, else overall
    wait_days: int | None = None
    next_available_on: date | None = None
    referral_capacity: int | None = None
    verified_at: datetime | None = None
    flagged: bool = False
    cost: Cost = Cost()  # what the clinician's care costs; unknown unless a source said

    @property
    def offers_telehealth(self) -> bool:
        """True when the clinician sees patients by video or phone."""
        return bool(TELEHEALTH_MODALITIES & self.modalities)

    def days_to_next_opening(self, today: date) -> int | None:
        """Days until the next open appointment: next_available_on, else the stated wait."""
        if self.next_available_on is not None:
            return max(0, (self.next_available_on - today).days)
        return self.wait_days


class MatchBackend(Protocol):
    """Retrieval for matching; the shared ranker orders what it returns."""

    def retrieve(self, needs: Needs) -> list[Candidate]:
        """A superset of the candidates that meet the required needs, distance included."""
        ...

    def count(self, needs: Needs) -> int:
        """Exactly how many distinct clinicians meet the required needs (for relaxations)."""
        ...
