"""The registry use cases: rows follow screenings and visits; who reads what; every read audited."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from audit.models import AuditEvent
from referrals.errors import Denied
from referrals.use_cases import local_today
from registry.measures import FLAGS, flags
from registry.models import RegistryEntry
from registry.schemas import RegistryQuery
from registry.use_cases import follow_up_counts, read_registry, trajectories
from tests.referrals.world import PATIENT, actor_of, signed_in, sud_payload
from tests.registry.conftest import attended, referred, screen


@pytest.fixture
def today(app):
    """The service's today (REFERRAL_TIMEZONE), as the registry counts it."""
    return local_today()


def _history(pcp, clinician, world, today, patient=None, scores=((20, 100), (14, 72), (10, 2))):
    """A referral 100 days ago, attended 90 days ago, with PHQ-9 totals on the given days ago."""
    actor = actor_of(pcp)
    referral = referred(actor, world, today - timedelta(days=100), patient=patient or PATIENT)
    for total, days_ago in scores:
        screen(actor, referral, today - timedelta(days=days_ago), total)
    attended(actor, clinician_actor := actor_of(clinician), referral, today - timedelta(days=90))
    return referral, clinician_actor


def test_a_row_follows_the_screenings_and_the_visit(db, pcp, clinician, world, today):
    referral, _ = _history(pcp, clinician, world, today)

    entry = db.session.scalars(select(RegistryEntry)).one()
    assert (entry.episode_id, entry.instrument) == (referral.episode_id, "phq9")
    assert (entry.baseline_score, entry.latest_score, entry.scores) == (20, 10, 3)
    assert entry.baseline_on == today - timedelta(days=100)
    assert entry.treatment_start == today - timedelta(days=90)
    assert entry.last_visit_on == today - timedelta(days=90)
    assert entry.positive_on == today - timedelta(days=100)
    assert entry.followed_up_on == today - timedelta(days=90)
    assert (entry.responded, entry.remission) == (True, False)


def test_the_practice_reads_its_rows_with_flags_and_each_read_is_audited(
    db, pcp, clinician, world, today
):
    referral, _ = _history(pcp, clinician, world, today)

    page = read_registry(actor_of(pcp), RegistryQuery(), today)

    assert page.total == 1
    row = page.rows[0]
    assert (row.change, row.weeks, row.flags, row.follow_up) == (-10, 12, ("not_engaged",), "met")
    audit = db.session.scalars(
        select(AuditEvent).where(AuditEvent.object_type == "episode", AuditEvent.action == "read")
    ).all()
    assert [event.object_id for event in audit] == [str(referral.episode_id)]


def test_another_practice_sees_nothing_and_a_clinician_is_refused(
    app, db, pcp, clinician, world, today
):
    _history(pcp, clinician, world, today)
    other = signed_in(app, "pcp", world.other_pcp_org)

    assert read_registry(actor_of(other), RegistryQuery(), today).total == 0
    with pytest.raises(Denied):
        read_registry(actor_of(clinician), RegistryQuery(), today)
    denied = db.session.scalars(
        select(AuditEvent).where(
            AuditEvent.object_type == "registry", AuditEvent.outcome == "denied"
        )
    ).all()
    assert len(denied) == 1


def test_plan_staff_see_their_members_but_not_other_plans(app, db, pcp, clinician, world, today):
    _history(pcp, clinician, world, today)
    acme = signed_in(app, "plan_staff", world.plan_org, plans=[world.plan.id])
    beacon = signed_in(app, "plan_staff", world.other_plan_org, plans=[world.other_plan.id])

    assert read_registry(actor_of(acme), RegistryQuery(), today).total == 1
    assert read_registry(actor_of(beacon), RegistryQuery(), today).total == 0


def test_plan_staff_do_not_see_a_patient_without_a_member_id(app, db, pcp, clinician, world, today):
    _history(pcp, clinician, world, today, patient={**PATIENT, "member_id": None})
    acme = signed_in(app, "plan_staff", world.plan_org, plans=[world.plan.id])

    assert read_registry(actor_of(acme), RegistryQuery(), today).total == 0


def test_filter_by_flag_in_sql_agrees_with_the_flags_shown(db, pcp, clinician, world, today):
    # Remission (latest 4), no response (20 -> 14 over 100 days), overdue (last score 40 days ago).
    _history(pcp, clinician, world, today, scores=((18, 100), (4, 3)))
    ana = {**PATIENT, "name": "Ana Ruiz", "member_id": "ACME000002"}
    _history(pcp, clinician, world, today, patient=ana, scores=((20, 100), (14, 40)))
    actor = actor_of(pcp)

    everyone = read_registry(actor, RegistryQuery(), today).rows
    for flag in FLAGS:
        chosen = read_registry(actor, RegistryQuery(flag=flag), today).rows
        expected = {r.entry.episode_id for r in everyone if flag in flags(r.entry, today)}
        assert {r.entry.episode_id for r in chosen} == expected, flag
    shown = {r.entry.latest_score: r.flags for r in everyone}
    assert shown == {
        4: ("remission", "not_engaged"),
        14: ("no_response", "overdue", "not_engaged"),
    }


def test_sort_and_page(db, pcp, clinician, world, today):
    _history(pcp, clinician, world, today, scores=((18, 100), (4, 3)))
    ana = {**PATIENT, "name": "Ana Ruiz", "member_id": "ACME000002"}
    _history(pcp, clinician, world, today, patient=ana, scores=((20, 100), (14, 40)))
    actor = actor_of(pcp)

    by_score = read_registry(actor, RegistryQuery(sort="-score"), today).rows
    by_change = read_registry(actor, RegistryQuery(sort="change"), today).rows
    second = read_registry(actor, RegistryQuery(limit=1, offset=1), today)

    assert [r.entry.latest_score for r in by_score] == [14, 4]
    assert [r.change for r in by_change] == [-14, -6]
    assert (second.total, [r.entry.latest_score for r in second.rows]) == (2, [4])


def test_follow_up_counts_met_missed_and_open(app, db, pcp, clinician, world, today):
    _history(pcp, clinician, world, today)  # positive 100 days ago, visit 90 days ago: met
    actor = actor_of(pcp)
    ana = {**PATIENT, "name": "Ana Ruiz", "member_id": "ACME000002"}
    missed = referred(actor, world, today - timedelta(days=31), patient=ana)
    screen(actor, missed, today - timedelta(days=31), 14)
    eva = {**PATIENT, "name": "Eva Stone", "member_id": "ACME000003"}
    still_open = referred(actor, world, today - timedelta(days=30), patient=eva)
    screen(actor, still_open, today - timedelta(days=30), 10)

    assert follow_up_counts(actor, today) == {
        "phq9": {"met": 1, "missed": 1, "open": 1},
        "gad7": {"met": 0, "missed": 0, "open": 0},
    }


def test_trajectories_give_the_scores_oldest_first(db, pcp, clinician, world, today):
    referral, _ = _history(pcp, clinician, world, today)

    found = trajectories(actor_of(pcp), referral.episode_id)

    assert [(p.on, p.score) for p in found["phq9"]] == [
        (today - timedelta(days=100), 20),
        (today - timedelta(days=72), 14),
        (today - timedelta(days=2), 10),
    ]


def test_a_score_on_a_part2_referral_hides_the_row_from_the_plan_not_the_practice(
    app, db, pcp, world, today
):
    actor = actor_of(pcp)
    referral = referred(actor, world, today - timedelta(days=10), **sud_payload(world))
    screen(actor, referral, today - timedelta(days=10), 14)
    acme = signed_in(app, "plan_staff", world.plan_org, plans=[world.plan.id])

    assert db.session.scalars(select(RegistryEntry.part2)).all() == [True]
    assert read_registry(actor_of(acme), RegistryQuery(), today).total == 0
    assert read_registry(actor, RegistryQuery(), today).total == 1
