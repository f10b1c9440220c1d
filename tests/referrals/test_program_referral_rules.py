"""Program referrals (continued): Part 2 from codes and the consent naming the program, exactly
one target, no clinician for the ranker, follow-up, the kind filter, plan staff."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy.exc import IntegrityError

from accounts.identity import actor_for_user
from referrals import use_cases
from referrals.clock import zone
from referrals.errors import Conflict, Invalid, Malformed, NotFound
from referrals.followup import overdue_reason
from referrals.models import Referral
from referrals.signals import ReferralSignalSource
from referrals.transitions import ConsentBlocked
from tests.referrals.program_world import (
    community_actor,
    program_consent,
    program_payload,
    sent_program_referral,
)
from tests.referrals.world import actor_of, referral_payload, signed_in


def test_an_sud_program_referral_is_part2_from_its_codes(pcp, world, programs, db):
    actor = actor_of(pcp)
    body = program_payload(world, programs.otp, diagnoses=["F11.20"], substance_use=False)
    referral = use_cases.create(actor, body, datetime.now(UTC)).referral
    assert referral.part2 is True
    assert referral.part2_basis == ["diagnoses:F11.20"]
    with pytest.raises(ConsentBlocked) as raised:
        use_cases.move(actor, referral.id, {"type": "send"}, datetime.now(UTC))
    assert raised.value.code == "part2_consent"


def test_an_sud_program_referral_goes_under_a_consent_naming_the_program(pcp, world, programs, db):
    actor = actor_of(pcp)
    body = program_payload(
        world, programs.otp, diagnoses=["F11.20"], consent=program_consent(programs.otp)
    )
    rid = use_cases.create(actor, body, datetime.now(UTC)).referral.id
    use_cases.move(actor, rid, {"type": "send"}, datetime.now(UTC))
    staff = community_actor(db, programs.otp, "otp@example.org")
    shown = use_cases.read(staff, rid)
    assert (shown.disclosure.allowed, shown.disclosure.part2) == (True, True)


def test_a_consent_naming_another_organization_blocks_sending(pcp, world, programs, db):
    actor = actor_of(pcp)
    consent = program_consent(programs.otp, recipients=[{"name": "Greater Boston Food Bank"}])
    body = program_payload(world, programs.otp, diagnoses=["F11.20"], consent=consent)
    rid = use_cases.create(actor, body, datetime.now(UTC)).referral.id
    with pytest.raises(ConsentBlocked):
        use_cases.move(actor, rid, {"type": "send"}, datetime.now(UTC))


def test_exactly_one_target_is_required(pcp, world, programs):
    actor = actor_of(pcp)
    both = program_payload(world, programs.pantry, clinician_npi=world.jane.npi)
    with pytest.raises(Malformed) as raised:
        use_cases.create(actor, both, datetime.now(UTC))
    assert raised.value.errors == {
        "clinician_npi": ["Give exactly one of clinician_npi and service_at_location_id."]
    }
    neither = program_payload(world, programs.pantry)
    del neither["service_at_location_id"]
    with pytest.raises(Malformed):
        use_cases.create(actor, neither, datetime.now(UTC))
    unknown = program_payload(world, programs.pantry, service_at_location_id=999_999)
    with pytest.raises(Invalid) as raised:
        use_cases.create(actor, unknown, datetime.now(UTC))
    assert raised.value.errors == {"service_at_location_id": ["no active program has that site"]}


def test_the_database_refuses_a_referral_with_two_targets_or_none(pcp, world, programs, db):
    rid = sent_program_referral(pcp, world, programs.pantry)
    referral = db.session.get(Referral, rid)
    referral.clinician_id = world.jane.id
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    referral = db.session.get(Referral, rid)
    referral.site_id = None
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_a_program_referral_is_not_re_referred(pcp, world, programs, db):
    rid = sent_program_referral(pcp, world, programs.pantry)
    use_cases.move(actor_of(pcp), rid, {"type": "cancel"}, datetime.now(UTC))
    with pytest.raises(Conflict) as raised:
        use_cases.rerefer(actor_of(pcp), rid, {"clinician_npi": world.jane.npi}, datetime.now(UTC))
    assert raised.value.code == "rerefer"


def test_a_program_referral_names_no_clinician_to_the_ranker(pcp, world, programs, db):
    program_rid = sent_program_referral(pcp, world, programs.pantry)
    now = datetime.now(UTC)
    org_id = db.session.get(Referral, program_rid).referring_organization_id
    db.session.add(
        Referral(
            clinician_id=world.jane.id,
            referring_organization_id=org_id,
            status="sent",
            sent_at=now,
            created_by="test",
            patient_name="Test Patient",
            patient_birth_date=date(1990, 1, 1),
            reason="test",
        )
    )
    db.session.commit()

    assert ReferralSignalSource(db.session).referred(now) == {world.jane.id}


def test_an_unanswered_program_referral_falls_overdue_after_two_business_days(
    pcp, world, programs, db
):
    rid = sent_program_referral(pcp, world, programs.pantry)
    referral = db.session.get(Referral, rid)
    # Monday 09:00 local: due Wednesday 09:00 (2 business days), not a minute before.
    sent = datetime(2026, 11, 30, 9, 0, tzinfo=zone())
    referral.sent_at = sent
    assert overdue_reason(referral, sent + timedelta(days=2, minutes=-1), zone()) is None
    due = sent + timedelta(days=2)
    assert overdue_reason(referral, due, zone()) == ("not_acknowledged", due)


def test_the_kind_filter_lists_one_kind(pcp, world, programs, db):
    rid = sent_program_referral(pcp, world, programs.pantry)
    use_cases.create(actor_of(pcp), referral_payload(world), datetime.now(UTC))
    page = use_cases.list_visible(actor_of(pcp), {"kind": "program"})
    assert ([s.referral.id for s in page.items], page.total) == ([rid], 1)
    assert use_cases.list_visible(actor_of(pcp), {"kind": "bh_clinician"}).total == 1


def test_plan_staff_of_another_plan_do_not_see_program_referrals(app, pcp, world, programs):
    rid = sent_program_referral(pcp, world, programs.pantry)
    other = actor_for_user(
        signed_in(app, "plan_staff", world.other_plan_org, plans=[world.other_plan.id]).user
    )
    with pytest.raises(NotFound):
        use_cases.read(other, rid)
