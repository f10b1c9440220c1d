"""A BSeR message carrying substance-use content goes through the Part 2 gate of the pages."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from referrals.models import Referral
from tests.clock import service_today
from tests.fhir.bser_world import example, post, resource
from tests.referrals.world import build_world

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
