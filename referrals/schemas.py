"""Referral input schemas: raw JSON (or a form turned into it) in, clean values for the use cases.

Every list and text is capped and every date kept in a sane range here, before any item is
parsed, so a hostile body costs a worker nothing more than its length check.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

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
from directory.npi import is_valid_npi
from directory.vocabulary import languages
from referrals.consent import FORM_TYPES
from referrals.demographics import RACE_ETHNICITY_CODES, race_ethnicity_problem
from referrals.kinds import KIND_CODES
from referrals.lifecycle import API_EVENTS, STATUSES
from referrals.program_status import REPORTABLE

# ICD-10-CM: a letter, two characters, then optionally a dot and up to four more.
_ICD10 = re.compile(r"^[A-TV-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?$")
MAX_TEXT = 5000
MAX_SHORT = 200
MAX_DIAGNOSES = 20
MAX_CONDITIONS = 20
MAX_MEDICATIONS = 30
MAX_RECIPIENTS = 10
MAX_STATUSES = len(STATUSES)
# The matching needs a referral keeps: a small JSON object (matching's own schema is stricter).
MAX_NEEDS_NODES = 200
MAX_NEEDS_DEPTH = 4
EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2100, 12, 31)
# An appointment is recorded from a year back (entered late) to five years ahead.
APPOINTMENT_BACK = timedelta(days=365)
APPOINTMENT_AHEAD = timedelta(days=5 * 365)
_TEXT = validate.Length(min=1, max=MAX_TEXT)
_SHORT = validate.Length(min=1, max=MAX_SHORT)


def _printable(value: str) -> None:
    """Reject control characters (PostgreSQL refuses NUL, and nothing here needs them)."""
    if not value.replace("\n", " ").replace("\t", " ").isprintable():
        raise ValidationError("Must not contain control characters.")


def _in_range(value: date) -> None:
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        raise ValidationError("Give a date from 1900-01-01 to 2100-12-31.")


class CappedList(fields.List):
    """A list refused by its length before any item is parsed."""

    def __init__(self, inner, cap: int, **kwargs):
        # The Length validator documents maxItems in OpenAPI; the check below runs first.
        length = validate.Length(max=cap, error="at most {max} items")
        super().__init__(inner, validate=length, **kwargs)
        self.cap = cap

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, list | tuple) and len(value) > self.cap:
            raise ValidationError(f"at most {self.cap} items")
        return super()._deserialize(value, attr, data, **kwargs)


class Needs(fields.Dict):
    """The needs a match was made with: a small JSON object of short printable strings."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, dict):
            _walk(value, [0], 1)
        return super()._deserialize(value, attr, data, **kwargs)


def _walk(value, count: list[int], depth: int) -> None:
    """Refuse needs deeper, bigger or with longer strings than any match needs."""
    count[0] += 1
    if count[0] > MAX_NEEDS_NODES:
        raise ValidationError(f"at most {MAX_NEEDS_NODES} values")
    if depth > MAX_NEEDS_DEPTH:
        raise ValidationError(f"nested at most {MAX_NEEDS_DEPTH} levels")
    if isinstance(value, str):
        if len(value) > MAX_SHORT:
            raise ValidationError(f"each text at most {MAX_SHORT} characters")
        _printable(value)
    children = (
        [*value.keys(), *value.values()]
        if isinstance(value, dict)
        else value
        if isinstance(value, list)
        else ()
    )
    for child in children:
        _walk(child, count, depth + 1)


class Npi(fields.String):
    """A 10-digit NPI with a valid check digit."""

    def _deserialize(self, value, attr, data, **kwargs) -> str:
        text = super()._deserialize(value, attr, data, **kwargs).strip()
        if not is_valid_npi(text):
            raise ValidationError("Not a valid NPI (10 digits with a Luhn check digit).")
        return text


class Icd10(fields.String):
    """An ICD-10-CM code such as F32.1, upper-cased."""

    def _deserialize(self, value, attr, data, **kwargs) -> str:
        code = super()._deserialize(value, attr, data, **kwargs).strip().upper()
        if not _ICD10.match(code):
            raise ValidationError("Not an ICD-10-CM code (e.g. F41.1).")
        return code


class Recipient(fields.Field):
    """A consent recipient: a name, or {"name": ..., "npi": ...}."""

    def _deserialize(self, value, attr, data, **kwargs) -> dict:
        if isinstance(value, str):
            value = {"name": value}
        if not isinstance(value, dict) or set(value) - {"name", "npi"}:
            raise ValidationError('A recipient is a name or {"name": ..., "npi": ...}.')
        name, npi = value.get("name"), value.get("npi")
        if not isinstance(name, str | None) or not isinstance(npi, str | None):
            raise ValidationError("A recipient's name and NPI are text.")
        name, npi = (name or "").strip() or None, (npi or "").strip() or None
        if name is not None:
            if len(name) > MAX_SHORT:
                raise ValidationError(f"A recipient's name is at most {MAX_SHORT} characters.")
            _printable(name)
        if npi is not None and not is_valid_npi(npi):
            raise ValidationError("Not a valid NPI.")
        return {"name": name, "npi": npi}


class PatientSchema(Schema):
    """Minimum necessary patient identity."""

    name = fields.String(required=True, validate=[_SHORT, _printable])
    birth_date = fields.Date(required=True)
    phone = fields.String(load_default=None, validate=[validate.Length(max=30), _printable])
    preferred_language = fields.String(load_default=None, validate=validate.Length(max=8))
    member_id = fields.String(load_default=None, validate=[validate.Length(max=64), _printable])
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
        if value > date.today():
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
    disclosing_party = fields.String(load_default=None, validate=[_SHORT, _printable])
    information = fields.String(load_default=None, validate=[_TEXT, _printable])
    recipients = CappedList(Recipient(), MAX_RECIPIENTS, load_default=list)
    purpose = fields.String(load_default=None, validate=[_TEXT, _printable])
    signed_by = fields.String(load_default=None, validate=[_SHORT, _printable])
    signed_on = fields.Date(load_default=None, validate=_in_range)
    expires_on = fields.Date(load_default=None, validate=_in_range)
    expiry_event = fields.String(load_default=None, validate=[_SHORT, _printable])
    revocation_statement = fields.Boolean(load_default=False)


class ContactSchema(Schema):
    """The referring clinician's contact for the receiving side."""

    name = fields.String(load_default=None, validate=[_SHORT, _printable])
    phone = fields.String(load_default=None, validate=[validate.Length(max=30), _printable])
    email = fields.Email(load_default=None, validate=validate.Length(max=254))


def _short_items() -> fields.String:
    return fields.String(validate=[_SHORT, _printable])


class ReferralCreateSchema(Schema):
    """POST /api/v1/referrals."""

    patient = fields.Nested(PatientSchema, required=True)
    # The target: a clinician (kind bh_clinician) or a program's service at a location (program).
    clinician_npi = Npi(load_default=None)
    location_id = fields.Integer(load_default=None, strict=True)
    service_at_location_id = fields.Integer(
        load_default=None, strict=True, validate=validate.Range(min=1, max=2**31 - 1)
    )
    plan = fields.String(load_default=None, validate=[validate.Length(max=64), _printable])
    reason = fields.String(required=True, validate=[_TEXT, _printable])
    diagnoses = CappedList(Icd10(), MAX_DIAGNOSES, load_default=list)
    conditions = CappedList(_short_items(), MAX_CONDITIONS, load_default=list)
    medications = CappedList(_short_items(), MAX_MEDICATIONS, load_default=list)
    urgency = fields.String(required=True, validate=validate.OneOf(("routine", "urgent")))
    substance_use = fields.Boolean(load_default=False)
    consent = fields.Nested(ConsentSchema, load_default=None, allow_none=True)
    needs = Needs(keys=fields.String(), load_default=dict)
    notes = fields.String(load_default=None, validate=[_TEXT, _printable])
    referrer = fields.Nested(ContactSchema, load_default=None, allow_none=True)
    # The patient asked to follow the status (the status page; no program type, no diagnosis).
    patient_updates = fields.Boolean(load_default=False)

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
    note = fields.String(load_default=None, validate=[_TEXT, _printable])
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
    note = fields.String(load_default=None, validate=[_TEXT, _printable])
    consent = fields.Nested(ConsentSchema, load_default=None, allow_none=True)


class ChecklistSchema(Schema):
    """PUT /api/v1/referrals/<id>/checklist/<item>."""

    done = fields.Boolean(load_default=True)
    note = fields.String(load_default=None, validate=[_TEXT, _printable])


class ListArgsSchema(Schema):
    """GET /api/v1/referrals query arguments."""

    status = CappedList(
        fields.String(validate=validate.OneOf(STATUSES)), MAX_STATUSES, load_default=list
    )
    kind = fields.String(load_default=None, validate=validate.OneOf(KIND_CODES))
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=100))
    offset = fields.Integer(load_default=0, validate=validate.Range(min=0, max=10_000_000))
