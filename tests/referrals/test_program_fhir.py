"""A program referral's FHIR Bundle: Gravity SDOHCC ServiceRequest, Task and Consent, validated."""

from fhir.resources.R4B.bundle import Bundle

from referrals.fhir_program import (
    SDOH_CATEGORY_SYSTEM,
    SERVICE_REQUEST_PROFILE,
    TASK_PROFILE,
    sdoh_categories,
)
from tests.referrals.program_world import (
    community_client,
    program_consent,
    program_payload,
)


def _resources(client, rid) -> dict:
    response = client.get(f"/api/v1/referrals/{rid}/fhir")
    assert response.status_code == 200, response.get_data(as_text=True)
    bundle = Bundle.model_validate_json(response.get_data(as_text=True))
    return {e.resource.__resource_type__: e.resource for e in bundle.entry}


def _sent(pcp, body) -> int:
    created = pcp.post("/api/v1/referrals", json=body)
    assert created.status_code == 201, created.get_json()
    rid = created.get_json()["id"]
    assert pcp.post(f"/api/v1/referrals/{rid}/events", json={"type": "send"}).status_code == 200
    return rid


def test_the_service_request_is_a_gravity_sdoh_request(pcp, world, programs):
    rid = _sent(pcp, program_payload(world, programs.pantry))
    request = _resources(pcp, rid)["ServiceRequest"]
    assert request.meta.profile == [SERVICE_REQUEST_PROFILE]
    assert [(c.coding[0].system, c.coding[0].code) for c in request.category] == [
        ("http://snomed.info/sct", "410606002"),
        (SDOH_CATEGORY_SYSTEM, "food-insecurity"),
    ]
    assert request.code.text == "Food pantry"
    assert request.performer[0].display == "Greater Boston Food Bank"
    assert request.status == "active"


def test_the_task_carries_the_gravity_status_and_the_community_status(app, pcp, world, programs):
    rid = _sent(pcp, program_payload(world, programs.pantry))
    task = _resources(pcp, rid)["Task"]
    assert task.meta.profile == [TASK_PROFILE]
    assert (task.code.coding[0].code, task.status) == ("fulfill", "requested")
    assert task.businessStatus.coding[0].code == "pending"
    assert task.owner.display == "Greater Boston Food Bank"
    staff = community_client(app, programs.pantry, "pantry@example.org")
    body = {"type": "report", "program_status": "needs_client_action"}
    assert staff.post(f"/api/v1/referrals/{rid}/events", json=body).status_code == 200
    task = _resources(staff, rid)["Task"]
    assert (task.status, task.businessStatus.text) == ("on-hold", "Needs client action")


def test_a_cancelled_program_referral_uses_the_lifecycle_codes(pcp, world, programs):
    rid = _sent(pcp, program_payload(world, programs.pantry))
    assert pcp.post(f"/api/v1/referrals/{rid}/events", json={"type": "cancel"}).status_code == 200
    task = _resources(pcp, rid)["Task"]
    assert (task.status, task.businessStatus.coding[0].code) == ("cancelled", "cancelled")


def test_a_part2_program_bundle_has_consent_labels_and_profiles(pcp, world, programs):
    body = program_payload(
        world, programs.otp, diagnoses=["F11.20"], consent=program_consent(programs.otp)
    )
    rid = _sent(pcp, body)
    resources = _resources(pcp, rid)
    assert set(resources) == {"ServiceRequest", "Task", "Consent", "Patient"}
    request = resources["ServiceRequest"]
    assert request.meta.profile == [SERVICE_REQUEST_PROFILE]
    assert "42CFRPart2" in [label.code for label in request.meta.security]
    assert request.category[1].coding[0].code == "sdoh-category-unspecified"
    assert resources["Consent"].policyRule.coding[0].code == "cfr42"


def test_need_domains_map_to_sdoh_categories():
    codes = [c["coding"][0]["code"] for c in sdoh_categories(["housing", "transportation"])]
    assert codes == ["housing-instability", "transportation-insecurity"]
    assert sdoh_categories([])[0]["coding"][0]["code"] == "sdoh-category-unspecified"
