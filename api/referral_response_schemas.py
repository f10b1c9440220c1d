"""Response shapes of the referral API (api/referral_views.py builds them), for OpenAPI."""

from __future__ import annotations

from marshmallow import Schema, fields

from api.response_schemas import PageSchema
from referrals.checklist import CHECKLIST_ITEMS
from referrals.kinds import KIND_CODES
from referrals.lifecycle import STATUSES
from referrals.program_status import PROGRAM_STATUSES


def _text(**kwargs) -> fields.String:
    return fields.String(required=True, allow_none=True, **kwargs)


def _moment() -> fields.DateTime:
    return fields.DateTime(required=True, allow_none=True)


class ClinicianRefDoc(Schema):
    """The receiving clinician."""

    npi = fields.String(required=True)
    name = fields.String(required=True)


class LocationRefDoc(Schema):
    """Where the patient was referred to."""

    id = fields.Integer(required=True)
    name = _text()
    address = fields.String(required=True)


class OrganizationRefDoc(Schema):
    """The referring organization."""

    id = fields.Integer(required=True)
    name = fields.String(required=True)


class ContactDoc(Schema):
    """The referring clinician's contact."""

    name = _text()
    phone = _text()
    email = _text()


class PatientDoc(Schema):
    """Minimum necessary patient identity (only where disclosure is allowed)."""

    name = fields.String(required=True)
    birth_date = fields.Date(required=True, allow_none=True)
    phone = _text()
    email = _text()
    preferred_language = _text()
    member_id = _text()
    postal_code = _text()
    race_ethnicity = fields.List(
        fields.String(),
        metadata={"description": "Self-reported OMB SPD 15 categories; empty when not given."},
    )


class ConsentDoc(Schema):
    """The release of information and whether it stands today."""

    id = fields.Integer(required=True)
    form_type = fields.String(required=True)
    form = _text()
    disclosing_party = _text()
    information = _text()
    recipients = fields.List(fields.Dict(), required=True, allow_none=True)
    purpose = _text()
    signed_by = _text()
    signed_on = fields.Date(required=True, allow_none=True)
    expires_on = fields.Date(required=True, allow_none=True)
    expiry_event = _text()
    revocation_statement = fields.Boolean(required=True, allow_none=True)
    revoked_at = _moment()
    revoked_ip = _text(metadata={"description": "Set when the patient revoked through the link."})
    status = fields.Raw(required=True)
    method = _text(
        metadata={"description": "How it was signed: paper, verbal or electronic; null if unsaid."}
    )
    signed_at = _moment()
    signed_ip = _text()
    signed_user_agent = _text()
    form_version = _text(metadata={"description": "The e-signed form's version."})
    text_hash = _text(metadata={"description": "SHA-256 of the exact release text e-signed."})


class ConsentRequestDoc(Schema):
    """A link sent for the patient to sign the release (the destination is never kept)."""

    id = fields.Integer(required=True)
    channel = fields.String(required=True, metadata={"description": "email or sms"})
    form = fields.String(required=True, metadata={"description": "release or part2"})
    state = fields.String(
        required=True, metadata={"description": "pending, signed, revoked or replaced"}
    )
    requested_by = fields.String(required=True)
    created_at = _moment()
    expires_at = _moment()
    signed_at = _moment()
    revoked_at = _moment()


class DisclosureDoc(Schema):
    """Whether this reader may see the patient and clinical content, and why not."""

    allowed = fields.Boolean(required=True)
    problems = fields.Dict(
        keys=fields.String(),
        values=fields.String(),
        required=True,
        metadata={"description": "What blocks disclosure, by consent element; {} when allowed."},
    )


class EventDoc(Schema):
    """A lifecycle step."""

    type = fields.String(required=True)
    from_ = fields.String(data_key="from", required=True, allow_none=True)
    to = fields.String(required=True)
    actor = fields.String(required=True)
    role = _text()
    at = fields.DateTime(required=True)
    reason = _text()
    appointment_at = _moment()
    program_status = _text(metadata={"description": "What a program's report said."})
    note = _text(metadata={"description": "Only where content is disclosed."})


class ChecklistItemDoc(Schema):
    """A coordination-of-care step."""

    item = fields.String(required=True, metadata={"enum": list(CHECKLIST_ITEMS)})
    label = fields.String(required=True)
    done = fields.Boolean(required=True)
    done_by = _text()
    done_at = _moment()
    note = _text()


class OverdueDoc(Schema):
    """Why a referral is in the follow-up queue."""

    reason = fields.String(required=True)
    due_at = fields.DateTime(required=True)


class ProgramRefDoc(Schema):
    """The program's service at a location a program referral goes to."""

    service_at_location_id = fields.Integer(required=True)
    service = fields.String(required=True)
    organization = _text()
    address = fields.String(required=True)


class ProgramStatusDoc(Schema):
    """A community status (findhelp's words) and the FHIR Task.status it maps to."""

    code = fields.String(required=True, metadata={"enum": list(PROGRAM_STATUSES)})
    words = fields.String(required=True)
    task = fields.String(required=True)


class ReferralDoc(Schema):
    """A referral as this reader may see it; clinical members only where disclosed."""

    id = fields.Integer(required=True)
    status = fields.String(required=True, metadata={"enum": list(STATUSES)})
    urgency = fields.String(required=True)
    substance_use = fields.Boolean(
        required=True, metadata={"description": "The caller's own flag (see part2)."}
    )
    part2 = fields.Boolean(
        required=True,
        metadata={"description": "42 CFR Part 2, decided from the content (codes, medications)."},
    )
    kind = fields.String(
        required=True,
        metadata={
            "enum": list(KIND_CODES),
            "description": "What is referred to: a clinician or a program.",
        },
    )
    program_status = fields.Nested(
        ProgramStatusDoc,
        required=True,
        allow_none=True,
        metadata={"description": "A program referral's community status (None otherwise)."},
    )
    clinician = fields.Nested(ClinicianRefDoc, required=True, allow_none=True)
    program = fields.Nested(ProgramRefDoc, required=True, allow_none=True)
    patient_updates = fields.Boolean(
        required=True, metadata={"description": "The patient opted in to the status page."}
    )
    patient_notices = fields.String(
        required=True,
        metadata={"description": "Status notices the patient opted into: none, sms or email."},
    )
    patient_status_code = fields.String(
        metadata={
            "description": "Only in the answer to the create, when the patient opted in: the "
            "code to hand the patient for the status page (never shown again)."
        }
    )
    location = fields.Nested(LocationRefDoc, required=True, allow_none=True)
    plan = _text()
    referring_organization = fields.Nested(OrganizationRefDoc, required=True)
    referrer = fields.Nested(ContactDoc, required=True)
    created_at = fields.DateTime(required=True)
    updated_at = fields.DateTime(required=True)
    sent_at = _moment()
    acknowledged_at = _moment()
    accepted_at = _moment()
    appointment_at = _moment()
    closed_at = _moment()
    decline_reason = _text()
    replaces_id = fields.Integer(required=True, allow_none=True)
    episode_id = fields.Integer(
        required=True,
        allow_none=True,
        metadata={"description": "The patient's episode of care (GET /episodes/{episode_id})."},
    )
    patient = fields.Nested(PatientDoc)
    reason = fields.String(allow_none=True)
    diagnoses = fields.List(fields.String())
    conditions = fields.List(fields.String())
    medications = fields.List(fields.String())
    needs = fields.Dict()
    notes = fields.String(allow_none=True)
    part2_basis = fields.List(
        fields.String(), metadata={"description": 'Why Part 2, e.g. "diagnoses:F11.20".'}
    )
    consent = fields.Nested(ConsentDoc, allow_none=True)
    disclosure = fields.Nested(DisclosureDoc, required=True)
    withheld = fields.List(
        fields.String(),
        required=True,
        metadata={"description": "Fields withheld from this reader (empty when disclosed)."},
    )
    part2_notice = fields.String(metadata={"description": "Present for 42 CFR Part 2 records."})
    allowed_events = fields.List(fields.String(), required=True)
    events = fields.List(fields.Nested(EventDoc), metadata={"description": "Detail views."})
    checklist = fields.List(fields.Nested(ChecklistItemDoc))
    consent_requests = fields.List(
        fields.Nested(ConsentRequestDoc),
        metadata={"description": "Detail views, when the content is disclosed."},
    )
    overdue = fields.Nested(OverdueDoc)


class ReferralPageDoc(PageSchema):
    """A page of referrals the caller may see, newest first (summaries)."""

    items = fields.List(fields.Nested(ReferralDoc), required=True)


class OverdueListDoc(Schema):
    """The follow-up work queue."""

    items = fields.List(fields.Nested(ReferralDoc), required=True)
