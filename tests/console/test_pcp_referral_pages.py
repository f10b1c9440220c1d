"""PCP pages (continued): My referrals, a referral's page and timeline, what the referring side may
do there (cancel, revoke, re-refer) and may not (the clinician's steps)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from directory.models.verification import utcnow
from referrals.models import Referral
from tests.console.conftest import PATIENT_NAME, audit_actions, referral_form
from web.i18n import LOCALE_COOKIE


def test_my_referrals_groups_by_status_and_flags_overdue(db, world, signed_in, sent_referral):
    pcp = sent_referral.pcp
    second = pcp.post("/pcp/referrals", data=referral_form(world.ben))
    assert second.status_code == 303
    old = db.session.get(Referral, sent_referral.id)
    old.sent_at = utcnow() - timedelta(days=21)
    db.session.commit()
    html = pcp.get("/pcp/referrals").get_data(as_text=True)
    assert "Sent <span" in html and "(2)" in html
    assert html.count("Overdue: no appointment yet") == 1
    assert "1 referral is overdue." in html
    stranger = signed_in("pcp", org=world.other_pcp_org).get("/pcp/referrals")
    assert "No referrals yet." in stranger.get_data(as_text=True)


def test_the_referral_page_shows_the_timeline_and_ticks_the_checklist(db, world, sent_referral):
    pcp = sent_referral.pcp
    page = f"/pcp/referrals/{sent_referral.id}"
    html = pcp.get(page).get_data(as_text=True)
    assert "Timeline" in html and "Created" in html and "(Draft → Sent)" in html
    assert PATIENT_NAME in html and "Low mood" in html
    response = pcp.post(
        f"{page}/checklist", data={"item": "progress_notes_documented", "done": "1"}
    )
    assert response.status_code == 303
    row = next(
        r
        for r in db.session.get(Referral, sent_referral.id).checklist
        if r.item == "progress_notes_documented"
    )
    assert row.done and row.done_by == f"user:{pcp.user.id}"


def test_the_referring_side_may_cancel_and_revoke_consent(db, world, sent_referral):
    pcp = sent_referral.pcp
    page = f"/pcp/referrals/{sent_referral.id}"
    pcp.post(f"{page}/consent/revoke")
    pcp.post(f"{page}/events", data={"type": "cancel", "note": "patient moved"})
    referral = db.session.get(Referral, sent_referral.id)
    assert referral.status == "cancelled"
    assert referral.consent.revoked_at is not None
    assert ("event:cancel", "ok") in audit_actions(db)
    assert audit_actions(db, "consent")[-1] == ("revoke", "ok")


def test_the_pcp_may_not_fire_the_clinicians_steps(db, world, sent_referral):
    response = sent_referral.pcp.post(
        f"/pcp/referrals/{sent_referral.id}/events", data={"type": "accept"}, follow_redirects=True
    )
    assert "Your role may not take this step" in response.get_data(as_text=True)
    assert db.session.get(Referral, sent_referral.id).status == "sent"
    assert ("event:acknowledge", "denied") in audit_actions(db)


def test_re_referral_cancels_the_old_one_and_sends_a_new_one(db, world, sent_referral):
    pcp = sent_referral.pcp
    base = f"/pcp/referrals/{sent_referral.id}/rerefer"
    html = pcp.post(f"{base}/search").get_data(as_text=True)
    assert "Ben Okafor" in html and "Choose Ana" not in html
    assert f'value="{world.ana.npi}:' not in html
    confirm = pcp.post(f"{base}/confirm", data={"choice": f"{world.ben.npi}:"})
    assert "Re-refer to Ben Okafor" in confirm.get_data(as_text=True)
    response = pcp.post(
        base,
        data={
            "clinician_npi": world.ben.npi,
            "note": "first clinician full",
            "consent_form_type": "",
        },
    )
    assert response.status_code == 303
    old, new = db.session.scalars(select(Referral).order_by(Referral.id)).all()
    assert old.status == "cancelled" and new.status == "sent"
    assert new.replaces_id == old.id and new.clinician_id == world.ben.id
    assert new.patient_name == PATIENT_NAME


def test_status_words_come_from_the_status_table_and_are_translated(db, world, sent_referral):

    pcp = sent_referral.pcp
    assert "(Draft → Sent)" in pcp.get(f"/pcp/referrals/{sent_referral.id}").get_data(True)
    pcp.set_cookie(LOCALE_COOKIE, "es")
    html = pcp.get("/pcp/referrals").get_data(as_text=True)
    assert "Enviada" in html and ">Sent<" not in html


def test_a_draft_whose_consent_was_revoked_is_not_sent_from_the_page(db, world, signed_in):
    pcp = signed_in("pcp")
    body = {
        "patient": {"name": PATIENT_NAME, "birth_date": "1988-04-12"},
        "clinician_npi": world.ana.npi,
        "reason": "Low mood",
        "urgency": "routine",
        "consent": {"form_type": "plan_cei", "recipients": ["Ana Rivera"]},
    }
    rid = pcp.post("/api/v1/referrals", json=body).get_json()["id"]
    page = f"/pcp/referrals/{rid}"
    pcp.post(f"{page}/consent/revoke")
    html = pcp.post(f"{page}/events", data={"type": "send"}, follow_redirects=True).get_data(
        as_text=True
    )
    assert "The consent does not permit disclosure to the receiving clinician. " in html
    assert "the consent has been revoked" in html
    assert db.session.get(Referral, rid).status == "draft"
    assert ("event:send", "blocked") in audit_actions(db)
