"""Public patient pages: GET /find shows the search form, POST /find shows the results.

Privacy: the needs a visitor picks travel only in the POST body, never in a URL, a redirect, a
cookie, the session, the database or a log line. Results pages are sent with no-store so a
shared computer's cache does not keep them.
"""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from marshmallow import ValidationError

from directory.extensions import db
from directory.models.verification import utcnow
from directory.queries import plans_query
from matching.matcher import matcher
from pages import needs_choices as choices
from pages.cost import PAYMENT_CHOICES
from web import patient_form as forms
from web.search import run_search

patients_blueprint = Blueprint("patients", __name__)
bp = patients_blueprint
PRIVATE_HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "same-origin",
}


def _choices() -> dict:
    """What the search form offers, in the visitor's language."""
    everything = db.session.scalars(plans_query()).all()
    # Patients pick insurance products; bare networks only when no plan is listed at all.
    plans = [p for p in everything if p.kind == "plan"] or everything
    first_languages, other_languages = choices.language_choices()
    return {
        "plans": plans,
        "concerns": choices.concern_choices(),
        "competency_groups": choices.competency_groups(),
        "accessibility": choices.accessibility_choices(),
        "availability": forms.AVAILABILITY_CHOICES,
        "payments": PAYMENT_CHOICES,
        "genders": forms.GENDER_CHOICES,
        "modalities": forms.MODALITY_CHOICES,
        "distances": forms.DISTANCES,
        "first_languages": first_languages,
        "other_languages": other_languages,
    }


def _form_page(found: forms.PatientForm, status: int = 200, notice: str | None = None):
    body = render_template("patients/find.html", form=found, notice=notice, **_choices())
    return body, status, PRIVATE_HEADERS


@bp.get("/")
def home():
    """The public front door is the patient search."""
    return redirect(url_for("patients.find"))


@bp.get("/find")
def find():
    """The search form, in the visitor's language."""
    return _form_page(forms.blank_form())


@bp.post("/find")
def search():
    """Results for the submitted needs, or the form again with its errors."""
    found = forms.read_form(request.form)
    needs = None
    if not found.errors:
        try:
            needs = matcher.needs_schema.load(forms.needs_input(found))
        except ValidationError as err:
            found.errors.update(forms.schema_errors(err.normalized_messages()))
    if needs is None:
        return _form_page(found, 400)
    now = utcnow()
    view = run_search(needs, now)
    body = render_template("patients/results.html", form=found, view=view, **_choices())
    return body, 200, PRIVATE_HEADERS


@bp.errorhandler(CSRFError)
def expired_form(_err: CSRFError):
    """An expired or missing form token: show a fresh form rather than a bare 400."""
    notice = _("This page was open for a long time, so please fill in the search again.")
    return _form_page(forms.blank_form(), 400, notice)
