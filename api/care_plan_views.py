"""The care team and care plan as the API shows them: text only where the reader may see it."""

from __future__ import annotations

from directory.models.verification import as_utc
from episodes.models import CarePlanTask, CareTeamMember
from episodes.roles import GOAL_STATUS, ROLE_BY_CODE, TASK_STATUS
from referrals.consent import PART2_NOTICE
from referrals.use_cases import CarePlan


def _time(moment) -> str | None:
    return as_utc(moment).isoformat() if moment else None


def _day(value) -> str | None:
    return value.isoformat() if value else None


def member_json(member) -> dict:
    """One care team member: role, who, how to reach them, when they joined (or left)."""
    return {
        "id": member.id,
        "role": member.role,
        "role_label": ROLE_BY_CODE[member.role].label,
        "name": member.name,
        "npi": member.npi,
        "organization_id": member.organization_id,
        "phone": member.phone,
        "email": member.email,
        "added_by": member.added_by,
        "added_at": _time(member.added_at),
        "removed_at": _time(member.removed_at),
    }


def goal_json(goal, shown: bool) -> dict:
    """One goal; its words only when the reader may see them."""
    return {
        "id": goal.id,
        "text": goal.text if shown else None,
        "status": goal.status,
        "status_label": GOAL_STATUS[goal.status].label,
        "target_on": _day(goal.target_on),
        "part2": bool(goal.part2),
        "withheld": [] if shown else ["text"],
        "created_by": goal.created_by,
        "created_at": _time(goal.created_at),
        "updated_at": _time(goal.updated_at),
    }


def task_json(task, shown: bool) -> dict:
    """One task: owner and due date always, its description only when the reader may see it."""
    return {
        "id": task.id,
        "description": task.description if shown else None,
        "owner_id": task.owner_id,
        "owner_name": task.owner.name,
        "goal_id": task.goal_id,
        "due_on": _day(task.due_on),
        "status": task.status,
        "status_label": TASK_STATUS[task.status].label,
        "part2": bool(task.part2),
        "withheld": [] if shown else ["description"],
        "created_by": task.created_by,
        "created_at": _time(task.created_at),
        "done_at": _time(task.done_at),
    }


def written_json(written) -> dict:
    """The member, goal or task a write made or changed, as its writer may see it."""
    item, gate = written.item, written.standing.gate
    if isinstance(item, CareTeamMember):
        return member_json(item)
    if isinstance(item, CarePlanTask):
        return task_json(item, gate.shows(item))
    return goal_json(item, gate.shows(item))


def care_plan_json(plan: CarePlan) -> dict:
    """The episode's team, goals and tasks (by due date) as this reader may see them."""
    gate = plan.standing.gate
    body = {
        "episode_id": plan.standing.episode.id,
        "disclosure": {"content": gate.content, "part2": gate.part2, "problems": gate.problems},
        "care_team": [member_json(m) for m in plan.members],
        "goals": [goal_json(g, plan.shows(g)) for g in plan.goals],
        "tasks": [task_json(t, plan.shows(t)) for t in plan.tasks],
    }
    if any(item.part2 and plan.shows(item) for item in (*plan.goals, *plan.tasks)):
        body["part2_notice"] = PART2_NOTICE
    return body
