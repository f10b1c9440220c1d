"""Changing the care team and the shared care plan: who may, what is checked, what is audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from audit.log import record
from directory.extensions import db
from directory.models import Clinician, Organization
from episodes.models import CarePlanTask, CareTeamMember, Goal
from referrals.care_plan_schemas import (
    GoalChangeSchema,
    NewGoalSchema,
    NewMemberSchema,
    NewTaskSchema,
    TaskChangeSchema,
)
from referrals.care_team import classify_text, may_manage_team, may_write
from referrals.errors import Conflict, Denied, Invalid, NotFound
from referrals.use_cases.episodes import Standing, episode_refusals, load_episode, refuse
from referrals.use_cases.trail import parse


@dataclass(frozen=True)
class Written:
    """The member, goal or task a write made or changed, and how its writer stands."""

    item: object
    standing: Standing


def _writer(actor, episode_id: int, action: str, kind: str, team: bool = False) -> Standing:
    """The episode when the actor may write this (the roster: the referring side only)."""
    standing = load_episode(actor, episode_id, action, kind)
    allowed = may_manage_team(actor, standing.relations) if team else may_write(standing.relations)
    if not allowed:
        refuse(actor, action, kind, episode_id, "denied")
        who = "the referring practice" if team else "the care team"
        raise Denied(f"only {who} may do this", code="care_team")
    return standing


def _body(body) -> dict:
    return body if isinstance(body, dict) else {}


def _member_name(data: dict) -> str:
    """The name given, else the listed clinician's or the organization's; Invalid if unknown."""
    if data["npi"] is not None:
        clinician = db.session.scalar(select(Clinician).where(Clinician.npi == data["npi"]))
        if clinician is None or not clinician.active:
            raise Invalid("invalid member", {"npi": ["no listed clinician has that NPI"]})
        return data["name"] or clinician.display_name
    if data["organization_id"] is not None:
        organization = db.session.get(Organization, data["organization_id"])
        if organization is None:
            raise Invalid("invalid member", {"organization_id": ["no such organization"]})
        return data["name"] or organization.name
    return data["name"]


def _same_member(a: CareTeamMember, b: CareTeamMember) -> bool:
    return (a.role, a.npi, a.organization_id, a.name.casefold()) == (
        b.role,
        b.npi,
        b.organization_id,
        b.name.casefold(),
    )


def add_member(actor, episode_id: int, body, now: datetime) -> Written:
    """Put someone on the care team in a role; the referring side only; commits."""
    standing = _writer(actor, episode_id, "create", "care_team_member", team=True)
    with episode_refusals(actor, "create", "care_team_member"):
        data = parse(NewMemberSchema(), _body(body))
        member = CareTeamMember(
            episode_id=episode_id,
            role=data["role"],
            name=_member_name(data),
            npi=data["npi"],
            organization_id=data["organization_id"],
            phone=data["phone"],
            email=data["email"],
            added_by=actor.label,
            added_at=now,
        )
        if any(_same_member(m, member) for m in _active(episode_id)):
            raise Conflict("already on the care team in that role", code="member_exists")
        db.session.add(member)
        db.session.flush()
        record(actor, "create", "care_team_member", member.id)
    db.session.commit()
    return Written(member, standing)


def _active(episode_id: int) -> list[CareTeamMember]:
    return list(
        db.session.scalars(
            select(CareTeamMember).where(
                CareTeamMember.episode_id == episode_id, CareTeamMember.removed_at.is_(None)
            )
        )
    )


def _member(episode_id: int, member_id: int, field: str | None = None) -> CareTeamMember:
    """A current member of this episode; NotFound (or Invalid naming `field`) otherwise."""
    found = next((m for m in _active(episode_id) if m.id == member_id), None)
    if found is None and field is not None:
        raise Invalid("invalid task", {field: ["not a member of this care team"]})
    if found is None:
        raise NotFound("no such member", code="no_member", outcome="invalid")
    return found


def remove_member(actor, episode_id: int, member_id: int, now: datetime) -> Written:
    """Take someone off the team (kept for the history); not while they own open tasks."""
    standing = _writer(actor, episode_id, "delete", "care_team_member", team=True)
    with episode_refusals(actor, "delete", "care_team_member", member_id):
        member = _member(episode_id, member_id)
        if _open_tasks_of(member):
            raise Conflict("reassign this member's open tasks first", code="owns_tasks")
        member.removed_by, member.removed_at = actor.label, now
        record(actor, "delete", "care_team_member", member.id)
    db.session.commit()
    return Written(member, standing)


def _open_tasks_of(member: CareTeamMember) -> bool:
    return any(
        t.status in ("open", "in_progress")
        for t in db.session.scalars(select(CarePlanTask).where(CarePlanTask.owner_id == member.id))
    )


def _item(model, standing: Standing, item_id: int, field: str | None = None):
    """A goal or task of this episode the writer may see; NotFound (or Invalid) otherwise."""
    item = db.session.get(model, item_id) if 0 < item_id <= 2**31 - 1 else None
    if item is None or item.episode_id != standing.episode.id:
        if field is not None:
            raise Invalid("invalid task", {field: ["no such goal in this care plan"]})
        raise NotFound("not in this care plan", code="no_item", outcome="invalid")
    if not standing.gate.shows(item):
        raise Denied("withheld from this reader under 42 CFR part 2", code="withheld")
    return item


def add_goal(actor, episode_id: int, body, now: datetime) -> Written:
    """A goal in the patient's words, classified for Part 2 from its text; commits."""
    standing = _writer(actor, episode_id, "create", "care_plan_goal")
    with episode_refusals(actor, "create", "care_plan_goal"):
        data = parse(NewGoalSchema(), _body(body))
        goal = Goal(episode_id=episode_id, created_by=actor.label, created_at=now, updated_at=now)
        goal.text, goal.status, goal.target_on = data["text"], data["status"], data["target_on"]
        classify_text(goal, goal.text)
        db.session.add(goal)
        db.session.flush()
        record(actor, "create", "care_plan_goal", goal.id)
    db.session.commit()
    return Written(goal, standing)


def change_goal(actor, episode_id: int, goal_id: int, body, now: datetime) -> Written:
    """Reword a goal, move its status or target date; commits."""
    standing = _writer(actor, episode_id, "update", "care_plan_goal")
    with episode_refusals(actor, "update", "care_plan_goal", goal_id):
        goal = _item(Goal, standing, goal_id)
        data = parse(GoalChangeSchema(), _body(body))
        for name, value in data.items():
            setattr(goal, name, value)
        if "text" in data:
            classify_text(goal, goal.text)
        goal.updated_at = now
        record(actor, "update", "care_plan_goal", goal.id)
    db.session.commit()
    return Written(goal, standing)


def _apply_task(task: CarePlanTask, standing: Standing, data: dict, now: datetime) -> None:
    """Set the task's fields from parsed input, checking its owner and goal belong here."""
    if "owner_id" in data:
        task.owner = _member(standing.episode.id, data["owner_id"], field="owner_id")
    if data.get("goal_id") is not None:
        _item(Goal, standing, data["goal_id"], field="goal_id")
    for name in ("description", "due_on", "goal_id", "status"):
        if name in data:
            setattr(task, name, data[name])
    if "description" in data:
        classify_text(task, task.description)
    if "status" in data:
        task.done_at = now if task.status == "done" else None
    task.updated_at = now


def add_task(actor, episode_id: int, body, now: datetime) -> Written:
    """A task with an owner on the team and a due date, for a goal or none; commits."""
    standing = _writer(actor, episode_id, "create", "care_plan_task")
    with episode_refusals(actor, "create", "care_plan_task"):
        data = parse(NewTaskSchema(), _body(body))
        task = CarePlanTask(episode_id=episode_id, created_by=actor.label, created_at=now)
        _apply_task(task, standing, data, now)
        db.session.add(task)
        db.session.flush()
        record(actor, "create", "care_plan_task", task.id)
    db.session.commit()
    return Written(task, standing)


def change_task(actor, episode_id: int, task_id: int, body, now: datetime) -> Written:
    """Reassign, reschedule, reword or move a task's status; commits."""
    standing = _writer(actor, episode_id, "update", "care_plan_task")
    with episode_refusals(actor, "update", "care_plan_task", task_id):
        task = _item(CarePlanTask, standing, task_id)
        _apply_task(task, standing, parse(TaskChangeSchema(), _body(body)), now)
        record(actor, "update", "care_plan_task", task.id)
    db.session.commit()
    return Written(task, standing)
