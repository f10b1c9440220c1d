"""Input of the e-consent steps: the PCP's request and the patient's signature."""

from __future__ import annotations

import re

from marshmallow import (
    Schema,
    ValidationError,
    fields,
    post_load,
    pre_load,
    validate,
    validates_schema,
)

from referrals.econsent_text import FORM_VERSIONS

E164 = re.compile(r"^\+[1-9][0-9]{7,14}$")
_EMAIL = validate.Email(error="Not an email address.")


class ConsentRequestSchema(Schema):
    """A link to send: by email or text, to a destination typed at send time, for one form."""

    channel = fields.String(required=True, validate=validate.OneOf(("email", "sms")))
    destination = fields.String(required=True, validate=validate.Length(min=3, max=254))
    form = fields.String(required=True, validate=validate.OneOf(tuple(FORM_VERSIONS)))

    @post_load
    def _trimmed(self, data: dict, **_kwargs) -> dict:
        data["destination"] = data["destination"].strip()
        return data

    @validates_schema
    def _destination(self, data: dict, **_kwargs) -> None:
        destination = (data.get("destination") or "").strip()
        if data.get("channel") == "sms" and not E164.match(destination):
            raise ValidationError("A mobile number in E.164 (+16175550123).", "destination")
        if data.get("channel") == "email":
            try:
                _EMAIL(destination)
            except ValidationError as err:
                raise ValidationError(err.messages, "destination") from None


class SignatureSchema(Schema):
    """The patient's typed full name and the box saying they agree."""

    signature = fields.String(required=True, validate=validate.Length(min=2, max=200))
    agree = fields.Boolean(required=True, validate=validate.Equal(True))

    @pre_load
    def _name(self, data: dict, **_kwargs) -> dict:
        """A name's spacing as typed does not matter: runs of spaces are one."""
        if isinstance(data.get("signature"), str):
            data = {**data, "signature": " ".join(data["signature"].split())}
        return data
