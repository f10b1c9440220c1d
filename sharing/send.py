"""Send the shortlist by email or text through the outbox, audited without the destination.

The address or phone the visitor types is used for this one message: it is stored only in the
outbox row that carries it, never in the audit log, a log line or the session.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import phonenumbers
from marshmallow import Schema, ValidationError, fields, post_load, validate

from audit.log import record
from directory.extensions import db
from outbox.queue import deliver_ids, enqueue
from sharing.message import Entry, email_message, text_message

CHANNELS = ("email", "sms")
REGION = "US"  # numbers typed without +country are read as US numbers
PURPOSE = "shortlist"


def offered_channels(config: Mapping) -> tuple[str, ...]:
    """The channels this deployment can deliver by: mail on, an SMS provider set."""
    ready = {
        "email": bool(config.get("MAIL_ENABLED")),
        "sms": config.get("SMS_PROVIDER", "none") != "none",
    }
    return tuple(c for c in CHANNELS if ready[c])


@dataclass(frozen=True)
class SendRequest:
    """A parsed send request: the channel and a normalised destination."""

    channel: str
    destination: str


def _phone(value: str, region: str) -> str:
    """The number in E.164, or ValidationError."""
    try:
        number = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException:
        raise ValidationError("not a phone number", "destination") from None
    if not phonenumbers.is_valid_number(number):
        raise ValidationError("not a phone number", "destination")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


class SendSchema(Schema):
    """channel (email|sms) and destination (an email address or a phone number)."""

    channel = fields.String(required=True, validate=validate.OneOf(CHANNELS))
    destination = fields.String(required=True, validate=validate.Length(1, 254))

    @post_load
    def _request(self, data: dict, **_kwargs) -> SendRequest:
        value = data["destination"].strip()
        if data["channel"] == "email":
            validate.Email(error="not an email address")(value)
            return SendRequest("email", value)
        return SendRequest("sms", _phone(value, REGION))


def send_shortlist(
    config: Mapping, actor, request: SendRequest, entries: Sequence[Entry], lang: str
) -> int:
    """Queue the message, audit it, commit, then try it now; the outbox message id.

    Raises sharing.message.TooLongForText before anything is written.
    """
    if request.channel == "email":
        subject, body = email_message(entries, lang)
    else:
        subject, body = None, text_message(entries, lang, config["SHORTLIST_SMS_MAX_SEGMENTS"])
    message = enqueue(request.channel, request.destination, body, purpose=PURPOSE, subject=subject)
    db.session.flush()
    record(actor, f"shortlist.send_{request.channel}", "outbox_message", message.id)
    db.session.commit()
    deliver_ids(config, [message.id])
    return message.id
