"""After a "not accepting" decline the listing asks the clinician to update it, in one click."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from audit.models import AuditEvent
from directory.facts import clinician as subject
from directory.facts import history
from directory.models import Clinician
from directory.models.facts import FactObservation

PROMPT = "You declined a referral as not accepting new patients on 2026-03-04. Update your listing?"
DECLINED_AT = datetime(2026, 3, 4, 15, 30, tzinfo=UTC)  # 10:30 in the service's zone, same day


def _decline(db, world, signed_in, sent_referral):
    ana = signed_in("clinician", npi=world.ana.npi)
    events = f"/clinician/referrals/{sent_referral.id}/events"
    ana.post(events, data={"type": "decline", "reason": "not_accepting_new_patients"})
    observation = db.session.scalars(
        select(FactObservation).where(FactObservation.source == "referral_decline")
    ).one()
    observation.observed_at = DECLINED_AT
    db.session.commit()
    return ana


def _accepting_facts(clinician_id: int) -> list[tuple]:
    return [
        (o.value, o.source, o.source_ref)
        for o in history(subject(clinician_id))
        if o.kind == "accepting_new_patients"
    ]


def test_no_prompt_without_a_decline_and_the_attestation_is_not_ticked(world, signed_in):
    page = signed_in("clinician", npi=world.ana.npi).get("/clinician/listing")
    html = page.get_data(as_text=True)
    assert "Update your listing?" not in html
    assert '<input type="checkbox" name="attest" value="1" >' in html


def test_a_not_accepting_decline_prompts_and_mark_not_accepting_records_it(
    db, world, signed_in, sent_referral
):
    ana = _decline(db, world, signed_in, sent_referral)
    html = ana.get("/clinician/listing").get_data(as_text=True)
    assert PROMPT in html
    assert '<button type="submit" name="accepting" value="no">Mark not accepting</button>' in html
    assert 'value="yes">I am still accepting</button>' in html
    assert '<input type="checkbox" name="attest" value="1" >' in html
    answered = ana.post("/clinician/listing/accepting", data={"accepting": "no"})
    assert answered.status_code == 303
    assert answered.headers["Location"].endswith("/clinician/listing")
    db.session.expire_all()
    clinician = db.session.get(Clinician, world.ana.id)
    assert clinician.accepting_new_patients is False
    ref = f"referral:{sent_referral.id}"
    assert _accepting_facts(clinician.id)[:2] == [
        (False, "self_reported", ref),
        (False, "referral_decline", ref),
    ]
    actions = db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.object_type == "clinician")
    ).all()
    assert actions == ["update"]
    after = ana.get("/clinician/listing").get_data(as_text=True)
    assert "Saved: your listing says you are not accepting new patients." in after
    assert "Update your listing?" not in after


def test_still_accepting_keeps_the_listing_and_ends_the_prompt(db, world, signed_in, sent_referral):
    ana = _decline(db, world, signed_in, sent_referral)
    assert ana.post("/clinician/listing/accepting", data={"accepting": "yes"}).status_code == 303
    db.session.expire_all()
    clinician = db.session.get(Clinician, world.ana.id)
    assert clinician.accepting_new_patients is True
    ref = f"referral:{sent_referral.id}"
    assert _accepting_facts(clinician.id)[0] == (True, "self_reported", ref)
    after = ana.get("/clinician/listing").get_data(as_text=True)
    assert "Saved: your listing says you are accepting new patients." in after
    assert "Update your listing?" not in after


def test_a_bad_answer_is_refused_and_changes_nothing(db, world, signed_in, sent_referral):
    ana = _decline(db, world, signed_in, sent_referral)
    for form in ({"accepting": "maybe"}, {}):
        assert ana.post("/clinician/listing/accepting", data=form).status_code == 400
    db.session.expire_all()
    assert _accepting_facts(world.ana.id)[0][1] == "referral_decline"
    assert PROMPT in ana.get("/clinician/listing").get_data(as_text=True)


def test_an_answer_without_an_open_decline_changes_nothing(db, world, signed_in):
    ana = signed_in("clinician", npi=world.ana.npi)
    before = db.session.get(Clinician, world.ana.id).accepting_new_patients
    response = ana.post("/clinician/listing/accepting", data={"accepting": "no"})
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(Clinician, world.ana.id).accepting_new_patients is before
    assert ("accepting_new_patients", "self_reported") not in [
        (o.kind, o.source) for o in history(subject(world.ana.id))
    ]
    assert "Your listing already answers that decline." in ana.get("/clinician/listing").get_data(
        as_text=True
    )


def test_a_listing_already_not_accepting_gets_no_prompt(db, world, signed_in, sent_referral):
    ana = _decline(db, world, signed_in, sent_referral)
    clinician = db.session.get(Clinician, world.ana.id)
    clinician.accepting_new_patients = False
    db.session.commit()
    assert "Update your listing?" not in ana.get("/clinician/listing").get_data(as_text=True)
