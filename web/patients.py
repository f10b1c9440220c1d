"""Public patient pages: the search form at /find, results at /find/results/<opaque id>.

POST /find checks the answers, keeps them server-side behind a new opaque id that expires
(matching.saved_searches) and redirects to GET /find/results/<id>: Back, reload, "Show more"
and the language switch read the same search without resubmitting it. The needs never travel
in a URL, a cookie, the session or a log line; the kept answers are deleted at expiry. Pages
are sent with no-store so a shared computer's cache does not keep them.
"""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from marshmallow import ValidationError

from directory.extensions import db
from directory.models.verification import utcnow
from directory.queries import plans_query
from matching import saved_searches
from matching.matcher import matcher
from matching.needs import Needs
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
        "waits": forms.WAIT_CHOICES,
        "sorts": forms.SORT_CHOICES,
        "refine_payments": [p for p in PAYMENT_CHOICES if p[0] in forms.REFINE_PAYMENTS],
        "first_languages": first_languages,
        "other_languages": other_languages,
    }


def _form_page(found: forms.PatientForm, status: int = 200, notice: str | None = None):
    body = render_template("patients/find.html", form=found, notice=notice, **_choices())
    return body, status, PRIVATE_HEADERS


def _needs(found: forms.PatientForm, page: int = 1) -> Needs | None:
    """The validated needs for the form's answers (errors land on the form), or None."""
    if found.errors:
        return None
    try:
        return matcher.needs_schema.load(forms.needs_input(found, page))
    except ValidationError as err:
        found.errors.update(forms.schema_errors(err.normalized_messages()))
        return None


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
    """Keep valid answers behind a new results address and go there; else the form again."""
    found = forms.read_form(request.form)
    if _needs(found) is None:
        return _form_page(found, 400)
    lifetime = timedelta(minutes=current_app.config["SEARCH_RESULTS_MINUTES"])
    token = saved_searches.save(found.values, utcnow(), lifetime)
    return redirect(url_for("patients.results", token=token), 303)


@bp.get("/find/results/<token>")
def results(token: str):
    """One page of the kept search's results; a friendly new-search page once it expired."""
    now = utcnow()
    answers = saved_searches.load(token, now)
    if answers is None:
        notice = _("That search has ended: we keep a search for a short while only.")
        return _form_page(forms.blank_form(), 410, notice)
    page = forms.read_page(request.args)
    found = forms.PatientForm(answers)
    needs = _needs(found, page)
    if needs is None:  # answers kept under older rules: ask again rather than guess
        return _form_page(found, 400)
    view = run_search(needs, now, page)
    body = render_template(
        "patients/results.html",
        form=found,
        view=view,
        token=token,
        refine_hidden=forms.refine_hidden(found),
        **_choices(),
    )
    return body, 200, PRIVATE_HEADERS


@bp.errorhandler(CSRFError)
def expired_form(_err: CSRFError):
    """An expired or missing form token: show a fresh form rather than a bare 400."""
    notice = _("This page was open for a long time, so please fill in the search again.")
    return _form_page(forms.blank_form(), 400, notice)
