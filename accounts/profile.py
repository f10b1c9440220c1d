"""A person's own details on their account (name, credentials, work phone) and the referrer
contact they make on referral forms and the API."""

from __future__ import annotations

import re

from marshmallow import EXCLUDE, Schema, ValidationError, fields, pre_load, validate

from accounts.models import User

# With ", " and the credentials the name still fits a referral's referrer_name (200).
MAX_NAME = 150
MAX_CREDENTIALS = 40
MAX_PHONE = 30  # a referral's referrer_phone
PROFILE_FIELDS = ("full_name", "credentials", "phone")
# Digits and the marks people write phone numbers with, an optional extension after them.
_PHONE = re.compile(r"^\+?[0-9(][0-9 ().\-]*(?: ?(?:x|ext\.?) ?[0-9]{1,6})?$", re.IGNORECASE)
_EXTENSION = re.compile(r" ?(?:x|ext\.?) ?", re.IGNORECASE)
_CREDENTIALS = re.compile(r"^[A-Za-z][A-Za-z0-9 .,\-/]*$")
MIN_PHONE_DIGITS = 7


def _printable(value: str) -> None:
    """Reject control characters (PostgreSQL refuses NUL, and a name needs none)."""
    if not value.isprintable():
        raise ValidationError("Must not contain control characters.")


def _phone(value: str) -> None:
    """A phone number a person can dial: at least seven digits, no letters but an extension."""
    number = _EXTENSION.split(value)[0]
    digits = sum(ch.isdigit() for ch in number)
    if not _PHONE.match(value) or digits < MIN_PHONE_DIGITS:
        raise ValidationError("Enter a phone number: digits, spaces, + ( ) - . and an extension.")


class ProfileSchema(Schema):
    """The details a person keeps on their account; blank means none."""

    class Meta:
        unknown = EXCLUDE  # the page's form also posts its CSRF token

    full_name = fields.String(
        load_default=None, allow_none=True, validate=[validate.Length(max=MAX_NAME), _printable]
    )
    credentials = fields.String(
        load_default=None,
        allow_none=True,
        validate=[
            validate.Length(max=MAX_CREDENTIALS),
            validate.Regexp(_CREDENTIALS, error="Use letters, digits, spaces and . , - /."),
        ],
    )
    phone = fields.String(
        load_default=None,
        allow_none=True,
        validate=[validate.Length(max=MAX_PHONE), _phone],
    )

    @pre_load
    def _blank_is_none(self, data, **_kwargs):
        """Trim each field; an empty one clears it."""
        if not isinstance(data, dict):
            return data
        cleaned = dict(data)
        for name in PROFILE_FIELDS:
            value = cleaned.get(name)
            if isinstance(value, str):
                cleaned[name] = " ".join(value.split()) or None
        return cleaned


def apply_profile(user: User, details: dict) -> list[str]:
    """Set the loaded details on `user` (not committed); the names of the fields changed."""
    changed = [
        name for name in PROFILE_FIELDS if name in details and getattr(user, name) != details[name]
    ]
    for name in changed:
        setattr(user, name, details[name])
    return changed


def display_name(user: User) -> str | None:
    """'Jane Rivera, MD': how a referral names the referring clinician; None without a name."""
    if not user.full_name:
        return None
    return f"{user.full_name}, {user.credentials}" if user.credentials else user.full_name


def referrer_contact(user: User | None) -> dict[str, str]:
    """The referrer contact an account gives: name, work phone, email (only those it has)."""
    if user is None:
        return {}
    contact = {"name": display_name(user), "phone": user.phone, "email": user.email}
    return {key: value for key, value in contact.items() if value}
