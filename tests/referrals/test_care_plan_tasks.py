"""The shared care plan (continued): tasks, who may join or leave the team, consent through its
expiry day, and the episode as a member reads it."""

from datetime import date, timedelta

import pytest

from directory.models.verification import as_utc
from referrals import use_cases
from referrals.errors import Conflict, Denied, Invalid, Malformed, NotFound
from tests.referrals.care_plan_cases import NOW
from tests.referrals.world import actor_of, referral_payload, sud_payload


def test_a_member_adds_tasks_and_marks_them_done(db, clinician, world, team):
    referral, jane, sleep, _sud, task = team(referral_payload(world))
    actor = actor_of(clinician)
    body = {"description": "Send visit summary", "owner_id": jane.id, "due_on": "2026-12-11"}
    added = use_cases.add_task(actor, referral.episode_id, {**body, "goal_id": sleep.id}, NOW)

    done = use_cases.change_task(actor, referral.episode_id, task.id, {"status": "done"}, NOW)

    assert (added.item.goal_id, added.item.due_on, added.item.status) == (
        sleep.id,
        date(2026, 12, 11),
        "open",
    )
    assert (done.item.status, as_utc(done.item.done_at)) == ("done", NOW)


def test_a_member_may_not_change_a_goal_withheld_from_them(db, clinician, world, team):
    referral, _jane, _sleep, sud, _task = team(referral_payload(world))

    with pytest.raises(Denied) as raised:
        use_cases.change_goal(
            actor_of(clinician), referral.episode_id, sud.id, {"status": "achieved"}, NOW
        )

    assert raised.value.code == "withheld"


def test_a_task_owner_must_be_on_the_team_and_its_goal_in_the_plan(db, pcp, world, team):
    referral, jane, *_ = team(referral_payload(world))
    other = use_cases.create(
        actor_of(pcp),
        referral_payload(
            world,
            patient={**referral_payload(world)["patient"], "name": "Ana Ruiz", "member_id": None},
        ),
        NOW,
    ).referral
    foreign_goal = use_cases.add_goal(actor_of(pcp), other.episode_id, {"text": "Walk daily"}, NOW)
    body = {"description": "Call", "owner_id": jane.id, "due_on": "2026-12-11"}

    with pytest.raises(Invalid) as raised:
        use_cases.add_task(actor_of(pcp), other.episode_id, body, NOW)
    assert raised.value.errors == {"owner_id": ["not a member of this care team"]}
    with pytest.raises(Invalid) as raised:
        use_cases.add_task(
            actor_of(pcp), referral.episode_id, {**body, "goal_id": foreign_goal.item.id}, NOW
        )
    assert raised.value.errors == {"goal_id": ["no such goal in this care plan"]}


def test_bad_input_is_malformed_and_names_the_field(db, pcp, world, team):
    referral, *_ = team(referral_payload(world))
    actor, eid = actor_of(pcp), referral.episode_id

    with pytest.raises(Malformed) as raised:
        use_cases.add_member(actor, eid, {"role": "community_program"}, NOW)
    assert raised.value.errors == {"organization_id": ["a community program needs organization_id"]}
    with pytest.raises(Malformed) as raised:
        use_cases.add_task(actor, eid, {"description": "x", "owner_id": 1}, NOW)
    assert raised.value.errors == {"due_on": ["Missing data for required field."]}
    with pytest.raises(Malformed) as raised:
        use_cases.add_goal(actor, eid, {"text": "   "}, NOW)
    assert raised.value.errors == {"text": ["Must not be blank."]}


def test_a_member_who_owns_open_tasks_stays_until_they_are_done(db, pcp, world, team):
    referral, jane, _sleep, _sud, task = team(referral_payload(world))
    actor, eid = actor_of(pcp), referral.episode_id

    with pytest.raises(Conflict):
        use_cases.remove_member(actor, eid, jane.id, NOW)
    use_cases.change_task(actor, eid, task.id, {"status": "done"}, NOW)
    removed = use_cases.remove_member(actor, eid, jane.id, NOW)

    assert (removed.item.removed_by, as_utc(removed.item.removed_at)) == (actor.label, NOW)
    assert use_cases.read_care_plan(actor, eid).members == []


def test_the_same_member_twice_is_a_conflict(db, pcp, world, team):
    referral, *_ = team(referral_payload(world))

    with pytest.raises(Conflict):
        use_cases.add_member(
            actor_of(pcp), referral.episode_id, {"role": "bh_clinician", "npi": world.jane.npi}, NOW
        )


def _service_today():
    return use_cases.local_today()


@pytest.mark.parametrize(("days", "shown"), [(0, True), (-1, False)])
def test_a_part2_consent_stands_through_its_expiry_day(db, clinician, world, team, days, shown):
    expires = (_service_today() + timedelta(days=days)).isoformat()
    referral, *_ = team(sud_payload(world, NOW.date(), expires_on=expires))

    plan = use_cases.read_care_plan(actor_of(clinician), referral.episode_id)

    assert plan.standing.gate.part2 is shown
    assert [plan.shows(g) for g in plan.goals] == [True, shown]


def test_a_removed_member_no_longer_sees_the_plan_and_cannot_own_tasks(
    db, pcp, clinician, world, team
):
    referral, jane, _sleep, _sud, task = team(referral_payload(world))
    actor, eid = actor_of(pcp), referral.episode_id
    use_cases.change_task(actor, eid, task.id, {"status": "cancelled"}, NOW)
    use_cases.remove_member(actor, eid, jane.id, NOW)

    with pytest.raises(NotFound):
        use_cases.read_care_plan(actor_of(clinician), eid)
    with pytest.raises(Invalid) as raised:
        use_cases.change_task(actor, eid, task.id, {"owner_id": jane.id}, NOW)
    assert raised.value.errors == {"owner_id": ["not a member of this care team"]}


def test_a_member_reads_the_episode_with_only_the_referrals_they_stand_to(
    db, pcp, clinician, world, team
):
    referral, *_ = team(referral_payload(world))
    to_omar = referral_payload(world, clinician=world.omar)
    other = use_cases.open_and_send(actor_of(pcp), to_omar, [], NOW)
    assert other.episode_id == referral.episode_id

    record = use_cases.read_episode(actor_of(clinician), referral.episode_id)

    assert record.relations == frozenset({"member"})
    assert [s.referral.id for s in record.referrals] == [referral.id]
    assert record.gate.content is True


def test_a_revoked_consent_withholds_the_episodes_patient_from_members(
    db, pcp, clinician, world, team
):
    referral, *_ = team(sud_payload(world, NOW.date()))
    use_cases.revoke_consent(actor_of(pcp), referral.id, NOW)

    record = use_cases.read_episode(actor_of(clinician), referral.episode_id)

    assert record.gate.content is False
    assert [s.disclosure.allowed for s in record.referrals] == [False]
    assert record.screenings == []
