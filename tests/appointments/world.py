"""Appointment-request test helpers: a clock, the schema's output, actors."""

from __future__ import annotations

from datetime import UTC, datetime

from accounts.identity import Actor

# A Tuesday morning, no holiday near it.
NOW = datetime(2026, 3, 3, 14, 0, tzinfo=UTC)


def given(**overrides) -> dict:
    """What the schema hands the use case for a filled-in form."""
    return {
        "patient_name": "Maria Lopez",
        "phone": "+16175550134",
        "email": None,
        "preferred_times": ["weekday_mornings"],
        "times_note": None,
        "language": "en",
        "location_id": None,
        "consent": True,
        "status_texts": False,
        **overrides,
    }


def actor_for(npis: tuple[str, ...] = (), role: str = "clinician", user_id: int = 5) -> Actor:
    """A signed-in clinician (or admin) acting for `npis`."""
    return Actor(
        "user", user_id, role, None, frozenset(npis), frozenset(), frozenset(), f"user:{user_id}"
    )
