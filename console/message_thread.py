"""The message thread on the referral page: read it, post to it with files, download a file."""

from __future__ import annotations

from flask import Response, abort, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _

from accounts.identity import current_actor
from directory.models.verification import utcnow
from edge.screen import accepts_large_body
from referrals.consent import PART2_NOTICE
from referrals.errors import NotFound, ReferralError
from referrals.use_cases import messages
from referrals.use_cases.messages import SIDES


def thread_for(actor, shown) -> messages.Thread | None:
    """The thread when the reader is one of its two sides and may see it (reads audited)."""
    if not set(SIDES) & shown.relations:
        return None
    if "referrer" not in shown.relations and not shown.disclosure.allowed:
        return None  # the consent withholds the referral's content from this receiver
    return messages.thread(actor, shown.referral.id)


def _words(err: ReferralError) -> str:
    """The refusal in the reader's language, by its code."""
    config = current_app.config
    texts = {
        "attachment_too_large": lambda: _(
            "A file is larger than %(mb)s MB.",
            mb=round(config["MESSAGE_ATTACHMENT_MAX_BYTES"] / (1024 * 1024), 1),
        ),
        "attachment_count": lambda: _(
            "At most %(count)s files per message.", count=config["MESSAGE_ATTACHMENTS_MAX"]
        ),
        "attachment_empty": lambda: _("A file is empty."),
        "attachment_type": lambda: _("Files must be PDF, PNG, JPEG or plain text."),
        "attachment_mismatch": lambda: _("A file's name does not match what it contains."),
        "attachment_infected": lambda: _(
            "Not sent: the virus scanner flagged a file. Nothing was kept."
        ),
        "attachment_scanner": lambda: _(
            "Not sent: files could not be scanned for viruses just now. Try again later."
        ),
        "message_role": lambda: _(
            "Only the referring practice and the receiving clinician take part in messages."
        ),
        "message_blocked": lambda: _("The consent does not permit disclosure to you."),
        "part2_message_consent": lambda: _(
            "Not sent: this message names substance use disorder information (42 CFR part 2)."
            " Get the patient's 42 CFR part 2 consent naming the receiving clinician or"
            " practice, then send it."
        ),
        "part2_reply_consent": lambda: _(
            "Not sent: this message names substance use disorder information (42 CFR part 2)."
            " The consent does not name the referring practice as a recipient."
        ),
    }
    found = texts.get(err.code)
    if found:
        return found()
    return _("Write a message (at most 10,000 characters).")


def _back(referral_id: int):
    target = url_for(f"{request.blueprint}.referral", referral_id=referral_id)
    return redirect(f"{target}#messages", 303)


@accepts_large_body("MESSAGE_UPLOAD_MAX_MB")
def post_message(referral_id: int):
    """Post the form's message and files to the thread."""
    files = [(f.filename or "", f.read()) for f in request.files.getlist("files") if f.filename]
    body = {"body": (request.form.get("body") or "").strip()}
    try:
        messages.post(current_actor(), referral_id, body, files, utcnow())
    except NotFound as err:
        if err.code == "not_yours":
            abort(404)
        flash(_words(err), "error")
    except ReferralError as err:
        flash(_words(err), "error")
    else:
        flash(_("Message sent."), "success")
    return _back(referral_id)


def download(referral_id: int, attachment_id: int):
    """One file, always as a download (never rendered in the page)."""
    try:
        got = messages.download(current_actor(), referral_id, attachment_id)
    except NotFound:
        abort(404)
    except ReferralError:
        abort(403)
    response = Response(got.data, mimetype=got.attachment.media_type)
    response.headers.set("Content-Disposition", "attachment", filename=got.attachment.filename)
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    if got.attachment.message.part2:
        response.headers["X-Part2-Notice"] = PART2_NOTICE  # §2.32: it goes with the record
    return response
