"""The care plan as FHIR R4B: CareTeam, CarePlan, Goal and Task that validate, labelled."""

import json
from datetime import UTC, date, datetime

from fhir.resources.R4B.careplan import CarePlan
from fhir.resources.R4B.careteam import CareTeam
from fhir.resources.R4B.goal import Goal
from fhir.resources.R4B.task import Task

from referrals import use_cases
from referrals.care_team import active_members
from tests.referrals.world import actor_of, referral_payload

NOW = datetime(2026, 12, 4, 15, 0, tzinfo=UTC)


def _plan(pcp, world):
    actor = actor_of(pcp)
    referral = use_cases.open_and_send(actor, referral_payload(world), [], NOW)
    eid = referral.episode_id
    (jane,) = active_members(eid)  # sending put Jane on the team
    use_cases.add_member(
        actor, eid, {"role": "patient_family", "name": "Rosa Lopez (daughter)"}, NOW
    )
    sleep = use_cases.add_goal(actor, eid, {"text": "Sleep through the night"}, NOW).item
    use_cases.add_goal(actor, eid, {"text": "Stay on Suboxone", "status": "achieved"}, NOW)
    body = {"description": "Review diary", "owner_id": jane.id, "due_on": "2026-12-18"}
    use_cases.add_task(actor, eid, {**body, "goal_id": sleep.id}, NOW)
    return eid


def _resources(bundle) -> dict[str, list[dict]]:
    found: dict[str, list[dict]] = {}
    for entry in json.loads(bundle.model_dump_json())["entry"]:
        found.setdefault(entry["resource"]["resourceType"], []).append(entry["resource"])
    return found


def test_the_referring_practice_gets_every_resource_and_each_validates(db, pcp, world):
    eid = _plan(pcp, world)

    found = _resources(use_cases.care_plan_fhir(actor_of(pcp), eid))

    assert sorted((k, len(v)) for k, v in found.items()) == [
        ("CarePlan", 1),
        ("CareTeam", 1),
        ("Goal", 2),
        ("Patient", 1),
        ("Task", 1),
    ]
    team = CareTeam.model_validate(found["CareTeam"][0])
    assert [p.role[0].coding[0].code for p in team.participant] == [
        "bh_clinician",
        "patient_family",
    ]
    assert team.participant[0].member.identifier.value == world.jane.npi
    plan = CarePlan.model_validate(found["CarePlan"][0])
    assert (plan.status, plan.intent, len(plan.goal), len(plan.activity)) == (
        "active",
        "plan",
        2,
        1,
    )
    sleep, sud = (Goal.model_validate(g) for g in found["Goal"])
    assert (sleep.lifecycleStatus, sleep.description.text) == ("active", "Sleep through the night")
    assert (sud.lifecycleStatus, sud.achievementStatus.coding[0].code) == ("completed", "achieved")
    assert [label.code for label in sud.meta.security] == ["42CFRPart2", "R", "NORDSCLCD"]
    task = Task.model_validate(found["Task"][0])
    assert (task.status, task.intent, task.restriction.period.end) == (
        "requested",
        "plan",
        date(2026, 12, 18),
    )
    assert task.owner.display == "Jane Smith, LICSW"


def test_a_member_without_part2_consent_gets_the_part2_goal_redacted(db, pcp, clinician, world):
    eid = _plan(pcp, world)

    bundle = use_cases.care_plan_fhir(actor_of(clinician), eid)
    found = _resources(bundle)

    sleep, sud = found["Goal"]
    assert sleep["description"]["text"] == "Sleep through the night"
    assert sud["description"]["text"] == "Withheld from this reader"
    assert [label["code"] for label in sud["meta"]["security"]] == ["REDACTED"]
    assert "expressedBy" not in sud
    assert bundle.meta is None
