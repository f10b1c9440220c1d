"""Kinds of referral (pure): what each refers to and which lifecycle events its receiver fires.

KINDS is the one place a kind is described; the input schema, the check constraint, the
lifecycle's allowed events and the pages read it from here. A clinician's status words are the
lifecycle's (referrals.lifecycle); a program's are its community statuses
(referrals.program_status), each mapped onto a lifecycle status.
"""

from __future__ import annotations

from dataclasses import dataclass

from referrals.words import N_


@dataclass(frozen=True)
class Kind:
    """One kind of referral and what the rest of the service needs to know about it."""

    code: str
    words: str  # English label; pages translate it
    target: str  # the Referral column naming what is referred to
    receiver_events: frozenset[str]  # the lifecycle events its receiving side fires


# The receiving clinician's care steps; a program reports a community status instead.
CLINICIAN_EVENTS = frozenset(
    {"acknowledge", "accept", "decline", "schedule", "attend", "no_show", "close"}
)
PROGRAM_EVENTS = frozenset({"report"})

KINDS: tuple[Kind, ...] = (
    Kind("bh_clinician", N_("Behavioral-health clinician"), "clinician_id", CLINICIAN_EVENTS),
    # A program's staff report its status in their own words (referrals.program_status).
    Kind("program", N_("Community or treatment program"), "site_id", PROGRAM_EVENTS),
)
BY_CODE: dict[str, Kind] = {row.code: row for row in KINDS}
KIND_CODES = tuple(BY_CODE)
DEFAULT_KIND = "bh_clinician"
# Every receiving-side event of any kind (the relation table grants these to a receiver).
RECEIVER_EVENTS = frozenset().union(*(row.receiver_events for row in KINDS))


def kind(code: str | None) -> Kind:
    """The table row for `code` (None is the default kind; KeyError for an unknown kind)."""
    return BY_CODE[code or DEFAULT_KIND]


def receiver_may(code: str | None, event: str) -> bool:
    """True when the receiving side of a referral of kind `code` fires `event`."""
    return event not in RECEIVER_EVENTS or event in kind(code).receiver_events


def target_check() -> str:
    """SQL for the check constraint: a referral names exactly the target its kind calls for."""
    targets = sorted({row.target for row in KINDS})
    clauses = []
    for row in KINDS:
        named = [f"{t} IS NOT NULL" if t == row.target else f"{t} IS NULL" for t in targets]
        clauses.append(f"(kind = '{row.code}' AND {' AND '.join(named)})")
    return " OR ".join(clauses)
