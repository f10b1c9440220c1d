"""Public page: GET /programs shows a form, POST /programs lists programs near a ZIP code.

Privacy as /find: what a visitor picks travels only in the POST body, never in a URL, the
session or a log line, and the results page is sent with no-store.
"""

from __future__ import annotations

from flask import Blueprint, render_template, request
from marshmallow import ValidationError

from directory.models.verification import utcnow
from pages.languages import current_locale_code
from programs.needs import ProgramNeedsSchema
from programs.search import find_programs
from programs.vocabulary import need_labels

programs_blueprint = Blueprint("programs_page", __name__)
PRIVATE_HEADERS = {"Cache-Control": "no-store", "Referrer-Policy": "same-origin"}
DISTANCE_MILES = 10


def _page(status: int = 200, **context):
    context.setdefault("picked", [])
    context.setdefault("postal_code", "")
    body = render_template(
        "patients/programs.html", needs=need_labels(current_locale_code()), **context
    )
    return body, status, PRIVATE_HEADERS


@programs_blueprint.get("/programs")
def programs_form():
    """The form: a ZIP code and the kinds of help wanted."""
    return _page()


@programs_blueprint.post("/programs")
def programs_results():
    """Programs near the ZIP code for the needs picked, or the form again with its errors."""
    postal_code = request.form.get("postal_code", "").strip()[:10]
    picked = [code for code in request.form.getlist("needs") if code in need_labels("en")]
    body = {"postal_code": postal_code, "max_distance_miles": DISTANCE_MILES}
    if picked:
        body["needs"] = picked
    try:
        needs = ProgramNeedsSchema().load(body)
    except ValidationError:
        return _page(400, picked=picked, postal_code=postal_code, invalid=True)
    page = find_programs(needs, utcnow())
    return _page(picked=picked, postal_code=postal_code, page=page, miles=DISTANCE_MILES)
