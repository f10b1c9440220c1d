"""Read the launch patient's chart from the EHR's FHIR server with the launch's access token."""

from __future__ import annotations

from dataclasses import dataclass, field

import requests

from smart.errors import LaunchRefused

PHQ9_TOTAL = "44261-6"
GAD7_TOTAL = "70274-6"
LOINC = "http://loinc.org"
# Screening totals older than this are not "recent" for a referral.
RECENT_OBSERVATIONS = 20


@dataclass
class Chart:
    """The FHIR resources read for one launch, as JSON dicts."""

    patient: dict
    coverages: list[dict] = field(default_factory=list)
    conditions: list[dict] = field(default_factory=list)
    medications: list[dict] = field(default_factory=list)
    observations: list[dict] = field(default_factory=list)


def _get(http: requests.Session, url: str, params: dict | None, timeout: float) -> dict:
    try:
        answer = http.get(url, params=params, timeout=timeout)
        answer.raise_for_status()
        body = answer.json()
    except (requests.RequestException, ValueError) as err:
        raise LaunchRefused("fhir_unavailable", 502) from err
    if not isinstance(body, dict):
        raise LaunchRefused("fhir_unavailable", 502)
    return body


def _entries(body: dict, resource_type: str) -> list[dict]:
    """The bundle's resources of `resource_type` (included resources and outcomes left out)."""
    found = [e.get("resource") for e in body.get("entry") or [] if isinstance(e, dict)]
    return [r for r in found if isinstance(r, dict) and r.get("resourceType") == resource_type]


def read_chart(iss: str, access_token: str, patient_id: str, timeout: float) -> Chart:
    """Patient, Coverage, Condition, MedicationRequest and recent PHQ-9/GAD-7 totals."""
    base = iss.rstrip("/")
    with requests.Session() as http:
        http.headers.update(
            {"Authorization": f"Bearer {access_token}", "Accept": "application/fhir+json"}
        )
        patient = _get(http, f"{base}/Patient/{patient_id}", None, timeout)
        if patient.get("resourceType") != "Patient":
            raise LaunchRefused("fhir_unavailable", 502)
        chart = Chart(patient)
        searches = (
            ("Coverage", {"patient": patient_id}, "coverages"),
            ("Condition", {"patient": patient_id}, "conditions"),
            ("MedicationRequest", {"patient": patient_id}, "medications"),
            (
                "Observation",
                {
                    "patient": patient_id,
                    "code": f"{LOINC}|{PHQ9_TOTAL},{LOINC}|{GAD7_TOTAL}",
                    "_sort": "-date",
                    "_count": str(RECENT_OBSERVATIONS),
                },
                "observations",
            ),
        )
        for resource_type, params, attribute in searches:
            body = _get(http, f"{base}/{resource_type}", params, timeout)
            setattr(chart, attribute, _entries(body, resource_type))
    return chart
