"""Request schemas for the referral API: raw JSON in, clean values for referrals.* out."""

from __future__ import annotations

import re
from datetime import UTC, date

from marshmallow import Schema, ValidationError, fields, validate, validates

from directory.npi import is_valid_npi
from directory.vocabulary import languages
from referrals.consent import FORM_TYPES
from referrals.lifecycle import API_EVENTS, STATUSES

# ICD-10-CM: a letter, two characters, then optionally a dot and up to four more.
_ICD10 = re.compile(r"^[A-TV-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?$")
_TEXT = validate.Length(min=1, max=5000)
_SHORT = validate.Length(min=1, max=200)


def _printable(value: str) -> None:
    """Reject control characters (PostgreSQL refuses NUL, and nothing here needs them)."""
    if not value.replace("\n", " ").replace("\t", " ").isprintable():
        raise ValidationError("Must not contain control characters.")


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
        name = (value.get("name") or "").strip()[:200] or None
        npi = (value.get("npi") or "").strip() or None
        if npi is not None and not is_valid_npi(npi):
            raise ValidationError("Not a valid NPI.")
        return {"name": name, "npi": npi}


class PatientSchema(Schema):
    """Minimum necessary patient identity."""

    name = fields.String(required=True, validate=[_SHORT, _printable])
    birth_date = fields.Date(required=True)
    phone = fields.String(load_default=None, validate=[validate.Length(max=30), _printable])
    preferred_language = fields.String(load_default=None)
    member_id = fields.String(load_default=None, validate=[validate.Length(max=64), _printable])

    @validates("birth_date")
    def _past(self, value: date, **_kwargs) -> None:
        if value > date.today():
            raise ValidationError("A birth date cannot be in the future.")

    @validates("preferred_language")
    def _language(self, value: str | None, **_kwargs) -> None:
        if value is not None and value not in languages():
            raise ValidationError("Use an ISO 639-1 code such as en or es.")


class ConsentSchema(Schema):
    """A release of information; the Part 2 elements are checked by referrals.consent."""

    form_type = fields.String(required=True, validate=validate.OneOf(tuple(FORM_TYPES)))
    disclosing_party = fields.String(load_default=None, validate=[_SHORT, _printable])
    information = fields.String(load_default=None, validate=[_TEXT, _printable])
    recipients = fields.List(Recipient(), load_default=list)
    purpose = fields.String(load_default=None, validate=[_TEXT, _printable])
    signed_by = fields.String(load_default=None, validate=[_SHORT, _printable])
    signed_on = fields.Date(load_default=None)
    expires_on = fields.Date(load_default=None)
    expiry_event = fields.String(load_default=None, validate=[_SHORT, _printable])
    revocation_statement = fields.Boolean(load_default=False)


class ContactSchema(Schema):
    """The referring clinician's contact for the receiving side."""

    name = fields.String(load_default=None, validate=[_SHORT, _printable])
    phone = fields.String(load_default=None, validate=[validate.Length(max=30), _printable])
    email = fields.Email(load_default=None)


class ReferralCreateSchema(Schema):
    """POST /api/v1/referrals."""

    patient = fields.Nested(PatientSchema, required=True)
    clinician_npi = Npi(required=True)
    location_id = fields.Integer(load_default=None, strict=True)
    plan = fields.String(load_default=None, validate=validate.Length(max=64))
    reason = fields.String(required=True, validate=[_TEXT, _printable])
    diagnoses = fields.List(Icd10(), load_default=list, validate=validate.Length(max=20))
    conditions = fields.List(fields.String(validate=_SHORT), load_default=list)
    medications = fields.List(fields.String(validate=_SHORT), load_default=list)
    urgency = fields.String(required=True, validate=validate.OneOf(("routine", "urgent")))
    substance_use = fields.Boolean(load_default=False)
    consent = fields.Nested(ConsentSchema, load_default=None, allow_none=True)
    needs = fields.Dict(keys=fields.String(), load_default=dict)
    notes = fields.String(load_default=None, validate=[_TEXT, _printable])
    referrer = fields.Nested(ContactSchema, load_default=None, allow_none=True)


class EventSchema(Schema):
    """POST /api/v1/referrals/<id>/events."""

    type = fields.String(required=True, validate=validate.OneOf(API_EVENTS))
    note = fields.String(load_default=None, validate=[_TEXT, _printable])
    reason = fields.String(load_default=None, validate=validate.Length(max=40))
    appointment_at = fields.AwareDateTime(load_default=None, default_timezone=UTC)


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

    status = fields.List(fields.String(validate=validate.OneOf(STATUSES)), load_default=list)
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=100))
    offset = fields.Integer(load_default=0, validate=validate.Range(min=0, max=10_000_000))
