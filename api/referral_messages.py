"""Messages on a referral: the thread between the referring practice and the receiver."""

from __future__ import annotations

from flask import Response, jsonify, request

from accounts.identity import current_actor, require_scope
from api.message_views import message_json
from api.routing import Routes
from directory.models.verification import utcnow
from edge.screen import accepts_large_body
from referrals.consent import PART2_NOTICE
from referrals.use_cases import messages

routes = Routes()


def _input() -> tuple[dict | None, list[tuple[str, bytes]]]:
    """The text and the files, from multipart/form-data or a JSON object."""
    if request.mimetype == "multipart/form-data":
        files = [(f.filename or "", f.read()) for f in request.files.getlist("files")]
        return request.form.to_dict(), files
    return request.get_json(silent=True), []


@routes.post("/referrals/<int:referral_id>/messages")
@require_scope("referrals:write")
@accepts_large_body("MESSAGE_UPLOAD_MAX_MB")
def post_message_route(referral_id: int):
    """Post a message, with files when sent as multipart/form-data."""
    body, files = _input()
    posted = messages.post(current_actor(), referral_id, body, files, utcnow())
    return jsonify(message_json(posted)), 201


@routes.get("/referrals/<int:referral_id>/messages")
@require_scope("referrals:read")
def list_messages_route(referral_id: int):
    """The referral's messages, oldest first."""
    thread = messages.thread(current_actor(), referral_id)
    return jsonify(
        {
            "referral_id": referral_id,
            "items": [message_json(m, thread.withheld.get(m.id)) for m in thread.messages],
        }
    )


@routes.get("/referrals/<int:referral_id>/messages/attachments/<int:attachment_id>")
@require_scope("referrals:read")
def download_attachment_route(referral_id: int, attachment_id: int):
    """The file itself, always as a download, never rendered by the browser."""
    got = messages.download(current_actor(), referral_id, attachment_id)
    response = Response(got.data, mimetype=got.attachment.media_type)
    response.headers.set("Content-Disposition", "attachment", filename=got.attachment.filename)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    if got.attachment.message.part2:
        response.headers["X-Part2-Notice"] = PART2_NOTICE  # §2.32: it goes with the record
    return response
