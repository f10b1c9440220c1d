"""Referral input schemas: raw JSON (or a form turned into it) in, clean values for the use cases.

Every list and text is capped and every date kept in a sane range (the field types of
referrals.input_fields) before any item is parsed, so a hostile body costs a worker nothing
more than its length check.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from marshmallow import (
    Schema,
    ValidationError,
    fields,
    post_load,
    validate,
    validates,
    validates_schema,
)

from directory.geography import zip5
from directory.vocabulary import languages
from referrals.consent import FORM_TYPES
from referrals.demographics import RACE_ETHNICITY_CODES, race_ethnicity_problem
from referrals.input_fields import (
    APPOINTMENT_AHEAD,
    APPOINTMENT_BACK,
    EARLIEST_DATE,
    MAX_CONDITIONS,
    MAX_DIAGNOSES,
    MAX_MEDICATIONS,
    MAX_RECIPIENTS,
    SHORT,
    TEXT,
    CappedList,
    Icd10,
    Needs,
    Npi,
    Recipient,
    in_range,
    printable,
)
from referrals.kinds import KIND_CODES
from referrals.lifecycle import API_EVENTS, STATUSES
from referrals.notice_optout import e164
from referrals.patient_notices import NOTICE_CHOICES
from referrals.program_status import REPORTABLE

MAX_STATUSES = len(STATUSES)


def today() -> date:
    """The server's calendar date; one seam so tests can pin it."""
    return date.today()


class PatientSchema(Schema):
    """Minimum necessary patient identity."""

    name = fields.String(required=True, validate=[SHORT, printable])
    birth_date = fields.Date(required=True)
    phone = fields.String(load_default=None, validate=[validate.Length(max=30), printable])
    preferred_language = fields.String(load_default=None, validate=validate.Length(max=8))
    member_id = fields.String(load_default=None, validate=[validate.Length(max=64), printable])
    # Optional and self-reported (referrals.demographics): never required to refer.
    postal_code = fields.String(load_default=None, validate=validate.Length(max=10))
    race_ethnicity = CappedList(
        fields.String(validate=validate.OneOf(RACE_ETHNICITY_CODES)),
        len(RACE_ETHNICITY_CODES),
        load_default=list,
    )

    @validates("postal_code")
    def _zip(self, value: str | None, **_kwargs) -> None:
        if value is not None and zip5(value) is None:
            raise ValidationError("Not a ZIP code (5 digits, or ZIP+4).")

    @validates("race_ethnicity")
    def _categories(self, value: list[str], **_kwargs) -> None:
        problem = race_ethnicity_problem(value)
        if problem:
            raise ValidationError(problem)

    @validates("birth_date")
    def _past(self, value: date, **_kwargs) -> None:
        if value > today():
            raise ValidationError("A birth date cannot be in the future.")
        if value < EARLIEST_DATE:
            raise ValidationError("A birth date cannot be before 1900-01-01.")

    @validates("preferred_language")
    def _language(self, value: str | None, **_kwargs) -> None:
        if value is not None and value not in languages():
            raise ValidationError("Use an ISO 639-1 code such as en or es.")

    @post_load
    def _blank_member_id(self, data: dict, **_kwargs) -> dict:
        """A blank member id is none: plan membership needs a real one (access.is_plan_member)."""
        data["member_id"] = (data.get("member_id") or "").strip() or None
        data["postal_code"] = zip5(data.get("postal_code"))
        return data


class ConsentSchema(Schema):
    """A release of information; the Part 2 elements are checked by referrals.consent."""

    form_type = fields.String(required=True, validate=validate.OneOf(tuple(FORM_TYPES)))
    disclosing_party = fields.String(load_default=None, validate=[SHORT, printable])
    information = fields.String(load_default=None, validate=[TEXT, printable])
    recipients = CappedList(Recipient(), MAX_RECIPIENTS, load_default=list)
    purpose = fields.String(load_default=None, validate=[TEXT, printable])
    signed_by = fields.String(load_default=None, validate=[SHORT, printable])
    signed_on = fields.Date(load_default=None, validate=in_range)
    expires_on = fields.Date(load_default=None, validate=in_range)
    expiry_event = fields.String(load_default=None, validate=[SHORT, printable])
    revocation_statement = fields.Boolean(load_default=False)
    # How the patient signed it; an electronic signature is made only through the patient's link.
    method = fields.String(load_default=None, validate=validate.OneOf(("paper", "verbal")))


class ContactSchema(Schema):
    """The referring clinician's contact for the receiving side."""

    name = fields.String(load_default=None, validate=[SHORT, printable])
    phone = fields.String(load_default=None, validate=[validate.Length(max=30), printable])
    email = fields.Email(load_default=None, validate=validate.Length(max=254))


def _short_items() -> fields.String:
    return fields.String(validate=[SHORT, printable])


class ReferralCreateSchema(Schema):
    """POST /api/v1/referrals."""

    patient = fields.Nested(PatientSchema, required=True)
    # The target: a clinician (kind bh_clinician) or a program's service at a location (program).
    clinician_npi = Npi(load_default=None)
    location_id = fields.Integer(load_default=None, strict=True)
    service_at_location_id = fields.Integer(
        load_default=None, strict=True, validate=validate.Range(min=1, max=2**31 - 1)
    )
    plan = fields.String(load_default=None, validate=[validate.Length(max=64), printable])
    reason = fields.String(required=True, validate=[TEXT, printable])
    diagnoses = CappedList(Icd10(), MAX_DIAGNOSES, load_default=list)
    conditions = CappedList(_short_items(), MAX_CONDITIONS, load_default=list)
    medications = CappedList(_short_items(), MAX_MEDICATIONS, load_default=list)
    urgency = fields.String(required=True, validate=validate.OneOf(("routine", "urgent")))
    substance_use = fields.Boolean(load_default=False)
    consent = fields.Nested(ConsentSchema, load_default=None, allow_none=True)
    needs = Needs(keys=fields.String(), load_default=dict)
    notes = fields.String(load_default=None, validate=[TEXT, printable])
    referrer = fields.Nested(ContactSchema, load_default=None, allow_none=True)
    # The patient asked to follow the status (the status page; no program type, no diagnosis).
    patient_updates = fields.Boolean(load_default=False)
    # Status notices to the patient by text or email (referrals.patient_notices).
    patient_notices = fields.String(
        load_default="none",
        validate=validate.OneOf(NOTICE_CHOICES),
        metadata={
            "description": "Status notices to the patient in their preferred language: `sms` "
            "(to patient.phone; they reply STOP to stop), `email` (to `patient_email`, with a "
            "stop link) or `none`. They say how far the referral got, never what it is for."
        },
    )
    patient_email = fields.Email(
        load_default=None,
        validate=validate.Length(max=254),
        metadata={"description": "The patient's email address, for emailed notices (PHI)."},
    )

    @validates_schema
    def _notices_reach(self, data: dict, **_kwargs) -> None:
        """A channel chosen needs the patient's phone (texts) or email address (emails)."""
        choice = data.get("patient_notices")
        if choice == "email" and not data.get("patient_email"):
            message = "Give the patient's email address for emailed notices."
            raise ValidationError(message, "patient_email")
        if choice == "sms" and e164((data.get("patient") or {}).get("phone")) is None:
            message = "Give the patient's mobile phone for text notices."
            raise ValidationError(message, "patient_notices")

    @validates_schema
    def _one_target(self, data: dict, **_kwargs) -> None:
        npi, site = data.get("clinician_npi"), data.get("service_at_location_id")
        if (npi is None) == (site is None):
            message = "Give exactly one of clinician_npi and service_at_location_id."
            raise ValidationError(message, "clinician_npi")
        if site is not None and data.get("location_id") is not None:
            raise ValidationError("A program referral's site names its location.", "location_id")

    @post_load
    def _kind(self, data: dict, **_kwargs) -> dict:
        """The kind follows from the target named (the kinds table's two targets)."""
        data["kind"] = "program" if data.get("service_at_location_id") else "bh_clinician"
        return data


class EventSchema(Schema):
    """POST /api/v1/referrals/<id>/events."""

    type = fields.String(required=True, validate=validate.OneOf(API_EVENTS))
    note = fields.String(load_default=None, validate=[TEXT, printable])
    reason = fields.String(load_default=None, validate=validate.Length(max=40))
    appointment_at = fields.AwareDateTime(load_default=None, default_timezone=UTC)
    program_status = fields.String(load_default=None, validate=validate.OneOf(REPORTABLE))

    @validates("appointment_at")
    def _sane(self, value: datetime | None, **_kwargs) -> None:
        now = datetime.now(UTC)
        if value is not None and not now - APPOINTMENT_BACK <= value <= now + APPOINTMENT_AHEAD:
            raise ValidationError("Give an appointment from a year ago to five years ahead.")


class RereferSchema(Schema):
    """POST /api/v1/referrals/<id>/rerefer: the next match, and a new consent if needed."""

    clinician_npi = Npi(required=True)
    location_id = fields.Integer(load_default=None, strict=True)
    note = fields.String(load_default=None, validate=[TEXT, printable])
    consent = fields.Nested(ConsentSchema, load_default=None, allow_none=True)


class ChecklistSchema(Schema):
    """PUT /api/v1/referrals/<id>/checklist/<item>."""

    done = fields.Boolean(load_default=True)
    note = fields.String(load_default=None, validate=[TEXT, printable])


class ListArgsSchema(Schema):
    """GET /api/v1/referrals query arguments."""

    status = CappedList(
        fields.String(validate=validate.OneOf(STATUSES)), MAX_STATUSES, load_default=list
    )
    kind = fields.String(load_default=None, validate=validate.OneOf(KIND_CODES))
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=100))
    offset = fields.Integer(load_default=0, validate=validate.Range(min=0, max=10_000_000))
