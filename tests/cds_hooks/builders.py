"""CDS Hooks test data: the spec's examples, signed claims and small FHIR resources."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

DATA = Path(__file__).parent / "data"
ISS = "https://ehr.example.org"
SECRET = "shared-secret-for-tests-0123456789abcdef"
BASE = "http://localhost/cds-services"
PATIENT_VIEW = "bh-screening-patient-view"
ORDER_SELECT = "bh-referral-order-select"
LOINC = "http://loinc.org"
ICD10 = "http://hl7.org/fhir/sid/icd-10-cm"


def example(name: str) -> dict:
    """One of the spec's example files."""
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def claims(service_id: str, **changes) -> dict:
    """Claims a client signs for a call to `service_id` (now, 5 minutes, a fresh jti)."""
    now = datetime.now(UTC)
    found = {
        "iss": ISS,
        "sub": "client-id",
        "aud": f"{BASE}/{service_id}",
        "iat": int(now.timestamp()),
        "exp": int((now + timedelta(minutes=5)).timestamp()),
        "jti": str(uuid.uuid4()),
    }
    found.update(changes)
    return found


def patient(gender: str = "female", pid: str = "1288992") -> dict:
    """A Patient."""
    return {"resourceType": "Patient", "id": pid, "gender": gender, "birthDate": "1980-02-01"}


def bundle(*resources: dict) -> dict:
    """A searchset Bundle of `resources`."""
    entries = [{"resource": r} for r in resources]
    return {"resourceType": "Bundle", "type": "searchset", "total": len(entries), "entry": entries}


def observation(code: str, value: int, oid: str, when: str | None = None, **extra) -> dict:
    """A final, LOINC-coded screening Observation with an integer value."""
    found = {
        "resourceType": "Observation",
        "id": oid,
        "status": "final",
        "code": {"coding": [{"system": LOINC, "code": code}]},
        "subject": {"reference": "Patient/1288992"},
        "effectiveDateTime": when or datetime.now(UTC).isoformat(),
        "valueInteger": value,
    }
    found.update(extra)
    return found


def condition(code: str, cid: str, status: str = "active") -> dict:
    """A Condition coded in ICD-10-CM."""
    clinical = "http://terminology.hl7.org/CodeSystem/condition-clinical"
    return {
        "resourceType": "Condition",
        "id": cid,
        "clinicalStatus": {"coding": [{"system": clinical, "code": status}]},
        "code": {"coding": [{"system": ICD10, "code": code}]},
        "subject": {"reference": "Patient/1288992"},
    }


def medication(text: str, mid: str, status: str = "active") -> dict:
    """A MedicationRequest naming its medication in text."""
    return {
        "resourceType": "MedicationRequest",
        "id": mid,
        "status": status,
        "intent": "order",
        "medicationCodeableConcept": {"text": text},
        "subject": {"reference": "Patient/1288992"},
    }


def referral(text: str = "Behavioral health referral", status: str = "active") -> dict:
    """A ServiceRequest whose code says what it refers to."""
    return {
        "resourceType": "ServiceRequest",
        "id": "sr-1",
        "status": status,
        "intent": "order",
        "code": {"text": text},
        "subject": {"reference": "Patient/1288992"},
    }


def prefetch(screenings=(), conditions=(), medications=(), referrals=(), gender="female") -> dict:
    """All five prefetch items the services ask for."""
    return {
        "patient": patient(gender),
        "screenings": bundle(*screenings),
        "conditions": bundle(*conditions),
        "medications": bundle(*medications),
        "referrals": bundle(*referrals),
    }


def patient_view(items: dict | None = None, **changes) -> dict:
    """The spec's patient-view request, with this service's prefetch and no FHIR server."""
    body = example("request-patient-view.json")
    del body["fhirServer"], body["fhirAuthorization"]
    body["prefetch"] = items if items is not None else prefetch()
    body.update(changes)
    return body


PHQ9, GAD7, AUDITC, ITEM9 = "44261-6", "70274-6", "75626-2", "44260-8"
TOKEN = "some-opaque-fhir-access-token"  # the spec example's fhirAuthorization
SCREENINGS = (
    f"Observation?patient=1288992&code={LOINC}|{PHQ9},{LOINC}|{GAD7},{LOINC}|{AUDITC},"
    f"{LOINC}|{ITEM9}&_sort=-date&_count=50"
)


def serve_patient(fhir, *screenings: dict) -> None:
    """The FHIR server answers the spec patient's prefetch queries, with these screenings."""
    fhir.answer(
        "Patient/1288992", example("request-patient-view.json")["prefetch"]["patientToGreet"]
    )
    fhir.answer(SCREENINGS, bundle(*screenings))
    fhir.answer("Condition?patient=1288992&clinical-status=active", bundle())
    fhir.answer("MedicationRequest?patient=1288992&status=active", bundle())
    fhir.answer("ServiceRequest?patient=1288992&status=draft,active,on-hold", bundle())


def spec_request(fhir) -> dict:
    """The spec's patient-view request, pointed at this FHIR server."""
    body = example("request-patient-view.json")
    body["fhirServer"] = fhir.url
    return body
