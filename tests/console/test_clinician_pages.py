"""Clinician pages: the inbox, accept or decline with a reason, appointment, close; the listing."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from audit.models import AuditEvent
from directory.facts import clinician as subject
from directory.facts import history
from directory.models import Clinician
from directory.models.verification import as_utc, utcnow
from referrals.models import Referral
from tests.web.seed_directory import _npi


def _referral(db, referral_id: int) -> Referral:
    db.session.expire_all()
    return db.session.get(Referral, referral_id)


def test_the_inbox_lists_referrals_sent_to_this_clinician_only(world, signed_in, sent_referral):
    ana = signed_in("clinician", npi=world.ana.npi)
    html = ana.get("/clinician/").get_data(as_text=True)
    assert f"#{sent_referral.id}" in html and "Maria Lopez" in html
    assert "New: accept or decline" in html
    ben = signed_in("clinician", npi=world.ben.npi)
    assert f"#{sent_referral.id}" not in ben.get("/clinician/").get_data(as_text=True)
    assert ben.get(f"/clinician/referrals/{sent_referral.id}").status_code == 404


def test_accepting_acknowledges_on_the_way_and_the_pcp_sees_accepted(
    db, world, signed_in, sent_referral
):
    ana = signed_in("clinician", npi=world.ana.npi)
    page = f"/clinician/referrals/{sent_referral.id}"
    assert 'name="type" value="accept"' in ana.get(page).get_data(as_text=True)
    assert ana.post(f"{page}/events", data={"type": "accept"}).status_code == 303
    referral = _referral(db, sent_referral.id)
    assert [e.type for e in referral.events] == ["send", "acknowledge", "accept"]
    assert referral.status == "accepted"
    mine = sent_referral.pcp.get("/pcp/referrals").get_data(as_text=True)
    assert 'id="status-accepted">Accepted' in mine


def test_declining_needs_a_reason_and_flags_the_listing(db, world, signed_in, sent_referral):
    ana = signed_in("clinician", npi=world.ana.npi)
    events = f"/clinician/referrals/{sent_referral.id}/events"
    refused = ana.post(events, data={"type": "decline", "reason": "other"}, follow_redirects=True)
    assert "A decline for another reason needs a note" in refused.get_data(as_text=True)
    assert _referral(db, sent_referral.id).status == "sent"
    ana.post(events, data={"type": "decline", "reason": "not_accepting_new_patients"})
    referral = _referral(db, sent_referral.id)
    assert referral.status == "declined"
    assert referral.decline_reason == "not_accepting_new_patients"
    assert referral.clinician.flagged_reason == "referral declined: not accepting new patients"


def test_appointment_attendance_and_the_closing_note(app, db, world, signed_in, sent_referral):
    ana = signed_in("clinician", npi=world.ana.npi)
    events = f"/clinician/referrals/{sent_referral.id}/events"
    ana.post(events, data={"type": "accept"})
    ana.post(
        events,
        data={"type": "schedule", "appointment_date": "2030-01-15", "appointment_time": "14:30"},
    )
    referral = _referral(db, sent_referral.id)
    assert referral.status == "scheduled"
    local = as_utc(referral.appointment_at).astimezone(ZoneInfo(app.config["REFERRAL_TIMEZONE"]))
    assert local.strftime("%Y-%m-%d %H:%M") == "2030-01-15 14:30"
    ana.post(events, data={"type": "attend"})
    without_note = ana.post(events, data={"type": "close"}, follow_redirects=True)
    assert "Closing needs a note back" in without_note.get_data(as_text=True)
    ana.post(events, data={"type": "close", "note": "Seen twice; CBT plan; PCP to follow up"})
    assert _referral(db, sent_referral.id).status == "closed"
    pcp_page = sent_referral.pcp.get(f"/pcp/referrals/{sent_referral.id}").get_data(as_text=True)
    assert "CBT plan" in pcp_page and "Closed" in pcp_page


def test_no_show_is_recorded(db, world, signed_in, sent_referral):
    ana = signed_in("clinician", npi=world.ana.npi)
    events = f"/clinician/referrals/{sent_referral.id}/events"
    ana.post(events, data={"type": "accept"})
    ana.post(events, data={"type": "schedule", "appointment_date": "2030-01-02"})
    ana.post(events, data={"type": "no_show"})
    assert _referral(db, sent_referral.id).status == "no_show"


def test_the_listing_update_and_attestation_verify_the_clinician_and_links(db, world, signed_in):
    ana = signed_in("clinician", npi=world.ana.npi)
    clinician = db.session.get(Clinician, world.ana.id)
    clinician.flagged_reason = "referral declined: not accepting new patients"
    clinician.verified_at = utcnow() - timedelta(days=200)
    db.session.commit()
    assert "Stale: referrers see a warning" in ana.get("/clinician/listing").get_data(as_text=True)
    form = {
        "accepting": "no",
        "wait_days": "45",
        "next_available_on": "2030-03-01",
        "referral_capacity": "2",
        "attest": "1",
    }
    assert ana.post("/clinician/listing", data=form).status_code == 303
    db.session.expire_all()
    clinician = db.session.get(Clinician, world.ana.id)
    assert clinician.accepting_new_patients is False
    assert (clinician.wait_days, clinician.referral_capacity) == (45, 2)
    assert clinician.next_available_on.isoformat() == "2030-03-01"
    assert clinician.verified_source == "attestation" and not clinician.is_stale()
    assert clinician.flagged_reason is None
    links = [*clinician.locations, *clinician.participations]
    assert links and all(link.verified_source == "attestation" for link in links)
    actions = db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.object_type == "clinician")
    ).all()
    assert actions == ["update", "attest"]
    confirmed = [(o.kind, o.value) for o in history(subject(clinician.id))]
    assert ("accepting_new_patients", False) in confirmed
    assert {o.source for o in history(subject(clinician.id))} == {"clinician_attestation"}


def test_saving_without_attesting_keeps_the_old_verification(db, world, signed_in):
    ana = signed_in("clinician", npi=world.ana.npi)
    before = db.session.get(Clinician, world.ana.id).verified_at
    ana.post("/clinician/listing", data={"accepting": "yes", "wait_days": "3"})
    db.session.expire_all()
    clinician = db.session.get(Clinician, world.ana.id)
    assert clinician.wait_days == 3 and as_utc(clinician.verified_at) == as_utc(before)


def test_bad_listing_values_are_refused_by_field(db, world, signed_in):
    ana = signed_in("clinician", npi=world.ana.npi)
    response = ana.post(
        "/clinician/listing", data={"accepting": "maybe", "wait_days": "-3", "attest": "1"}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Choose yes, no or not stated." in html and "from 0 to 365" in html
    db.session.expire_all()
    assert db.session.get(Clinician, world.ana.id).verified_source != "attestation"


def test_a_clinician_user_without_a_listing_gets_404(world, signed_in):
    nobody = signed_in("clinician", npi=_npi(77))
    assert nobody.get("/clinician/listing").status_code == 404


COST_FORM = {
    "accepting": "yes",
    "fee_min": "60",
    "fee_max": "120",
    "sliding_scale": "yes",
    "free_care": "unknown",
    "medicaid": "no",
    "medicare": "unknown",
    "uninsured": "yes",
}


def test_the_clinician_edits_cost_on_the_listing_as_self_reported(db, world, signed_in):
    ana = signed_in("clinician", npi=world.ana.npi)
    assert ana.post("/clinician/listing", data=COST_FORM).status_code == 303
    db.session.expire_all()
    clinician = db.session.get(Clinician, world.ana.id)
    assert (clinician.fee_min, clinician.fee_max) == (60, 120)
    assert (clinician.sliding_scale, clinician.accepts_medicaid) == (True, False)
    assert clinician.free_care is None and clinician.accepts_medicare is None
    said = {o.kind: (o.value, o.source) for o in history(subject(clinician.id))}
    assert said == {
        "self_pay_fee": ({"min": 60, "max": 120}, "self_reported"),
        "sliding_scale": (True, "self_reported"),
        "accepts_medicaid": (False, "self_reported"),
        "accepts_uninsured": (True, "self_reported"),
    }
    page = ana.get("/clinician/listing").get_data(as_text=True)
    assert "Self-pay fee: $60-$120 a session (from the clinician&#39;s own listing, today)." in page
    assert "Not known: Free care, Takes Medicare." in page


def test_saving_cost_again_records_only_what_changed(db, world, signed_in):
    ana = signed_in("clinician", npi=world.ana.npi)
    ana.post("/clinician/listing", data=COST_FORM)
    ana.post("/clinician/listing", data={**COST_FORM, "medicare": "yes", "fee_max": ""})
    db.session.expire_all()
    clinician = db.session.get(Clinician, world.ana.id)
    assert (clinician.fee_min, clinician.fee_max, clinician.accepts_medicare) == (60, None, True)
    kinds = sorted(o.kind for o in history(subject(clinician.id)))
    assert kinds == [
        "accepts_medicaid",
        "accepts_medicare",
        "accepts_uninsured",
        "self_pay_fee",
        "self_pay_fee",
        "sliding_scale",
    ]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"fee_min": "130"}, "fee_max"),
        ({"fee_max": "2001"}, "fee_max"),
        ({"medicaid": "x"}, "medicaid"),
    ],
)
def test_a_bad_cost_is_refused_and_nothing_is_saved(db, world, signed_in, change, field):
    ana = signed_in("clinician", npi=world.ana.npi)
    response = ana.post("/clinician/listing", data={**COST_FORM, **change})
    assert response.status_code == 400
    assert f'id="{field}-error"' in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Clinician, world.ana.id).fee_min is None
    assert history(subject(world.ana.id)) == []


def test_a_form_without_cost_fields_leaves_cost_alone(db, world, signed_in):
    ana = signed_in("clinician", npi=world.ana.npi)
    ana.post("/clinician/listing", data=COST_FORM)
    ana.post("/clinician/listing", data={"accepting": "yes"})
    db.session.expire_all()
    assert db.session.get(Clinician, world.ana.id).fee_min == 60
