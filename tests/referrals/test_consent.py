"""The 42 CFR Part 2 gate: every missing §2.31 element, expiry, revocation, wrong recipient.

A Part 2 referral is created as a draft whatever its consent says; the gate stands at sending
(and at every later disclosure), so these cases create, then try to send.
"""

from datetime import timedelta

import pytest
from sqlalchemy import select

from audit.models import AuditEvent
from referrals.consent import (
    PART2_ELEMENTS,
    PART2_NOTICE,
    ReceivingParty,
    names_recipient,
)
from referrals.models import Consent, Referral
from tests.clock import service_today
from tests.referrals.world import part2_consent, referral_payload, signed_in, sud_payload

TODAY = service_today()
# The value that leaves each §2.31 element out.
MISSING = {
    "disclosing_party": {"disclosing_party": None},
    "information": {"information": None},
    "recipients": {"recipients": []},
    "purpose": {"purpose": None},
    "revocation_statement": {"revocation_statement": False},
    "expires_on": {"expires_on": None},
    "signed_by": {"signed_by": None},
    "signed_on": {"signed_on": None},
}


def _post(client, body):
    return client.post("/api/v1/referrals", json=body)


def _create_then_send(client, body):
    """Create (always a draft) and try to send; the send's response."""
    created = _post(client, body)
    assert created.status_code == 201, created.get_json()
    rid = created.get_json()["id"]
    return client.post(f"/api/v1/referrals/{rid}/events", json={"type": "send"})


def test_every_element_but_the_patient_name_is_covered_by_a_case():
    assert set(MISSING) | {"patient_name"} == set(PART2_ELEMENTS)


@pytest.mark.parametrize("element", sorted(MISSING))
def test_missing_element_blocks_sending_and_is_named(pcp, world, db, element):
    response = _create_then_send(pcp, sud_payload(world, **MISSING[element]))
    assert response.status_code == 422
    problems = response.get_json()["errors"]["consent"]
    assert set(problems) == {element}
    assert PART2_ELEMENTS[element] in problems[element]
    assert db.session.scalars(select(Referral.status)).all() == ["draft"]


def test_missing_patient_name_is_named():
    from referrals.consent import missing_elements

    class Form:
        disclosing_party = information = purpose = signed_by = "x"
        recipients = [{"name": "Jane Smith"}]
        revocation_statement = True
        expires_on = TODAY
        expiry_event = None
        signed_on = TODAY

    assert set(missing_elements(Form(), "  ")) == {"patient_name"}
    assert missing_elements(Form(), "Maria Lopez") == {}


def test_expiry_event_stands_in_for_an_expiry_date(pcp, world):
    body = sud_payload(world, expires_on=None, expiry_event="end of treatment")
    assert _create_then_send(pcp, body).status_code == 200


def test_expired_consent_blocks(pcp, world):
    yesterday = (TODAY - timedelta(days=10)).isoformat()
    response = _create_then_send(pcp, sud_payload(world, expires_on=yesterday))
    assert response.status_code == 422
    assert "expired" in response.get_json()["errors"]["consent"]["expires_on"]


def test_consent_dated_in_the_future_blocks(pcp, world):
    later = (TODAY + timedelta(days=10)).isoformat()
    response = _create_then_send(pcp, sud_payload(world, signed_on=later))
    assert response.status_code == 422
    assert "signed_on" in response.get_json()["errors"]["consent"]


def test_consent_naming_other_recipients_blocks(pcp, world):
    others = [{"name": "Omar Diaz", "npi": world.omar.npi}, "Summit Behavioral Health"]
    response = _create_then_send(pcp, sud_payload(world, recipients=others))
    assert response.status_code == 422
    assert "do not name the receiving" in response.get_json()["errors"]["consent"]["recipients"]


def test_no_consent_at_all_blocks(pcp, world):
    response = _create_then_send(pcp, referral_payload(world, substance_use=True))
    assert response.status_code == 422
    assert "consent" in response.get_json()["errors"]["consent"]


def test_blocked_send_is_audited_without_phi(pcp, world, db):
    _create_then_send(pcp, sud_payload(world, signed_by=None))
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "event:send")).one()
    assert event.outcome == "blocked"
    assert "Maria" not in f"{event.actor}{event.object_id}{event.object_type}"


@pytest.mark.parametrize(
    "recipient",
    [
        {"name": "Dr. Jane Smith, LICSW"},
        {"name": "Smith, Jane"},
        {"name": "Harbor Counseling"},
        {"name": None, "npi": "PRACTICE"},
    ],
)
def test_recipient_may_be_the_clinician_or_the_practice(recipient):
    party = ReceivingParty(
        npis=frozenset({"1000000012", "PRACTICE"}),
        person_names=(("Jane", "Smith"),),
        organization_names=frozenset({"Harbor Counseling"}),
    )
    assert names_recipient([recipient], party)
    assert not names_recipient([{"name": "Jane Doe"}, {"name": "Harbor"}], party)


def test_non_sud_referral_needs_no_consent(pcp, world):
    response = _post(pcp, referral_payload(world))
    assert response.status_code == 201
    assert "part2_notice" not in response.get_json()


def _sent_sud_referral(pcp, world) -> int:
    created = _post(pcp, sud_payload(world))
    assert created.status_code == 201
    rid = created.get_json()["id"]
    assert pcp.post(f"/api/v1/referrals/{rid}/events", json={"type": "send"}).status_code == 200
    return rid


def test_every_disclosure_carries_the_part2_notice(pcp, clinician, world):
    rid = _sent_sud_referral(pcp, world)
    body = clinician.get(f"/api/v1/referrals/{rid}").get_json()
    assert body["patient"]["name"] == "Maria Lopez"
    assert body["part2_notice"] == PART2_NOTICE
    assert body["consent"]["status"] == "active"
    listed = clinician.get("/api/v1/referrals").get_json()["items"][0]
    assert listed["part2_notice"] == PART2_NOTICE
    fhir = clinician.get(f"/api/v1/referrals/{rid}/fhir").get_data(as_text=True)
    assert "42 CFR part 2" in fhir and "42CFRPart2" in fhir


def test_revoked_consent_blocks_disclosure_to_the_clinician(pcp, clinician, world, db):
    rid = _sent_sud_referral(pcp, world)
    revoked = pcp.post(f"/api/v1/referrals/{rid}/consent/revoke")
    assert revoked.status_code == 200
    assert revoked.get_json()["consent"]["status"] == "revoked"
    body = clinician.get(f"/api/v1/referrals/{rid}").get_json()
    assert body["disclosure"] == {
        "allowed": False,
        "problems": {"revoked": "the consent has been revoked"},
    }
    assert "patient" not in body and "diagnoses" not in body and "reason" not in body
    assert "patient.name" in body["withheld"] and "diagnoses" in body["withheld"]
    fhir = clinician.get(f"/api/v1/referrals/{rid}/fhir")
    assert fhir.status_code == 200 and "Maria" not in fhir.get_data(as_text=True)
    outcomes = db.session.scalars(
        select(AuditEvent.outcome).where(AuditEvent.action == "disclose")
    ).all()
    assert outcomes[-2:] == ["blocked", "blocked"]
    assert pcp.post(f"/api/v1/referrals/{rid}/consent/revoke").status_code == 409


def test_consent_that_expired_after_creation_blocks_sending(pcp, world, db):
    created = _post(pcp, sud_payload(world))
    rid = created.get_json()["id"]
    consent = db.session.scalars(select(Consent)).one()
    consent.expires_on = TODAY - timedelta(days=1)
    db.session.commit()
    response = pcp.post(f"/api/v1/referrals/{rid}/events", json={"type": "send"})
    assert response.status_code == 422
    assert "expires_on" in response.get_json()["errors"]["consent"]
    assert pcp.get(f"/api/v1/referrals/{rid}").get_json()["status"] == "draft"


def test_plan_staff_see_sud_content_only_when_the_consent_names_the_plan(app, pcp, world):
    staff = signed_in(app, "plan_staff", world.plan_org, plans=[world.plan.id])
    rid = _sent_sud_referral(pcp, world)
    body = staff.get(f"/api/v1/referrals/{rid}").get_json()
    assert body["disclosure"]["allowed"] is False and "patient" not in body
    recipients = [{"name": "Jane Smith", "npi": world.jane.npi}, "Acme Health Plan"]
    created = _post(pcp, sud_payload(world, recipients=recipients)).get_json()
    body = staff.get(f"/api/v1/referrals/{created['id']}").get_json()
    assert body["disclosure"]["allowed"] is True and body["patient"]["name"] == "Maria Lopez"


def test_sud_rerefer_needs_a_consent_naming_the_new_clinician(pcp, world):
    rid = _sent_sud_referral(pcp, world)
    url = f"/api/v1/referrals/{rid}/rerefer"
    response = pcp.post(url, json={"clinician_npi": world.omar.npi})
    assert response.status_code == 422
    assert "consent" in response.get_json()["errors"]["consent"]
    assert pcp.get(f"/api/v1/referrals/{rid}").get_json()["status"] == "sent"
    consent = part2_consent(world, clinician=world.omar)
    response = pcp.post(url, json={"clinician_npi": world.omar.npi, "consent": consent})
    assert response.status_code == 201
    assert response.get_json()["consent"]["recipients"][0]["npi"] == world.omar.npi
    assert pcp.get(f"/api/v1/referrals/{rid}").get_json()["status"] == "cancelled"
