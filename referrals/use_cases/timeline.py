"""A patient's timeline: the episode's scores, steps, returns and care plan; gated, audited.

Nothing new is disclosed here: each part keeps the rule of the page it comes from. Referral
steps and returns come from the referrals the reader stands to (the referral page's rules);
screenings only from referrals nothing is withheld of (the episode page's rule). A team member
reads the returns of the episode's other referrals under the care plan's rule (treatment
purpose; Part 2 content only when a standing Part 2 consent names them); goals and tasks under
the care plan's rule too.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from audit.log import record
from directory.extensions import db
from episodes.models import CarePlanTask, Goal
from referrals.access import relations
from referrals.care_team import NO_PART2_CONSENT, CarePlanGate
from referrals.clock import zone
from referrals.return_models import ReferralReturn
from referrals.returns import ReturnView
from referrals.timeline import Entry, dated, in_order, timed
from referrals.use_cases.episodes import Standing, disclosed_screenings, load_episode, reading
from referrals.use_cases.reads import Shown, disclose
from referrals.use_cases.return_reads import returns_for


@dataclass(frozen=True)
class Timeline:
    """One episode's timeline as one reader may see it, oldest first, with its screenings."""

    standing: Standing
    referrals: list[Shown]
    screenings: list
    entries: list[Entry]

    @property
    def gate(self) -> CarePlanGate:
        """What the reader may see of the episode's care plan (and its patient)."""
        return self.standing.gate

    @property
    def shows_part2(self) -> bool:
        """Is any shown entry a Part 2 record (so the page carries the Part 2 notice)?"""
        return any(entry.shown and entry.part2 for entry in self.entries)


def _event_entries(shown: list[Shown], tz) -> list[Entry]:
    """Each lifecycle step of each referral; its note only where the referral is disclosed."""
    return [
        timed("referral_event", event.at, event, tz, s.referral.id, s.disclosure.allowed)
        for s in shown
        for event in s.referral.events
    ]


def _member_returns(actor, standing: Standing, referral_ids: list[int]) -> list[ReturnView]:
    """Returns of referrals the reader does not stand to, as the care plan's gate shows them."""
    if "member" not in standing.relations or not referral_ids:
        return []
    rows = db.session.scalars(
        select(ReferralReturn)
        .options(selectinload(ReferralReturn.scores))
        .where(ReferralReturn.referral_id.in_(referral_ids))
        .order_by(ReferralReturn.id)
    ).all()
    gate, views = standing.gate, []
    for row in rows:
        # A return on a Part 2 referral is that program's record whatever its own words say.
        part2 = bool(row.part2 or row.referral.part2)
        shows = gate.part2 if part2 else gate.content
        problems = {} if shows else dict(gate.problems or {"part2": NO_PART2_CONSENT})
        views.append(ReturnView(row, not problems, problems))
        outcome = "blocked" if problems else "ok"
        record(actor, "disclose", "referral_return", row.id, outcome=outcome)
    return views


def _returns(actor, standing: Standing, shown: list[Shown]) -> list[ReturnView]:
    views = [seen for s in shown for seen in returns_for(actor, s)]
    seen_ids = {s.referral.id for s in shown}
    others = [r.id for r in standing.referrals if r.id not in seen_ids]
    return views + _member_returns(actor, standing, others)


def _plan_rows(model, episode_id: int) -> list:
    return list(
        db.session.scalars(select(model).where(model.episode_id == episode_id).order_by(model.id))
    )


def _plan_entries(actor, standing: Standing, tz) -> list[Entry]:
    """Goals set; tasks set, done and due; each Part 2 item accounted for as the plan does."""
    gate, action, entries = standing.gate, reading(standing.relations), []
    episode_id = standing.episode.id
    for goal in _plan_rows(Goal, episode_id):
        entries.append(timed("goal_created", goal.created_at, goal, tz, shown=gate.shows(goal)))
        _account(actor, action, "care_plan_goal", goal, gate)
    for task in _plan_rows(CarePlanTask, episode_id):
        shows = gate.shows(task)
        entries.append(timed("task_created", task.created_at, task, tz, shown=shows))
        if task.done_at is not None:
            entries.append(timed("task_done", task.done_at, task, tz, shown=shows))
        entries.append(dated("task_due", task.due_on, task, shows))
        _account(actor, action, "care_plan_task", task, gate)
    return entries


def _account(actor, action: str, object_type: str, item, gate: CarePlanGate) -> None:
    """Part 2 content is accounted for item by item (who was shown which record, or refused)."""
    if item.part2:
        record(actor, action, object_type, item.id, outcome="ok" if gate.shows(item) else "blocked")


def read_timeline(actor, episode_id: int) -> Timeline:
    """The episode's timeline for the reader; 404 (audited as denied) off the team; commits."""
    standing = load_episode(actor, episode_id, "read", "timeline")
    tz = zone()
    # A team member from elsewhere sees only the referrals they stand to (sent to them, ...).
    shown = [disclose(actor, r) for r in standing.referrals if relations(actor, r)]
    screenings = disclosed_screenings(actor, standing.relations, episode_id, shown)
    entries = [timed("screening", r.created_at, (r, s), tz, r.referral_id) for r, s in screenings]
    entries += _event_entries(shown, tz)
    entries += [
        timed("referral_return", v.row.created_at, v, tz, v.row.referral_id, v.allowed)
        for v in _returns(actor, standing, shown)
    ]
    entries += _plan_entries(actor, standing, tz)
    outcome = "ok" if standing.gate.content else "blocked"
    record(actor, reading(standing.relations), "timeline", episode_id, outcome=outcome)
    db.session.commit()
    return Timeline(standing, shown, screenings, in_order(entries))
