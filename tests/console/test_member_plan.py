"""The call console picks the caller's plan from the member id, and says when the two disagree."""

from __future__ import annotations

from html import unescape

import pytest
from sqlalchemy import select

from console.models import CallNote
from directory.models import Network
from referrals.models import Referral
from tests.console.conftest import needs, referral_form
from tests.console.test_staff_console import _selected_plan

MASSCARE, BAY = r"^MC\d{6,7}$", r"^(BSP|MC)\d{7}$"


@pytest.fixture
def formats(db, world):
    """MassCare ids are MC and six or seven digits, Bay State's BSP or MC and seven."""
    db.session.get(Network, world.plan).member_id_format = MASSCARE
    db.session.get(Network, world.other_plan).member_id_format = BAY
    db.session.commit()


@pytest.fixture
def staff(signed_in, world, formats):
    return signed_in("plan_staff", plans=(world.plan, world.other_plan))


def _status(html: str) -> str:
    start = html.index('id="member-plan-status"')
    return unescape(html[html.index(">", start) + 1 : html.index("</p>", start)])


def test_the_page_carries_each_plans_format_and_a_blank_plan_choice(staff, world):
    html = staff.get("/staff/").get_data(as_text=True)
    assert f'<option value="{world.plan}" data-member-id-format="^MC\\d{{6,7}}$"' in html
    assert '<option value="">From the member ID</option>' in html
    assert 'data-picked="Plan chosen from the member ID:"' in html
    assert html.count('name="patient_member_id"') == 1  # asked once, beside the plan
    assert "member_plan.js" in html


def test_a_blank_plan_is_filled_from_the_one_plan_the_id_fits(staff, world):
    html = staff.post("/staff/search", data=needs(plan="", patient_member_id="bsp 1234567"))
    text = html.get_data(as_text=True)
    assert html.status_code == 200 and _selected_plan(text) == world.other_plan
    assert _status(text) == "Plan chosen from the member ID: Bay State PPO"
    # Remembered for the agent's next call, like a plan chosen by hand.
    assert _selected_plan(staff.get("/staff/").get_data(as_text=True)) == world.other_plan


def test_an_id_two_plans_fit_or_none_leaves_the_choice_to_the_agent(staff, world):
    several = staff.post("/staff/search", data=needs(plan="", patient_member_id="MC1234567"))
    text = several.get_data(as_text=True)
    assert _status(text) == (
        "Member IDs of more than one plan look like this; choose the plan: "
        "Bay State PPO, MassCare HMO"
    )
    assert _selected_plan(text) == world.other_plan  # the first offered, as before
    none = staff.post("/staff/search", data=needs(plan="", patient_member_id="MC12345"))
    assert _status(none.get_data(as_text=True)) == (
        "No plan's member IDs look like this; choose the plan."
    )


def test_a_chosen_plan_the_id_does_not_fit_is_kept_and_flagged(staff, world):
    response = staff.post("/staff/search", data=needs(patient_member_id="BSP1234567"))
    text = response.get_data(as_text=True)
    assert _selected_plan(text) == world.plan
    assert _status(text) == "The member ID does not fit the format of: MassCare HMO"
    assert 'class="member-plan field-error"' in text
    fits = staff.post("/staff/search", data=needs(patient_member_id="MC123456"))
    assert _status(fits.get_data(as_text=True)) == ""


def _refer(staff, world, **overrides):
    form = referral_form(world.ana, choice=f"{world.ana.npi}:{world.ana.locations[0].location_id}")
    del form["clinician_npi"], form["location_id"], form["referral_plan"]
    return staff.post("/staff/refer", data={**form, "consent_form_type": "plan_cei", **overrides})


def test_a_referral_whose_plan_the_id_does_not_fit_is_not_sent(db, staff, world):
    refused = _refer(staff, world, patient_member_id="BSP1234567")
    text = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert "The member ID and the plan disagree; check both." in text
    assert 'id="c-patient_member_id-error"' in text
    assert db.session.scalars(select(Referral)).all() == []
    assert db.session.scalars(select(CallNote)).all() == []


def test_a_referral_with_a_blank_plan_goes_to_the_plan_the_id_fits(db, staff, world):
    assert _refer(staff, world, plan="", patient_member_id="BSP1234567").status_code == 303
    referral = db.session.scalars(select(Referral)).one()
    assert (referral.plan_id, referral.patient_member_id) == (world.other_plan, "BSP1234567")
    assert db.session.scalars(select(CallNote)).one().plan_id == world.other_plan


def test_without_formats_nothing_is_said(signed_in, world):
    staff = signed_in("plan_staff")
    text = staff.post("/staff/search", data=needs(patient_member_id="X1")).get_data(as_text=True)
    assert _status(text) == "" and "data-member-id-format" not in text
