"""A referral's messages as the API shows them, and the OpenAPI shapes of that."""

from __future__ import annotations

from marshmallow import Schema, fields

from directory.models.verification import as_utc
from referrals.consent import PART2_NOTICE
from referrals.message_models import MessageAttachment, ReferralMessage
from referrals.message_schemas import MAX_BODY


def attachment_json(referral_id: int, row: MessageAttachment) -> dict:
    """An attachment's name, type, size and digest, and where to download it."""
    return {
        "id": row.id,
        "filename": row.filename,
        "media_type": row.media_type,
        "size": row.size,
        "sha256": row.sha256,
        "href": f"/api/v1/referrals/{referral_id}/messages/attachments/{row.id}",
    }


def message_json(row: ReferralMessage, withheld: dict | None = None) -> dict:
    """One message: author, side, time, text, files, Part 2 label; no content when withheld."""
    body = {
        "id": row.id,
        "referral_id": row.referral_id,
        "side": row.side,
        "author": row.author,
        "author_role": row.author_role,
        "created_at": as_utc(row.created_at).isoformat(),
        "body": row.body,
        "part2": bool(row.part2),
        "part2_basis": list(row.part2_basis or ()),
        "attachments": [attachment_json(row.referral_id, a) for a in row.attachments],
    }
    if row.part2:
        body["part2_notice"] = PART2_NOTICE
    if withheld:
        # The consent no longer covers this reader: what it said and its files stay back.
        body.update(body=None, part2_basis=[], attachments=[], withheld=withheld)
    return body


class AttachmentDoc(Schema):
    """A file sent with a message (its type is read from its bytes)."""

    id = fields.Integer(required=True)
    filename = fields.String(required=True)
    media_type = fields.String(
        required=True,
        metadata={"enum": ["application/pdf", "image/png", "image/jpeg", "text/plain"]},
    )
    size = fields.Integer(required=True)
    sha256 = fields.String(required=True)
    href = fields.String(required=True, metadata={"description": "The download address."})


class MessageDoc(Schema):
    """A message on a referral."""

    id = fields.Integer(required=True)
    referral_id = fields.Integer(required=True)
    side = fields.String(required=True, metadata={"enum": ["referrer", "receiver"]})
    author = fields.String(required=True)
    author_role = fields.String(required=True)
    created_at = fields.DateTime(required=True)
    body = fields.String(
        required=True, allow_none=True, metadata={"description": "null when withheld."}
    )
    part2 = fields.Boolean(required=True)
    part2_basis = fields.List(fields.String(), required=True)
    part2_notice = fields.String(metadata={"description": "Only on Part 2 messages."})
    withheld = fields.Dict(
        keys=fields.String(),
        values=fields.String(),
        metadata={
            "description": "Only on a Part 2 message from the other side that the consent no "
            "longer covers (revoked, expired): why its text and files are not shown."
        },
    )
    attachments = fields.List(fields.Nested(AttachmentDoc), required=True)


class MessageListDoc(Schema):
    """A referral's messages, oldest first."""

    referral_id = fields.Integer(required=True)
    items = fields.List(fields.Nested(MessageDoc), required=True)


class MessagePostDoc(Schema):
    """A message: its text and, as multipart/form-data, up to MESSAGE_ATTACHMENTS_MAX files."""

    body = fields.String(required=True, metadata={"maxLength": MAX_BODY, "minLength": 1})
    files = fields.List(
        fields.Raw(metadata={"type": "string", "format": "binary"}),
        metadata={"description": "PDF, PNG, JPEG or plain text (multipart/form-data only)."},
    )
