"""The care plan's tables: team roles, goal statuses and task statuses, with their FHIR codes.

Every list the API, the pages and the FHIR export show is derived from these rows.
"""

from __future__ import annotations

from typing import NamedTuple


def N_(text: str) -> str:
    """Mark a word for the message catalogs (babel's no-op marker); pages translate it."""
    return text


# Team roles travel in FHIR as this service's own code system (no published value set covers
# "community program" or "patient/family" as a care team role), with the words as text.
ROLE_SYSTEM = "urn:bh-directory:care-team-role"


class Role(NamedTuple):
    """One care team role: its code, its words, and what identifies such a member."""

    code: str
    label: str
    identified_by: str  # "npi" (a listed clinician), "organization", or "name"


ROLES = (
    Role("pcp", N_("Primary care provider"), "npi"),
    Role("bh_clinician", N_("Behavioral health clinician"), "npi"),
    Role("care_manager", N_("Care manager / coordinator"), "organization"),
    Role("chw", N_("Community health worker"), "organization"),
    Role("community_program", N_("Community program"), "organization"),
    Role("patient_family", N_("Patient / family"), "name"),
)
ROLE_CODES = tuple(r.code for r in ROLES)
ROLE_BY_CODE = {r.code: r for r in ROLES}


class Status(NamedTuple):
    """One status of a goal or task, the FHIR code it travels as, and whether it is finished."""

    code: str
    label: str
    fhir: str
    finished: bool


# Goal.lifecycleStatus (R4B) with achievementStatus for achieved goals.
GOAL_STATUSES = (
    Status("active", N_("Working on it"), "active", False),
    Status("on_hold", N_("On hold"), "on-hold", False),
    Status("achieved", N_("Achieved"), "completed", True),
    Status("cancelled", N_("No longer a goal"), "cancelled", True),
)
# FHIR Task.status for each task status.
TASK_STATUSES = (
    Status("open", N_("To do"), "requested", False),
    Status("in_progress", N_("In progress"), "in-progress", False),
    Status("done", N_("Done"), "completed", True),
    Status("cancelled", N_("Cancelled"), "cancelled", True),
)
GOAL_STATUS_CODES = tuple(s.code for s in GOAL_STATUSES)
TASK_STATUS_CODES = tuple(s.code for s in TASK_STATUSES)
GOAL_STATUS = {s.code: s for s in GOAL_STATUSES}
TASK_STATUS = {s.code: s for s in TASK_STATUSES}
