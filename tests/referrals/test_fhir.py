"""The FHIR view: an R4B Bundle with ServiceRequest, Task, Consent and Patient that validates."""

import json

import pytest
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.consent import Consent
from fhir.resources.R4B.patient import Patient
from fhir.resources.R4B.servicerequest import ServiceRequest
from fhir.resources.R4B.task import Task

from referrals.fhir import TASK_STATUS
from referrals.lifecycle import STATUSES
from tests.referrals.world import referral_payload, sud_payload

# FHIR R4 Task.status codes (http://hl7.org/fhir/task-status).
TASK_STATUS_CODES = {
    "draft", "requested", "received", "accepted", "rejected", "ready", "cancelled",
    "in-progress", "on-hold", "failed", "completed", "entered-in-error",
}  # fmt: skip


def _bundle(client, rid) -> tuple[Bundle, dict]:
    response = client.get(f"/api/v1/referrals/{rid}/fhir")
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "application/fhir+json"
    text = response.get_data(as_text=True)
    return Bundle.model_validate_json(text), json.loads(text)


def _resources(bundle: Bundle) -> dict:
    return {entry.resource.__resource_type__: entry.resource for entry in bundle.entry}


def _create(client, body) -> int:
    created = client.post("/api/v1/referrals", json=body)
    assert created.status_code == 201, created.get_json()
    return created.get_json()["id"]


def test_every_referral_status_maps_to_a_task_status():
    assert set(TASK_STATUS) == set(STATUSES)
    assert set(TASK_STATUS.values()) <= TASK_STATUS_CODES


def test_bundle_validates_and_carries_the_four_resources(pcp, world):
    consent = {"form_type": "plan_cei", "recipients": ["Harbor Counseling"], "purpose": "care"}
    rid = _create(pcp, referral_payload(world, consent=consent))
    bundle, raw = _bundle(pcp, rid)
    assert bundle.type == "collection"
    resources = _resources(bundle)
    assert set(resources) == {"ServiceRequest", "Task", "Consent", "Patient"}
    assert isinstance(resources["ServiceRequest"], ServiceRequest)
    assert isinstance(resources["Task"], Task)
    assert isinstance(resources["Consent"], Consent)
    assert isinstance(resources["Patient"], Patient)
    urls = {e["resource"]["resourceType"]: e["fullUrl"] for e in raw["entry"]}
    assert resources["ServiceRequest"].subject.reference == urls["Patient"]
    assert resources["Task"].focus.reference == urls["ServiceRequest"]
    assert resources["Consent"].patient.reference == urls["Patient"]


def test_resources_carry_the_referral(pcp, clinician, world):
    rid = _create(pcp, referral_payload(world))
    pcp.post(f"/api/v1/referrals/{rid}/events", json={"type": "send"})
    clinician.post(f"/api/v1/referrals/{rid}/events", json={"type": "acknowledge"})
    resources = _resources(_bundle(clinician, rid)[0])
    request = resources["ServiceRequest"]
    assert (request.status, request.intent, request.priority) == ("active", "order", "routine")
    assert request.reasonCode[0].coding[0].code == "F32.1"
    assert request.performer[0].identifier.value == world.jane.npi
    task = resources["Task"]
    assert (task.status, task.businessStatus.text) == ("received", "acknowledged")
    patient = resources["Patient"]
    assert patient.name[0].text == "Maria Lopez"
    assert patient.birthDate.isoformat() == "1988-04-12"
    assert patient.communication[0].language.coding[0].code == "es"
    assert patient.identifier[0].value == "ACME123456"


@pytest.mark.parametrize(
    ("events", "task_status", "request_status"),
    [
        ([], "draft", "draft"),
        ([("pcp", {"type": "send"})], "requested", "active"),
        ([("pcp", {"type": "cancel"})], "cancelled", "revoked"),
        (
            [
                ("pcp", {"type": "send"}),
                ("clinician", {"type": "acknowledge"}),
                ("clinician", {"type": "decline", "reason": "not_clinical_fit"}),
            ],
            "rejected",
            "revoked",
        ),
    ],
)
def test_task_follows_the_lifecycle(pcp, clinician, world, events, task_status, request_status):
    rid = _create(pcp, referral_payload(world))
    actors = {"pcp": pcp, "clinician": clinician}
    for who, body in events:
        assert actors[who].post(f"/api/v1/referrals/{rid}/events", json=body).status_code == 200
    resources = _resources(_bundle(pcp, rid)[0])
    assert resources["Task"].status == task_status
    assert resources["ServiceRequest"].status == request_status
    if task_status == "rejected":
        assert resources["Task"].statusReason.coding[0].code == "not_clinical_fit"


def test_sud_bundle_is_labelled_part2_and_carries_the_notice(pcp, world):
    rid = _create(pcp, sud_payload(world))
    bundle, raw = _bundle(pcp, rid)
    labels = {(c.system.rsplit("/", 1)[-1], c.code) for c in bundle.meta.security}
    assert ("v3-ActCode", "42CFRPart2") in labels
    notes = [n.text for n in _resources(bundle)["ServiceRequest"].note]
    assert any(n.startswith("This record which has been disclosed to you") for n in notes)
    consent = _resources(bundle)["Consent"]
    assert consent.status == "active"
    assert consent.policyRule.coding[0].code == "cfr42"
    assert consent.provision.actor[0].reference.identifier.value == world.jane.npi
    assert consent.provision.period.end is not None


def test_revoked_consent_shows_inactive_to_the_referring_side(pcp, world):
    rid = _create(pcp, sud_payload(world))
    pcp.post(f"/api/v1/referrals/{rid}/consent/revoke")
    consent = _resources(_bundle(pcp, rid)[0])["Consent"]
    assert consent.status == "inactive"
