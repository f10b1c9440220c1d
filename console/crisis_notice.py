"""Crisis words in what staff typed: the 988 guidance comes first, before any confirmation."""

from __future__ import annotations

from flask import flash
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from matching.crisis_words import mentions_crisis

# Every free-text field the referral form and the call console read.
FREE_TEXT_FIELDS = ("reason", "conditions", "medications", "notes", "call_note", "note")


def flash_if_crisis(form: MultiDict) -> bool:
    """Flash the imminent-risk guidance when the form's free text names a crisis; True if so."""
    if not mentions_crisis(*(form.get(name) for name in FREE_TEXT_FIELDS)):
        return False
    flash(
        _(
            "The words entered mention suicide, self-harm or an overdose: assess risk now. For "
            "imminent risk do not end the contact: warm-transfer to 988 with the person on the "
            "line, or call 911 if there is immediate danger."
        ),
        "error",
    )
    return True
