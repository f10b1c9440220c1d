"""The PCP referral form's PHQ-9 / GAD-7 entry: scored, concerns pre-filled, attached."""

from sqlalchemy import select

from audit.models import AuditEvent
from referrals.models import Referral
from screening.models import ScreeningResult
from tests.console.conftest import referral_form


def test_a_positive_phq9_adds_depression_and_is_attached_to_the_sent_referral(db, world, signed_in):
    form = referral_form(
        world.ana, screening_instrument="phq9", screening_answers="2 2 2 1 1 1 1 0 0"
    )

    response = signed_in("pcp").post("/pcp/referrals", data=form)

    assert response.status_code == 303
    referral = db.session.scalars(select(Referral)).one()
    assert referral.status == "sent"
    assert "depression" in referral.needs["concerns"]
    result = db.session.scalars(select(ScreeningResult)).one()
    assert (result.referral_id, result.score, result.severity) == (referral.id, 10, "moderate")
    assert (result.positive, result.crisis) == (True, False)
    audited = db.session.scalars(
        select(AuditEvent).where(AuditEvent.object_type == "screening")
    ).all()
    assert [(a.action, a.outcome, a.object_id) for a in audited] == [
        ("create", "ok", str(result.id))
    ]


def test_a_negative_gad7_adds_no_concern(db, world, signed_in):
    form = referral_form(world.ana, screening_instrument="gad7", screening_answers="1,1,1,1,0,0,0")

    signed_in("pcp").post("/pcp/referrals", data=form)

    referral = db.session.scalars(select(Referral)).one()
    assert "anxiety" not in referral.needs.get("concerns", [])
    assert db.session.scalars(select(ScreeningResult.score)).one() == 4


def test_item_9_puts_the_clinician_crisis_guidance_first(db, world, signed_in):
    pcp = signed_in("pcp")
    form = referral_form(
        world.ana, screening_instrument="phq9", screening_answers="0 0 0 0 0 0 0 0 1"
    )

    response = pcp.post("/pcp/referrals", data=form, follow_redirects=True)

    html = response.get_data(as_text=True)
    assert "warm-transfer to 988" in html
    assert html.index("warm-transfer to 988") < html.index("sent to")


def test_a_missing_answer_sends_nothing_and_names_the_item(db, world, signed_in):
    form = referral_form(world.ana, screening_instrument="phq9", screening_answers="1 1 1")

    response = signed_in("pcp").post("/pcp/referrals", data=form)

    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "item 4 (/44254-1) is missing" in html
    assert 'value="1 1 1"' in html
    assert db.session.scalars(select(Referral)).all() == []
    assert db.session.scalars(select(ScreeningResult)).all() == []
