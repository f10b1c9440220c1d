"""The clinician corrects their listing's details: languages, how they work, their places."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from marshmallow import ValidationError
from werkzeug.datastructures import MultiDict

from accounts.identity import current_actor
from console import clinician_blueprint as bp
from console.access import page_for
from console.clinician import CLINICIAN, own_listing
from console.listing_details_view import details_page
from corrections import self_report
from corrections.errors import ItemNotFound
from corrections.self_report_schemas import DAYS, LanguagesSchema, PlaceSchema, PracticeSchema
from directory.models.verification import utcnow


def practice_input(form: MultiDict) -> dict:
    """The form's approaches and `competency.<code>` answers (blank: not listed)."""
    competencies = {
        name.removeprefix("competency."): value
        for name, value in form.items()
        if name.startswith("competency.") and value
    }
    return {"approaches": form.getlist("approaches"), "competencies": competencies}


def languages_input(form: MultiDict) -> dict:
    """The form's language rows; a row with no language chosen is left out."""
    rows = zip(form.getlist("language"), form.getlist("proficiency"), strict=False)
    return {"languages": [{"code": c, "proficiency": p or None} for c, p in rows if c]}


def place_input(form: MultiDict) -> dict:
    """The form's place, with each weekday's `opens.<day>` / `closes.<day>` as its hours."""
    fields = ("line1", "line2", "city", "state", "postal_code", "phone")
    raw: dict = {name: form.get(name, "") for name in fields}
    raw["accessibility"] = form.getlist("accessibility")
    raw["hours"] = {
        day: {
            "opens": form.get(f"opens.{day}") or None,
            "closes": form.get(f"closes.{day}") or None,
        }
        for day in DAYS
        if form.get(f"opens.{day}") or form.get(f"closes.{day}")
    }
    return raw


def field_errors(messages: dict) -> dict[str, str]:
    """The page's words for each refused field (a weekday's hours as `hours.<day>`)."""
    words = {
        "approaches": _("Choose approaches from the list."),
        "competencies": _("Choose identities and cultures from the list, each with how known."),
        "languages": _("Choose each language once, from the list, with a listed fluency."),
        "line1": _("Give the street address (up to 200 characters)."),
        "line2": _("Keep the suite or floor to 200 characters."),
        "city": _("Give the city."),
        "state": _("Choose the state."),
        "postal_code": _("Give the 5-digit ZIP code."),
        "phone": _("Give a 10-digit US phone number."),
        "accessibility": _("Choose accessibility features from the list."),
    }
    found = {name: words[name] for name in messages if name in words}
    for day in messages.get("hours") or {}:
        found[f"hours.{day}"] = _("Give both times, closing after opening, or neither if closed.")
    return found


def _refused(err: ValidationError, section: str, link_id: int | None = None):
    errors = {"section": section, "link_id": link_id, "fields": field_errors(err.messages)}
    return details_page(own_listing(), errors, request.form), 400


def _saved(changed: list[str]):
    if changed:
        flash(
            _("Saved: the changes show on your listing as your own word, dated today."), "success"
        )
    else:
        flash(_("Nothing changed."), "info")
    return redirect(url_for("clinician.listing_details"), 303)


@bp.get("/listing/details")
@page_for(*CLINICIAN)
def listing_details():
    """Languages, approaches, competencies and places, each with whose word it is and when."""
    return details_page(own_listing(), {}, MultiDict())


@bp.post("/listing/details/practice")
@page_for(*CLINICIAN)
def correct_practice():
    """Save approaches and competencies."""
    try:
        edit = PracticeSchema().load(practice_input(request.form))
    except ValidationError as err:
        return _refused(err, "practice")
    return _saved(self_report.correct_practice(current_actor(), own_listing(), edit, utcnow()))


@bp.post("/listing/details/languages")
@page_for(*CLINICIAN)
def correct_languages():
    """Save languages with proficiency."""
    try:
        wanted = LanguagesSchema().load(languages_input(request.form))
    except ValidationError as err:
        return _refused(err, "languages")
    return _saved(self_report.correct_languages(current_actor(), own_listing(), wanted, utcnow()))


@bp.post("/listing/details/places", defaults={"link_id": None})
@bp.post("/listing/details/places/<int:link_id>")
@page_for(*CLINICIAN)
def correct_place(link_id: int | None):
    """Correct a place (address, phone, accessibility, hours), add one, or remove one."""
    clinician, actor = own_listing(), current_actor()
    try:
        if link_id is not None and request.form.get("remove"):
            return _saved(self_report.remove_place(actor, clinician, link_id, utcnow()))
        edit = PlaceSchema().load(place_input(request.form))
        return _saved(self_report.correct_place(actor, clinician, link_id, edit, utcnow()))
    except ItemNotFound:
        abort(404)
    except ValidationError as err:
        return _refused(err, "place", link_id)
