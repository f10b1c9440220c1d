"""The care team and shared care plan: what each member sees, and the audit (tasks, members
and the episode: test_care_plan_tasks.py)."""

import pytest
from sqlalchemy import select

from audit.models import AuditEvent
from referrals import use_cases
from referrals.errors import Denied, NotFound
from tests.referrals.care_plan_cases import NOW
from tests.referrals.world import actor_of, referral_payload, signed_in, sud_payload


def _audit(db, after: int = 0):
    rows = db.session.scalars(
        select(AuditEvent).where(AuditEvent.id > after).order_by(AuditEvent.id)
    )
    return [(r.action, r.object_type, r.object_id, r.outcome) for r in rows]


def _last_audit_id(db) -> int:
    return db.session.scalar(select(AuditEvent.id).order_by(AuditEvent.id.desc()).limit(1)) or 0


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
    referral, *_ = team(sud_payload(world, NOW.date()))

    plan = use_cases.read_care_plan(actor_of(clinician), referral.episode_id)

    assert plan.standing.gate.part2 is True
    assert [plan.shows(g) for g in plan.goals] == [True, True]


def test_a_revoked_consent_withholds_the_plan_from_members_outside_the_practice(
    db, pcp, clinician, world, team
):
    referral, *_ = team(sud_payload(world, NOW.date()))
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
