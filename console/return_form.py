"""The clinician's return form on the referral page: posted fields in, the API's body out."""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from accounts.identity import current_actor
from console.display import local_zone
from console.referral_actions import PageRefusal, on_page
from console.referral_form import appointment_at
from directory.models.verification import utcnow
from referrals import use_cases
from referrals.return_schemas import MEDICATION_CHANGES

# How many medication rows the form offers (the API takes up to 30).
MEDICATION_ROWS = 3
# Repeat scores the form takes as a total; the API also takes each item's answer.
FORM_INSTRUMENTS = ("phq9", "gad7", "phq2", "gad2", "auditc", "isi", "phqa")


def _text(form: MultiDict, name: str) -> str | None:
    return (form.get(name) or "").strip() or None


def _medications(form: MultiDict) -> list[dict]:
    found = []
    for row in range(MEDICATION_ROWS):
        name = _text(form, f"medication_{row}_name")
        if name is None:
            continue
        medication = {"change": form.get(f"medication_{row}_change", ""), "name": name}
        code = _text(form, f"medication_{row}_rxnorm")
        if code is not None:
            medication["rxnorm"] = code
        found.append(medication)
    return found


def _score(form: MultiDict) -> list[dict]:
    total = _text(form, "score")
    if total is None:
        return []
    # A total that is not a number goes on as text so the schema names the field.
    value = int(total) if total.isdigit() else total
    return [{"instrument": form.get("instrument", ""), "score": value}]


def return_body(form: MultiDict) -> dict:
    """The return the form describes, as the use case reads it (the schema checks it there)."""
    codes = (form.get("diagnoses") or "").replace(";", ",").split(",")
    body = {
        "diagnoses": [code.strip() for code in codes if code.strip()],
        "medications": _medications(form),
        "scores": _score(form),
    }
    for name in ("treatment", "note"):
        if _text(form, name) is not None:
            body[name] = _text(form, name)
    moment = appointment_at(form, local_zone(), prefix="next")
    if moment is not None:
        body["next_appointment_at"] = moment
    return body


def _flat(value):
    """Every message inside nested field errors, in order."""
    if isinstance(value, dict):
        for inner in value.values():
            yield from _flat(inner)
    elif isinstance(value, list | tuple):
        for inner in value:
            yield from _flat(inner)
    else:
        yield str(value)


def _field_errors(errors: dict) -> str:
    """Field errors for a flash: "diagnoses: Not an ICD-10-CM code (e.g. F41.1)."."""
    return " ".join(f"{name}: {'; '.join(_flat(problems))}" for name, problems in errors.items())


def post_return(referral_id: int):
    """Send the clinician's structured return from the referral page."""
    try:
        on_page(
            use_cases.send_return, current_actor(), referral_id, return_body(request.form), utcnow()
        )
    except PageRefusal as err:
        flash(f"{err.message} {_field_errors(err.errors)}".strip(), "error")
    else:
        flash(_("Sent back to the referring clinician."), "success")
    return redirect(url_for(f"{request.blueprint}.referral", referral_id=referral_id), 303)


def form_choices() -> dict:
    """What the form offers: medication changes, instruments, how many medication rows."""
    return {
        "medication_changes": MEDICATION_CHANGES,
        "instruments": FORM_INSTRUMENTS,
        "medication_rows": MEDICATION_ROWS,
    }
