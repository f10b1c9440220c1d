"""The PCP referral form's optional demographics: home ZIP, race and ethnicity (OMB SPD 15)."""

from __future__ import annotations

from referrals.models import Referral
from tests.console.conftest import needs, referral_form


def test_the_form_offers_every_category_and_prefer_not_to_answer(world, signed_in):
    html = (
        signed_in("pcp")
        .post("/pcp/refer", data={**needs(), "choice": f"{world.ana.npi}:"})
        .get_data(as_text=True)
    )
    assert html.count('name="patient_race_ethnicity"') == 8
    assert "Middle Eastern or North African" in html and "Prefer not to answer" in html
    assert 'name="patient_postal_code"' in html


def test_chosen_categories_and_zip_are_kept_and_shown(db, world, signed_in):
    pcp = signed_in("pcp")
    form = referral_form(
        world.ana, patient_postal_code="59001", patient_race_ethnicity=["white", "asian"]
    )
    response = pcp.post("/pcp/referrals", data=form)
    assert response.status_code == 303, response.get_data(as_text=True)[-2000:]
    referral = db.session.get(Referral, int(response.headers["Location"].rsplit("/", 1)[1]))
    assert [r.category for r in referral.race_ethnicity] == ["asian", "white"]
    assert referral.patient_postal_code == "59001"
    page = pcp.get(f"/pcp/referrals/{referral.id}").get_data(as_text=True)
    assert "Asian; White" in page and "59001" in page


def test_a_referral_without_demographics_is_sent(db, world, signed_in):
    response = signed_in("pcp").post("/pcp/referrals", data=referral_form(world.ana))
    assert response.status_code == 303
    referral = db.session.get(Referral, int(response.headers["Location"].rsplit("/", 1)[1]))
    assert referral.race_ethnicity == [] and referral.patient_postal_code is None


def test_prefer_not_to_answer_with_a_category_is_sent_back_checked(db, world, signed_in):
    form = referral_form(world.ana, patient_race_ethnicity=["white", "prefer_not_to_answer"])
    response = signed_in("pcp").post("/pcp/referrals", data=form)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "stands alone" in html
    assert 'value="white" checked' in html and 'value="prefer_not_to_answer" checked' in html
    assert db.session.query(Referral).count() == 0
