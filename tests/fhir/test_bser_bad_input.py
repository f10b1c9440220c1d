"""$process-message refuses what it cannot take with an OperationOutcome, storing nothing."""

import pytest
from sqlalchemy import func, select

from referrals.models import Referral
from tests.fhir.bser_world import FHIR_JSON, example, post, resource
from tests.referrals.world import build_world, make_npi


@pytest.fixture
def world(app, db):
    return build_world()


@pytest.fixture
def partner(world, make_api_key):
    return make_api_key(world.pcp_org, ("referrals:read", "referrals:write"))


def _refused(response, status: int, expression: str) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == FHIR_JSON
    outcome = response.get_json()
    assert outcome["resourceType"] == "OperationOutcome"
    expressions = [e for issue in outcome["issue"] for e in issue.get("expression", [])]
    assert expression in expressions, outcome
    return outcome


def _nothing_stored(db) -> None:
    assert db.session.scalar(select(func.count()).select_from(Referral)) == 0


def _entry(bundle: dict, kind: str) -> dict:
    return resource(bundle, kind)


def _drop(bundle: dict, kind: str) -> dict:
    bundle["entry"] = [e for e in bundle["entry"] if e["resource"]["resourceType"] != kind]
    return bundle


def test_a_document_bundle_is_a_400_naming_bundle_type(client, db, partner):
    bundle = example()
    bundle["type"] = "document"

    _refused(post(client, partner, bundle), 400, "Bundle.type")
    _nothing_stored(db)


def test_a_body_that_is_not_a_bundle_is_a_400(client, db, partner):
    _refused(post(client, partner, {"resourceType": "Patient"}), 400, "Bundle")
    _refused(post(client, partner, ["not", "an", "object"]), 400, "Bundle")
    _nothing_stored(db)


def test_invalid_fhir_inside_the_bundle_is_a_400_naming_the_element(client, db, partner):
    bundle = example()
    _entry(bundle, "Patient")["birthDate"] = "23 July 1955"

    _refused(post(client, partner, bundle), 400, "Bundle.entry[2].resource.birthDate")
    _nothing_stored(db)


def test_a_missing_focus_is_a_422_naming_messageheader_focus(client, db, partner):
    bundle = example()
    del _entry(bundle, "MessageHeader")["focus"]

    _refused(post(client, partner, bundle), 422, "MessageHeader.focus")
    _nothing_stored(db)


def test_a_focus_outside_the_bundle_is_a_422(client, db, partner):
    bundle = example()
    _entry(bundle, "MessageHeader")["focus"] = [{"reference": "Task/elsewhere"}]

    _refused(post(client, partner, bundle), 422, "MessageHeader.focus")
    _nothing_stored(db)


def test_a_task_without_its_service_request_is_a_422_naming_task_focus(client, db, partner):
    bundle = _drop(example(), "ServiceRequest")

    _refused(post(client, partner, bundle), 422, "Task.focus")
    _nothing_stored(db)


def test_the_header_must_come_first(client, db, partner):
    bundle = example()
    bundle["entry"].reverse()

    _refused(post(client, partner, bundle), 422, "Bundle.entry[0]")
    _nothing_stored(db)


def test_another_event_is_a_422_naming_the_event(client, db, partner):
    bundle = example()
    _entry(bundle, "MessageHeader")["eventCoding"]["code"] = "A01"

    _refused(post(client, partner, bundle), 422, "MessageHeader.eventCoding")
    _nothing_stored(db)


def test_an_unknown_recipient_npi_is_a_422_naming_the_identifier(client, db, partner):
    bundle = example()
    recipient = bundle["entry"][5]["resource"]
    assert recipient["id"].endswith("referral-recipient")
    recipient["identifier"][0]["value"] = make_npi(777)

    outcome = _refused(post(client, partner, bundle), 422, "PractitionerRole.identifier")
    assert "no active clinician has that NPI" in outcome["issue"][1]["diagnostics"]
    _nothing_stored(db)


def test_an_npi_failing_its_check_digit_is_a_422(client, db, partner):
    bundle = example()
    bundle["entry"][5]["resource"]["identifier"][0]["value"] = "1000000013"

    _refused(post(client, partner, bundle), 422, "PractitionerRole.identifier")
    _nothing_stored(db)


def test_a_recipient_without_an_npi_is_a_422_naming_the_performer(client, db, partner):
    bundle = example()
    bundle["entry"][5]["resource"]["identifier"] = [{"system": "urn:other", "value": "x"}]

    _refused(post(client, partner, bundle), 422, "ServiceRequest.performer")
    _nothing_stored(db)


def test_a_patient_without_a_birth_date_is_a_422_naming_it(client, db, partner):
    bundle = example()
    del _entry(bundle, "Patient")["birthDate"]
    del bundle["entry"][8]["resource"]["entry"][3]["resource"]["birthDate"]

    _refused(post(client, partner, bundle), 422, "Patient.birthDate")
    _nothing_stored(db)


def test_an_unknown_plan_is_a_422_naming_the_coverage_class(client, db, partner):
    bundle = example()
    _entry(bundle, "Coverage")["class"][0]["value"] = "NoSuchPlan"

    _refused(post(client, partner, bundle), 422, "Coverage.class")
    _nothing_stored(db)


def test_a_request_without_any_reason_is_a_422(client, db, partner):
    bundle = example()
    request = _entry(bundle, "ServiceRequest")
    for name in ("reasonCode", "note", "code"):
        del request[name]

    _refused(post(client, partner, bundle), 422, "ServiceRequest.reasonCode")
    _nothing_stored(db)


def test_a_stat_request_is_refused_with_crisis_guidance(client, db, partner):
    bundle = example()
    _entry(bundle, "ServiceRequest")["priority"] = "stat"

    response = post(client, partner, bundle)

    assert response.status_code == 422
    assert "988" in response.get_json()["issue"][0]["diagnostics"]
    _nothing_stored(db)


def test_a_message_without_identifier_or_header_id_is_a_422(client, db, partner):
    bundle = example()
    del bundle["identifier"]
    del _entry(bundle, "MessageHeader")["id"]
    bundle["entry"][0]["fullUrl"] = "urn:uuid:6f0c2d1e-8a3b-4f5e-9c7d-1b2a3c4d5e6f"

    _refused(post(client, partner, bundle), 422, "Bundle.identifier")
    _nothing_stored(db)


def test_the_same_identifier_with_other_content_is_a_422(client, db, partner):
    assert post(client, partner, example()).status_code == 200
    bundle = example()
    _entry(bundle, "ServiceRequest")["note"] = [{"text": "Something else entirely"}]

    response = post(client, partner, bundle)

    assert response.status_code == 422
    assert db.session.scalar(select(func.count()).select_from(Referral)) == 1


def test_no_key_is_a_401_outcome_and_a_read_only_key_a_403(client, db, world, make_api_key):
    anonymous = client.post("/fhir/$process-message", json=example())
    reader = make_api_key(world.pcp_org, ("referrals:read",))

    assert anonymous.status_code == 401
    assert anonymous.get_json()["resourceType"] == "OperationOutcome"
    assert post(client, reader, example()).status_code == 403
    _nothing_stored(db)


def test_a_practice_key_refers_for_its_own_organization(client, db, world, make_api_key):
    # A BH practice's key is a partner too: it refers for its own organization, like the API.
    key = make_api_key(world.practice, ("referrals:write",))

    assert post(client, key, example()).status_code == 200
    referral = db.session.scalars(select(Referral)).one()
    assert referral.referring_organization_id == world.practice.id
