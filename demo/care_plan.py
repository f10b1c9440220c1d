"""Demo structured returns and shared care plans on some registry patients (`flask demo registry`).

Everything goes through the use cases, the way a clinician and a practice would make it: the
clinician's return after the first visit (a working diagnosis, a coded and an uncoded
medication), then the practice's team, goals in the patient's words and tasks with owners.
Dates count from the day the demo is loaded, so the same command makes the same plan.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from referrals import use_cases

# RxNorm 312940 is the clinical drug "sertraline 50 MG Oral Tablet" (RXCUI, NLM RxNorm).
SERTRALINE = {"change": "started", "name": "sertraline 50 MG Oral Tablet", "rxnorm": "312940"}
# A medication kept as the clinician wrote it: no code came with it, so it is marked uncoded.
UNCODED = {"change": "stopped", "name": "over-the-counter sleep aid (brand unknown)"}


@dataclass(frozen=True)
class SharedPlan:
    """One patient's demo plan: their goals in their words and the tasks (due in days)."""

    family: str
    goals: tuple[str, ...]
    # (description, owner: "bh" | "care_manager" | "family", due after the visit, done)
    tasks: tuple[tuple[str, str, int, bool], ...]


PLANS = {
    "DEMO0001": SharedPlan(
        "Jordan Demo (partner)",
        ("I want to enjoy cooking dinner with my kids again", "Sleep through most nights"),
        (
            ("Call Avery two weeks after starting sertraline", "care_manager", 14, True),
            ("Repeat PHQ-9 at the next visit", "bh", 28, True),
            ("Walk together three evenings a week", "family", 120, False),
        ),
    ),
    "DEMO0003": SharedPlan(
        "Sam Demo (parent)",
        ("Go back to my evening classes",),
        (
            ("Check in about side effects", "care_manager", 10, True),
            ("Plan relapse-prevention steps before stepping down visits", "bh", 150, False),
        ),
    ),
}


def _at(day: date, hour: int = 17) -> datetime:
    """Mid-afternoon UTC: the same local date in any US time zone."""
    return datetime.combine(day, time(hour, 0), tzinfo=UTC)


def send_demo_return(clinician_actor, referral_id: int, visit: date, today: date) -> None:
    """The clinician's structured return the day after the first visit."""
    body = {
        "diagnoses": ["F32.1"],
        "medications": [SERTRALINE, UNCODED],
        "treatment": "Weekly CBT with behavioral activation for 12 weeks; sertraline started",
        "next_appointment_at": _at(today + timedelta(days=14)).isoformat(),
        "note": "Engaged and hopeful. Please recheck the PHQ-9 at the next primary care visit.",
    }
    use_cases.send_return(clinician_actor, referral_id, body, _at(visit + timedelta(days=1)))


def _team(pcp_actor, episode_id: int, plan: SharedPlan, care_manager_org, when) -> dict:
    """The owners by key: the clinician (joined on send), the care manager, the family member."""
    owners = {"bh": use_cases.read_care_plan(pcp_actor, episode_id).members[0].id}
    if care_manager_org is not None:
        body = {"role": "care_manager", "organization_id": care_manager_org}
        owners["care_manager"] = use_cases.add_member(pcp_actor, episode_id, body, when).item.id
    family = {"role": "patient_family", "name": plan.family}
    owners["family"] = use_cases.add_member(pcp_actor, episode_id, family, when).item.id
    return owners


def build_plan(pcp_actor, episode_id: int, plan: SharedPlan, care_manager_org, visit) -> None:
    """The team, goals and tasks of one episode, set up on the day after the visit."""
    when = _at(visit + timedelta(days=1), 19)
    owners = _team(pcp_actor, episode_id, plan, care_manager_org, when)
    for text in plan.goals:
        use_cases.add_goal(pcp_actor, episode_id, {"text": text}, when)
    for description, owner, due_in, done in plan.tasks:
        due = visit + timedelta(days=due_in)
        body = {
            "description": description,
            "owner_id": owners.get(owner, owners["bh"]),
            "due_on": due.isoformat(),
        }
        task = use_cases.add_task(pcp_actor, episode_id, body, when).item
        if done:
            finished = {"status": "done"}
            use_cases.change_task(pcp_actor, episode_id, task.id, finished, _at(due, 15))
