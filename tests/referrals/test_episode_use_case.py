"""Referrals and screenings join the patient's episode of care; reading it is audited."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from audit.models import AuditEvent
from episodes.models import Episode
from referrals import use_cases
from referrals.errors import NotFound
from referrals.models import Referral
from screening.models import ScreeningResult
from tests.referrals.world import PATIENT, actor_of, referral_payload, signed_in

NOW = datetime(2026, 12, 4, 15, 0, tzinfo=UTC)
PHQ9_MODERATE = {"instrument": "phq9", "answers": [1, 2, 1, 1, 1, 2, 1, 1, 0]}


def _audit(db, object_type):
    rows = db.session.scalars(
        select(AuditEvent).where(AuditEvent.object_type == object_type).order_by(AuditEvent.id)
    )
    return [(r.action, r.outcome, r.object_id) for r in rows]


def test_two_referrals_for_one_patient_share_one_episode(db, pcp, world):
    actor = actor_of(pcp)
    first = use_cases.create(actor, referral_payload(world), NOW).referral
    renamed = {**PATIENT, "name": "LOPEZ, María", "member_id": None}
    second = use_cases.create(actor, referral_payload(world, patient=renamed), NOW).referral
    other = {**PATIENT, "name": "Ana Lopez", "member_id": None}
    third = use_cases.create(actor, referral_payload(world, patient=other), NOW).referral

    assert first.episode_id == second.episode_id
    assert third.episode_id not in (None, first.episode_id)
    episode = db.session.get(Episode, first.episode_id)
    assert (episode.organization_id, episode.patient_member_id, episode.plan_id) == (
        world.pcp_org.id,
        "ACME123456",
        "AcmeGold",
    )


def test_another_practice_opens_its_own_episode_for_the_same_patient(app, db, pcp, world):
    other_pcp = signed_in(app, "pcp", world.other_pcp_org)
    ours = use_cases.create(actor_of(pcp), referral_payload(world), NOW).referral
    theirs = use_cases.create(actor_of(other_pcp), referral_payload(world), NOW).referral

    assert ours.episode_id != theirs.episode_id


def test_a_screening_on_a_referral_joins_its_episode_and_a_standalone_one_does_not(db, pcp, world):
    actor = actor_of(pcp)
    referral = use_cases.create(actor, referral_payload(world), NOW).referral
    attached = use_cases.record_screening(actor, {**PHQ9_MODERATE, "referral_id": referral.id}, NOW)
    alone = use_cases.record_screening(actor, PHQ9_MODERATE, NOW)

    assert db.session.get(ScreeningResult, attached.result.id).episode_id == referral.episode_id
    assert db.session.get(ScreeningResult, alone.result.id).episode_id is None


def test_open_and_send_puts_the_referral_and_its_screening_in_one_episode(db, pcp, world):
    referral = use_cases.open_and_send(
        actor_of(pcp), referral_payload(world), [], NOW, screening=PHQ9_MODERATE
    )

    result = db.session.scalars(select(ScreeningResult)).one()
    assert referral.episode_id is not None
    assert result.episode_id == referral.episode_id


def test_a_re_referral_stays_in_the_episode(db, pcp, world):
    actor = actor_of(pcp)
    old = use_cases.open_and_send(actor, referral_payload(world), [], NOW)
    new = use_cases.rerefer(actor, old.id, {"clinician_npi": world.omar.npi}, NOW)

    assert new.episode_id == old.episode_id
    assert db.session.scalar(select(Referral.episode_id).where(Referral.id == new.id)) == (
        old.episode_id
    )


def test_reading_the_episode_lists_referrals_and_screenings_and_audits_each(db, pcp, world):
    actor = actor_of(pcp)
    referral = use_cases.open_and_send(actor, referral_payload(world), [], NOW)
    attached = use_cases.record_screening(actor, {**PHQ9_MODERATE, "referral_id": referral.id}, NOW)
    before = db.session.scalar(select(AuditEvent.id).order_by(AuditEvent.id.desc()).limit(1))

    record = use_cases.read_episode(actor, referral.episode_id)

    assert record.relations == frozenset({"referrer"})
    assert [s.referral.id for s in record.referrals] == [referral.id]
    assert [(r.id, s.score, s.severity) for r, s in record.screenings] == [
        (attached.result.id, 10, "moderate")
    ]
    rows = db.session.scalars(select(AuditEvent).where(AuditEvent.id > before))
    assert [(r.action, r.object_type, r.object_id) for r in rows] == [
        ("read", "referral", str(referral.id)),
        ("read", "screening", str(attached.result.id)),
        ("read", "episode", str(referral.episode_id)),
    ]


@pytest.mark.parametrize("who", ["other_pcp", "clinician"])
def test_anyone_outside_the_episode_gets_not_found_audited_as_denied(app, db, pcp, world, who):
    referral = use_cases.open_and_send(actor_of(pcp), referral_payload(world), [], NOW)
    outsider = (
        signed_in(app, "pcp", world.other_pcp_org)
        if who == "other_pcp"
        # Jane received the referral and so joined the team: another clinician is outside.
        else signed_in(app, "clinician", world.practice, npi=world.omar.npi)
    )

    with pytest.raises(NotFound):
        use_cases.read_episode(actor_of(outsider), referral.episode_id)

    assert _audit(db, "episode") == [("read", "denied", str(referral.episode_id))]


@pytest.mark.parametrize("episode_id", [0, -1, 2**31])
def test_an_id_out_of_range_is_not_found(db, pcp, episode_id):
    with pytest.raises(NotFound):
        use_cases.read_episode(actor_of(pcp), episode_id)
