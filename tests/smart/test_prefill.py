"""The chart as form fields: literal values from the loopback EHR's example resources."""

from __future__ import annotations

import json
from importlib import import_module
from pathlib import Path
from types import SimpleNamespace

import pytest

from referrals.part2 import Content, classify
from smart.chart import Chart
from smart.prefill import patient_fields, plan_for, prefill
from tests.smart.ehr_server import DATA, SPEC

PLANS = [SimpleNamespace(id="masscare-hmo", name="MassCare HMO")]


def _load(name: str) -> dict:
    return json.loads((DATA / f"{name}.json").read_text())


def _chart() -> Chart:
    names = sorted(p.stem for p in DATA.glob("*.json"))
    by_type: dict[str, list[dict]] = {}
    for name in names:
        by_type.setdefault(name.split("-")[0], []).append(_load(name))
    observations = sorted(
        by_type["Observation"], key=lambda r: r["effectiveDateTime"], reverse=True
    )
    return Chart(
        patient=_load("Patient-123"),
        coverages=by_type["Coverage"],
        conditions=by_type["Condition"],
        medications=by_type["MedicationRequest"],
        observations=observations,
    )


def test_the_chart_becomes_patient_needs_and_referral_fields():
    assert prefill(_chart(), PLANS) == {
        "patient": {
            "name": "Peter James Chalmers",
            "birth_date": "1974-12-25",
            "phone": "(617) 555-0142",
            "preferred_language": "es",
            "member_id": "AB9876",
        },
        "needs": {
            "concerns": ["depression"],
            "diagnoses": ["F11.20", "F32.1"],
            "plan": "masscare-hmo",
            "postal_code": "02139",
            "languages": ["es"],
        },
        "form": {
            "referral_diagnoses": "F11.20, F32.1",
            "conditions": "Major depressive disorder, single episode, moderate\n"
            "Opioid dependence, uncomplicated",
            "medications": "buprenorphine 8 MG / naloxone 2 MG Sublingual Film\n"
            "sertraline 50 MG Oral Tablet",
            # Newest first, as the EHR's search returns them.
            "notes": "GAD-7 total 9 (2026-11-20), from the EHR. "
            "PHQ-9 total 14 (2026-11-20), from the EHR.",
            "screening_instrument": "phq9",
            "screening_answers": "2 2 2 2 2 1 1 2 0",
        },
    }


def test_sud_conditions_and_medications_prefilled_are_part2_by_content():
    form = prefill(_chart(), PLANS)["form"]

    found = classify(
        Content(
            diagnoses=tuple(form["referral_diagnoses"].split(", ")),
            conditions=tuple(form["conditions"].splitlines()),
            medications=tuple(form["medications"].splitlines()),
        )
    )

    assert found.part2 is True
    assert "diagnoses:F11.20" in found.basis
    assert any(b.startswith("medications:") for b in found.basis)


@pytest.mark.parametrize(("total", "concerns"), [(9, []), (10, ["anxiety"])])
def test_a_gad7_total_of_10_is_the_threshold_for_anxiety(total, concerns):
    gad7 = {**_load("Observation-gad7"), "valueInteger": total}
    chart = Chart(patient=_load("Patient-123"), observations=[gad7])

    assert prefill(chart, PLANS)["needs"].get("concerns", []) == concerns


def test_a_coverage_matches_our_plan_by_payor_name_when_the_identifier_is_unknown():
    coverage = _load("Coverage-9876")
    coverage["payor"] = [{"display": "masscare hmo"}]

    assert plan_for([coverage], PLANS) == ("masscare-hmo", "AB9876")


def test_an_unknown_or_cancelled_coverage_sets_no_plan():
    unknown = {**_load("Coverage-9876"), "payor": [{"display": "Other Plan"}]}
    cancelled = {**_load("Coverage-9876"), "status": "cancelled"}

    assert plan_for([unknown, cancelled], PLANS) == (None, None)


@pytest.mark.parametrize(
    ("postal_code", "expected"), [("02139", "02139"), ("02139-4307", "02139"), ("0213", None)]
)
def test_the_needs_take_the_home_zip_code_when_it_has_five_digits(postal_code, expected):
    patient = {**_load("Patient-123"), "address": [{"use": "home", "postalCode": postal_code}]}

    assert prefill(Chart(patient=patient), PLANS)["needs"].get("postal_code") == expected


def test_a_patient_with_only_a_name_gives_only_a_name():
    patient = {"resourceType": "Patient", "name": [{"text": "Ana Diaz"}]}

    assert patient_fields(patient) == {"name": "Ana Diaz"}


@pytest.mark.parametrize("path", sorted(DATA.glob("*.json")), ids=lambda p: p.stem)
def test_every_example_resource_is_valid_fhir_r4b(path: Path):
    body = json.loads(path.read_text())
    module = import_module(f"fhir.resources.R4B.{body['resourceType'].lower()}")

    getattr(module, body["resourceType"]).model_validate(body)


def test_the_spec_example_task_launches_the_fixture_patient():
    task = json.loads((SPEC / "Task-task-for-ehr-launch.json").read_text())

    assert task["for"]["reference"].rsplit("/", 1)[1] == "123"
    assert _load("Patient-123")["id"] == "123"
