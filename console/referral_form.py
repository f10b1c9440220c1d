"""The referral form on staff pages: posted fields in, the referral API's request body out."""

from __future__ import annotations

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

from werkzeug.datastructures import CombinedMultiDict, MultiDict

from console.search import icd10_codes
from directory.extensions import db
from directory.models import Clinician, Location
from referrals.checklist import TICKABLE_ITEMS

# Steps the referring clinician ticks by hand; the others are done by the service (consent on
# file when a consent is given, clinical information when the referral is sent, treatment
# information when the clinician's structured return arrives).
MANUAL_STEPS = tuple(
    item for item in TICKABLE_ITEMS if item not in ("consent_on_file", "clinical_info_sent")
)
PATIENT_FIELDS = ("name", "birth_date", "phone", "preferred_language", "member_id", "postal_code")
CONSENT_TEXT = ("disclosing_party", "information", "purpose", "signed_by", "expiry_event")
CONSENT_DATES = ("signed_on", "expires_on")
# Screenings the referral form takes (the API takes every instrument).
FORM_SCREENINGS = ("phq9", "gad7")


def _text(form: MultiDict, name: str) -> str | None:
    value = (form.get(name) or "").strip()
    return value or None


def _lines(form: MultiDict, name: str) -> list[str]:
    """One entry per line of a textarea."""
    return [line.strip() for line in (form.get(name) or "").splitlines() if line.strip()]


def _integer(form: MultiDict, name: str) -> int | str | None:
    """An integer, or the text as given so the schema reports it."""
    value = _text(form, name)
    return int(value) if value is not None and value.isdigit() else value


def consent_body(form: MultiDict) -> dict | None:
    """The release of information, when the form names what kind it is."""
    form_type = _text(form, "consent_form_type")
    if form_type is None:
        return None
    body: dict = {"form_type": form_type}
    for name in CONSENT_TEXT + CONSENT_DATES:
        value = _text(form, f"consent_{name}")
        if value is not None:
            body[name] = value
    recipient = {
        "name": _text(form, "consent_recipient_name"),
        "npi": _text(form, "consent_recipient_npi"),
    }
    body["recipients"] = [recipient] if any(recipient.values()) else []
    body["revocation_statement"] = bool(form.get("consent_revocation_statement"))
    method = _text(form, "consent_method")
    if method is not None:
        body["method"] = method  # the schema accepts paper or verbal
    return body


def referral_body(form: MultiDict, needs: dict) -> dict:
    """The POST /api/v1/referrals body the form describes (schema-checked by the caller)."""
    patient = {name: _text(form, f"patient_{name}") for name in PATIENT_FIELDS}
    patient["race_ethnicity"] = [c for c in form.getlist("patient_race_ethnicity") if c] or None
    body = {
        "patient": {k: v for k, v in patient.items() if v is not None},
        "clinician_npi": _text(form, "clinician_npi") or "",
        "location_id": _integer(form, "location_id"),
        "plan": _text(form, "referral_plan") or needs.get("plan"),
        "reason": _text(form, "reason") or "",
        "diagnoses": icd10_codes(form.get("referral_diagnoses", "")),
        "conditions": _lines(form, "conditions"),
        "medications": _lines(form, "medications"),
        "urgency": _text(form, "urgency") or "",
        "substance_use": bool(form.get("substance_use")),
        "consent": consent_body(form),
        "needs": needs,
        "notes": _text(form, "notes"),
        "patient_notices": _text(form, "patient_notices"),
        "patient_email": _text(form, "patient_email"),
    }
    contact = {k: _text(form, f"referrer_{k}") for k in ("name", "phone", "email")}
    if any(contact.values()):
        body["referrer"] = {k: v for k, v in contact.items() if v is not None}
    return {k: v for k, v in body.items() if v is not None}


def with_referrer_defaults(form: MultiDict, contact: dict) -> MultiDict:
    """The form, the account's name and phone filling the referrer fields it does not post.

    A refused form comes back as it was sent, a field posted blank too.
    """
    defaults = {f"referrer_{k}": contact[k] for k in ("name", "phone") if contact.get(k)}
    return CombinedMultiDict([form, MultiDict(defaults)]) if defaults else form


def program_referral_body(form: MultiDict) -> dict:
    """The body for a referral to a program's service at a location (no clinician)."""
    body = referral_body(form, {})
    del body["clinician_npi"]
    body.pop("location_id", None)
    body["service_at_location_id"] = _integer(form, "service_at_location_id")
    body["patient_updates"] = bool(form.get("patient_updates"))
    needs = sorted({n for n in form.getlist("program_needs") if n})
    if needs:
        body["needs"] = {"needs": needs}
    return body


def _answer(token: str) -> int | str:
    """An integer answer, or the text as given so the schema reports it."""
    return int(token) if token.lstrip("-").isdigit() else token


def screening_body(form: MultiDict) -> dict | None:
    """The screening entered on the form (answers in item order, spaces or commas between)."""
    instrument = _text(form, "screening_instrument")
    if instrument is None:
        return None
    tokens = (form.get("screening_answers") or "").replace(",", " ").split()
    return {"instrument": instrument, "answers": [_answer(t) for t in tokens]}


def manual_ticks(form: MultiDict) -> list[str]:
    """Coordination steps the referring clinician says are done."""
    return [item for item in form.getlist("checklist") if item in MANUAL_STEPS]


def appointment_at(form: MultiDict, zone: ZoneInfo, prefix: str = "appointment") -> str | None:
    """The appointment's date and time (`prefix`_date, _time) in the referral zone, as ISO 8601."""
    day, clock = _text(form, f"{prefix}_date"), _text(form, f"{prefix}_time")
    if day is None:
        return None
    try:
        moment = datetime.combine(
            datetime.strptime(day, "%Y-%m-%d").date(),
            time.fromisoformat(clock) if clock else time(9, 0),
        )
    except ValueError:
        return day  # the schema reports it as not a date-time
    # Stored in UTC: SQLite keeps no offset, and every other time in the service is UTC.
    return moment.replace(tzinfo=zone).astimezone(UTC).isoformat()


def chosen_clinician(form: MultiDict) -> tuple[Clinician | None, Location | None]:
    """The clinician and place a results button ("NPI:location id") or the fields posted."""
    npi, _sep, location_id = (form.get("choice") or "").partition(":")
    npi = npi.strip() or (form.get("clinician_npi") or "").strip()
    clinician = db.session.scalar(db.select(Clinician).where(Clinician.npi == npi)) if npi else None
    location_id = location_id.strip() or (form.get("location_id") or "").strip()
    location = db.session.get(Location, int(location_id)) if location_id.isdigit() else None
    return clinician, location
