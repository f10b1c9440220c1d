"""The patient search form: its choices in plain words, and its fields as NeedsSchema input.

The ZIP code is checked here so its message can say exactly what is wrong in the visitor's
language; everything else is validated by matching.needs_schema.NeedsSchema, the same as the
API, and its field errors become short translated messages.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields
from marshmallow.validate import Range
from werkzeug.datastructures import MultiDict

from directory.geography import place_zip, zip5

LIST_FIELDS = (
    "concerns",
    "cultural_preferences",
    "accessibility",
    "availability",
    "payment",
    "preferred",
)
TEXT_FIELDS = (
    "postal_code",
    "plan",
    "languages",
    "clinician_gender",
    "modality",
    "age",
    # "false" when the visitor asked to include clinicians not taking new patients.
    "accepting_new_patients",
    "sort",
)
NUMBER_FIELDS = ("max_distance_miles", "max_fee", "max_wait_days")
DISTANCES = ("5", "10", "25", "50", "100")
DEFAULT_DISTANCE = "25"
DEFAULT_MODALITY = "either"
PAGE_SIZE = 20
LAST_PAGE = 500  # 10,000 results: NeedsSchema's largest offset
GENDER_CHOICES = {
    "": _l("No preference"),
    "female": _l("A woman"),
    "male": _l("A man"),
    "nonbinary": _l("A nonbinary person"),
}
MODALITY_CHOICES = {
    "either": _l("Either is fine"),
    "in_person": _l("In person"),
    "telehealth": _l("By video or phone (telehealth)"),
}
AVAILABILITY_CHOICES = {"evening": _l("Evenings"), "weekend": _l("Weekends")}
# The refine bar's "first opening" choices: days, as the max_wait_days need (a filter here).
WAIT_CHOICES = {
    "": _l("Any time"),
    "7": _l("Within a week"),
    "14": _l("Within 2 weeks"),
    "30": _l("Within a month"),
}
SORT_CHOICES = {
    "best_fit": _l("Best fit"),
    "distance": _l("Nearest first"),
    "soonest": _l("Soonest opening first"),
}
# What the refine bar shows itself; every other answer rides along as a hidden field.
REFINE_FIELDS = (
    "max_distance_miles",
    "modality",
    "accepting_new_patients",
    "plan",
    "languages",
    "clinician_gender",
    "max_wait_days",
    "max_fee",
    "sort",
)
REFINE_PAYMENTS = ("free", "sliding_scale")
# Field errors from NeedsSchema, as the visitor reads them next to the field.
FIELD_MESSAGES = {
    "plan": _l("Choose your insurance plan from the list, or “I don’t know”."),
    "languages": _l("Choose a language from the list."),
    "age": _l("Enter an age in years, from 0 to 130, or leave it empty."),
    "max_distance_miles": _l("Choose how far you can travel."),
    "location": _l("Enter your ZIP code."),
    "max_fee": _l("Enter the most you can pay for a visit, in whole dollars from 0 to 2000."),
    "payment": _l("Choose how you will pay from the list."),
    "max_wait_days": _l("Choose when you need a first appointment."),
    "sort": _l("Choose an order from the list."),
}
FALLBACK_MESSAGE = _l("Check this answer.")


@dataclass
class PatientForm:
    """What the visitor entered (to fill the form back in) and the errors per field."""

    values: dict = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)

    def checked(self, name: str, code: str) -> bool:
        """True when checkbox `code` of group `name` was ticked."""
        return code in self.values.get(name, ())


def blank_form() -> PatientForm:
    """The form as first shown."""
    return PatientForm({"max_distance_miles": DEFAULT_DISTANCE, "modality": DEFAULT_MODALITY})


def read_form(form: MultiDict) -> PatientForm:
    """The submitted fields, trimmed, with empty answers left out; ZIP checked."""
    values: dict = {name: [v for v in form.getlist(name) if v] for name in LIST_FIELDS}
    for name in TEXT_FIELDS + NUMBER_FIELDS:
        text = (form.get(name) or "").strip()
        if text:
            values[name] = text[:64]
    found = PatientForm(values)
    zip_error = _zip_problem(values.get("postal_code"))
    if zip_error:
        found.errors["postal_code"] = zip_error
    return found


def _zip_problem(text: str | None) -> str | None:
    if not text:
        return _("Enter your ZIP code.")
    if zip5(text) is None:
        return _("Enter a 5-digit ZIP code, like 02139.")
    if place_zip(text).point is None:
        return _("We could not find that ZIP code. Check it and try again.")
    return None


class PageSchema(Schema):
    """The results page number, the one thing a results address may carry besides its id."""

    page = fields.Integer(load_default=1, validate=Range(1, LAST_PAGE))


def read_page(args: MultiDict) -> int:
    """The page asked for; the first page when the number is missing or not one we serve."""
    try:
        return PageSchema().load({"page": args.get("page", "1")})["page"]
    except ValidationError:
        return 1


def needs_input(found: PatientForm, page: int = 1) -> dict:
    """The NeedsSchema input for this form and page (empty answers mean "no preference")."""
    values = found.values
    data = {name: values[name] for name in LIST_FIELDS if values.get(name)}
    for name in TEXT_FIELDS + NUMBER_FIELDS:
        if name in values:
            data[name] = values[name]
    data.setdefault("max_distance_miles", DEFAULT_DISTANCE)
    data.setdefault("modality", DEFAULT_MODALITY)
    # "First opening within" filters, unless a suggestion made it a wish (under "preferred").
    if "max_wait_days" in data and "max_wait_days" not in data.get("preferred", ()):
        data["required"] = ["max_wait_days"]
    data["limit"] = PAGE_SIZE
    data["offset"] = (page - 1) * PAGE_SIZE
    return data


def refine_hidden(found: PatientForm) -> list[tuple[str, str]]:
    """(name, value) of every answer the refine bar does not show, to post with it."""
    kept = []
    for name, value in found.values.items():
        if name in REFINE_FIELDS:
            continue
        values = [value] if isinstance(value, str) else list(value)
        if name == "payment":
            values = [v for v in values if v not in REFINE_PAYMENTS]
        kept += [(name, v) for v in values]
    return kept


def schema_errors(messages: dict) -> dict[str, str]:
    """NeedsSchema's English errors as one translated message per form field."""
    found = {}
    for name in messages:
        target = "postal_code" if name == "location" else name
        message = FIELD_MESSAGES.get(name, FALLBACK_MESSAGE)
        found.setdefault(target, str(message))
    return found
