"""The clean needs object that matching works on, whatever the channel the request came from."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from functools import cached_property

from directory.geography import Point
from directory.vocabulary import vocabulary
from matching.diagnoses import TRANSPORTATION, Diagnosis, SocialNeed
from matching.policy import is_required

MODALITIES = ("in_person", "telehealth", "either")
AVAILABILITY = ("evening", "weekend")
# How a results list may be ordered (matching.sorting): by score, distance or next opening.
BEST_FIT, DISTANCE, SOONEST = "best_fit", "distance", "soonest"
SORTS = (BEST_FIT, DISTANCE, SOONEST)
DEFAULT_MAX_DISTANCE_MILES = 25.0
MAX_DISTANCE_MILES = 500.0
DEFAULT_LIMIT = 20


@dataclass(frozen=True)
class PlanScope:
    """A plan or network the patient is covered by, and the network ids that count as in it."""

    id: str
    name: str
    network_ids: frozenset[str]


@dataclass(frozen=True)
class FitItem:
    """One thing the patient needs help with: a concern, or a diagnosis known only by taxonomy."""

    kind: str  # concern | diagnosis
    code: str
    label: str
    taxonomies: tuple[str, ...]


@dataclass(frozen=True)
class Needs:
    """Resolved, validated needs; collections are sorted tuples so equal needs compare equal."""

    point: Point
    state: str | None = None
    max_distance_miles: float = DEFAULT_MAX_DISTANCE_MILES
    plan: PlanScope | None = None
    concerns: tuple[str, ...] = ()
    diagnoses: tuple[Diagnosis, ...] = ()
    specialties: tuple[str, ...] = ()  # as asked
    specialty_codes: frozenset[str] = frozenset()  # expanded to specializations
    age: int | None = None
    age_groups: frozenset[str] = frozenset()
    languages: tuple[str, ...] = ()
    clinician_gender: str | None = None
    cultural_preferences: tuple[str, ...] = ()
    modality: str = "in_person"
    accessibility: tuple[str, ...] = ()
    availability: tuple[str, ...] = ()
    max_wait_days: int | None = None
    payment: tuple[str, ...] = ()  # directory.cost.PAYMENTS words, any of them
    max_fee: float | None = None  # USD a self-pay session may cost at most
    accepting_new_patients: bool = True
    required: frozenset[str] = frozenset()
    sort: str = BEST_FIT  # matching.sorting.SORTS: the order of the list, never its members
    limit: int = DEFAULT_LIMIT
    offset: int = 0

    def replace(self, **changes) -> Needs:
        """A copy with `changes` (relaxation variants)."""
        return dataclasses.replace(self, **changes)

    def requires(self, need: str) -> bool:
        """True when `need` acts as a filter."""
        return is_required(need, self.required)

    @cached_property
    def fit_items(self) -> tuple[FitItem, ...]:
        """Concerns, then diagnoses that map to no concern but to fitting taxonomies."""
        # Cached: the ranker asks once per candidate, thousands of times per search.
        terms = vocabulary("concerns")
        items = [
            FitItem("concern", c, terms[c].label, tuple(terms[c].extra.get("taxonomies", ())))
            for c in self.concerns
        ]
        items += [
            FitItem("diagnosis", d.code, d.code, d.taxonomies)
            for d in self.diagnoses
            if d.taxonomies and not d.concerns
        ]
        return tuple(items)

    @property
    def social_needs(self) -> tuple[SocialNeed, ...]:
        """Social determinants noted from Z55-Z65 diagnoses."""
        return tuple(d.social_need for d in self.diagnoses if d.social_need)

    @property
    def transport_insecure(self) -> bool:
        """Z59.82: favour telehealth and places near the patient."""
        return any(s.category == TRANSPORTATION for s in self.social_needs)

    @property
    def crisis(self) -> bool:
        """A concern or diagnosis that indicates imminent risk."""
        terms = vocabulary("concerns")
        return any(terms[c].extra.get("crisis") for c in self.concerns) or any(
            d.crisis for d in self.diagnoses
        )

    @property
    def ignored_diagnoses(self) -> tuple[str, ...]:
        """Well-formed codes that say nothing about behavioral health."""
        return tuple(d.code for d in self.diagnoses if not d.used)

    @property
    def allows_in_person(self) -> bool:
        """True unless the patient asked for telehealth only."""
        return self.modality in ("in_person", "either")

    @property
    def allows_telehealth(self) -> bool:
        """True unless the patient asked for in-person care only."""
        return self.modality in ("telehealth", "either")
