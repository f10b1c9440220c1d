"""The input of a message on a referral."""

from __future__ import annotations

from marshmallow import EXCLUDE, Schema, fields, validate

MAX_BODY = 10000


class MessageSchema(Schema):
    """A message's text (files come beside it, checked by referrals.attachments)."""

    class Meta:
        unknown = EXCLUDE  # a form also carries its CSRF token

    body = fields.String(required=True, validate=validate.Length(min=1, max=MAX_BODY))
