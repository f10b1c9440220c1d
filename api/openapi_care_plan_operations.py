"""What the OpenAPI document says about the care team and care plan endpoints."""

from __future__ import annotations

from api.care_plan_schemas import CarePlanDoc, GoalDoc, MemberDoc, TaskDoc
from api.fhir_bundle_schemas import FhirBundleDoc
from api.openapi_operation import Operation
from referrals.care_plan_schemas import (
    GoalChangeSchema,
    NewGoalSchema,
    NewMemberSchema,
    NewTaskSchema,
    TaskChangeSchema,
)

EPISODE = {"episode_id": "The episode's id (a referral's episode_id)."}
WRITE_ERRORS = (400, 403, 404, 409, 422)
TEAM = (
    "Members are the referring practice's staff, a clinician by NPI (their signed-in users), or "
    "anyone of a named organization. "
)
CONSENT = (
    "Members outside the referring practice see the plan unless the patient revoked a consent in "
    "the episode; a goal or task whose text names a substance use disorder (42 CFR Part 2) only "
    "when a standing Part 2 consent on one of the episode's referrals names them."
)


def _write(summary: str, description: str, ok, body, status: int = 200, **params) -> Operation:
    return Operation(
        "care plan",
        summary,
        description,
        ok,
        ok_status=status,
        body=body,
        scope="referrals:write",
        errors=WRITE_ERRORS,
        path_params={**EPISODE, **params},
    )


CARE_PLAN_OPERATIONS: dict[str, Operation] = {
    "api.get_care_plan_route": Operation(
        "care plan",
        "An episode's care team and care plan",
        "The team by role, goals in the patient's words, tasks by due date. " + TEAM + CONSENT,
        CarePlanDoc,
        scope="referrals:read",
        errors=(404,),
        path_params=EPISODE,
    ),
    "api.get_care_plan_fhir_route": Operation(
        "care plan",
        "The care plan as FHIR",
        "A FHIR R4B Bundle: Patient, CareTeam, CarePlan, Goals and Tasks; withheld goals and "
        "tasks are labelled REDACTED, shown Part 2 ones carry the Part 2 labels.",
        FhirBundleDoc,
        scope="referrals:read",
        errors=(404,),
        path_params=EPISODE,
        media_type="application/fhir+json",
    ),
    "api.add_member_route": _write(
        "Add a care team member",
        "The referring practice puts someone on the team: PCP or BH clinician by NPI; care "
        "manager, community health worker or community program by organization; patient or "
        "family by name.",
        MemberDoc,
        NewMemberSchema,
        201,
    ),
    "api.remove_member_route": _write(
        "Remove a care team member",
        "Kept in the history; refused (409) while the member owns open tasks.",
        MemberDoc,
        None,
        member_id="The member's id.",
    ),
    "api.add_goal_route": _write(
        "Add a goal", "A goal in the patient's own words.", GoalDoc, NewGoalSchema, 201
    ),
    "api.change_goal_route": _write(
        "Change a goal",
        "Reword it, move its status or target date.",
        GoalDoc,
        GoalChangeSchema,
        goal_id="The goal's id.",
    ),
    "api.add_task_route": _write(
        "Add a task",
        "A task owned by a member of the team, due on a date, for a goal or none.",
        TaskDoc,
        NewTaskSchema,
        201,
    ),
    "api.change_task_route": _write(
        "Change a task",
        "Reassign, reschedule, reword or move its status (done records when).",
        TaskDoc,
        TaskChangeSchema,
        task_id="The task's id.",
    ),
}
