"""The care plan's tables: team roles, goal statuses and task statuses, with their FHIR codes.

Every list the API, the pages and the FHIR export show is derived from these rows.
"""

from __future__ import annotations

from typing import NamedTuple

# Team roles travel in FHIR as this service's own code system (no published value set covers
# "community program" or "patient/family" as a care team role), with the words as text.
ROLE_SYSTEM = "urn:bh-directory:care-team-role"


class Role(NamedTuple):
    """One care team role: its code, its words, and what identifies such a member."""

    code: str
    label: str
    identified_by: str  # "npi" (a listed clinician), "organization", or "name"


ROLES = (
    Role("pcp", "Primary care provider", "npi"),
    Role("bh_clinician", "Behavioral health clinician", "npi"),
    Role("care_manager", "Care manager / coordinator", "organization"),
    Role("chw", "Community health worker", "organization"),
    Role("community_program", "Community program", "organization"),
    Role("patient_family", "Patient / family", "name"),
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
    Status("active", "Working on it", "active", False),
    Status("on_hold", "On hold", "on-hold", False),
    Status("achieved", "Achieved", "completed", True),
    Status("cancelled", "No longer a goal", "cancelled", True),
)
# FHIR Task.status for each task status.
TASK_STATUSES = (
    Status("open", "To do", "requested", False),
    Status("in_progress", "In progress", "in-progress", False),
    Status("done", "Done", "completed", True),
    Status("cancelled", "Cancelled", "cancelled", True),
)
GOAL_STATUS_CODES = tuple(s.code for s in GOAL_STATUSES)
TASK_STATUS_CODES = tuple(s.code for s in TASK_STATUSES)
GOAL_STATUS = {s.code: s for s in GOAL_STATUSES}
TASK_STATUS = {s.code: s for s in TASK_STATUSES}
