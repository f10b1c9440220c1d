"""The correction queue's words as data: statuses, problems, item kinds, verification methods."""

from __future__ import annotations

from dataclasses import dataclass

from directory.fact_rules import METHODS as FACT_METHODS


@dataclass(frozen=True)
class Status:
    """One queue status: its words, whether the item is done, whether the listing was checked."""

    words: str
    terminal: bool
    verifies: bool  # the resolution is a verification of the listing (needs a method)


# Every list of statuses (open ones, outcomes, the filter choices) derives from this table.
STATUS_TABLE: dict[str, Status] = {
    "open": Status("Open", terminal=False, verifies=False),
    "in_progress": Status("In progress", terminal=False, verifies=False),
    "corrected": Status("Resolved: corrected", terminal=True, verifies=True),
    "confirmed_correct": Status("Resolved: confirmed correct", terminal=True, verifies=True),
    "could_not_reach": Status("Resolved: could not reach", terminal=True, verifies=False),
}
OPEN_STATUSES = tuple(code for code, s in STATUS_TABLE.items() if not s.terminal)
OUTCOMES = tuple(code for code, s in STATUS_TABLE.items() if s.terminal)

# What a member of the public can say is wrong with a listing.
REPORT_PROBLEMS: dict[str, str] = {
    "wrong_phone": "The phone number is wrong",
    "not_accepting": "They are not taking new patients",
    "not_in_plan": "They are not in my plan",
    "moved": "They moved or no longer practise here",
    "other": "Something else",
}
# Referral decline reasons that say the listing is wrong, as queue problems.
DECLINE_PROBLEMS: dict[str, str] = {
    "not_accepting_new_patients": "not_accepting",
    "not_in_network": "not_in_plan",
}
BOUNCE_PROBLEMS: dict[str, str] = {
    "bounced_email": "An email to the listed address bounced",
    "bounced_phone": "The listed phone number did not connect",
}
# Staff re-verifying a listing with no complaint behind it.
REVIEW_PROBLEMS: dict[str, str] = {"reverify": "Listing re-verified"}
PROBLEMS: dict[str, str] = {**REPORT_PROBLEMS, **BOUNCE_PROBLEMS, **REVIEW_PROBLEMS}

# Where an item came from.
KINDS: dict[str, str] = {
    "report": "Public report",
    "decline": "Referral decline",
    "bounce": "Bounced contact",
    "review": "Staff review",
}

# How staff confirmed a listing (No Surprises Act verification): the fact tables' methods.
_METHOD_LABELS = {
    "phone_call": "Phone call",
    "email": "Email",
    "portal_attestation": "Portal attestation",
    "roster": "Roster",
}
METHODS: dict[str, str] = {code: _METHOD_LABELS.get(code, code) for code in FACT_METHODS}
# A clinician answering in the portal is a portal attestation.
CLINICIAN_ANSWERS: dict[str, str] = {
    "confirm": "confirmed_correct",
    "correct": "corrected",
}
DETAILS_MAX = 500
NOTE_MAX = 1000
EVIDENCE_MAX = 500
