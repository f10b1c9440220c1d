"""Report a problem with a listing: a public form, no sign-in, rate limited per address.

The visitor is asked what is wrong, never about their health; the form says not to include
health information. The address is kept only as a keyed hash, for rate limiting and abuse.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_limiter.util import get_remote_address
from marshmallow import EXCLUDE, ValidationError

from corrections.errors import ListingNotFound
from corrections.intake import file_report, listed, reporter_ref
from corrections.schemas import ReportSchema
from corrections.statuses import DETAILS_MAX
from directory.models.verification import utcnow
from edge.extensions import limiter
from matching.crisis_words import mentions_crisis

report_blueprint = Blueprint("report", __name__)
PROBLEM_CHOICES = {
    "wrong_phone": _l("The phone number is wrong"),
    "not_accepting": _l("They are not taking new patients"),
    "not_in_plan": _l("They are not in my insurance plan"),
    "moved": _l("They moved or no longer work here"),
    "other": _l("Something else"),
}
PRIVATE_HEADERS = {"Cache-Control": "no-store", "Referrer-Policy": "same-origin"}


def _limit() -> str:
    return current_app.config["PROBLEM_REPORT_RATE_LIMIT"]


def _reporter_key() -> str:
    # The same scope and key as the API's, so both count against one budget per address.
    return reporter_ref(get_remote_address()) or "unknown"


def _page(npi: str, status: int = 200, error: str | None = None, sent: bool = False):
    """The form or its thanks; crisis words in the details put the urgent 988 block first."""
    try:
        clinician = listed(npi)
    except ListingNotFound:
        abort(404)
    body = render_template(
        "patients/report.html",
        clinician=clinician,
        choices=PROBLEM_CHOICES,
        details_max=DETAILS_MAX,
        error=error,
        sent=sent,
        # Someone may write what they cannot say elsewhere: answer it before the listing.
        urgent=mentions_crisis(request.form.get("details")),
    )
    return body, status, PRIVATE_HEADERS


@report_blueprint.get("/clinicians/<npi>/report")
def report_form(npi: str):
    """The form: what is wrong with this listing."""
    return _page(npi)


@report_blueprint.post("/clinicians/<npi>/report")
@limiter.limit(_limit, key_func=_reporter_key, scope="problem-reports", methods=["POST"])
def report_problem(npi: str):
    """File the report in the correction queue and thank the visitor."""
    try:
        report = ReportSchema().load(request.form, unknown=EXCLUDE)
    except ValidationError:
        return _page(npi, 400, error=_("Choose what is wrong, in at most 500 characters."))
    try:
        file_report(npi, report, get_remote_address(), utcnow())
    except ListingNotFound:
        abort(404)
    return _page(npi, sent=True)
