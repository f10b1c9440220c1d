"""The structured return in the referral's FHIR Bundle, validated by fhir.resources (R4B)."""

from datetime import UTC, datetime

from fhir.resources.R4B.bundle import Bundle

from referrals import use_cases
from tests.referrals.world import actor_of, referral_payload, sud_payload

NOW = datetime(2026, 12, 4, 15, 0, tzinfo=UTC)
BACK = {
    "diagnoses": ["F33.1"],
    "medications": [
        {"change": "started", "name": "sertraline 50 mg", "rxnorm": "312940"},
        {"change": "stopped", "name": "old sleeping pill"},
    ],
    "treatment": "Weekly CBT",
    "next_appointment_at": "2031-01-06T15:00:00Z",
    "scores": [
        {"instrument": "phq9", "score": 8},
        {"instrument": "gad7", "answers": [1, 1, 1, 1, 1, 1, 1]},
    ],
    "note": "Improving",
}


def _returned(pcp, clinician, body, back) -> int:
    referral = use_cases.open_and_send(actor_of(pcp), body, [], NOW)
    use_cases.move(actor_of(clinician), referral.id, {"type": "acknowledge"}, NOW)
    use_cases.send_return(actor_of(clinician), referral.id, back, NOW)
    return referral.id


def _resources(bundle: Bundle, kind: str) -> list[dict]:
    data = bundle.model_dump(mode="json")
    return [e["resource"] for e in data["entry"] if e["resource"]["resourceType"] == kind]


def test_the_return_travels_as_conditions_medications_observations_and_a_note(
    db, pcp, clinician, world
):
    rid = _returned(pcp, clinician, referral_payload(world), BACK)

    bundle = use_cases.fhir_export(actor_of(pcp), rid)

    [condition] = _resources(bundle, "Condition")
    assert condition["code"]["coding"] == [
        {"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "F33.1"}
    ]
    assert condition["verificationStatus"]["coding"][0]["code"] == "provisional"
    medications = _resources(bundle, "MedicationStatement")
    assert [(m["status"], m["medicationCodeableConcept"]) for m in medications] == [
        (
            "active",
            {
                "coding": [
                    {"system": "http://www.nlm.nih.gov/research/umls/rxnorm", "code": "312940"}
                ],
                "text": "sertraline 50 mg",
            },
        ),
        ("stopped", {"text": "old sleeping pill"}),
    ]
    totals = [
        (o["code"]["coding"][0]["code"], o["valueInteger"])
        for o in _resources(bundle, "Observation")
        if "valueInteger" in o
    ]
    assert totals == [("44261-6", 8), ("70274-6", 7)]
    assert len(_resources(bundle, "Observation")) == 1 + 7 + 1  # the GAD-7 items and totals
    [note] = _resources(bundle, "Communication")
    assert [p["contentString"] for p in note["payload"]] == [
        "Treatment approach: Weekly CBT",
        "Next appointment: 2031-01-06T15:00:00+00:00",
        "Improving",
    ]
    assert Bundle.model_validate(bundle.model_dump(mode="json")).entry


def test_a_withheld_part2_return_stays_out_of_the_pcp_bundle(db, pcp, clinician, world):
    rid = _returned(pcp, clinician, sud_payload(world, NOW.date()), {"diagnoses": ["F11.20"]})

    pcp_bundle = use_cases.fhir_export(actor_of(pcp), rid)
    own = use_cases.fhir_export(actor_of(clinician), rid)

    assert _resources(pcp_bundle, "Condition") == []
    withheld = pcp_bundle.model_dump(mode="json")["meta"]["extension"]
    assert {"url": withheld[-1]["url"], "valueCode": "returns"} == withheld[-1]
    [condition] = _resources(own, "Condition")
    labels = {label["code"] for label in condition["meta"]["security"]}
    assert labels == {"42CFRPart2", "R", "NORDSCLCD"}
