"""Public profile pages: /clinicians/<npi> for a listed clinician, /practices/<id> for a practice.

Directory facts only (no needs, nothing about the visitor), each with its source and age. An
unknown, malformed or inactive NPI is a 404, as the API answers.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template

from directory.extensions import db
from directory.models import Organization
from directory.models.verification import utcnow
from directory.npi import is_valid_npi
from directory.queries import clinician_query
from web.appointments import form_context
from web.practice_view import practice
from web.profile_view import profile

profiles_blueprint = Blueprint("profiles", __name__)
HEADERS = {"Referrer-Policy": "same-origin"}


@profiles_blueprint.get("/clinicians/<npi>")
def clinician(npi: str):
    """A clinician's profile: what they offer, where, with whom, and how we know."""
    if not is_valid_npi(npi):
        abort(404)
    found = db.session.scalars(clinician_query(npi)).one_or_none()
    if found is None:
        abort(404)
    view = profile(found, utcnow(), current_app.config["STALE_AFTER_DAYS"])
    body = render_template("patients/profile.html", view=view, appointment=form_context())
    return body, 200, HEADERS


@profiles_blueprint.get("/practices/<int:org_id>")
def practice_page(org_id: int):
    """A practice or organization: contact, places and the clinicians listed there."""
    org = db.session.get(Organization, org_id)
    if org is None:
        abort(404)
    return render_template("patients/practice.html", view=practice(org)), 200, HEADERS
