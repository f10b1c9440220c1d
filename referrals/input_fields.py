"""The field types and limits of the referral input schemas (referrals.schemas, return_schemas).

Every list and text is capped, and every date kept in a sane range, before any item is parsed.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from marshmallow import ValidationError, fields, validate

from directory.npi import is_valid_npi

# ICD-10-CM: a letter, two characters, then optionally a dot and up to four more.
_ICD10 = re.compile(r"^[A-TV-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?$")
MAX_TEXT = 5000
MAX_SHORT = 200
MAX_DIAGNOSES = 20
MAX_CONDITIONS = 20
MAX_MEDICATIONS = 30
MAX_RECIPIENTS = 10
# The matching needs a referral keeps: a small JSON object (matching's own schema is stricter).
MAX_NEEDS_NODES = 200
MAX_NEEDS_DEPTH = 4
EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2100, 12, 31)
# An appointment is recorded from a year back (entered late) to five years ahead.
APPOINTMENT_BACK = timedelta(days=365)
APPOINTMENT_AHEAD = timedelta(days=5 * 365)
TEXT = validate.Length(min=1, max=MAX_TEXT)
SHORT = validate.Length(min=1, max=MAX_SHORT)


def printable(value: str) -> None:
    """Reject control characters (PostgreSQL refuses NUL, and nothing here needs them)."""
    if not value.replace("\n", " ").replace("\t", " ").isprintable():
        raise ValidationError("Must not contain control characters.")


def in_range(value: date) -> None:
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
        printable(value)
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
            printable(name)
        if npi is not None and not is_valid_npi(npi):
            raise ValidationError("Not a valid NPI.")
        return {"name": name, "npi": npi}
