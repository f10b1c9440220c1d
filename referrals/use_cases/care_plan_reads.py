"""Reading an episode's care team and shared care plan as the reader may see it; audited."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from audit.log import record
from directory.extensions import db
from directory.models.verification import utcnow
from episodes.models import CarePlanTask, CareTeamMember, Goal
from referrals.care_team import active_members
from referrals.fhir_care_plan import care_plan_bundle
from referrals.use_cases.episodes import Standing, load_episode, reading


@dataclass(frozen=True)
class CarePlan:
    """The team, goals and tasks of one episode, with what this reader may see of them."""

    standing: Standing
    members: list[CareTeamMember]
    goals: list[Goal]
    tasks: list[CarePlanTask]

    def shows(self, item) -> bool:
        """May this reader see the goal's or task's text?"""
        return self.standing.gate.shows(item)


def _rows(model, episode_id: int) -> list:
    return list(db.session.scalars(select(model).where(model.episode_id == episode_id)))


def _audit(actor, plan: CarePlan) -> None:
    """The plan read, and each Part 2 goal or task disclosed (ok) or withheld (blocked)."""
    action = reading(plan.standing.relations)
    content = "ok" if plan.standing.gate.content else "blocked"
    record(actor, action, "care_plan", plan.standing.episode.id, outcome=content)
    # Part 2 content is accounted for item by item (who was shown which record, or refused it).
    for kind, items in (("care_plan_goal", plan.goals), ("care_plan_task", plan.tasks)):
        for item in items:
            if item.part2:
                outcome = "ok" if plan.shows(item) else "blocked"
                record(actor, action, kind, item.id, outcome=outcome)


def _plan(standing: Standing) -> CarePlan:
    episode_id = standing.episode.id
    goals = sorted(_rows(Goal, episode_id), key=lambda g: g.id)
    tasks = sorted(_rows(CarePlanTask, episode_id), key=lambda t: (t.due_on, t.id))
    return CarePlan(standing, active_members(episode_id), goals, tasks)


def read_care_plan(actor, episode_id: int) -> CarePlan:
    """The care team and plan (tasks by due date); 404 for anyone outside it; commits the audit."""
    plan = _plan(load_episode(actor, episode_id, "read", "care_plan"))
    _audit(actor, plan)
    db.session.commit()
    return plan


def care_plan_fhir(actor, episode_id: int):
    """The care plan as a validated FHIR R4B Bundle: CareTeam, CarePlan, Goals and Tasks."""
    plan = _plan(load_episode(actor, episode_id, "read", "care_plan"))
    _audit(actor, plan)
    bundle = care_plan_bundle(plan, utcnow())
    db.session.commit()
    return bundle
