"""When a search finds fewer results than a page: which single change would find more, with counts.

Each suggestion relaxes one requirement and reports how many clinicians the search would then
find, counted by the same backend and the same filters as the search itself. Example summary:
"0 Portuguese-speaking clinicians within 10 mi; 4 within 25 mi; 9 by telehealth".
"""

from __future__ import annotations

from dataclasses import dataclass

from directory.vocabulary import languages, vocabulary
from matching.backend import TELEHEALTH, MatchBackend
from matching.needs import MAX_DISTANCE_MILES, Needs
from matching.policy import SELECTABLE

RADIUS_STEPS = (10.0, 25.0, 50.0, 100.0)
RADIUS_SUGGESTIONS = 2
NEED_LABELS = {
    "languages": "language",
    "clinician_gender": "clinician gender",
    "cultural_preferences": "cultural fit",
    "concerns": "concerns",
    "specialties": "specialty",
    "accessibility": "accessibility",
    "availability": "evening / weekend hours",
    "max_wait_days": "wait time",
    "payment": "payment",
    "max_fee": "self-pay fee",
}
# Needs whose zero is a value (a wait of 0 days, a fee of $0), not "not asked".
_ZERO_COUNTS = ("max_wait_days", "max_fee")


@dataclass(frozen=True)
class Relaxation:
    """One suggestion: relax `relax` to `value` and `count` clinicians match."""

    relax: str
    value: str | float | bool
    count: int
    text: str

    def as_dict(self) -> dict:
        """JSON form."""
        return {"relax": self.relax, "value": self.value, "count": self.count, "text": self.text}


def _miles(value: float) -> str:
    return f"{value:g} mi"


def qualifier(needs: Needs) -> str:
    """'Portuguese-speaking female' for the required language, gender and culture."""
    words = []
    if needs.requires("languages") and needs.languages:
        names = [languages()[code].label for code in needs.languages]
        words.append(" or ".join(names) + "-speaking")
    if needs.requires("clinician_gender") and needs.clinician_gender:
        words.append(needs.clinician_gender)
    if needs.requires("cultural_preferences") and needs.cultural_preferences:
        terms = vocabulary("competencies")
        words += [terms[c].label for c in needs.cultural_preferences]
    return " ".join(words)


def _radius(backend: MatchBackend, needs: Needs) -> list[Relaxation]:
    if not needs.allows_in_person:
        return []
    steps = [s for s in RADIUS_STEPS if needs.max_distance_miles < s <= MAX_DISTANCE_MILES]
    steps = steps[:RADIUS_SUGGESTIONS]
    if not steps:
        return []
    found = []
    for step in steps:
        n = backend.count(needs.replace(max_distance_miles=step))
        found.append(Relaxation("max_distance_miles", step, n, f"{n} within {_miles(step)}"))
    return found


def _modality(backend: MatchBackend, needs: Needs) -> list[Relaxation]:
    if needs.modality == "in_person" and needs.state:
        n = backend.count(needs.replace(modality=TELEHEALTH))
        return [Relaxation("modality", TELEHEALTH, n, f"{n} by telehealth")]
    if needs.modality == TELEHEALTH:
        n = backend.count(needs.replace(modality="in_person"))
        where = _miles(needs.max_distance_miles)
        return [Relaxation("modality", "in_person", n, f"{n} in person within {where}")]
    return []


def _has_value(needs: Needs, need: str) -> bool:
    value = getattr(needs, need)
    return bool(value) or (need in _ZERO_COUNTS and value == 0)


def _requirements(backend: MatchBackend, needs: Needs) -> list[Relaxation]:
    found = []
    for need in sorted(needs.required & set(SELECTABLE)):
        if not _has_value(needs, need):
            continue
        n = backend.count(needs.replace(required=needs.required - {need}))
        found.append(
            Relaxation(
                need, "preferred", n, f"{n} if {NEED_LABELS[need]} is preferred, not required"
            )
        )
    if needs.accepting_new_patients:
        n = backend.count(needs.replace(accepting_new_patients=False))
        text = f"{n} counting those not taking new patients"
        found.append(Relaxation("accepting_new_patients", False, n, text))
    return found


def suggest(backend: MatchBackend, needs: Needs, total: int) -> list[Relaxation]:
    """Suggestions that would find more (and telehealth / in-person alternatives that find any)."""
    suggestions = [*_radius(backend, needs), *_modality(backend, needs)]
    suggestions += _requirements(backend, needs)
    return [s for s in suggestions if s.count > total or (s.relax == "modality" and s.count)]


def summary(needs: Needs, total: int, suggestions: list[Relaxation]) -> str:
    """'0 Portuguese-speaking clinicians within 10 mi; 4 within 25 mi; 9 by telehealth'."""
    noun = " ".join(p for p in (qualifier(needs), "clinicians") if p)
    where = {
        "in_person": f"within {_miles(needs.max_distance_miles)}",
        "telehealth": "by telehealth",
        "either": f"within {_miles(needs.max_distance_miles)} or by telehealth",
    }[needs.modality]
    return "; ".join([f"{total} {noun} {where}", *(s.text for s in suggestions)])
