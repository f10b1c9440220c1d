"""The hook calls: the spec's example requests, prefetch fetched from a loopback FHIR server,
cards in CDS Hooks 2.0 shape, and nothing of a Part 2 card kept here (refusals:
test_service_refusals.py)."""

from __future__ import annotations

import json
import logging
import uuid

from fhir.resources.R4B.servicerequest import ServiceRequest
from sqlalchemy import select

from audit.models import AuditEvent
from cds.models import CdsCard
from tests.cds_hooks.builders import (
    AUDITC,
    GAD7,
    ITEM9,
    ORDER_SELECT,
    PATIENT_VIEW,
    PHQ9,
    SCREENINGS,
    TOKEN,
    bundle,
    condition,
    example,
    medication,
    observation,
    patient_view,
    prefetch,
    referral,
    serve_patient,
    spec_request,
)


def test_discovery_lists_both_services_with_their_prefetch(client):
    response = client.get("/cds-services")

    assert response.status_code == 200
    services = response.get_json()["services"]
    assert [(s["id"], s["hook"]) for s in services] == [
        (PATIENT_VIEW, "patient-view"),
        (ORDER_SELECT, "order-select"),
    ]
    spec_keys = set(example("discovery-response.json")["services"][1])
    assert [set(s) for s in services] == [spec_keys, spec_keys]
    assert services[0]["prefetch"] == {
        "patient": "Patient/{{context.patientId}}",
        "screenings": SCREENINGS.replace("1288992", "{{context.patientId}}"),
        "conditions": "Condition?patient={{context.patientId}}&clinical-status=active",
        "medications": "MedicationRequest?patient={{context.patientId}}&status=active",
        "referrals": "ServiceRequest?patient={{context.patientId}}&status=draft,active,on-hold",
    }


def test_the_spec_request_fetches_missing_prefetch_with_its_token(hooks, fhir, caplog):
    serve_patient(fhir, observation(PHQ9, 12, "phq-1"))
    caplog.set_level(logging.DEBUG)

    response = hooks.post(PATIENT_VIEW, spec_request(fhir))

    assert response.status_code == 200
    (card,) = response.get_json()["cards"]
    assert card["summary"] == "PHQ-9 12 (moderate): no behavioral health referral on file"
    assert card["indicator"] == "warning"
    # The spec's prefetch ("patientToGreet") is not one of ours: all five were fetched.
    assert len(fhir.seen) == 5
    assert {seen.authorization for seen in fhir.seen} == {f"Bearer {TOKEN}"}
    assert TOKEN not in caplog.text


def test_a_card_has_the_spec_shape(hooks, fhir):
    serve_patient(fhir, observation(PHQ9, 12, "phq-1"))

    card = hooks.post(PATIENT_VIEW, spec_request(fhir)).get_json()["cards"][0]

    spec_card = example("response-cards.json")["cards"][0]
    assert set(spec_card) - {"icon"} <= set(card)
    assert len(card["summary"]) < 140
    assert uuid.UUID(card["uuid"])
    assert card["source"] == {"label": "Behavioral Health Directory", "url": "http://localhost/"}
    assert card["links"] == [
        {
            "label": "Find a behavioral health clinician",
            "url": "http://localhost/smart/launch",
            "type": "smart",
            "appContext": '{"rule":"phq9","instrument":"phq9","score":12}',
        }
    ]
    assert card["selectionBehavior"] == "at-most-one"
    assert [r["code"] for r in card["overrideReasons"]] == [
        "already-in-care",
        "patient-declined",
        "not-indicated",
    ]


def test_the_suggestion_creates_a_bser_shaped_service_request_draft(hooks, fhir):
    serve_patient(fhir, observation(PHQ9, 12, "phq-1"))

    card = hooks.post(PATIENT_VIEW, spec_request(fhir)).get_json()["cards"][0]

    (suggestion,) = card["suggestions"]
    (action,) = suggestion["actions"]
    assert action["type"] == "create"
    draft = action["resource"]
    ServiceRequest.model_validate(draft)  # a valid R4 resource
    assert draft == {
        "resourceType": "ServiceRequest",
        "status": "draft",
        "intent": "order",
        "category": [
            {
                "coding": [
                    {
                        "system": "http://snomed.info/sct",
                        "code": "409063005",
                        "display": "Counseling",
                    }
                ],
                "text": "Behavioral health",
            }
        ],
        "code": {
            "coding": [
                {
                    "system": "http://snomed.info/sct",
                    "code": "3457005",
                    "display": "Patient referral",
                }
            ],
            "text": "Behavioral health referral",
        },
        "priority": "routine",
        "subject": {"reference": "Patient/1288992"},
        "requester": {"reference": "Practitioner/example"},
        "reasonReference": [{"reference": "Observation/phq-1"}],
    }


def test_the_card_uuids_are_recorded_and_the_call_audited(hooks, fhir, db):
    serve_patient(fhir, observation(PHQ9, 12, "phq-1"), observation(GAD7, 11, "gad-1"))
    body = spec_request(fhir)

    cards = hooks.post(PATIENT_VIEW, body).get_json()["cards"]

    stored = db.session.scalars(select(CdsCard)).all()
    assert sorted(c.uuid for c in stored) == sorted(c["uuid"] for c in cards)
    assert {c.service_id for c in stored} == {PATIENT_VIEW}
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "cds_hook")).all()
    assert [(e.object_type, e.object_id, e.actor_kind) for e in events] == [
        ("cds_hook_instance", body["hookInstance"], "cds_client")
    ]


def test_full_prefetch_needs_no_fhir_server(hooks, fhir):
    response = hooks.post(PATIENT_VIEW, patient_view(prefetch([observation(GAD7, 10, "g1")])))

    assert response.status_code == 200
    assert [c["summary"] for c in response.get_json()["cards"]] == [
        "GAD-7 10 (moderate): no behavioral health referral on file"
    ]
    assert fhir.seen == []


def test_nothing_positive_answers_an_empty_list(hooks):
    response = hooks.post(PATIENT_VIEW, patient_view(prefetch([observation(PHQ9, 9, "p1")])))

    assert response.status_code == 200
    assert response.get_json() == {"cards": []}


def test_a_null_prefetch_item_means_nothing_there_and_is_not_fetched(hooks, fhir):
    items = prefetch([observation(PHQ9, 14, "p1")])
    items["medications"] = None

    response = hooks.post(PATIENT_VIEW, patient_view(items))

    assert len(response.get_json()["cards"]) == 1
    assert fhir.seen == []


def test_the_spec_prefetch_example_is_read_for_our_keys_and_the_rest_ignored(hooks):
    items = example("prefetch-data.json")["prefetch"]  # patient, hemoglobin-a1c, user: "123"
    items |= {key: value for key, value in prefetch().items() if key != "patient"}
    items["screenings"] = bundle(observation(AUDITC, 4, "a1"))

    response = hooks.post(PATIENT_VIEW, patient_view(items))

    assert response.status_code == 200
    assert [c["summary"] for c in response.get_json()["cards"]] == [
        "AUDIT-C 4, positive: no behavioral health referral on file"
    ]


def test_every_draft_referral_is_a_valid_r4_service_request(hooks):
    items = prefetch(
        [observation(PHQ9, 20, "p1"), observation(ITEM9, 3, "p9"), observation(GAD7, 10, "g1")],
        conditions=[condition("F10.20", "c1")],
        medications=[medication("methadone 10 mg/mL oral concentrate", "m1")],
        gender="male",
    )
    items["screenings"]["entry"].append({"resource": observation(AUDITC, 4, "a1")})

    cards = hooks.post(PATIENT_VIEW, patient_view(items)).get_json()["cards"]

    assert [c["indicator"] for c in cards] == ["critical", "warning", "warning", "info", "warning"]
    for card in cards:
        ServiceRequest.model_validate(card["suggestions"][0]["actions"][0]["resource"])
        assert len(card["summary"]) < 140


def test_the_spec_order_select_request_gets_cards(hooks):
    body = example("order-select-context-r4.json")
    body |= {"hook": "order-select", "hookInstance": str(uuid.uuid4())}
    body["prefetch"] = prefetch([observation(PHQ9, 16, "p1")], gender="male")

    response = hooks.post(ORDER_SELECT, body)

    assert response.status_code == 200
    assert [c["summary"] for c in response.get_json()["cards"]] == [
        "PHQ-9 16 (moderately severe): no behavioral health referral on file"
    ]


def test_a_bh_referral_among_draft_orders_silences_order_select(hooks):
    body = example("order-select-context-r4.json")
    body |= {"hook": "order-select", "hookInstance": str(uuid.uuid4())}
    body["context"]["draftOrders"]["entry"].append({"resource": referral("Psychiatry", "draft")})
    body["prefetch"] = prefetch([observation(PHQ9, 16, "p1")])

    assert hooks.post(ORDER_SELECT, body).get_json() == {"cards": []}


def test_a_crisis_answer_is_critical_and_urgent(hooks):
    items = prefetch([observation(PHQ9, 8, "p1"), observation(ITEM9, 1, "p9")])

    (card,) = hooks.post(PATIENT_VIEW, patient_view(items)).get_json()["cards"]

    assert card["indicator"] == "critical"
    assert card["summary"] == (
        "PHQ-9 item 9 positive (thoughts of self-harm): assess suicide risk today"
    )
    draft = card["suggestions"][0]["actions"][0]["resource"]
    assert draft["priority"] == "urgent"
    assert draft["reasonReference"] == [{"reference": "Observation/p9"}]


def test_a_part2_card_goes_back_to_the_ehr_and_nowhere_else(hooks, db, caplog):
    caplog.set_level(logging.DEBUG)
    items = prefetch(medications=[medication("Suboxone 8 mg-2 mg film", "m1")])

    (card,) = hooks.post(PATIENT_VIEW, patient_view(items)).get_json()["cards"]

    assert card["summary"] == "SUD medication buprenorphine: no behavioral health referral on file"
    assert card["links"][0]["appContext"] == '{"rule":"sud_medication"}'
    draft = card["suggestions"][0]["actions"][0]["resource"]
    assert draft["meta"] == {
        "security": [
            {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "42CFRPart2"}
        ]
    }
    ServiceRequest.model_validate(draft)
    stored = json.dumps(
        [
            [str(v) for v in row]
            for model in (CdsCard, AuditEvent)
            for row in db.session.execute(select(model.__table__)).all()
        ]
    ).lower()
    for word in ("suboxone", "buprenorphine", "sud_medication", "m1"):
        assert word not in stored
    assert "uboxone" not in caplog.text.lower() and "buprenorphine" not in caplog.text
