"""The PCP referral forms fill the referrer from the signed-in account; the fields stay editable."""

from __future__ import annotations

import re

from sqlalchemy import select

from directory.extensions import db as _db
from referrals.models import Referral
from tests.console.conftest import needs, referral_form
from tests.console.test_program_referral_pages import _form as program_form
from tests.console.test_program_referral_pages import _pantry
from web.i18n import LOCALE_COOKIE


def _named(client, full_name="Dana Whitfield", credentials="MD", phone="(617) 555-0142"):
    """Give the client's user their details, as the account page would."""
    user = _db.session.merge(client.user)
    user.full_name, user.credentials, user.phone = full_name, credentials, phone
    _db.session.commit()
    return client


def _value(html: str, field: str) -> str:
    match = re.search(rf'<input id="{field}" name="{field}"[^>]*value="([^"]*)"', html)
    assert match, f"no {field} field"
    return match.group(1)


def test_the_referral_form_is_filled_from_the_account(world, signed_in):
    pcp = _named(signed_in("pcp"))
    html = pcp.post("/pcp/refer", data={**needs(), "choice": f"{world.ana.npi}:"}).get_data(True)
    assert _value(html, "referrer_name") == "Dana Whitfield, MD"
    assert _value(html, "referrer_phone") == "(617) 555-0142"
    assert f"Sent from {world.pcp_org.name}. Your name and phone come from your account" in html


def test_an_account_without_details_leaves_the_fields_empty(world, signed_in):
    pcp = signed_in("pcp")
    html = pcp.post("/pcp/refer", data={**needs(), "choice": f"{world.ana.npi}:"}).get_data(True)
    assert _value(html, "referrer_name") == "" and _value(html, "referrer_phone") == ""


def test_a_refused_form_comes_back_with_the_referrer_as_sent(world, signed_in):
    pcp = _named(signed_in("pcp"))
    form = referral_form(world.ana, reason="", referrer_name="", referrer_phone="617 555 0199")
    response = pcp.post("/pcp/referrals", data=form)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert _value(html, "referrer_name") == ""  # cleared on the form: not filled again
    assert _value(html, "referrer_phone") == "617 555 0199"


def test_the_referral_sent_names_the_referrer_as_edited(world, signed_in, db):
    pcp = _named(signed_in("pcp"))
    form = referral_form(
        world.ana, referrer_name="Dr. Dana Whitfield", referrer_phone="(617) 555-0100"
    )
    assert pcp.post("/pcp/referrals", data=form).status_code == 303
    referral = db.session.scalars(select(Referral)).one()
    assert (referral.referrer_name, referral.referrer_phone) == (
        "Dr. Dana Whitfield",
        "(617) 555-0100",
    )
    assert referral.referrer_email == pcp.user.email


def test_the_program_referral_form_is_filled_too_and_in_spanish(world, signed_in, db):
    site = _pantry(db)
    pcp = _named(signed_in("pcp"), credentials=None)
    pcp.set_cookie(LOCALE_COOKIE, "es")
    html = pcp.post("/pcp/programs/refer", data={"service_at_location_id": str(site.id)}).get_data(
        True
    )
    assert _value(html, "referrer_name") == "Dana Whitfield"
    assert f"Se envía desde {world.pcp_org.name}. Su nombre y teléfono vienen de su cuenta" in html
    # A form posted without the referrer fields: the referral names the account's person.
    sent = pcp.post("/pcp/programs/referrals", data=program_form(site))
    assert sent.status_code == 303
    referral = db.session.scalars(select(Referral)).one()
    assert (referral.referrer_name, referral.referrer_phone) == ("Dana Whitfield", "(617) 555-0142")
