"""CDS Hooks service (continued): what it refuses, and how it treats the EHR's FHIR server it
is told to fetch from (registered only, the token never leaked or followed)."""

from __future__ import annotations

import uuid

import pytest

from tests.cds_hooks.builders import (
    AUDITC,
    GAD7,
    ORDER_SELECT,
    PATIENT_VIEW,
    TOKEN,
    example,
    observation,
    patient,
    patient_view,
    prefetch,
    serve_patient,
    spec_request,
)
from tests.cds_hooks.fhir_server import FhirServer


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"hookInstance": None}, "hookInstance"),
        ({"hookInstance": "not-a-uuid"}, "hookInstance"),
        ({"hook": "order-sign"}, "hook"),
        ({"context": {"patientId": "1288992"}}, "context"),
        ({"prefetch": {"patient": ["not", "a", "resource"]}}, "prefetch"),
        (
            {"fhirAuthorization": example("fhir-authorization.json")["fhirAuthorization"]},
            "fhirServer",
        ),
    ],
)
def test_an_invalid_request_is_a_400_naming_the_field(hooks, change, field):
    body = patient_view()
    body.update(change)
    if body["hookInstance"] is None:
        del body["hookInstance"]

    response = hooks.post(PATIENT_VIEW, body)

    assert response.status_code == 400
    assert field in response.get_json()["errors"]


def test_order_select_without_draft_orders_is_a_400(hooks):
    body = patient_view(hook="order-select")

    response = hooks.post(ORDER_SELECT, body)

    assert response.status_code == 400
    assert response.get_json()["errors"] == {
        "context": ["order-select needs selections and draftOrders"]
    }


def test_a_hook_the_service_does_not_answer_is_a_400(hooks):
    body = example("order-select-context-r4.json")
    body |= {"hook": "order-select", "hookInstance": str(uuid.uuid4()), "prefetch": prefetch()}

    response = hooks.post(PATIENT_VIEW, body)

    assert response.status_code == 400
    assert response.get_json()["error"] == (
        "bh-screening-patient-view answers patient-view, not order-select"
    )


def test_a_body_that_is_not_a_json_object_is_a_400(hooks):
    response = hooks.post(PATIENT_VIEW, ["patient-view"])

    assert response.status_code == 400
    assert response.get_json() == {"status": 400, "error": "the body must be a JSON object"}


def test_an_unknown_service_is_a_404(hooks):
    response = hooks.post("no-such-service", patient_view())

    assert response.status_code == 404
    assert response.get_json()["status"] == 404


def test_missing_prefetch_without_a_fhir_server_is_a_412(hooks):
    items = prefetch()
    del items["conditions"]

    response = hooks.post(PATIENT_VIEW, patient_view(items))

    assert response.status_code == 412
    assert response.get_json()["error"] == (
        "prefetch 'conditions' is missing and there is no FHIR server to ask"
    )


def test_an_unregistered_fhir_server_is_never_called(hooks, fhir):
    other = FhirServer().start()
    try:
        body = spec_request(fhir)
        body["fhirServer"] = other.url
        response = hooks.post(PATIENT_VIEW, body)
    finally:
        other.stop()

    assert response.status_code == 412
    assert other.seen == [] and fhir.seen == []


def test_full_prefetch_with_an_unregistered_fhir_server_is_answered(hooks, fhir):
    body = patient_view(prefetch([observation(GAD7, 10, "g1")]))
    body["fhirServer"] = "https://elsewhere.example.org/fhir"
    body["fhirAuthorization"] = example("fhir-authorization.json")["fhirAuthorization"]

    response = hooks.post(PATIENT_VIEW, body)

    assert response.status_code == 200
    assert len(response.get_json()["cards"]) == 1


def test_a_failing_fhir_server_is_a_412_without_the_token(hooks, fhir):
    fhir.answer("Patient/1288992", {"resourceType": "OperationOutcome"}, status=500)

    response = hooks.post(PATIENT_VIEW, spec_request(fhir))

    assert response.status_code == 412
    assert response.get_json()["error"] == "prefetch 'patient': the FHIR server answered 500"
    assert TOKEN not in response.get_data(as_text=True)


def test_a_redirect_is_not_followed_with_the_token(hooks, fhir):
    elsewhere = FhirServer().start()
    fhir.redirect_to = elsewhere.url + "/Patient/1288992"
    try:
        response = hooks.post(PATIENT_VIEW, spec_request(fhir))
    finally:
        elsewhere.stop()

    assert response.status_code == 412
    assert elsewhere.seen == []


def test_a_missing_patient_is_404_on_the_fhir_server_and_means_no_sex(hooks, fhir):
    serve_patient(fhir, observation(AUDITC, 3, "a1"))
    del fhir.answers["/fhir/Patient/1288992"]

    response = hooks.post(PATIENT_VIEW, spec_request(fhir))

    assert response.status_code == 200
    assert response.get_json() == {"cards": []}  # 3 is positive only for women


def test_a_female_patient_from_the_fhir_server_gets_the_auditc_card(hooks, fhir):
    serve_patient(fhir, observation(AUDITC, 3, "a1"))
    fhir.answer("Patient/1288992", patient("female"))

    cards = hooks.post(PATIENT_VIEW, spec_request(fhir)).get_json()["cards"]

    assert [c["summary"] for c in cards] == [
        "AUDIT-C 3, positive: no behavioral health referral on file"
    ]
