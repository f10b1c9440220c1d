"""The clinician's return form on the referral page, and the returns the PCP sees there."""

from __future__ import annotations

from sqlalchemy import select

from referrals.return_models import ReferralReturn

FORM = {
    "diagnoses": "f33.1; F41.1",
    "medication_0_change": "started",
    "medication_0_name": "sertraline 50 mg",
    "medication_0_rxnorm": "312940",
    "medication_1_change": "stopped",
    "medication_1_name": "melatonin",
    "medication_2_change": "started",
    "medication_2_name": "",
    "treatment": "Weekly CBT, 12 sessions",
    "next_date": "2030-01-07",
    "next_time": "10:30",
    "instrument": "phq9",
    "score": "12",
    "note": "Good first session.",
}


def _acknowledged(world, signed_in, sent_referral):
    ana = signed_in("clinician", npi=world.ana.npi)
    page = f"/clinician/referrals/{sent_referral.id}"
    assert ana.post(f"{page}/events", data={"type": "acknowledge"}).status_code == 303
    return ana, page


def test_the_form_appears_only_once_the_referral_is_acknowledged(world, signed_in, sent_referral):
    ana = signed_in("clinician", npi=world.ana.npi)
    page = f"/clinician/referrals/{sent_referral.id}"
    assert 'id="return-form"' not in ana.get(page).get_data(as_text=True)

    ana.post(f"{page}/events", data={"type": "acknowledge"})

    html = ana.get(page).get_data(as_text=True)
    assert 'id="return-form"' in html and "Nothing sent back yet." in html
    pcp_page = sent_referral.pcp.get(f"/pcp/referrals/{sent_referral.id}").get_data(as_text=True)
    assert 'id="return-form"' not in pcp_page
    assert "Done when the clinician sends information back" in pcp_page


def test_the_clinician_sends_the_form_and_the_pcp_sees_it(db, world, signed_in, sent_referral):
    ana, page = _acknowledged(world, signed_in, sent_referral)

    response = ana.post(f"{page}/returns", data=FORM, follow_redirects=True)

    assert "Sent back to the referring clinician." in response.get_data(as_text=True)
    [row] = db.session.scalars(select(ReferralReturn)).all()
    assert row.diagnoses == ["F33.1", "F41.1"]
    assert [(m["name"], m["rxnorm"]) for m in row.medications] == [
        ("sertraline 50 mg", "312940"),
        ("melatonin", None),
    ]
    # 10:30 in America/New_York in January is 15:30 UTC.
    assert row.next_appointment_at.strftime("%Y-%m-%d %H:%M") == "2030-01-07 15:30"
    assert [(s.instrument, s.score, s.severity) for s in row.scores] == [("phq9", 12, "moderate")]
    html = sent_referral.pcp.get(f"/pcp/referrals/{sent_referral.id}").get_data(as_text=True)
    assert "F33.1, F41.1" in html and "Weekly CBT, 12 sessions" in html
    assert "RxNorm 312940" in html and "(uncoded)" in html
    assert "PHQ-9 12 · moderate" in html and "Good first session." in html
    assert "Done when the clinician sends information back" not in html


def test_a_bad_code_is_refused_naming_the_field(db, world, signed_in, sent_referral):
    ana, page = _acknowledged(world, signed_in, sent_referral)

    response = ana.post(f"{page}/returns", data={"diagnoses": "depression"}, follow_redirects=True)

    assert "diagnoses: Not an ICD-10-CM code (e.g. F41.1)." in response.get_data(as_text=True)
    assert db.session.scalars(select(ReferralReturn)).all() == []


def test_another_clinician_gets_not_found(db, world, signed_in, sent_referral):
    _acknowledged(world, signed_in, sent_referral)
    ben = signed_in("clinician", npi=world.ben.npi)

    response = ben.post(f"/clinician/referrals/{sent_referral.id}/returns", data=FORM)

    assert response.status_code == 404
    assert db.session.scalars(select(ReferralReturn)).all() == []


def test_the_pcp_cannot_send_a_return_from_their_page(db, world, signed_in, sent_referral):
    _acknowledged(world, signed_in, sent_referral)
    page = f"/pcp/referrals/{sent_referral.id}"

    response = sent_referral.pcp.post(f"{page}/returns", data=FORM, follow_redirects=True)

    assert "Only the receiving clinician may send information back." in response.get_data(
        as_text=True
    )
    assert db.session.scalars(select(ReferralReturn)).all() == []
