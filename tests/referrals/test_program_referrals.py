"""Program referrals go through the same use cases: consent, Part 2, audit, reports, follow-up."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from accounts.identity import actor_for_user
from accounts.users import create_user
from audit.models import AuditEvent
from referrals import use_cases
from referrals.errors import Conflict, Denied, Invalid, Malformed, NotFound
from referrals.followup import overdue_reason
from referrals.models import Referral
from referrals.program_status import ReportConflict
from referrals.signals import ReferralSignalSource
from referrals.transitions import ConsentBlocked
from referrals.use_cases.clock import zone
from tests.referrals.program_world import build_programs, program_consent, program_payload
from tests.referrals.world import referral_payload, signed_in

PASSWORD = "correct horse battery staple"


@pytest.fixture
def programs(world):
    return build_programs()


def _community(db, program, email="pantry@example.org"):
    """The Actor of a community user working for `program`'s organization."""
    user, _ = create_user(
        email, "community", "Pantry staff org", PASSWORD, program_org=program.organization.id
    )
    db.session.commit()
    return actor_for_user(user)


def _pcp(pcp):
    return actor_for_user(pcp.user)


def _audit(db):
    rows = db.session.scalars(
        select(AuditEvent).where(AuditEvent.object_type == "referral").order_by(AuditEvent.id)
    )
    return [(r.action, r.outcome, r.object_id) for r in rows]


def _sent(pcp, world, program, **overrides):
    now = datetime.now(UTC)
    actor = _pcp(pcp)
    rid = use_cases.create(actor, program_payload(world, program, **overrides), now).referral.id
    use_cases.move(actor, rid, {"type": "send"}, now)
    return rid


def test_a_program_referral_targets_the_site_and_starts_pending(pcp, world, programs, db):
    rid = _sent(pcp, world, programs.pantry)
    referral = db.session.get(Referral, rid)
    assert (referral.kind, referral.clinician_id, referral.site_id) == (
        "program",
        None,
        programs.pantry.site.id,
    )
    assert (referral.status, referral.program_status) == ("sent", "pending")
    assert _audit(db) == [("create", "ok", str(rid)), ("event:send", "ok", str(rid))]


def test_a_clinician_referral_keeps_its_kind(pcp, world, db):
    now = datetime.now(UTC)
    referral = use_cases.create(_pcp(pcp), referral_payload(world), now).referral
    assert (referral.kind, referral.site_id, referral.program_status) == (
        "bh_clinician",
        None,
        None,
    )


def test_community_staff_see_only_their_organizations_referrals(pcp, world, programs, db):
    pantry_rid = _sent(pcp, world, programs.pantry)
    otp_rid = _sent(pcp, world, programs.otp)
    staff = _community(db, programs.pantry)
    assert use_cases.read(staff, pantry_rid).relations == frozenset({"receiver"})
    with pytest.raises(NotFound):
        use_cases.read(staff, otp_rid)
    page = use_cases.list_visible(staff, {})
    assert [s.referral.id for s in page.items] == [pantry_rid]
    # Every read is audited: the disclosure, the refusal, and each referral a list shows.
    assert _audit(db)[-3:] == [
        ("disclose", "ok", str(pantry_rid)),
        ("read", "denied", str(otp_rid)),
        ("disclose", "ok", str(pantry_rid)),
    ]


def test_a_draft_is_not_shown_to_the_program(pcp, world, programs, db):
    rid = use_cases.create(
        _pcp(pcp), program_payload(world, programs.pantry), datetime.now(UTC)
    ).referral.id
    with pytest.raises(NotFound):
        use_cases.read(_community(db, programs.pantry), rid)


def test_reports_move_the_lifecycle_and_stamp_times(pcp, world, programs, db):
    rid = _sent(pcp, world, programs.pantry)
    staff = _community(db, programs.pantry)
    now = datetime.now(UTC)
    use_cases.move(staff, rid, {"type": "report", "program_status": "eligible"}, now)
    referral = db.session.get(Referral, rid)
    assert (referral.status, referral.program_status) == ("accepted", "eligible")
    assert referral.acknowledged_at is not None and referral.accepted_at is not None
    use_cases.move(
        staff, rid, {"type": "report", "program_status": "got_help", "note": "Enrolled"}, now
    )
    assert (referral.status, referral.program_status) == ("closed", "got_help")
    assert referral.closed_at is not None
    assert [(e.type, e.to_status, e.program_status) for e in referral.events] == [
        ("send", "sent", None),
        ("report", "accepted", "eligible"),
        ("report", "closed", "got_help"),
    ]
    assert _audit(db)[-2:] == [("event:report", "ok", str(rid)), ("event:report", "ok", str(rid))]
    with pytest.raises(Conflict) as raised:
        use_cases.move(staff, rid, {"type": "report", "program_status": "eligible"}, now)
    assert raised.value.code == "transition"


@pytest.mark.parametrize(
    ("reported", "status"),
    [
        ("needs_client_action", "acknowledged"),
        ("eligible", "accepted"),
        ("got_help", "closed"),
        ("couldnt_contact", "declined"),
        ("not_eligible", "declined"),
        ("no_capacity", "declined"),
        ("couldnt_get_help", "closed"),
        ("no_longer_interested", "cancelled"),
        ("referred_elsewhere", "declined"),
    ],
)
def test_each_reportable_status_lands_in_its_lifecycle_status(
    pcp, world, programs, db, reported, status
):
    rid = _sent(pcp, world, programs.pantry)
    staff = _community(db, programs.pantry)
    use_cases.move(staff, rid, {"type": "report", "program_status": reported}, datetime.now(UTC))
    assert db.session.get(Referral, rid).status == status


def test_the_same_status_twice_is_a_conflict(pcp, world, programs, db):
    rid = _sent(pcp, world, programs.pantry)
    staff = _community(db, programs.pantry)
    body = {"type": "report", "program_status": "needs_client_action"}
    use_cases.move(staff, rid, body, datetime.now(UTC))
    with pytest.raises(ReportConflict):
        use_cases.move(staff, rid, body, datetime.now(UTC))
    assert _audit(db)[-1] == ("event:report", "invalid", str(rid))


def test_pending_cannot_be_reported_and_a_report_needs_a_status(pcp, world, programs, db):
    rid = _sent(pcp, world, programs.pantry)
    staff = _community(db, programs.pantry)
    with pytest.raises(Malformed) as raised:
        use_cases.move(staff, rid, {"type": "report", "program_status": "pending"}, None)
    assert "program_status" in raised.value.errors
    with pytest.raises(Invalid) as raised:
        use_cases.move(staff, rid, {"type": "report"}, datetime.now(UTC))
    assert raised.value.errors == {"program_status": ["a report needs the program's status"]}


def test_clinician_steps_do_not_fit_a_program_referral(pcp, world, programs, db):
    rid = _sent(pcp, world, programs.pantry)
    staff = _community(db, programs.pantry)
    with pytest.raises(Conflict) as raised:
        use_cases.move(staff, rid, {"type": "accept"}, datetime.now(UTC))
    assert raised.value.extra == {"allowed_events": ["cancel", "report"]}
    with pytest.raises(Denied):
        use_cases.move(
            _pcp(pcp), rid, {"type": "report", "program_status": "eligible"}, datetime.now(UTC)
        )


def test_a_clinician_cannot_report_a_program_status(pcp, clinician, world, db):
    now = datetime.now(UTC)
    rid = use_cases.create(_pcp(pcp), referral_payload(world), now).referral.id
    use_cases.move(_pcp(pcp), rid, {"type": "send"}, now)
    with pytest.raises(Conflict) as raised:
        use_cases.move(
            actor_for_user(clinician.user),
            rid,
            {"type": "report", "program_status": "eligible"},
            now,
        )
    assert raised.value.extra == {"allowed_events": ["acknowledge", "cancel"]}


def test_the_referring_side_may_cancel_a_program_referral(pcp, world, programs, db):
    rid = _sent(pcp, world, programs.pantry)
    use_cases.move(_pcp(pcp), rid, {"type": "cancel"}, datetime.now(UTC))
    referral = db.session.get(Referral, rid)
    assert (referral.status, referral.program_status) == ("cancelled", "pending")


def test_an_sud_program_referral_is_part2_from_its_codes(pcp, world, programs, db):
    actor = _pcp(pcp)
    body = program_payload(world, programs.otp, diagnoses=["F11.20"], substance_use=False)
    referral = use_cases.create(actor, body, datetime.now(UTC)).referral
    assert referral.part2 is True
    assert referral.part2_basis == ["diagnoses:F11.20"]
    with pytest.raises(ConsentBlocked) as raised:
        use_cases.move(actor, referral.id, {"type": "send"}, datetime.now(UTC))
    assert raised.value.code == "part2_consent"


def test_an_sud_program_referral_goes_under_a_consent_naming_the_program(pcp, world, programs, db):
    actor = _pcp(pcp)
    body = program_payload(
        world, programs.otp, diagnoses=["F11.20"], consent=program_consent(programs.otp)
    )
    rid = use_cases.create(actor, body, datetime.now(UTC)).referral.id
    use_cases.move(actor, rid, {"type": "send"}, datetime.now(UTC))
    staff = _community(db, programs.otp, "otp@example.org")
    shown = use_cases.read(staff, rid)
    assert (shown.disclosure.allowed, shown.disclosure.part2) == (True, True)


def test_a_consent_naming_another_organization_blocks_sending(pcp, world, programs, db):
    actor = _pcp(pcp)
    consent = program_consent(programs.otp, recipients=[{"name": "Greater Boston Food Bank"}])
    body = program_payload(world, programs.otp, diagnoses=["F11.20"], consent=consent)
    rid = use_cases.create(actor, body, datetime.now(UTC)).referral.id
    with pytest.raises(ConsentBlocked):
        use_cases.move(actor, rid, {"type": "send"}, datetime.now(UTC))


def test_exactly_one_target_is_required(pcp, world, programs):
    actor = _pcp(pcp)
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
    rid = _sent(pcp, world, programs.pantry)
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
    rid = _sent(pcp, world, programs.pantry)
    use_cases.move(_pcp(pcp), rid, {"type": "cancel"}, datetime.now(UTC))
    with pytest.raises(Conflict) as raised:
        use_cases.rerefer(_pcp(pcp), rid, {"clinician_npi": world.jane.npi}, datetime.now(UTC))
    assert raised.value.code == "rerefer"


def test_a_program_referral_names_no_clinician_to_the_ranker(pcp, world, programs, db):
    program_rid = _sent(pcp, world, programs.pantry)
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
    rid = _sent(pcp, world, programs.pantry)
    referral = db.session.get(Referral, rid)
    # Monday 09:00 local: due Wednesday 09:00 (2 business days), not a minute before.
    sent = datetime(2026, 11, 30, 9, 0, tzinfo=zone())
    referral.sent_at = sent
    assert overdue_reason(referral, sent + timedelta(days=2, minutes=-1), zone()) is None
    due = sent + timedelta(days=2)
    assert overdue_reason(referral, due, zone()) == ("not_acknowledged", due)


def test_the_kind_filter_lists_one_kind(pcp, world, programs, db):
    rid = _sent(pcp, world, programs.pantry)
    use_cases.create(_pcp(pcp), referral_payload(world), datetime.now(UTC))
    page = use_cases.list_visible(_pcp(pcp), {"kind": "program"})
    assert ([s.referral.id for s in page.items], page.total) == ([rid], 1)
    assert use_cases.list_visible(_pcp(pcp), {"kind": "bh_clinician"}).total == 1


def test_plan_staff_of_another_plan_do_not_see_program_referrals(app, pcp, world, programs):
    rid = _sent(pcp, world, programs.pantry)
    other = actor_for_user(
        signed_in(app, "plan_staff", world.other_plan_org, plans=[world.other_plan.id]).user
    )
    with pytest.raises(NotFound):
        use_cases.read(other, rid)
