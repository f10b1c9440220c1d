"""Program referrals go through the same use cases: targets, visibility, reports and lifecycle
(Part 2, targets, ranking and follow-up: test_program_referral_rules.py)."""

from datetime import UTC, datetime

import pytest

from accounts.identity import actor_for_user
from referrals import use_cases
from referrals.errors import Conflict, Denied, Invalid, Malformed, NotFound
from referrals.models import Referral
from referrals.program_status import ReportConflict
from tests.referrals.program_world import (
    community_actor,
    program_payload,
    referral_audit,
    sent_program_referral,
)
from tests.referrals.world import actor_of, referral_payload


def test_a_program_referral_targets_the_site_and_starts_pending(pcp, world, programs, db):
    rid = sent_program_referral(pcp, world, programs.pantry)
    referral = db.session.get(Referral, rid)
    assert (referral.kind, referral.clinician_id, referral.site_id) == (
        "program",
        None,
        programs.pantry.site.id,
    )
    assert (referral.status, referral.program_status) == ("sent", "pending")
    assert referral_audit() == [("create", "ok", str(rid)), ("event:send", "ok", str(rid))]


def test_a_clinician_referral_keeps_its_kind(pcp, world, db):
    now = datetime.now(UTC)
    referral = use_cases.create(actor_of(pcp), referral_payload(world), now).referral
    assert (referral.kind, referral.site_id, referral.program_status) == (
        "bh_clinician",
        None,
        None,
    )


def test_community_staff_see_only_their_organizations_referrals(pcp, world, programs, db):
    pantry_rid = sent_program_referral(pcp, world, programs.pantry)
    otp_rid = sent_program_referral(pcp, world, programs.otp)
    staff = community_actor(db, programs.pantry)
    assert use_cases.read(staff, pantry_rid).relations == frozenset({"receiver"})
    with pytest.raises(NotFound):
        use_cases.read(staff, otp_rid)
    page = use_cases.list_visible(staff, {})
    assert [s.referral.id for s in page.items] == [pantry_rid]
    # Every read is audited: the disclosure, the refusal, and each referral a list shows.
    assert referral_audit()[-3:] == [
        ("disclose", "ok", str(pantry_rid)),
        ("read", "denied", str(otp_rid)),
        ("disclose", "ok", str(pantry_rid)),
    ]


def test_a_draft_is_not_shown_to_the_program(pcp, world, programs, db):
    rid = use_cases.create(
        actor_of(pcp), program_payload(world, programs.pantry), datetime.now(UTC)
    ).referral.id
    with pytest.raises(NotFound):
        use_cases.read(community_actor(db, programs.pantry), rid)


def test_reports_move_the_lifecycle_and_stamp_times(pcp, world, programs, db):
    rid = sent_program_referral(pcp, world, programs.pantry)
    staff = community_actor(db, programs.pantry)
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
    assert referral_audit()[-2:] == [
        ("event:report", "ok", str(rid)),
        ("event:report", "ok", str(rid)),
    ]
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
    rid = sent_program_referral(pcp, world, programs.pantry)
    staff = community_actor(db, programs.pantry)
    use_cases.move(staff, rid, {"type": "report", "program_status": reported}, datetime.now(UTC))
    assert db.session.get(Referral, rid).status == status


def test_the_same_status_twice_is_a_conflict(pcp, world, programs, db):
    rid = sent_program_referral(pcp, world, programs.pantry)
    staff = community_actor(db, programs.pantry)
    body = {"type": "report", "program_status": "needs_client_action"}
    use_cases.move(staff, rid, body, datetime.now(UTC))
    with pytest.raises(ReportConflict):
        use_cases.move(staff, rid, body, datetime.now(UTC))
    assert referral_audit()[-1] == ("event:report", "invalid", str(rid))


def test_pending_cannot_be_reported_and_a_report_needs_a_status(pcp, world, programs, db):
    rid = sent_program_referral(pcp, world, programs.pantry)
    staff = community_actor(db, programs.pantry)
    with pytest.raises(Malformed) as raised:
        use_cases.move(staff, rid, {"type": "report", "program_status": "pending"}, None)
    assert "program_status" in raised.value.errors
    with pytest.raises(Invalid) as raised:
        use_cases.move(staff, rid, {"type": "report"}, datetime.now(UTC))
    assert raised.value.errors == {"program_status": ["a report needs the program's status"]}


def test_clinician_steps_do_not_fit_a_program_referral(pcp, world, programs, db):
    rid = sent_program_referral(pcp, world, programs.pantry)
    staff = community_actor(db, programs.pantry)
    with pytest.raises(Conflict) as raised:
        use_cases.move(staff, rid, {"type": "accept"}, datetime.now(UTC))
    assert raised.value.extra == {"allowed_events": ["cancel", "report"]}
    with pytest.raises(Denied):
        use_cases.move(
            actor_of(pcp), rid, {"type": "report", "program_status": "eligible"}, datetime.now(UTC)
        )


def test_a_clinician_cannot_report_a_program_status(pcp, clinician, world, db):
    now = datetime.now(UTC)
    rid = use_cases.create(actor_of(pcp), referral_payload(world), now).referral.id
    use_cases.move(actor_of(pcp), rid, {"type": "send"}, now)
    with pytest.raises(Conflict) as raised:
        use_cases.move(
            actor_for_user(clinician.user),
            rid,
            {"type": "report", "program_status": "eligible"},
            now,
        )
    assert raised.value.extra == {"allowed_events": ["acknowledge", "cancel"]}


def test_the_referring_side_may_cancel_a_program_referral(pcp, world, programs, db):
    rid = sent_program_referral(pcp, world, programs.pantry)
    use_cases.move(actor_of(pcp), rid, {"type": "cancel"}, datetime.now(UTC))
    referral = db.session.get(Referral, rid)
    assert (referral.status, referral.program_status) == ("cancelled", "pending")
