"""The referral state machine (pure): which event moves which status, and who may fire it."""

from __future__ import annotations

from dataclasses import dataclass

STATUSES = (
    "draft",
    "sent",
    "acknowledged",
    "accepted",
    "declined",
    "scheduled",
    "attended",
    "no_show",
    "closed",
    "cancelled",
    "expired",
)
# A referral is open until it is declined, closed, cancelled or expired.
TERMINAL = frozenset({"declined", "closed", "cancelled", "expired"})
OPEN = frozenset(s for s in STATUSES if s not in TERMINAL)

# event -> (statuses it may fire from, status it leads to)
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "send": (frozenset({"draft"}), "sent"),
    "acknowledge": (frozenset({"sent"}), "acknowledged"),
    "accept": (frozenset({"acknowledged"}), "accepted"),
    "decline": (frozenset({"acknowledged"}), "declined"),
    # Scheduling again from "scheduled" is a reschedule.
    "schedule": (frozenset({"accepted", "scheduled"}), "scheduled"),
    "attend": (frozenset({"scheduled"}), "attended"),
    "no_show": (frozenset({"scheduled"}), "no_show"),
    "close": (frozenset({"attended", "no_show"}), "closed"),
    "cancel": (OPEN, "cancelled"),
    "expire": (OPEN, "expired"),
}
EVENTS = tuple(TRANSITIONS)
# Events a caller may post; "expire" is fired by the expiry job (or an admin) only.
API_EVENTS = tuple(e for e in EVENTS if e != "expire")

DECLINE_REASONS = (
    "not_accepting_new_patients",
    "not_in_network",
    "not_clinical_fit",
    "could_not_reach_patient",
    "other",
)
# Declines that say the directory listing is wrong, so it must be re-verified.
FLAGGING_DECLINES = {
    "not_accepting_new_patients": "referral declined: not accepting new patients",
    "not_in_network": "referral declined: not in network",
}

# How an actor relates to a referral (see referrals.access) -> events it may fire.
# The referring side owns the request; the receiving clinician owns the care steps;
# plan staff only watch; an administrator may do anything.
RELATION_EVENTS: dict[str, frozenset[str]] = {
    "referrer": frozenset({"send", "cancel"}),
    "receiver": frozenset(
        {"acknowledge", "accept", "decline", "schedule", "attend", "no_show", "close"}
    ),
    "plan": frozenset(),
    "admin": frozenset(EVENTS),
    "system": frozenset({"expire"}),
}


class TransitionError(Exception):
    """An event that the referral's current status does not allow."""

    def __init__(self, event: str, status: str):
        super().__init__(f"cannot {event} a referral that is {status}")
        self.event = event
        self.status = status
        self.allowed = allowed_events(status)


class EventRefused(Exception):
    """An event the actor may not fire on this referral."""

    def __init__(self, event: str):
        super().__init__(f"you may not {event} this referral")
        self.event = event


class EventInvalid(Exception):
    """An event missing what it needs (a decline reason, an appointment time, a note)."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__("invalid event")
        self.errors = errors


@dataclass(frozen=True)
class EventInput:
    """What a caller posts to move a referral."""

    type: str
    note: str | None = None
    reason: str | None = None
    appointment_at: object | None = None  # an aware datetime for "schedule"


def allowed_events(status: str) -> list[str]:
    """Events that may fire from `status`, in lifecycle order."""
    return [e for e, (sources, _) in TRANSITIONS.items() if status in sources]


def next_status(status: str, event: str) -> str:
    """The status `event` leads to from `status`, or TransitionError."""
    if event not in TRANSITIONS:
        raise KeyError(f"unknown event {event!r}")
    sources, target = TRANSITIONS[event]
    if status not in sources:
        raise TransitionError(event, status)
    return target


def may_fire(relations: frozenset[str], event: str) -> bool:
    """True when any of the actor's relations to the referral allows `event`."""
    return any(event in RELATION_EVENTS.get(r, frozenset()) for r in relations)


def event_errors(event: EventInput) -> dict[str, list[str]]:
    """Per-field errors for what `event.type` requires; empty when complete."""
    errors: dict[str, list[str]] = {}
    if event.type == "decline":
        if event.reason not in DECLINE_REASONS:
            errors["reason"] = [f"a decline needs a reason, one of {', '.join(DECLINE_REASONS)}"]
        elif event.reason == "other" and not event.note:
            errors["note"] = ["a decline for another reason needs a note saying why"]
    if event.type == "schedule" and event.appointment_at is None:
        errors["appointment_at"] = ["scheduling needs the appointment time"]
    if event.type == "close" and not event.note:
        errors["note"] = ["closing needs a note back to the referring clinician"]
    return errors


def decide(status: str, relations: frozenset[str], event: EventInput) -> str:
    """The next status for `event`, after checking the actor, the transition and the fields."""
    # Order matters: an actor who may never fire the event gets a 403 without learning more,
    # then an impossible transition is a 409, then a missing field a 422.
    if event.type in TRANSITIONS and not may_fire(relations, event.type):
        raise EventRefused(event.type)
    target = next_status(status, event.type)
    errors = event_errors(event)
    if errors:
        raise EventInvalid(errors)
    return target
