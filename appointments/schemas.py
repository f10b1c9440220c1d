"""The request form's input, parsed once: a phone we can call, times, language and consent."""

from __future__ import annotations

import re

from marshmallow import Schema, ValidationError, fields, post_load, validate, validates

from referrals.words import N_

# When the patient can take a call; the form offers these as checkboxes.
TIME_CHOICES = {
    "weekday_mornings": N_("Weekday mornings"),
    "weekday_afternoons": N_("Weekday afternoons"),
    "weekday_evenings": N_("Weekday evenings"),
    "weekends": N_("Weekends"),
}
# Languages the patient may ask to be called in: the ones our pages and texts are written in.
LANGUAGES = ("en", "es", "pt", "ht", "zh", "vi")
NAME_MAX = 120
NOTE_MAX = 200
_SEPARATORS = re.compile(r"[\s().\-]")


def e164(phone: str) -> str:
    """A US number (10 digits, or 11 with the leading 1) or +E.164, written +<digits>."""
    digits = _SEPARATORS.sub("", phone or "")
    if digits.startswith("+") and digits[1:].isdigit() and 8 <= len(digits) - 1 <= 15:
        return digits
    if digits.isdigit() and len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    if digits.isdigit() and len(digits) == 10 and digits[0] not in "01":
        return "+1" + digits
    raise ValidationError(N_("Enter a phone number we can call, like 617-555-0134."))


class AppointmentRequestSchema(Schema):
    """What the profile page's form sends; `consent` must be given, the rest is checked here."""

    patient_name = fields.String(required=True, validate=validate.Length(min=1, max=NAME_MAX))
    phone = fields.String(required=True)
    email = fields.Email(load_default=None, validate=validate.Length(max=254))
    preferred_times = fields.List(
        fields.String(validate=validate.OneOf(TIME_CHOICES)), load_default=list
    )
    times_note = fields.String(load_default=None, validate=validate.Length(max=NOTE_MAX))
    language = fields.String(load_default="en", validate=validate.OneOf(LANGUAGES))
    location_id = fields.Integer(load_default=None)
    consent = fields.Boolean(required=True)
    status_texts = fields.Boolean(load_default=False)

    @validates("consent")
    def _consent_given(self, value: bool, **_kwargs) -> None:
        if value is not True:
            raise ValidationError(N_("We can only call you if you agree to be contacted."))

    @post_load
    def _clean(self, data: dict, **_kwargs) -> dict:
        data["patient_name"] = data["patient_name"].strip()
        if not data["patient_name"]:
            raise ValidationError({"patient_name": [N_("Enter your name.")]})
        try:
            data["phone"] = e164(data["phone"])
        except ValidationError as err:
            raise ValidationError({"phone": err.messages}) from None
        data["times_note"] = (data.get("times_note") or "").strip() or None
        data["preferred_times"] = list(dict.fromkeys(data["preferred_times"]))
        return data
