"""POST /fhir/$process-message: a BSeR referral message becomes a sent referral."""

import pytest
from sqlalchemy import select

from audit.models import AuditEvent
from referrals.models import Referral
from tests.fhir.bser_world import example, post, resource
from tests.referrals.world import build_world


@pytest.fixture
def world(app, db):
    return build_world()


@pytest.fixture
def partner(world, make_api_key):
    """Riverside Primary Care's key: the partner system that sends referrals."""
    return make_api_key(world.pcp_org, ("referrals:read", "referrals:write"))


def test_the_spec_example_becomes_a_sent_referral_to_the_npi(client, db, world, partner):
    response = post(client, partner, example())

    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "application/fhir+json"
    answer = response.get_json()
    referral = db.session.scalars(select(Referral)).one()
    assert referral.status == "sent"
    assert referral.clinician.npi == world.jane.npi
    assert referral.referring_organization_id == world.pcp_org.id
    assert referral.patient_name == "Eve Everywoman"
    assert referral.patient_birth_date.isoformat() == "1955-07-23"
    assert referral.patient_member_id == "ACME777001"
    assert referral.patient_preferred_language == "en"
    assert referral.plan_id == "AcmeGold"
    assert referral.diagnoses == ["F32.1"]
    assert referral.medications == ["sertraline 50 mg"]
    assert referral.reason == (
        "Low mood and poor sleep for three months; asks for talk therapy; Moderate depression"
    )
    assert referral.notes == "Supporting observations: PHQ-9 total score: 14"
    assert referral.referrer_name == "Henry Seven, MD"
    assert referral.referrer_email == "henry.seven@example.com"
    assert referral.part2 is False
    assert referral.consent.form_type == "plan_cei"
    assert referral.consent.recipients == [{"name": "Jane Smith", "npi": world.jane.npi}]
    assert answer["type"] == "message"
    header = answer["entry"][0]["resource"]
    assert header["response"] == {
        "identifier": "messageheader-bser-referral-messageheader",
        "code": "ok",
    }
    assert [f["reference"] for f in header["focus"]] == [
        f"Task/{referral.id}",
        f"ServiceRequest/{referral.id}",
    ]
    task = resource(answer, "Task")
    assert task["status"] == "requested"
    assert task["businessStatus"]["coding"][1] == {
        "system": "http://hl7.org/fhir/us/bser/CodeSystem/TaskBusinessStatusCS",
        "code": "2.0",
        "display": "Service Request Created",
    }
    actions = db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.object_type == "referral")
    ).all()
    assert {"create", "event:send"} <= set(actions)


def test_re_posting_the_message_returns_the_same_task(client, db, world, partner):
    first = post(client, partner, example()).get_json()
    again = post(client, partner, example())

    assert again.status_code == 200
    assert resource(again.get_json(), "Task")["id"] == resource(first, "Task")["id"]
    assert len(db.session.scalars(select(Referral)).all()) == 1


def test_without_a_bundle_identifier_the_header_id_makes_a_retry_the_same(client, db, partner):
    bundle = example()
    del bundle["identifier"]

    first = post(client, partner, bundle).get_json()
    again = post(client, partner, bundle).get_json()

    assert resource(again, "Task")["id"] == resource(first, "Task")["id"]
    assert len(db.session.scalars(select(Referral)).all()) == 1
    header = again["entry"][0]["resource"]
    assert header["response"]["identifier"] == "messageheader-bser-referral-messageheader"


def test_two_partners_may_use_the_same_message_identifier(client, db, world, make_api_key):
    other = make_api_key(world.other_pcp_org, ("referrals:write",))
    mine = make_api_key(world.pcp_org, ("referrals:write",))

    assert post(client, mine, example()).status_code == 200
    assert post(client, other, example()).status_code == 200
    owners = {r.referring_organization_id for r in db.session.scalars(select(Referral))}
    assert owners == {world.pcp_org.id, world.other_pcp_org.id}


def test_a_header_without_id_is_answered_by_a_stable_uuid(client, db, partner):
    bundle = example()
    del bundle["entry"][0]["resource"]["id"]

    first = post(client, partner, bundle)
    again = post(client, partner, bundle)

    assert first.status_code == 200, first.get_data(as_text=True)
    answered = first.get_json()["entry"][0]["resource"]["response"]["identifier"]
    assert len(answered) == 36 and answered.count("-") == 4
    assert again.get_json()["entry"][0]["resource"]["response"]["identifier"] == answered


def test_undotted_icd10_codes_and_condition_codes_are_read(client, db, world, partner):
    bundle = example()
    resource(bundle, "ServiceRequest")["reasonCode"][0]["coding"][0]["code"] = "F321"
    condition = {
        "resourceType": "Condition",
        "subject": {"reference": "Patient/patient-bser-patient-eve-everywoman"},
        "code": {
            "coding": [{"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "F41.1"}],
            "text": "Generalized anxiety disorder",
        },
    }
    bundle["entry"].append(
        {"fullUrl": "urn:uuid:0f1e2d3c-4b5a-4697-8887-766554433221", "resource": condition}
    )

    assert post(client, partner, bundle).status_code == 200
    referral = db.session.scalars(select(Referral)).one()
    assert referral.diagnoses == ["F32.1", "F41.1"]
    assert referral.conditions == ["Generalized anxiety disorder"]
