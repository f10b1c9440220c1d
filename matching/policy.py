"""Which needs are filters and which are preferences.

Filters (required needs) remove clinicians; preferences only rank them and, when not met, are
listed under `unmet`. Some needs are always filters; the rest have a default that the caller can
flip with `"required": [...]` or `"preferred": [...]`.
"""

from collections.abc import Iterable

# Always filters. A listing that is silent on accepting new patients or on ages served is kept,
# ranked lower and marked with a notice; a listing that contradicts the need is removed.
ALWAYS_REQUIRED = ("plan", "max_distance_miles", "modality", "age", "accepting_new_patients")
# Filters unless the caller lists them under "preferred".
REQUIRED_BY_DEFAULT = ("specialties", "accessibility")
# Preferences unless the caller lists them under "required".
PREFERRED_BY_DEFAULT = (
    "languages",
    "clinician_gender",
    "cultural_preferences",
    "concerns",
    "availability",
    "max_wait_days",
    "payment",
    "max_fee",
)
SELECTABLE = REQUIRED_BY_DEFAULT + PREFERRED_BY_DEFAULT


class PolicyError(ValueError):
    """A need listed as both required and preferred."""


def required_needs(required: Iterable[str] = (), preferred: Iterable[str] = ()) -> frozenset[str]:
    """The selectable needs that act as filters, after the caller's overrides."""
    required, preferred = set(required), set(preferred)
    both = sorted(required & preferred)
    if both:
        raise PolicyError(f"listed as both required and preferred: {', '.join(both)}")
    return frozenset((set(REQUIRED_BY_DEFAULT) - preferred) | required)


def is_required(need: str, required: frozenset[str]) -> bool:
    """True when `need` filters (always-required needs always do)."""
    return need in ALWAYS_REQUIRED or need in required
