"""The care team and shared care plan: who may change it, what each member sees, the audit."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from audit.models import AuditEvent
from directory.models.verification import as_utc
from referrals import use_cases
from referrals.care_team import active_members
from referrals.errors import Conflict, Denied, Invalid, Malformed, NotFound
from tests.referrals.world import actor_of, referral_payload, signed_in, sud_payload

NOW = datetime(2026, 12, 4, 15, 0, tzinfo=UTC)
SLEEP = "I want to sleep through the night again"
SUD = "Keep taking my Suboxone and stay with the group"


def _audit(db, after: int = 0):
    rows = db.session.scalars(
        select(AuditEvent).where(AuditEvent.id > after).order_by(AuditEvent.id)
    )
    return [(r.action, r.object_type, r.object_id, r.outcome) for r in rows]


def _last_audit_id(db) -> int:
    return db.session.scalar(select(AuditEvent.id).order_by(AuditEvent.id.desc()).limit(1)) or 0


@pytest.fixture
def team(app, db, pcp, clinician, world):
    """A sent referral to Jane (which puts her on the team), a goal of each kind and a task."""

    def build(payload):
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

    return build


def test_a_member_named_by_npi_takes_the_listed_clinicians_name(db, pcp, world, team):
    referral, jane, *_ = team(referral_payload(world))

    assert (jane.role, jane.name, jane.npi, jane.added_by) == (
        "bh_clinician",
        "Jane Smith, LICSW",
        world.jane.npi,
        actor_of(pcp).label,
    )


def test_goals_are_classified_for_part2_from_their_text(db, world, team):
    _referral, _jane, sleep, sud, _task = team(referral_payload(world))

    assert (sleep.part2, sleep.part2_basis) == (False, [])
    assert (sud.part2, sud.part2_basis) == (True, ["text:buprenorphine"])


def test_the_referring_practice_sees_everything_and_each_read_is_audited(db, pcp, world, team):
    referral, jane, sleep, sud, task = team(referral_payload(world))
    before = _last_audit_id(db)

    plan = use_cases.read_care_plan(actor_of(pcp), referral.episode_id)

    assert plan.standing.relations == frozenset({"referrer"})
    assert [m.id for m in plan.members] == [jane.id]
    assert [plan.shows(g) for g in plan.goals] == [True, True]
    # The plan read, and each Part 2 item accounted for; ordinary goals and tasks ride on the first.
    assert _audit(db, before) == [
        ("read", "care_plan", str(referral.episode_id), "ok"),
        ("read", "care_plan_goal", str(sud.id), "ok"),
    ]


def test_a_member_without_a_part2_consent_sees_the_plan_but_not_part2_goals(
    db, clinician, world, team
):
    referral, _jane, sleep, sud, task = team(referral_payload(world))
    before = _last_audit_id(db)

    plan = use_cases.read_care_plan(actor_of(clinician), referral.episode_id)

    assert plan.standing.relations == frozenset({"member"})
    assert plan.standing.gate.problems == {
        "part2": "no 42 CFR part 2 consent on this episode names this member"
    }
    assert [(g.id, plan.shows(g)) for g in plan.goals] == [(sleep.id, True), (sud.id, False)]
    assert _audit(db, before) == [
        ("disclose", "care_plan", str(referral.episode_id), "ok"),
        ("disclose", "care_plan_goal", str(sud.id), "blocked"),
    ]


def test_a_part2_consent_naming_the_member_shows_part2_goals(db, clinician, world, team):
    referral, *_ = team(sud_payload(world))

    plan = use_cases.read_care_plan(actor_of(clinician), referral.episode_id)

    assert plan.standing.gate.part2 is True
    assert [plan.shows(g) for g in plan.goals] == [True, True]


def test_a_revoked_consent_withholds_the_plan_from_members_outside_the_practice(
    db, pcp, clinician, world, team
):
    referral, *_ = team(sud_payload(world))
    use_cases.revoke_consent(actor_of(pcp), referral.id, NOW)

    plan = use_cases.read_care_plan(actor_of(clinician), referral.episode_id)

    assert plan.standing.gate.problems == {"revoked": "the consent has been revoked"}
    assert [plan.shows(g) for g in plan.goals] == [False, False]
    assert [plan.shows(t) for t in plan.tasks] == [False]


@pytest.mark.parametrize("who", ["other_pcp", "omar"])
def test_anyone_off_the_team_gets_not_found_audited_as_denied(app, db, world, team, who):
    referral, *_ = team(referral_payload(world))
    outsider = (
        signed_in(app, "pcp", world.other_pcp_org)
        if who == "other_pcp"
        else signed_in(app, "clinician", world.other_practice, npi=world.omar.npi)
    )
    before = _last_audit_id(db)

    with pytest.raises(NotFound):
        use_cases.read_care_plan(actor_of(outsider), referral.episode_id)

    assert _audit(db, before) == [("read", "care_plan", str(referral.episode_id), "denied")]


def test_an_organization_member_is_anyone_of_that_organization(app, db, pcp, world, team):
    referral, *_ = team(referral_payload(world))
    use_cases.add_member(
        actor_of(pcp),
        referral.episode_id,
        {"role": "care_manager", "organization_id": world.plan_org.id},
        NOW,
    )
    manager = signed_in(app, "plan_staff", world.plan_org, plans=(world.plan.id,))

    plan = use_cases.read_care_plan(actor_of(manager), referral.episode_id)

    assert plan.standing.relations == frozenset({"member"})
    assert [m.name for m in plan.members] == ["Jane Smith, LICSW", "Acme Health Plan"]


def test_only_the_referring_practice_keeps_the_roster(db, clinician, world, team):
    referral, *_ = team(referral_payload(world))
    before = _last_audit_id(db)

    with pytest.raises(Denied):
        use_cases.add_member(
            actor_of(clinician),
            referral.episode_id,
            {"role": "patient_family", "name": "Rosa Lopez (daughter)"},
            NOW,
        )

    assert _audit(db, before) == [
        ("create", "care_team_member", str(referral.episode_id), "denied")
    ]


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
    referral, *_ = team(sud_payload(world, expires_on=expires))

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
    referral, *_ = team(sud_payload(world))
    use_cases.revoke_consent(actor_of(pcp), referral.id, NOW)

    record = use_cases.read_episode(actor_of(clinician), referral.episode_id)

    assert record.gate.content is False
    assert [s.disclosure.allowed for s in record.referrals] == [False]
    assert record.screenings == []
