"""A patient's result card says what care costs, whose word it is and how old; or that we do not
know. The search form takes how the patient pays and the most they can pay."""

from datetime import timedelta

from sqlalchemy import select

from directory.cost import Cost
from directory.cost_facts import set_cost
from directory.extensions import db
from directory.models import Clinician
from directory.models.verification import utcnow


def _rivera() -> Clinician:
    return db.session.scalar(select(Clinician).where(Clinician.last_name == "Rivera"))


def _said_sliding_scale():
    said = utcnow() - timedelta(days=12, hours=1)
    cost = Cost(fee_min=40, fee_max=120, sliding_scale=True, medicaid=True)
    set_cost(_rivera(), cost, "self_reported", observed_at=said)
    db.session.commit()


def test_the_card_shows_cost_with_its_source_and_age(search):
    _said_sliding_scale()

    page = search(concerns=["depression"]).get_data(as_text=True)

    assert "Cost: Sliding scale · Takes Medicaid · Self-pay $40-$120 a session" in page
    assert "Takes Medicaid: yes (from the clinician&#39;s own listing, 12 days ago)." in page
    assert "Not known: Free care, Takes Medicare, Sees uninsured (self-pay) patients." in page


def test_a_card_without_cost_says_it_is_not_known(search):
    page = search(concerns=["depression"]).get_data(as_text=True)

    assert "Cost: Cost not known: ask about fees and insurance." in page
    assert "Self-pay $" not in page


def test_payment_and_fee_from_the_form_explain_each_card(search):
    _said_sliding_scale()

    page = search(concerns=["depression"], payment=["uninsured"], max_fee="50").get_data(
        as_text=True
    )

    assert "Takes patients without insurance (self-pay)" in page
    assert "Self-pay $40-$120 a session, within $50" in page
    assert "Not known to take patients without insurance (self-pay)" in page
    assert "Self-pay fee not known (you asked for $50 or less)" in page


def test_a_bad_fee_is_a_message_next_to_the_field(search):
    response = search(max_fee="-3")

    assert response.status_code == 400
    assert "Enter the most you can pay for a visit" in response.get_data(as_text=True)


def test_the_card_speaks_spanish(search):
    _said_sliding_scale()

    page = search(concerns=["depression"], lang="es").get_data(as_text=True)

    assert "Escala móvil · Acepta Medicaid · Sin seguro: $40-$120 por sesión" in page
