"""HL7 BSeR (Bidirectional Services eReferrals) resources: Task and ServiceRequest by id, the
referral feedback message and the $process-message response.

The BSeR Task businessStatus is added beside the referral's own status code, so a BSeR partner
reads the code system it knows and nothing existing readers rely on changes.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from referrals.fhir import service_request_resource, task_resource
from referrals.fhir_terms import HL7, instant, security_labels

BSER = "http://hl7.org/fhir/us/bser/"
BUSINESS_SYSTEM = BSER + "CodeSystem/TaskBusinessStatusCS"
TASK_PROFILE = BSER + "StructureDefinition/BSeR-ReferralTask"
REQUEST_PROFILE = BSER + "StructureDefinition/BSeR-ReferralServiceRequest"
HEADER_PROFILE = BSER + "StructureDefinition/BSeR-ReferralMessageHeader"
# The BSeR MessageHeader's fixed event (v2 event type I12, "REF/RRI - Patient referral"); the
# feedback message says what it is in MessageHeader.reason.
EVENT = {"system": f"{HL7}v2-0003", "code": "I12", "display": "REF/RRI - Patient referral"}
MESSAGE_REASON_SYSTEM = "urn:bh-directory:bser-message"
FEEDBACK_REASON = {"coding": [{"system": MESSAGE_REASON_SYSTEM, "code": "referral-feedback"}]}
SOFTWARE = "bh-directory"

# The BSeR Task business status of each referral status (lifecycle.STATUS_TABLE's codes).
BUSINESS_STATUS = {
    "draft": ("2.0", "Service Request Created"),
    "sent": ("2.0", "Service Request Created"),
    "acknowledged": ("2.0", "Service Request Created"),
    "accepted": ("3.0", "Service Request Accepted"),
    "declined": ("4.0", "Service Request Declined"),
    "scheduled": ("5.1.1", "Service Request Event Scheduled"),
    "attended": ("5.1.4", "Service Request Event Completed"),
    "no_show": ("5.1.2", "Scheduled Service Request Event Unattended"),
    "closed": ("7.0", "Service Request Fulfillment Completed"),
    "cancelled": ("6.0", "Service Request Fulfillment Cancelled"),
    "expired": ("6.0", "Service Request Fulfillment Cancelled"),
}


def patient_reference(referral) -> dict | None:
    """The patient as a REST reference: their episode of care at the referring practice."""
    return {"reference": f"Patient/{referral.episode_id}"} if referral.episode_id else None


def requester_reference(referral, organization_id: str) -> dict:
    """The referring organization, by its /fhir Organization id, with its name and NPI."""
    org = referral.referring_organization
    found = {"reference": f"Organization/{organization_id}", "display": org.name}
    if org.npi:
        found["identifier"] = {"system": "http://hl7.org/fhir/sid/us-npi", "value": org.npi}
    return found


def closing_note(referral) -> str | None:
    """The note written with the close event (the clinician's words back to the referrer)."""
    notes = [e.note for e in referral.events if e.type == "close" and e.note]
    return notes[-1] if notes else None


def _label(resource: dict, profile: str, referral, withheld: bool) -> None:
    """The BSeR profile, and the Part 2 and REDACTED labels the referral export carries."""
    meta = resource.setdefault("meta", {})
    meta.setdefault("profile", []).append(profile)
    meta["lastUpdated"] = instant(referral.updated_at)
    labels = security_labels(bool(referral.part2), withheld)
    if labels:
        meta["security"] = labels


def bser_task(referral, organization_id: str, withheld: bool) -> dict:
    """The referral's Task with an id, relative references and the BSeR business status."""
    task = task_resource(referral, withheld)
    code, display = BUSINESS_STATUS[referral.status]
    task["id"] = str(referral.id)
    _label(task, TASK_PROFILE, referral, withheld)
    task["businessStatus"]["coding"].append(
        {"system": BUSINESS_SYSTEM, "code": code, "display": display}
    )
    task["focus"] = {"reference": f"ServiceRequest/{referral.id}"}
    task["requester"] = requester_reference(referral, organization_id)
    patient = patient_reference(referral)
    if withheld or patient is None:
        task.pop("for", None)
    else:
        task["for"] = patient
    note = None if withheld else closing_note(referral)
    if note:
        task["note"] = [{"text": note}]
    return task


def bser_service_request(referral, organization_id: str, withheld: tuple[str, ...]) -> dict:
    """The referral's ServiceRequest with an id and relative references."""
    request = service_request_resource(referral, bool(referral.part2), withheld)
    request["id"] = str(referral.id)
    _label(request, REQUEST_PROFILE, referral, bool(withheld))
    request["requester"] = requester_reference(referral, organization_id)
    patient = patient_reference(referral)
    if not withheld and patient is not None:
        request["subject"] = patient
    return request


def message_id(*parts: object) -> str:
    """A stable id for a message built from the same facts (a re-post gets the same answer)."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "bh-directory/bser/" + "/".join(map(str, parts))))


def _header(header_id: str, focus: list[str], endpoint: str) -> dict:
    return {
        "resourceType": "MessageHeader",
        "id": header_id,
        "meta": {"profile": [HEADER_PROFILE]},
        "eventCoding": dict(EVENT),
        "source": {"name": SOFTWARE, "software": SOFTWARE, "endpoint": endpoint},
        "focus": [{"reference": reference} for reference in focus],
    }


def _message(header: dict, entries: list[dict], now: datetime) -> dict:
    """A message Bundle: the MessageHeader first, then `entries` (fullUrl and resource)."""
    first = {"fullUrl": f"urn:uuid:{header['id']}", "resource": header}
    return {
        "resourceType": "Bundle",
        "id": header["id"],
        "type": "message",
        "timestamp": instant(now),
        "identifier": {"system": "urn:ietf:rfc:3986", "value": f"urn:uuid:{header['id']}"},
        "entry": [first, *entries],
    }


def _rest_entries(base: str, *resources: dict) -> list[dict]:
    return [{"fullUrl": f"{base}/{r['resourceType']}/{r['id']}", "resource": r} for r in resources]


def response_message(
    referral, rest: tuple[dict, dict], answered: str, now: datetime, base: str, outcome=None
) -> dict:
    """The $process-message answer: response ok to message `answered`, the Task and request."""
    focus = [f"Task/{referral.id}", f"ServiceRequest/{referral.id}"]
    header = _header(message_id("response", referral.id, answered), focus, base)
    header["response"] = {"identifier": answered, "code": "ok"}
    entries = _rest_entries(base, *rest)
    if outcome is not None:
        outcome_url = f"urn:uuid:{message_id('outcome', referral.id, answered)}"
        header["response"]["details"] = {"reference": outcome_url}
        entries.append({"fullUrl": outcome_url, "resource": outcome})
    return _message(header, entries, now)


def feedback_message(referral, rest: tuple[dict, dict], export: dict, now, base: str) -> dict:
    """The BSeR referral feedback message: the Task, the request, and what the reader may see
    of the patient, consent, structured returns and closing note, labelled as the export is."""
    task, request = rest
    stamp = instant(referral.updated_at)
    header = _header(message_id("feedback", referral.id, stamp), [f"Task/{referral.id}"], base)
    header["reason"] = FEEDBACK_REASON
    header["sender"] = dict(task.get("owner") or {"display": SOFTWARE})
    header["destination"] = [{"endpoint": base, "receiver": dict(task["requester"])}]
    labels = (export.get("meta") or {}).get("security")
    for resource in rest:
        if labels:
            resource.setdefault("meta", {})["security"] = [dict(label) for label in labels]
    carried = [
        entry
        for entry in export.get("entry", [])
        if entry["resource"]["resourceType"] not in ("Task", "ServiceRequest")
    ]
    patients = [e["fullUrl"] for e in carried if e["resource"]["resourceType"] == "Patient"]
    if patients:
        # Inside the message the patient is the Patient entry it carries (resolvable there).
        task["for"] = request["subject"] = {"reference": patients[0]}
    bundle = _message(header, _rest_entries(base, *rest) + carried, now)
    if export.get("meta"):
        bundle["meta"] = export["meta"]
    return bundle
