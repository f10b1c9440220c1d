"""A BSeR message carrying substance-use content goes through the Part 2 gate of the pages."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from referrals.consent import PART2_NOTICE
from referrals.models import Referral
from tests.clock import service_today
from tests.fhir.bser_world import example, get, post, resource
from tests.referrals.world import bearer, build_world, signed_in

REVOCATION = "urn:bh-directory:fhir:StructureDefinition:revocation-statement"


@pytest.fixture
def world(app, db):
    return build_world()


@pytest.fixture
def partner(world, make_api_key):
    return make_api_key(world.pcp_org, ("referrals:read", "referrals:write"))


def _opioid(bundle: dict) -> dict:
    request = resource(bundle, "ServiceRequest")
    request["reasonCode"] = [
        {
            "coding": [{"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "F11.20"}],
            "text": "Opioid dependence",
        }
    ]
    return bundle


def _without_consent(bundle: dict) -> dict:
    bundle["entry"] = [e for e in bundle["entry"] if e["resource"]["resourceType"] != "Consent"]
    request = resource(bundle, "ServiceRequest")
    request["supportingInfo"] = request["supportingInfo"][:1]
    return bundle


def _part2_consent(bundle: dict) -> dict:
    """The example's Consent with every 42 CFR 2.31 element, naming Jane Smith."""
    consent = resource(bundle, "Consent")
    today = service_today()
    consent["dateTime"] = (today - timedelta(days=3)).isoformat()
    consent["policyRule"]["coding"][0]["code"] = "cfr42"
    consent["extension"] = [{"url": REVOCATION, "valueBoolean": True}]
    consent["provision"]["period"] = {"end": (today + timedelta(days=365)).isoformat()}
    consent["provision"]["code"] = [{"text": "Substance use diagnosis and treatment history"}]
    return bundle


def test_part2_content_without_consent_stays_a_draft_and_says_why(client, db, partner):
    response = post(client, partner, _without_consent(_opioid(example())))

    assert response.status_code == 200, response.get_data(as_text=True)
    referral = db.session.scalars(select(Referral)).one()
    assert referral.status == "draft"
    assert referral.part2 is True
    assert referral.part2_basis == ["diagnoses:F11.20", "reason:opioid dependence"]
    answer = response.get_json()
    header = answer["entry"][0]["resource"]
    assert header["response"]["code"] == "ok"
    outcome = resource(answer, "OperationOutcome")
    assert header["response"]["details"]["reference"] == answer["entry"][3]["fullUrl"]
    assert {i["severity"] for i in outcome["issue"]} == {"warning"}
    assert outcome["issue"][1]["expression"] == ["Consent"]
    assert "42 CFR part 2 consent" in outcome["issue"][1]["diagnostics"]
    assert resource(answer, "Task")["status"] == "draft"


def test_part2_content_under_a_general_authorization_stays_a_draft(client, db, partner):
    response = post(client, partner, _opioid(example()))

    outcome = resource(response.get_json(), "OperationOutcome")
    expressions = {e for issue in outcome["issue"] for e in issue.get("expression", [])}
    assert {"Consent.extension", "Consent.provision.period.end"} <= expressions
    assert db.session.scalars(select(Referral)).one().status == "draft"


def test_part2_content_under_a_complete_part2_consent_is_sent_labelled(client, db, partner):
    response = post(client, partner, _part2_consent(_opioid(example())))

    assert response.status_code == 200
    referral = db.session.scalars(select(Referral)).one()
    assert referral.status == "sent"
    assert referral.consent.revocation_statement is True
    answer = response.get_json()
    assert "OperationOutcome" not in {e["resource"]["resourceType"] for e in answer["entry"]}
    labels = {s["code"] for s in resource(answer, "ServiceRequest")["meta"]["security"]}
    assert labels == {"42CFRPart2", "R", "NORDSCLCD"}


@pytest.fixture
def harbor(app, world, make_api_key):
    """Harbor Counseling's key: it acts for Jane Smith (a clinician user with her NPI)."""
    app.config["PASSWORD_HASH_METHOD"] = "pbkdf2:sha256:1000"  # fast sign-ins in tests
    signed_in(app, "clinician", world.practice, npi=world.jane.npi)
    return make_api_key(world.practice, ("referrals:read",))


def test_part2_feedback_carries_the_labels_and_the_notice(client, db, partner):
    post(client, partner, _part2_consent(_opioid(example())))
    referral = db.session.scalars(select(Referral)).one()

    message = get(client, partner, f"/fhir/Task/{referral.id}/$feedback").get_json()

    notices = [e["valueString"] for e in message["meta"]["extension"]]
    assert notices == [PART2_NOTICE]
    for entry in message["entry"][1:]:
        labels = {s["code"] for s in entry["resource"]["meta"]["security"]}
        assert labels == {"42CFRPart2", "R", "NORDSCLCD"}, entry["resource"]["resourceType"]


def test_after_revocation_the_receiver_gets_the_task_redacted(client, db, partner, harbor):
    post(client, partner, _part2_consent(_opioid(example())))
    referral = db.session.scalars(select(Referral)).one()
    revoke = f"/api/v1/referrals/{referral.id}/consent/revoke"
    assert client.post(revoke, headers=bearer(partner)).status_code == 200

    message = get(client, harbor, f"/fhir/Task/{referral.id}/$feedback").get_json()
    task = get(client, harbor, f"/fhir/Task/{referral.id}").get_json()
    patient = f"/fhir/Task?patient=Patient/{referral.episode_id}"

    kinds = [e["resource"]["resourceType"] for e in message["entry"]]
    assert kinds == ["MessageHeader", "Task", "ServiceRequest"]
    assert "for" not in task
    assert "REDACTED" in {s["code"] for s in task["meta"]["security"]}
    assert get(client, harbor, patient).get_json()["total"] == 0
    assert get(client, partner, patient).get_json()["total"] == 1
