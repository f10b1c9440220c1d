"""Crisis words typed by staff put the 988 guidance before the confirmation (EN + ES)."""

from __future__ import annotations

from sqlalchemy import select

from console.models import CallNote
from tests.console.conftest import needs, referral_form
from web.i18n import LOCALE_COOKIE

GUIDANCE_EN = "The words entered mention suicide, self-harm or an overdose: assess risk now."
GUIDANCE_ES = "Lo escrito menciona suicidio, autolesión o una sobredosis: evalúe el riesgo ahora."


def test_a_call_note_with_crisis_words_saves_the_call_and_puts_988_first(db, world, signed_in):
    staff = signed_in("plan_staff")
    note = "Caller said she keeps HURTING MYSELF"
    saved = staff.post("/staff/calls", data={**needs(), "outcome": "info_only", "call_note": note})
    assert saved.status_code == 303
    html = staff.get("/staff/").get_data(as_text=True)
    assert html.index(GUIDANCE_EN) < html.index("Call outcome saved.")
    assert db.session.scalars(select(CallNote)).one().note == note


def test_a_harmless_call_note_adds_no_guidance(world, signed_in):
    staff = signed_in("plan_staff")
    note = "The side effects were harmless"
    staff.post("/staff/calls", data={**needs(), "outcome": "info_only", "call_note": note})
    assert GUIDANCE_EN not in staff.get("/staff/").get_data(as_text=True)


def test_a_spanish_call_note_escalates_in_spanish(world, signed_in):
    staff = signed_in("plan_staff")
    staff.set_cookie(LOCALE_COOKIE, "es")
    note = "Dice que piensa en hacerme daño"
    staff.post("/staff/calls", data={**needs(), "outcome": "info_only", "call_note": note})
    assert GUIDANCE_ES in staff.get("/staff/").get_data(as_text=True)


def test_a_referral_reason_naming_an_overdose_warns_on_the_confirmation(world, signed_in):
    pcp = signed_in("pcp")
    form = referral_form(world.ana, reason="Overdosed last month, follow-up care")
    sent = pcp.post("/pcp/referrals", data=form)
    assert sent.status_code == 303
    html = pcp.get(sent.headers["Location"]).get_data(as_text=True)
    assert html.index(GUIDANCE_EN) < html.index("Referral #1 sent")


def test_a_referral_without_crisis_words_has_no_warning(world, signed_in):
    pcp = signed_in("pcp")
    sent = pcp.post("/pcp/referrals", data=referral_form(world.ana, reason="Low mood"))
    assert GUIDANCE_EN not in pcp.get(sent.headers["Location"]).get_data(as_text=True)
