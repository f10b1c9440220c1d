"""The referral state machine (pure): the status table, which event moves which status, and who.

STATUS_TABLE is the one place a status is described; every other list of statuses (open,
terminal, awaiting an appointment, FHIR Task codes, inbox groups, notice words, re-referral) is
derived from it here, so a new status or a new kind of referral changes one table.
"""

from __future__ import annotations

from dataclasses import dataclass

from referrals.errors import Conflict, Denied, Invalid
from referrals.kinds import RECEIVER_EVENTS, receiver_may
from referrals.words import N_


@dataclass(frozen=True)
class Status:
    """One referral status and everything the rest of the service needs to know about it."""

    code: str
    words: str  # English label; staff pages translate it
    notice: str  # how an email finishes "Referral #12 is now ..."
    terminal: bool  # nothing more happens (declined, closed, cancelled, expired)
    awaiting_appointment: bool  # sent but not yet scheduled: counts against capacity, follow-up
    idle_expires: bool  # the expiry job may expire it after days without a step
    task: str  # FHIR R4 Task.status (http://hl7.org/fhir/task-status)
    business_status: str  # Task.businessStatus code (the referral's own status)
    service_request: str  # FHIR R4 ServiceRequest.status
    inbox: str | None  # the receiving clinician's inbox section; None: never in the inbox
    can_rerefer: bool  # the referring side may send the patient to another clinician from here
    tells_receiver: bool  # the receiving clinician is emailed when the referral reaches it


# fmt: off
STATUS_TABLE: tuple[Status, ...] = (
    # code, words, notice, terminal, awaiting, idle_expires, task, business, request, inbox,
    # can_rerefer, tells_receiver
    Status("draft", N_("Draft"), "a draft", False, False, True,
           "draft", "draft", "draft", None, False, False),
    Status("sent", N_("Sent"), "sent", False, True, True,
           "requested", "sent", "active", "new", True, True),
    Status("acknowledged", N_("Acknowledged"), "acknowledged by the clinician", False, True, True,
           "received", "acknowledged", "active", "new", True, False),
    Status("accepted", N_("Accepted"), "accepted by the clinician", False, True, True,
           "accepted", "accepted", "active", "upcoming", False, False),
    Status("declined", N_("Declined"), "declined by the clinician", True, False, False,
           "rejected", "declined", "revoked", "done", True, False),
    Status("scheduled", N_("Scheduled"), "scheduled", False, False, False,
           "in-progress", "scheduled", "active", "upcoming", False, False),
    Status("attended", N_("Attended"), "marked attended", False, False, False,
           "in-progress", "attended", "active", "to_close", False, False),
    Status("no_show", N_("No-show"), "marked as a missed appointment", False, False, False,
           "in-progress", "no_show", "active", "to_close", True, False),
    Status("closed", N_("Closed"), "closed with a note back to you", True, False, False,
           "completed", "closed", "completed", "done", False, False),
    Status("cancelled", N_("Cancelled"), "cancelled", True, False, False,
           "cancelled", "cancelled", "revoked", "done", True, True),
    Status("expired", N_("Expired"), "expired", True, False, False,
           "failed", "expired", "revoked", "done", True, True),
)
# fmt: on
BY_CODE: dict[str, Status] = {row.code: row for row in STATUS_TABLE}
STATUSES = tuple(BY_CODE)
TERMINAL = frozenset(row.code for row in STATUS_TABLE if row.terminal)
OPEN = frozenset(s for s in STATUSES if s not in TERMINAL)
AWAITING_APPOINTMENT = tuple(row.code for row in STATUS_TABLE if row.awaiting_appointment)
IDLE_EXPIRES = tuple(row.code for row in STATUS_TABLE if row.idle_expires)
REREFERABLE = frozenset(row.code for row in STATUS_TABLE if row.can_rerefer)
TELLS_RECEIVER = frozenset(row.code for row in STATUS_TABLE if row.tells_receiver)
# The receiving clinician's inbox, in the order they work through it.
INBOX_GROUPS = ("new", "upcoming", "to_close", "done")


def status(code: str) -> Status:
    """The table row for `code` (KeyError for an unknown status)."""
    return BY_CODE[code]


def inbox_statuses(group: str) -> tuple[str, ...]:
    """The statuses shown in one inbox section, in lifecycle order."""
    return tuple(row.code for row in STATUS_TABLE if row.inbox == group)


def can_rerefer(code: str) -> bool:
    """True when the referring side may send the patient on from a referral in `code`."""
    return code in REREFERABLE


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
    # A program's community status (referrals.program_status): its row names the target, so
    # the table's target here is only a placeholder that `fire` replaces.
    "report": (OPEN - {"draft"}, "reported"),
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
    "receiver": RECEIVER_EVENTS,  # each kind's receiving side (referrals.kinds)
    "plan": frozenset(),
    "admin": frozenset(EVENTS),
    "system": frozenset({"expire"}),
}


class TransitionError(Conflict):
    """An event that the referral's current status does not allow."""

    def __init__(self, event: str, status: str, kind: str | None = None):
        allowed = allowed_events(status, kind)
        super().__init__(
            f"cannot {event} a referral that is {status}",
            code="transition",
            allowed_events=[e for e in allowed if e in API_EVENTS],
        )
        self.event = event
        self.referral_status = status
        self.allowed = allowed


class EventRefused(Denied):
    """An event the actor may not fire on this referral."""

    def __init__(self, event: str):
        super().__init__(f"you may not {event} this referral", code="role")
        self.event = event


class EventInvalid(Invalid):
    """An event missing what it needs (a decline reason, an appointment time, a note)."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__("invalid event", errors, code="event_fields")


@dataclass(frozen=True)
class EventInput:
    """What a caller posts to move a referral."""

    type: str
    note: str | None = None
    reason: str | None = None
    appointment_at: object | None = None  # an aware datetime for "schedule"
    program_status: str | None = None  # a community status for "report"


def allowed_events(status: str, kind: str | None = None) -> list[str]:
    """Events that may fire from `status` on a referral of `kind`, in lifecycle order."""
    return [
        e for e, (sources, _) in TRANSITIONS.items() if status in sources and receiver_may(kind, e)
    ]


def next_status(status: str, event: str, kind: str | None = None) -> str:
    """The status `event` leads to from `status`, or TransitionError."""
    if event not in TRANSITIONS:
        raise KeyError(f"unknown event {event!r}")
    sources, target = TRANSITIONS[event]
    if status not in sources or not receiver_may(kind, event):
        raise TransitionError(event, status, kind)
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
    if event.type == "report" and not event.program_status:
        errors["program_status"] = ["a report needs the program's status"]
    if event.type == "close" and not event.note:
        errors["note"] = ["closing needs a note back to the referring clinician"]
    return errors


def decide(
    status: str, relations: frozenset[str], event: EventInput, kind: str | None = None
) -> str:
    """The next status for `event`, after checking the actor, the transition and the fields."""
    # Order matters: an actor who may never fire the event gets a 403 without learning more,
    # then an impossible transition is a 409, then a missing field a 422.
    if event.type in TRANSITIONS and not may_fire(relations, event.type):
        raise EventRefused(event.type)
    target = next_status(status, event.type, kind)
    errors = event_errors(event)
    if errors:
        raise EventInvalid(errors)
    return target
