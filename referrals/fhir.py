"""A referral as a FHIR R4 (R4B) Bundle: ServiceRequest, Task, Consent, Patient, screenings.

The clinician's structured returns travel as Conditions, MedicationStatements, Observations
and a Communication (referrals.fhir_return), each only to a reader it may be shown to.
Attached screenings travel as QuestionnaireResponses and Observations the ServiceRequest names
as supportingInfo, only to readers nothing is withheld from.

A Part 2 referral's Bundle and each resource carry the 42CFRPart2, restricted and
no-redisclosure security labels, and Bundle.meta carries the §2.32 notice. A reader the
content is withheld from gets the Task and a ServiceRequest without patient or clinical
content, labelled REDACTED, with the withheld fields named in Bundle.meta.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from referrals.consent import PART2_NOTICE
from referrals.fhir_consent import consent_resource
from referrals.fhir_program import program_request_fields, program_task_fields
from referrals.fhir_return import return_entries
from referrals.fhir_terms import (
    HL7,
    ICD10_SYSTEM,
    NOTICE_EXTENSION,
    NPI_SYSTEM,
    STATUS_SYSTEM,
    WITHHELD_EXTENSION,
    concept,
    full_url,
    instant,
    security_labels,
)
from referrals.lifecycle import STATUS_TABLE
from screening.fhir import observations, questionnaire_response

if TYPE_CHECKING:
    from fhir.resources.R4B.bundle import Bundle

# Task.status and ServiceRequest.status for each referral status, from the status table;
# Task.businessStatus carries the referral's own status.
TASK_STATUS = {row.code: row.task for row in STATUS_TABLE}
BUSINESS_STATUS = {row.code: row.business_status for row in STATUS_TABLE}
SERVICE_REQUEST_STATUS = {row.code: row.service_request for row in STATUS_TABLE}
WITHHELD_SUBJECT = "Patient withheld from this reader"


def _practitioner(referral) -> dict:
    clinician = referral.clinician
    return {
        "identifier": {"system": NPI_SYSTEM, "value": clinician.npi},
        "display": clinician.display_name,
    }


def _requester(referral) -> dict:
    org = referral.referring_organization
    reference = {"display": org.name}
    if org.npi:
        reference["identifier"] = {"system": NPI_SYSTEM, "value": org.npi}
    return reference


def patient_resource(referral) -> dict:
    """The Patient: the minimum necessary identity the referral carries."""
    patient = {
        "resourceType": "Patient",
        "name": [{"text": referral.patient_name}],
        "birthDate": referral.patient_birth_date.isoformat(),
    }
    if referral.patient_phone:
        patient["telecom"] = [{"system": "phone", "value": referral.patient_phone}]
    if referral.patient_preferred_language:
        code = referral.patient_preferred_language
        patient["communication"] = [
            {"language": concept("urn:ietf:bcp:47", code), "preferred": True}
        ]
    if referral.patient_member_id:
        patient["identifier"] = [
            {
                "type": concept(f"{HL7}v2-0203", "MB"),
                "system": f"urn:bh-directory:plan-member:{referral.plan_id or 'unknown'}",
                "value": referral.patient_member_id,
            }
        ]
    return patient


def _clinical_notes(referral, part2: bool) -> list[dict]:
    notes = [{"text": f"Reason for referral: {referral.reason}"}]
    if referral.conditions:
        notes.append({"text": "Medical conditions: " + "; ".join(referral.conditions)})
    if referral.medications:
        notes.append({"text": "Current medications: " + "; ".join(referral.medications)})
    if referral.notes:
        notes.append({"text": referral.notes})
    if part2:
        notes.append({"text": PART2_NOTICE})
    return notes


def service_request_resource(referral, part2: bool, withheld: tuple[str, ...] = ()) -> dict:
    """The ServiceRequest: what is asked of whom, for which problems, how urgently."""
    request = {
        "resourceType": "ServiceRequest",
        "status": SERVICE_REQUEST_STATUS[referral.status],
        "intent": "order",
        "category": [concept("http://snomed.info/sct", "3457005", "Patient referral")],
        "code": {"text": "Behavioral health referral"},
        "priority": referral.urgency,
        "subject": {"reference": full_url(referral.id, "Patient")},
        "authoredOn": instant(referral.sent_at or referral.created_at),
        "requester": _requester(referral),
    }
    if referral.clinician is not None:
        request["performer"] = [_practitioner(referral)]
    if withheld:
        request["subject"] = {"display": WITHHELD_SUBJECT}
        request["note"] = [{"text": "Withheld from this reader: " + ", ".join(withheld)}]
    else:
        request["reasonCode"] = [concept(ICD10_SYSTEM, code) for code in referral.diagnoses]
        request["note"] = _clinical_notes(referral, part2)
    if referral.location is not None:
        request["locationReference"] = [{"display": referral.location.address or "location"}]
    if referral.kind == "program":
        request.update(program_request_fields(referral))
    return request


def task_resource(referral, withheld: bool = False) -> dict:
    """The Task: the handoff's FHIR status, and the referral's own one as businessStatus."""
    business = BUSINESS_STATUS[referral.status]
    task = {
        "resourceType": "Task",
        "status": TASK_STATUS[referral.status],
        "businessStatus": {**concept(STATUS_SYSTEM, business), "text": business},
        "intent": "order",
        "priority": referral.urgency,
        "focus": {"reference": full_url(referral.id, "ServiceRequest")},
        "authoredOn": instant(referral.created_at),
        "lastModified": instant(referral.updated_at),
        "requester": _requester(referral),
    }
    if referral.clinician is not None:
        task["owner"] = _practitioner(referral)
    if not withheld:
        task["for"] = {"reference": full_url(referral.id, "Patient")}
    if referral.decline_reason:
        task["statusReason"] = concept(f"{STATUS_SYSTEM}:decline-reason", referral.decline_reason)
    if referral.appointment_at:
        task["executionPeriod"] = {"start": instant(referral.appointment_at)}
    if referral.kind == "program":
        task.update(program_task_fields(referral))
    return task


def _resources(referral, today: date, withheld: tuple[str, ...]) -> list[dict]:
    part2 = bool(referral.part2)
    if withheld:
        return [service_request_resource(referral, part2, withheld), task_resource(referral, True)]
    resources = [
        service_request_resource(referral, part2),
        task_resource(referral),
        patient_resource(referral),
    ]
    if referral.consent is not None:
        resources.append(consent_resource(referral, today))
    return resources


def _bundle_meta(part2: bool, withheld: tuple[str, ...]) -> dict:
    extensions = [{"url": NOTICE_EXTENSION, "valueString": PART2_NOTICE}] if part2 else []
    extensions += [{"url": WITHHELD_EXTENSION, "valueCode": name} for name in withheld]
    meta: dict = {"security": security_labels(part2, bool(withheld))}
    if extensions:
        meta["extension"] = extensions
    return meta


def _screening_entries(referral, screenings) -> list[dict]:
    """Each attached screening's QuestionnaireResponse and Observations, about the Patient."""
    subject = {"reference": full_url(referral.id, "Patient")}
    entries = []
    for result, scored in screenings:
        response = questionnaire_response(scored, result.created_at, subject)
        kind = f"QuestionnaireResponse/{result.id}"
        entries.append({"fullUrl": full_url(referral.id, kind), "resource": response})
        for number, observation in enumerate(observations(scored, result.created_at, subject)):
            kind = f"Observation/{result.id}/{number}"
            entries.append({"fullUrl": full_url(referral.id, kind), "resource": observation})
    return entries


def _entries(referral, today: date, withheld: tuple[str, ...], screenings) -> list[dict]:
    """The Bundle's entries; screenings (supporting information) only where nothing is withheld."""
    resources = _resources(referral, today, withheld)
    entries = [
        {"fullUrl": full_url(referral.id, r["resourceType"]), "resource": r} for r in resources
    ]
    extra = [] if withheld else _screening_entries(referral, screenings)
    supporting = [
        {"reference": e["fullUrl"]}
        for e in extra
        if e["resource"]["resourceType"] == "QuestionnaireResponse"
    ]
    if supporting:
        resources[0]["supportingInfo"] = supporting  # the ServiceRequest
    return entries + extra


def referral_bundle(
    referral,
    today: date,
    now: datetime,
    withheld: tuple[str, ...] = (),
    screenings=(),
    returns=(),
    returns_withheld: bool = False,
) -> Bundle:
    """The validated R4B Bundle for `referral`: only the Task and a bare request when withheld.

    `returns` are the structured returns this reader may see; `returns_withheld` says some
    were held back from them (named in Bundle.meta as the withheld field "returns").
    """
    # A Part 2 return makes the Bundle a Part 2 disclosure too: labels and the §2.32 notice.
    part2 = bool(referral.part2) or any(row.part2 for row in returns)
    labels = security_labels(part2, bool(withheld))
    entries = _entries(referral, today, withheld, screenings) + return_entries(returns)
    withheld = (*withheld, "returns") if returns_withheld else withheld
    for entry in entries:
        if labels:
            meta = entry["resource"].setdefault("meta", {})
            meta["security"] = [dict(label) for label in labels]
    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": instant(now),
        "identifier": {"system": "urn:bh-directory:referral", "value": str(referral.id)},
        "entry": entries,
    }
    if part2 or withheld:
        bundle["meta"] = _bundle_meta(part2, withheld)
    # Imported here: the FHIR models and pydantic cost ~13 MB, and only this export uses them.
    from fhir.resources.R4B.bundle import Bundle

    return Bundle.model_validate(bundle)
