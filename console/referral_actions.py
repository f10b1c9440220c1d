"""Referral use cases from staff pages: their refusals in the reader's language, 404s as pages.

The use cases (referrals.use_cases) own visibility, audit, the transaction and notification;
this module only turns their errors into PageRefusal (a translated message, per-field errors,
the HTTP status) or a 404/403 page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import abort
from flask_babel import gettext as _

from referrals.errors import NotFound, ReferralError
from referrals.lifecycle import BY_CODE

T = TypeVar("T")


class PageRefusal(Exception):
    """A referral write the services refused: the message, per-field errors, an HTTP status."""

    def __init__(self, message: str, errors: dict | None = None, status: int = 422, **extra):
        super().__init__(message)
        self.message = message
        self.errors = errors or {}
        self.status = status
        self.extra = extra


def step_errors(event_type: str, errors: dict[str, list[str]]) -> dict[str, list[str]]:
    """What a lifecycle step lacks, in the reader's language (the service says it in English)."""
    words = {
        "reason": _("Choose why you decline."),
        "appointment_at": _("Give the appointment date and time."),
        "note": _("Closing needs a note back to the referring clinician.")
        if event_type == "close"
        else _("A decline for another reason needs a note saying why."),
    }
    return {name: [words.get(name, "; ".join(texts))] for name, texts in errors.items()}


def _status_words(code: str) -> str:
    """A status in the reader's language, from the status table's words."""
    return _(BY_CODE[code].words) if code in BY_CODE else code


def _words(err: ReferralError) -> str:
    """The refusal in the reader's language, by its code."""
    texts = {
        "crisis": lambda: _(
            "An emergent need is not for referral: connect the patient with crisis care now."
        ),
        "create_role": lambda: _("Your role may not open referrals."),
        "referral_fields": lambda: _("This referral cannot be made."),
        "part2_consent": lambda: _(
            "The consent does not permit disclosure to the receiving clinician (42 CFR 2.31)."
        ),
        "consent": lambda: _("The consent does not permit disclosure to the receiving clinician."),
        "role": lambda: _("Your role may not take this step on this referral."),
        "transition": lambda: _(
            "This step is not possible now (the referral is %(status)s).",
            status=_status_words(getattr(err, "referral_status", "")),
        ),
        "event_fields": lambda: _("This step needs more information."),
        "manage": lambda: _("Only the referring side may do this."),
        "unknown_item": lambda: _("No such checklist item."),
        "no_consent": lambda: _("There is no standing consent to revoke."),
        "already_revoked": lambda: _("There is no standing consent to revoke."),
        "rerefer": lambda: _("This referral cannot be re-referred now."),
        "return_role": lambda: _("Only the receiving clinician may send information back."),
        "not_acknowledged": lambda: _(
            "Information goes back once the referral has been acknowledged."
        ),
        "received": lambda: _("This step is done when the clinician's information arrives."),
        "report_role": lambda: _("Directory reports are for health plans and administrators."),
    }
    found = texts.get(err.code)
    return found() if found else _("Some fields need attention.")


def refusal(err: ReferralError, event_type: str = "") -> PageRefusal:
    """The page's answer to a refused use case."""
    errors = step_errors(event_type, err.errors) if err.code == "event_fields" else err.errors
    return PageRefusal(_words(err), errors, err.status, **err.extra)


def on_page(call: Callable[..., T], *args, event_type: str = "", **kwargs) -> T:
    """Run a use case for a page: a referral the reader may not see is a 404 page."""
    try:
        return call(*args, **kwargs)
    except NotFound as err:
        if err.code == "not_yours":
            abort(404)
        raise refusal(err) from None
    except ReferralError as err:
        raise refusal(err, event_type) from None
