"""Public page: a social-needs self-screen (AHC HRSN) that leads straight to programs nearby.

Nothing is kept: the answers and the ZIP code travel only in the POST body, are scored in
memory and never stored, logged or put in a URL; the page is sent with no-store.
"""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_babel import gettext as _

from directory.geography import zip_centroid
from directory.models.verification import utcnow
from pages.languages import current_locale_code
from pages.social_needs import SAFETY, answer_errors, questions, social_instrument
from programs.by_need import NEAR_MILES, programs_for_needs
from programs.vocabulary import need_labels
from screening.form import read_answers
from screening.scorer import score

social_needs_blueprint = Blueprint("social_needs", __name__)
PRIVATE_HEADERS = {"Cache-Control": "no-store", "Referrer-Policy": "same-origin"}
ZIP_FIELD = "postal_code"


def _page(status: int = 200, **context):
    context.setdefault("given", {})
    context.setdefault("errors", {})
    body = render_template(
        "patients/social_needs.html",
        questions=questions(),
        labels=need_labels(current_locale_code()),
        safety=SAFETY,
        miles=NEAR_MILES,
        **context,
    )
    return body, status, PRIVATE_HEADERS


@social_needs_blueprint.get("/social-needs")
def social_needs_form():
    """The ten questions and a ZIP code."""
    return _page()


@social_needs_blueprint.post("/social-needs")
def social_needs_results():
    """Needs from the answers, safety resources first, then programs near the ZIP code."""
    found = read_answers(social_instrument(), request.form)
    errors = answer_errors(found)
    postal_code = (request.form.get(ZIP_FIELD) or "").strip()[:10]
    if zip_centroid(postal_code) is None:
        errors[ZIP_FIELD] = _("Enter a 5-digit US ZIP code.")
    given = {**found.given, ZIP_FIELD: postal_code}
    if errors:
        return _page(400, given=given, errors=errors)
    scored = score(social_instrument(), found.answers)
    groups = programs_for_needs(scored.needs, postal_code, utcnow())
    return _page(given=given, scored=scored, groups=groups, postal_code=postal_code)
