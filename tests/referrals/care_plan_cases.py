"""What the care-plan tests share: the clock, two goals' words, and a team built from a sent
referral (the `team` fixture, in conftest.py)."""

from datetime import UTC, datetime

from referrals import use_cases
from referrals.care_team import active_members
from tests.referrals.world import actor_of

NOW = datetime(2026, 12, 4, 15, 0, tzinfo=UTC)
SLEEP = "I want to sleep through the night again"
SUD = "Keep taking my Suboxone and stay with the group"


def build_team(pcp, payload):
    """A sent referral to Jane (which puts her on the team), a goal of each kind and a task."""
    actor = actor_of(pcp)
    referral = use_cases.open_and_send(actor, payload, [], NOW)
    eid = referral.episode_id
    (jane,) = active_members(eid)
    sleep = use_cases.add_goal(actor, eid, {"text": SLEEP, "target_on": "2027-03-01"}, NOW).item
    sud = use_cases.add_goal(actor, eid, {"text": SUD}, NOW).item
    task = use_cases.add_task(
        actor,
        eid,
        {"description": "Sleep diary review", "owner_id": jane.id, "due_on": "2026-12-18"},
        NOW,
    ).item
    return referral, jane, sleep, sud, task
