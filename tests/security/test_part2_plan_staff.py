"""Threat model: 42 CFR Part 2 records (issue 12, section 1), continued: plan staff read only
their plans' members, re-referral needs a consent naming the new clinician, and the audit
trail holds no Part 2 content. The world and the attack's shape: test_part2.py.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from audit.models import AuditEvent
from referrals.consent import PART2_NOTICE
from tests.referrals.world import (
    PATIENT,
    referral_payload,
)
from tests.security.part2_calls import (
    CONTENT,
    assert_withheld_json,
    create,
    sent_sud,
)

# --- plan staff read only their plans' members ----------------------------------------------


@pytest.mark.parametrize(
    ("plan", "member_id", "visible"),
    [
        ("AcmeGold", "ACME123456", True),
        ("AcmeGold", None, False),  # a plan without a member id proves nothing
        ("AcmeGold", "   ", False),
        ("BeaconPPO", "ACME123456", False),
        (None, "ACME123456", False),
    ],
)
def test_plan_staff_see_only_their_plans_members(pcp, staff, world, db, plan, member_id, visible):
    patient = {**PATIENT, "member_id": member_id}
    rid = create(pcp, referral_payload(world, plan=plan, patient=patient))["id"]
    assert staff.get(f"/api/v1/referrals/{rid}").status_code == (200 if visible else 404)
    listed = [item["id"] for item in staff.get("/api/v1/referrals").get_json()["items"]]
    assert (rid in listed) is visible
    assert (staff.get(f"/staff/referrals/{rid}").status_code == 200) is visible
    last = db.session.scalars(
        select(AuditEvent).where(AuditEvent.object_id == str(rid)).order_by(AuditEvent.id.desc())
    ).first()
    assert last.actor == staff.user.label
    assert (last.action, last.outcome) == (("disclose", "ok") if visible else ("read", "denied"))


def test_every_plan_staff_read_is_audited_as_a_disclosure(pcp, staff, world, db):
    rid = create(pcp, referral_payload(world))["id"]
    before = db.session.scalar(select(AuditEvent.id).order_by(AuditEvent.id.desc()).limit(1))
    staff.get(f"/api/v1/referrals/{rid}")
    staff.get("/api/v1/referrals")
    staff.get(f"/api/v1/referrals/{rid}/fhir")
    staff.get(f"/staff/referrals/{rid}")
    rows = db.session.scalars(
        select(AuditEvent).where(AuditEvent.id > before, AuditEvent.object_type == "referral")
    ).all()
    assert [(r.action, r.object_id, r.outcome) for r in rows] == [("disclose", str(rid), "ok")] * 4


def test_plan_staff_see_part2_content_only_when_the_consent_names_the_plan(pcp, staff, world):
    rid = sent_sud(pcp, world)
    assert_withheld_json(staff.get(f"/api/v1/referrals/{rid}").get_json())
    recipients = [{"name": "Jane Smith", "npi": world.jane.npi}, "Acme Health Plan"]
    named = sent_sud(pcp, world, recipients=recipients)
    body = staff.get(f"/api/v1/referrals/{named}").get_json()
    assert body["patient"]["member_id"] == "ACME123456" and body["part2_notice"] == PART2_NOTICE


# --- re-referral and the audit trail ---------------------------------------------------------


def test_a_part2_rerefer_needs_a_consent_naming_the_new_clinician(pcp, world):
    rid = sent_sud(pcp, world)
    refused = pcp.post(f"/api/v1/referrals/{rid}/rerefer", json={"clinician_npi": world.omar.npi})
    assert refused.status_code == 422
    assert pcp.get(f"/api/v1/referrals/{rid}").get_json()["status"] == "sent"


def test_the_audit_trail_holds_no_part2_content(pcp, jane, world, db):
    rid = sent_sud(pcp, world)
    jane.get(f"/api/v1/referrals/{rid}")
    pcp.post(f"/api/v1/referrals/{rid}/consent/revoke")
    jane.get(f"/api/v1/referrals/{rid}")
    rows = db.session.scalars(select(AuditEvent)).all()
    text = " ".join(f"{r.actor} {r.action} {r.object_type} {r.object_id}" for r in rows)
    for value in (*CONTENT, "opioid"):
        assert value not in text
    outcomes = [(r.action, r.outcome) for r in rows if r.actor == jane.user.label]
    assert outcomes[-1] == ("disclose", "blocked")
