"""The referral form's opt-in to status updates: a channel, and the email address it needs."""

from __future__ import annotations

from referrals.models import Referral
from tests.console.conftest import needs, referral_form


def _created(db, response) -> Referral:
    assert response.status_code == 303, response.get_data(as_text=True)[-2000:]
    return db.session.get(Referral, int(response.headers["Location"].rsplit("/", 1)[1]))


def test_the_form_offers_the_three_choices_with_none_checked(world, signed_in):
    html = (
        signed_in("pcp")
        .post("/pcp/refer", data={**needs(), "choice": f"{world.ana.npi}:"})
        .get_data(as_text=True)
    )
    assert html.count('name="patient_notices"') == 3
    assert 'name="patient_notices" value="none" checked' in html
    assert 'name="patient_email" type="email"' in html


def test_texts_chosen_on_the_form_are_kept(db, world, signed_in):
    form = referral_form(world.ana, patient_notices="sms")
    referral = _created(db, signed_in("pcp").post("/pcp/referrals", data=form))
    assert (referral.patient_notices, referral.patient_email) == ("sms", None)


def test_emails_chosen_on_the_form_are_kept_with_the_address(db, world, signed_in):
    form = referral_form(world.ana, patient_notices="email", patient_email="maria@example.net")
    referral = _created(db, signed_in("pcp").post("/pcp/referrals", data=form))
    assert (referral.patient_notices, referral.patient_email) == ("email", "maria@example.net")


def test_emails_without_an_address_come_back_with_the_choice_kept(db, world, signed_in):
    form = referral_form(world.ana, patient_notices="email")
    response = signed_in("pcp").post("/pcp/referrals", data=form)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'name="patient_notices" value="email" checked' in html
    assert 'id="patient_email-error"' in html
    assert db.session.query(Referral).count() == 0


def test_a_form_without_the_choice_means_no_updates(db, world, signed_in):
    referral = _created(db, signed_in("pcp").post("/pcp/referrals", data=referral_form(world.ana)))
    assert referral.patient_notices == "none"


def test_the_referral_page_says_how_the_patient_hears(db, world, signed_in):
    pcp = signed_in("pcp")
    form = referral_form(world.ana, patient_notices="sms")
    referral = _created(db, pcp.post("/pcp/referrals", data=form))
    page = pcp.get(f"/pcp/referrals/{referral.id}").get_data(as_text=True)
    assert '<dd id="referral-patient-notices">By text message</dd>' in page
    quiet = _created(db, pcp.post("/pcp/referrals", data=referral_form(world.ana)))
    assert "referral-patient-notices" not in pcp.get(f"/pcp/referrals/{quiet.id}").get_data(
        as_text=True
    )
