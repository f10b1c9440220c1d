"""An episode's care team and shared care plan as a FHIR R4B Bundle: Patient, CareTeam,
CarePlan, Goals and Tasks.

Goals and tasks whose text is withheld from the reader (42 CFR Part 2) travel with their status
and dates only, labelled REDACTED; those shown that are Part 2 carry the Part 2 labels, and the
Bundle carries the §2.32 notice. A reader the plan's content is withheld from (a revoked
consent) gets no Patient.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from episodes.roles import GOAL_STATUS, ROLE_BY_CODE, ROLE_SYSTEM, TASK_STATUS
from referrals.consent import PART2_NOTICE
from referrals.fhir_terms import HL7, NOTICE_EXTENSION, NPI_SYSTEM, instant, security_labels

WITHHELD_TEXT = "Withheld from this reader"
WITHHELD_PATIENT = "Patient withheld from this reader"


def episode_url(episode_id: int, kind: str) -> str:
    """A stable urn:uuid for one resource of one episode."""
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'bh-directory/episode/{episode_id}/{kind}')}"


def _patient(episode) -> dict:
    resource = {
        "resourceType": "Patient",
        "name": [{"text": episode.patient_name}],
        "birthDate": episode.patient_birth_date.isoformat(),
    }
    if episode.patient_member_id:
        resource["identifier"] = [
            {
                "system": f"urn:bh-directory:plan:{episode.plan_id}",
                "value": episode.patient_member_id,
            }
        ]
    return resource


def _member_reference(member) -> dict:
    reference = {"display": member.name}
    if member.npi:
        reference["identifier"] = {"system": NPI_SYSTEM, "value": member.npi}
    return reference


def _care_team(plan, subject: dict) -> dict:
    participants = []
    for member in plan.members:
        role = ROLE_BY_CODE[member.role]
        participant = {
            "role": [
                {"coding": [{"system": ROLE_SYSTEM, "code": role.code, "display": role.label}]}
            ],
            "member": _member_reference(member),
            "period": {"start": instant(member.added_at)},
        }
        if member.organization is not None:
            participant["onBehalfOf"] = {"display": member.organization.name}
        participants.append(participant)
    team = {"resourceType": "CareTeam", "status": "active", "subject": subject}
    if participants:
        team["participant"] = participants
    return team


def _labelled(resource: dict, item, shown: bool) -> dict:
    labels = security_labels(bool(item.part2) and shown, not shown)
    if labels:
        resource["meta"] = {"security": labels}
    return resource


def _goal(goal, shown: bool, subject: dict) -> dict:
    status = GOAL_STATUS[goal.status]
    resource = {
        "resourceType": "Goal",
        "lifecycleStatus": status.fhir,
        "description": {"text": goal.text if shown else WITHHELD_TEXT},
        "subject": subject,
        "startDate": goal.created_at.date().isoformat(),
    }
    if goal.status == "achieved":
        code = {"system": f"{HL7}goal-achievement", "code": "achieved", "display": "Achieved"}
        resource["achievementStatus"] = {"coding": [code]}
    if shown:
        # The goal is in the patient's own words.
        resource["expressedBy"] = subject
    if goal.target_on is not None:
        resource["target"] = [{"dueDate": goal.target_on.isoformat()}]
    return _labelled(resource, goal, shown)


def _task(task, shown: bool, subject: dict, plan_url: str, episode_id: int) -> dict:
    resource = {
        "resourceType": "Task",
        "status": TASK_STATUS[task.status].fhir,
        "intent": "plan",
        "description": task.description if shown else WITHHELD_TEXT,
        "for": subject,
        "basedOn": [{"reference": plan_url}],
        "authoredOn": instant(task.created_at),
        "owner": _member_reference(task.owner),
        "restriction": {"period": {"end": task.due_on.isoformat()}},
    }
    if task.goal_id is not None:
        resource["reasonReference"] = {"reference": episode_url(episode_id, f"Goal/{task.goal_id}")}
    return _labelled(resource, task, shown)


def _entries(plan, subject: dict) -> list[dict]:
    """Every resource with its fullUrl: CarePlan, CareTeam, Goals, Tasks (Patient added apart)."""
    episode_id = plan.standing.episode.id
    plan_url = episode_url(episode_id, "CarePlan")
    team_url = episode_url(episode_id, "CareTeam")
    goals = [
        (episode_url(episode_id, f"Goal/{g.id}"), _goal(g, plan.shows(g), subject))
        for g in plan.goals
    ]
    tasks = [
        (
            episode_url(episode_id, f"Task/{t.id}"),
            _task(t, plan.shows(t), subject, plan_url, episode_id),
        )
        for t in plan.tasks
    ]
    care_plan = {
        "resourceType": "CarePlan",
        "status": "active",
        "intent": "plan",
        "title": "Shared care plan",
        "subject": subject,
        "careTeam": [{"reference": team_url}],
    }
    if goals:
        care_plan["goal"] = [{"reference": url} for url, _ in goals]
    if tasks:
        care_plan["activity"] = [{"reference": {"reference": url}} for url, _ in tasks]
    pairs = [(plan_url, care_plan), (team_url, _care_team(plan, subject)), *goals, *tasks]
    return [{"fullUrl": url, "resource": resource} for url, resource in pairs]


def care_plan_bundle(plan, now: datetime):
    """The validated R4B Bundle of the care plan as this reader may see it."""
    episode = plan.standing.episode
    patient_url = episode_url(episode.id, "Patient")
    shown = plan.standing.gate.content
    subject = {"reference": patient_url} if shown else {"display": WITHHELD_PATIENT}
    entries = _entries(plan, subject)
    if shown:
        entries.insert(0, {"fullUrl": patient_url, "resource": _patient(episode)})
    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": instant(now),
        "identifier": {"system": "urn:bh-directory:episode", "value": str(episode.id)},
        "entry": entries,
    }
    if any(item.part2 and plan.shows(item) for item in (*plan.goals, *plan.tasks)):
        bundle["meta"] = {"extension": [{"url": NOTICE_EXTENSION, "valueString": PART2_NOTICE}]}
    # Imported here: the FHIR models and pydantic cost ~13 MB, and only this export uses them.
    from fhir.resources.R4B.bundle import Bundle

    return Bundle.model_validate(bundle)
