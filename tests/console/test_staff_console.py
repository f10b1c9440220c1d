"""The plan call console: plan preselected, results fragment, referral, call outcomes, queue."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from audit.models import AuditEvent
from console.models import CallNote
from directory.models.verification import utcnow
from referrals.models import Referral
from tests.console.conftest import needs, referral_form
from web.i18n import LOCALE_COOKIE


def _selected_plan(html: str) -> str:
    start = html.index('id="c-plan"')
    chunk = html[start : html.index("</select>", start)]
    return chunk.split(" selected>")[0].rsplit('value="', 1)[1].split('"')[0]


def test_the_console_preselects_the_plan_and_remembers_the_agents_choice(world, signed_in):
    staff = signed_in("plan_staff", plans=(world.plan, world.other_plan))
    html = staff.get("/staff/").get_data(as_text=True)
    assert _selected_plan(html) == world.other_plan  # "Bay State PPO": the first by name
    assert "<kbd>Alt+Shift+1</kbd>" in html and "call_console.js" in html
    assert "<kbd>Alt+1</kbd>" not in html  # plain Alt+digit switches browser tabs on Linux
    staff.post("/staff/matches", data=needs(plan=world.plan))
    assert _selected_plan(staff.get("/staff/").get_data(as_text=True)) == world.plan


def test_the_console_offers_only_the_organizations_plans(world, signed_in):
    html = signed_in("plan_staff").get("/staff/").get_data(as_text=True)
    assert f'value="{world.plan}"' in html and f'value="{world.other_plan}"' not in html


def test_the_matches_fragment_follows_the_filters(world, signed_in):
    staff = signed_in("plan_staff")
    fragment = staff.post("/staff/matches", data=needs()).get_data(as_text=True)
    assert fragment.lstrip().startswith('<div id="results-region">')
    assert "<html" not in fragment
    assert "Ana Rivera" in fragment and "Ben Okafor" in fragment
    spanish = staff.post("/staff/matches", data=needs(languages="es", required="languages"))
    html = spanish.get_data(as_text=True)
    assert "Ana Rivera" in html and "Ben Okafor" not in html
    bad = staff.post("/staff/matches", data=needs(postal_code="123")).get_data(as_text=True)
    assert "Check the needs" in bad and "not a ZIP code" in bad


def test_a_plan_outside_the_organization_falls_back_to_its_own(world, signed_in):
    staff = signed_in("plan_staff")
    html = staff.post("/staff/matches", data=needs(plan=world.other_plan)).get_data(as_text=True)
    # Dev Patel is only in the other plan's network: the search stayed in MassCare.
    assert "Dev Patel" not in html and "Ana Rivera" in html


def test_referring_from_the_console_sends_and_records_the_call(db, world, signed_in):
    staff = signed_in("plan_staff")
    form = referral_form(world.ana, choice=f"{world.ana.npi}:{world.ana.locations[0].location_id}")
    del form["clinician_npi"], form["location_id"], form["referral_plan"]
    response = staff.post("/staff/refer", data={**form, "consent_form_type": "plan_cei"})
    assert response.status_code == 303
    referral = db.session.scalars(select(Referral)).one()
    assert referral.status == "sent" and referral.plan_id == world.plan
    assert referral.referring_organization_id == world.plan_org.id
    call = db.session.scalars(select(CallNote)).one()
    assert (call.outcome, call.referral_id, call.plan_id) == ("referred", referral.id, world.plan)
    assert "Referral #1 sent" in staff.get("/staff/").get_data(as_text=True)


def test_a_refused_referral_keeps_the_console_and_saves_no_call(db, world, signed_in):
    staff = signed_in("plan_staff")
    form = {**referral_form(world.ana, patient_name=""), "choice": f"{world.ana.npi}:"}
    response = staff.post("/staff/refer", data=form)
    assert response.status_code == 400
    assert "The referral was not sent" in response.get_data(as_text=True)
    assert db.session.scalars(select(CallNote)).all() == []


def test_call_outcomes_are_checked_and_saved_without_the_patient(db, world, signed_in):
    staff = signed_in("plan_staff")
    missing = staff.post("/staff/calls", data={**needs(), "outcome": "warm_transfer"})
    assert missing.status_code == 400
    assert "A warm transfer needs the clinician" in missing.get_data(as_text=True)
    no_day = staff.post("/staff/calls", data={"outcome": "callback"})
    assert "A callback needs the day" in no_day.get_data(as_text=True)
    saved = staff.post(
        "/staff/calls",
        data={
            **needs(),
            "outcome": "warm_transfer",
            "choice": f"{world.ben.npi}:",
            "call_note": "Transferred to intake line",
            "patient_name": "Not Stored",
        },
    )
    assert saved.status_code == 303
    call = db.session.scalars(select(CallNote)).one()
    assert (call.outcome, call.clinician_npi, call.note) == (
        "warm_transfer",
        world.ben.npi,
        "Transferred to intake line",
    )
    assert call.user_id == staff.user.id and call.organization_id == world.plan_org.id
    audited = db.session.scalars(select(AuditEvent).where(AuditEvent.object_type == "call_note"))
    assert [e.object_id for e in audited] == [str(call.id)]


def test_a_call_may_name_only_a_referral_the_agent_may_see(world, signed_in, sent_referral):
    staff = signed_in("plan_staff", org=world.other_plan_org, plans=(world.other_plan,))
    response = staff.post(
        "/staff/calls", data={"outcome": "info_only", "referral_id": str(sent_referral.id)}
    )
    assert response.status_code == 400
    assert "No referral with that number" in response.get_data(as_text=True)


def test_the_queue_holds_overdue_referrals_of_the_plans_members_and_callbacks_due(
    db, world, signed_in, sent_referral
):
    referral = db.session.get(Referral, sent_referral.id)
    referral.sent_at = utcnow() - timedelta(days=21)
    db.session.commit()
    staff = signed_in("plan_staff")
    staff.post("/staff/calls", data={"outcome": "callback", "callback_date": "2020-01-01"})
    later = (utcnow() + timedelta(days=5)).date().isoformat()
    staff.post("/staff/calls", data={"outcome": "callback", "callback_date": later})
    html = staff.get("/staff/queue").get_data(as_text=True)
    assert f"#{referral.id}" in html and "Overdue: no appointment yet" in html
    assert "Maria Lopez" in html and "MC123456" in html
    assert html.count("Called back") == 1  # the one due; next week's waits
    later_list = html[html.index("Later callbacks") :]
    assert "(1)" in later_list.split("</h2>")[0] and "No later callbacks." not in html
    assert "No callbacks due." not in html
    other = signed_in("plan_staff", org=world.other_plan_org, plans=(world.other_plan,))
    theirs = other.get("/staff/queue").get_data(as_text=True)
    assert f"#{referral.id}" not in theirs and "No callbacks due." in theirs
    due = db.session.scalars(select(CallNote).order_by(CallNote.id)).first()
    staff.post(f"/staff/calls/{due.id}/done", data={"back": "queue"})
    assert "No callbacks due." in staff.get("/staff/queue").get_data(as_text=True)
    assert other.post(f"/staff/calls/{due.id}/done").status_code == 404


def test_plan_staff_read_their_members_referrals_but_take_no_clinical_steps(
    world, signed_in, sent_referral
):
    staff = signed_in("plan_staff")
    html = staff.get(f"/staff/referrals/{sent_referral.id}").get_data(as_text=True)
    assert "Maria Lopez" in html and "Timeline" in html
    assert 'name="type" value="accept"' not in html and "Next steps" not in html


def test_the_queue_lists_every_open_callback_by_due_date_in_spanish_too(db, world, signed_in):
    staff = signed_in("plan_staff")
    for days, note in ((9, "second"), (3, "first"), (20, "third")):
        day = (utcnow() + timedelta(days=days)).date().isoformat()
        staff.post(
            "/staff/calls", data={"outcome": "callback", "callback_date": day, "call_note": note}
        )
    html = staff.get("/staff/queue").get_data(as_text=True)
    later = html[html.index("Later callbacks") :]
    assert later.index("first") < later.index("second") < later.index("third")
    assert "No callbacks due." in html
    staff.set_cookie(LOCALE_COOKIE, "es")
    spanish = staff.get("/staff/queue").get_data(as_text=True)
    assert "Llamadas para más adelante" in spanish and "(3)" in spanish


def test_the_call_outcome_has_no_default_and_a_blank_one_is_refused(db, world, signed_in):
    staff = signed_in("plan_staff")
    html = staff.get("/staff/").get_data(as_text=True)
    assert '<select id="outcome" name="outcome" required' in html
    assert '<option value="" selected>Choose…</option>' in html
    refused = staff.post("/staff/calls", data={"outcome": "", "call_note": "x"})
    assert refused.status_code == 400
    assert "Choose how the call ended." in refused.get_data(as_text=True)
    assert db.session.scalars(select(CallNote)).all() == []
    staff.set_cookie(LOCALE_COOKIE, "es")
    assert '<option value="" selected>Elija…</option>' in staff.get("/staff/").get_data(
        as_text=True
    )
