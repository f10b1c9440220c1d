"""A structured return as FHIR R4 resources: Condition, MedicationStatement, Observation, note.

Working diagnoses are provisional encounter diagnoses (ICD-10-CM); medications are
MedicationStatements coded with RxNorm when the clinician gave the code and text alone
otherwise; repeat scores are LOINC-coded Observations from the screening engine; the treatment
approach, next appointment and note travel as one Communication back to the requester.
"""

from __future__ import annotations

from referrals.fhir_terms import HL7, ICD10_SYSTEM, concept, full_url, instant, security_labels
from referrals.return_schemas import ScoreInput
from referrals.returns import scored
from screening.fhir import observations, total_observation

RXNORM_SYSTEM = "http://www.nlm.nih.gov/research/umls/rxnorm"
# MedicationStatement.status for each change the clinician reports.
MEDICATION_STATUS = {"started": "active", "changed": "active", "stopped": "stopped"}


def _condition(code: str, row, subject: dict) -> dict:
    return {
        "resourceType": "Condition",
        "clinicalStatus": concept(f"{HL7}condition-clinical", "active"),
        "verificationStatus": concept(f"{HL7}condition-ver-status", "provisional"),
        "category": [concept(f"{HL7}condition-category", "encounter-diagnosis")],
        "code": concept(ICD10_SYSTEM, code),
        "subject": subject,
        "recordedDate": instant(row.created_at),
    }


def _medication(medication: dict, row, subject: dict) -> dict:
    code = {"text": medication["name"]}
    if medication.get("rxnorm"):
        code["coding"] = [{"system": RXNORM_SYSTEM, "code": medication["rxnorm"]}]
    return {
        "resourceType": "MedicationStatement",
        "status": MEDICATION_STATUS[medication["change"]],
        "medicationCodeableConcept": code,
        "subject": subject,
        "dateAsserted": instant(row.created_at),
        "note": [{"text": f"Medication {medication['change']}"}],
    }


def _observations(row, subject: dict) -> list[dict]:
    found = []
    for entry in row.scores:
        answers = tuple(entry.answers) if entry.answers is not None else None
        result = scored(ScoreInput(entry.instrument, answers, entry.score, entry.sex))
        if answers is None:
            found.append(total_observation(result, row.created_at, subject))
        else:
            found.extend(observations(result, row.created_at, subject))
    return found


def _payload(row) -> list[dict]:
    texts = []
    if row.treatment:
        texts.append(f"Treatment approach: {row.treatment}")
    if row.next_appointment_at:
        texts.append(f"Next appointment: {instant(row.next_appointment_at)}")
    if row.note:
        texts.append(row.note)
    return [{"contentString": text} for text in texts]


def _communication(row, subject: dict) -> dict | None:
    payload = _payload(row)
    if not payload:
        return None
    return {
        "resourceType": "Communication",
        "status": "completed",
        "basedOn": [{"reference": full_url(row.referral_id, "ServiceRequest")}],
        "subject": subject,
        "sent": instant(row.created_at),
        "payload": payload,
    }


def return_resources(row) -> list[dict]:
    """Every resource one return becomes, about the referral's Patient."""
    subject = {"reference": full_url(row.referral_id, "Patient")}
    resources = [_condition(code, row, subject) for code in row.diagnoses]
    resources += [_medication(m, row, subject) for m in row.medications]
    resources += _observations(row, subject)
    note = _communication(row, subject)
    if note is not None:
        resources.append(note)
    return resources


def return_entries(rows) -> list[dict]:
    """Bundle entries for the returns a reader may see; a Part 2 return's resources labelled."""
    entries = []
    for row in rows:
        labels = security_labels(bool(row.part2), False)
        for number, resource in enumerate(return_resources(row)):
            if labels:
                resource["meta"] = {"security": labels}
            kind = f"Return/{row.id}/{resource['resourceType']}/{number}"
            entries.append({"fullUrl": full_url(row.referral_id, kind), "resource": resource})
    return entries
