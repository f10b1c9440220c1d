"""A BSeR ReferralMessageBundle in, the referral use case's input out (or the element at fault).

The Bundle is first validated with the fhir.resources R4B models (structure and datatypes);
then the message is read: MessageHeader first, its focus (the Task, or the ServiceRequest
itself), the ServiceRequest, the Patient, the recipient by NPI (PractitionerRole or
Practitioner identifier), the requester's contact, Coverage, Consent and the supporting
Conditions, medications and Observations. What comes out is the same JSON body
POST /api/v1/referrals takes, so the same schema and use case judge it.
"""

from __future__ import annotations

from dataclasses import dataclass

from fhir_api.bser_refs import BundleError, Entries, first, text_of
from fhir_api.bser_support import consent_body, coverage_plan, icd10_codes, supporting

NPI_SYSTEM = "http://hl7.org/fhir/sid/us-npi"
EVENT_SYSTEM = "http://terminology.hl7.org/CodeSystem/v2-0003"
EVENT_CODE = "I12"
# FHIR request priority to the referral's urgency; stat is an emergency, refused with the
# crisis guidance by the use case.
URGENCY = {"routine": "routine", "urgent": "urgent", "asap": "urgent", "stat": "emergent"}
MAX_KEY = 200


@dataclass(frozen=True)
class Inbound:
    """A parsed referral message: the referral body, its idempotency key and header id."""

    body: dict
    key: str
    header_id: str


def validate_bundle(data) -> None:
    """Refuse anything the R4B Bundle model does not accept (400, naming the element)."""
    if not isinstance(data, dict) or data.get("resourceType") != "Bundle":
        raise BundleError(400, "send a FHIR Bundle (resourceType Bundle)", "Bundle")
    if data.get("type") != "message":
        raise BundleError(400, "a BSeR referral is a Bundle of type message", "Bundle.type")
    # Imported here: the FHIR models and pydantic cost ~13 MB, and only FHIR requests use them.
    from fhir.resources.R4B.bundle import Bundle
    from pydantic import ValidationError

    try:
        Bundle.model_validate(data)
    except ValidationError as err:
        error = err.errors()[0]
        where = "Bundle"
        for part in error["loc"]:
            # As FHIRPath: list positions in brackets, pydantic's own markers left out.
            if isinstance(part, int):
                where += f"[{part}]"
            elif not str(part).startswith("__"):
                where += f".{part}"
        raise BundleError(400, f"not valid FHIR R4: {error['msg']}", where) from None


def _header(entries: Entries) -> dict:
    header = entries.resources[0] if entries.resources else None
    if header is None or header.get("resourceType") != "MessageHeader":
        raise BundleError(422, "the first entry must be the MessageHeader", "Bundle.entry[0]")
    event = header.get("eventCoding") or {}
    if event.get("system") != EVENT_SYSTEM or event.get("code") != EVENT_CODE:
        detail = "this endpoint takes BSeR referral messages (v2-0003 event I12)"
        raise BundleError(422, detail, "MessageHeader.eventCoding")
    return header


def _request(entries: Entries, header: dict) -> tuple[dict, dict | None]:
    """The ServiceRequest and the Task the header's focus names (a Task focuses on it)."""
    focus = first(header.get("focus"))
    if focus is None:
        raise BundleError(422, "the MessageHeader has no focus", "MessageHeader.focus")
    target = entries.resolve(focus, "MessageHeader.focus")
    task = target if target.get("resourceType") == "Task" else None
    if task is not None:
        target = entries.resolve(task.get("focus"), "Task.focus")
    if target.get("resourceType") != "ServiceRequest":
        detail = "the focus must be a Task for a ServiceRequest, or the ServiceRequest"
        raise BundleError(422, detail, "MessageHeader.focus")
    return target, task


def _npi(resource: dict) -> str | None:
    for identifier in resource.get("identifier") or ():
        if identifier.get("system") == NPI_SYSTEM and identifier.get("value"):
            return str(identifier["value"]).strip()
    return None


def _recipient_npi(entries: Entries, request: dict, task, header: dict) -> str:
    """The NPI of the performer, Task owner or message receiver (role, then its practitioner)."""
    candidates = [first(request.get("performer")), (task or {}).get("owner")]
    candidates.append((first(header.get("destination")) or {}).get("receiver"))
    for reference in candidates:
        if not reference:
            continue
        if (reference.get("identifier") or {}).get("system") == NPI_SYSTEM:
            return str(reference["identifier"].get("value") or "").strip()
        found = entries.find(reference)
        if found is None:
            continue
        practitioner = entries.find(found.get("practitioner") or {}) or {}
        npi = _npi(found) or _npi(practitioner)
        if npi:
            return npi
    detail = "the recipient must be a PractitionerRole or Practitioner with an NPI identifier"
    raise BundleError(422, detail, "ServiceRequest.performer")


def _patient(entries: Entries, request: dict, task) -> dict:
    reference = request.get("subject") or (task or {}).get("for")
    if not reference:
        raise BundleError(422, "the ServiceRequest names no patient", "ServiceRequest.subject")
    patient = entries.resolve(reference, "ServiceRequest.subject")
    name = first(patient.get("name")) or {}
    text = name.get("text") or " ".join([*(name.get("given") or ()), name.get("family") or ""])
    found = {"name": text.strip(), "birth_date": patient.get("birthDate")}
    phone = next((t for t in patient.get("telecom") or () if t.get("system") == "phone"), None)
    if phone:
        found["phone"] = phone.get("value")
    language = (first(patient.get("communication")) or {}).get("language") or {}
    code = (first(language.get("coding")) or {}).get("code")
    if code:
        found["preferred_language"] = code.split("-")[0].lower()
    for identifier in patient.get("identifier") or ():
        codes = {c.get("code") for c in (identifier.get("type") or {}).get("coding") or ()}
        if "MB" in codes:
            found["member_id"] = identifier.get("value")
    return found


def _contact(entries: Entries, request: dict) -> dict | None:
    role = entries.find(request.get("requester") or {})
    if role is None:
        return None
    practitioner = entries.find(role.get("practitioner") or {}) or {}
    name = text_of(practitioner.get("name")) or (role.get("practitioner") or {}).get("display")
    contact = {"name": name} if name else {}
    for telecom in [*(role.get("telecom") or ()), *(practitioner.get("telecom") or ())]:
        kind = {"phone": "phone", "email": "email"}.get(telecom.get("system"))
        if kind and kind not in contact and telecom.get("value"):
            contact[kind] = telecom["value"]
    return contact or None


def _reason(request: dict) -> tuple[str, list[str]]:
    """The reason in words, and the ICD-10-CM codes among the reason codes."""
    codes, words = [], []
    for concept in request.get("reasonCode") or ():
        codes += icd10_codes(concept)
        words.append(text_of(concept))
    notes = [n.get("text") for n in request.get("note") or () if n.get("text")]
    reason = "; ".join(w for w in [*notes, *words] if w) or text_of(request.get("code"))
    if not reason:
        detail = "give the reason for referral (reasonCode, note or code text)"
        raise BundleError(422, detail, "ServiceRequest.reasonCode")
    return reason, codes


def _key(data: dict, header: dict) -> str:
    """The idempotency key: Bundle.identifier, else the MessageHeader id."""
    identifier = data.get("identifier") or {}
    value = identifier.get("value") or header.get("id")
    if not value:
        detail = "give Bundle.identifier or MessageHeader.id so a retry is recognised"
        raise BundleError(422, detail, "Bundle.identifier")
    key = f"bser:{identifier.get('system') or ''}|{value}"
    if len(key) > MAX_KEY:
        raise BundleError(422, f"at most {MAX_KEY} characters", "Bundle.identifier")
    return key


def parse_message(data) -> Inbound:
    """The referral body a BSeR ReferralMessageBundle asks for; BundleError when it cannot."""
    validate_bundle(data)
    entries = Entries.of(data)
    header = _header(entries)
    request, task = _request(entries, header)
    reason, diagnoses = _reason(request)
    found = supporting(entries, request)
    body = {
        "patient": _patient(entries, request, task),
        "clinician_npi": _recipient_npi(entries, request, task, header),
        "reason": reason,
        "diagnoses": sorted({*diagnoses, *found.diagnoses}),
        "conditions": found.conditions,
        "medications": found.medications,
        "urgency": URGENCY.get(request.get("priority") or "routine", "routine"),
        "needs": {},
    }
    plan = coverage_plan(entries, request)
    if plan:
        body["plan"] = plan
    if found.notes:
        body["notes"] = found.notes
    consent = consent_body(entries, request)
    if consent is not None:
        body["consent"] = consent
    contact = _contact(entries, request)
    if contact is not None:
        body["referrer"] = contact
    return Inbound(body, _key(data, header), header.get("id") or "")
